#include "apps/config/overrides.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace clustersim::apps {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kScenario = R"(seed: 42
master:
  allocation_interval: 1s
cluster:
  groups:
    - count: 10
      resources: {cpus: 8, mem: 32GiB}
frameworks:
  - name: batch
    workload:
      rate: 2/s
  - name: web
    workload:
      rate: 5/s
defaults:
empty_list: []
)";

YamlDocument Load(const std::string& text = kScenario) {
  sim::Result<YamlDocument> doc = LoadYamlString(text, "scenarios/x.yaml");
  EXPECT_TRUE(doc.ok()) << doc.error();
  return std::move(doc).value();
}

// --- ParseKeyPath -------------------------------------------------------------------------------

TEST(ParseKeyPath, KeysAndIndices) {
  const sim::Result<std::vector<PathElement>> p = ParseKeyPath("a.b[1].c");
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_THAT(*p, ElementsAre(PathElement::Key("a"), PathElement::Key("b"), PathElement::Index(1),
                              PathElement::Key("c")));
  EXPECT_EQ(FormatKeyPath(*p), "a.b[1].c");
  EXPECT_THAT(
      *ParseKeyPath("groups[0][2]"),
      ElementsAre(PathElement::Key("groups"), PathElement::Index(0), PathElement::Index(2)));
  EXPECT_THAT(*ParseKeyPath("[3].name"),
              ElementsAre(PathElement::Index(3), PathElement::Key("name")));
  EXPECT_THAT(*ParseKeyPath("allocation_interval"),
              ElementsAre(PathElement::Key("allocation_interval")));
  EXPECT_THAT(*ParseKeyPath("a-b.c_d"),
              ElementsAre(PathElement::Key("a-b"), PathElement::Key("c_d")));
}

TEST(ParseKeyPath, ErrorsNameThePosition) {
  EXPECT_EQ(ParseKeyPath("a..b").error(), "invalid key path 'a..b': empty key at position 3");
  EXPECT_EQ(ParseKeyPath("a.").error(), "invalid key path 'a.': empty key at position 3");
  EXPECT_EQ(ParseKeyPath(".a").error(), "invalid key path '.a': empty key at position 1");
  EXPECT_EQ(ParseKeyPath("a.[1]").error(), "invalid key path 'a.[1]': empty key at position 3");
  EXPECT_EQ(ParseKeyPath("a[x]").error(),
            "invalid key path 'a[x]': expected a list index (digits) at position 3");
  EXPECT_EQ(ParseKeyPath("a[-1]").error(),
            "invalid key path 'a[-1]': expected a list index (digits) at position 3");
  EXPECT_EQ(ParseKeyPath("a[1").error(), "invalid key path 'a[1': expected ']' at position 4");
  EXPECT_EQ(ParseKeyPath("a[1]b").error(),
            "invalid key path 'a[1]b': unexpected 'b' at position 5");
  EXPECT_EQ(ParseKeyPath("a b").error(), "invalid key path 'a b': unexpected ' ' at position 2");
  EXPECT_EQ(ParseKeyPath("a]").error(), "invalid key path 'a]': unexpected ']' at position 2");
  EXPECT_FALSE(ParseKeyPath("").ok());
  EXPECT_FALSE(ParseKeyPath("a[99999999999999999999999]").ok());
}

TEST(ParseKeyPath, SelectionsByKey) {
  const sim::Result<std::vector<PathElement>> p =
      ParseKeyPath("frameworks[name=web-2].decision_time.per_job");
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_THAT(*p, ElementsAre(PathElement::Key("frameworks"), PathElement::Select("name", "web-2"),
                              PathElement::Key("decision_time"), PathElement::Key("per_job")));
  EXPECT_EQ(FormatKeyPath(*p), "frameworks[name=web-2].decision_time.per_job");
  EXPECT_EQ(ParseKeyPath("a[=x]").error(),
            "invalid key path 'a[=x]': expected a key before '=' at position 3");
  EXPECT_EQ(ParseKeyPath("a[name=]").error(),
            "invalid key path 'a[name=]': expected a value after '=' at position 8");
  EXPECT_EQ(ParseKeyPath("a[name=x").error(),
            "invalid key path 'a[name=x': expected ']' at position 9");
}

// --- ApplyOverride ------------------------------------------------------------------------------

TEST(ApplyOverride, SelectsAListElementByName) {
  YamlDocument doc = Load();
  ASSERT_TRUE(ApplyOverride(doc, "frameworks[name=web].workload.rate=10/min").ok());
  EXPECT_DOUBLE_EQ(
      *doc.Root().Child("frameworks").Index(1).Child("workload").Child("rate").AsRate(), 10.0 / 60);
  EXPECT_EQ(*doc.Root().Child("frameworks").Index(0).Child("workload").Child("rate").AsRate(), 2);
  // Recorded under the element's index: errors about the value name the flag.
  ASSERT_TRUE(ApplyOverride(doc, "frameworks[name=batch].workload.rate=fast").ok());
  EXPECT_EQ(
      doc.Root().Child("frameworks").Index(0).Child("workload").Child("rate").AsRate().error(),
      "--set frameworks[name=batch].workload.rate=fast: frameworks[0].workload.rate: "
      "expected a rate like 2/s or 10/min, got 'fast'");
  // A whole element replaced by name.
  ASSERT_TRUE(ApplyOverride(doc, "frameworks[name=web]={name: api}").ok());
  EXPECT_EQ(*doc.Root().Child("frameworks").Index(1).Child("name").AsString(), "api");
}

TEST(ApplyOverride, SelectionErrorsListWhatIsThere) {
  YamlDocument doc = Load();
  EXPECT_EQ(ApplyOverride(doc, "frameworks[name=webb].workload.rate=1/s").message(),
            "--set frameworks[name=webb].workload.rate=1/s: frameworks: no element has name: webb "
            "(present: batch, web)");
  EXPECT_EQ(ApplyOverride(doc, "master[name=x].y=1").message(),
            "--set master[name=x].y=1: master: expected a list to select [name=x] in");
  EXPECT_EQ(ApplyOverride(doc, "nothing[name=x].y=1").message(),
            "--set nothing[name=x].y=1: nothing: expected a list to select [name=x] in");
  YamlDocument twice = Load("frameworks:\n  - {name: a}\n  - {name: a}\n");
  EXPECT_EQ(ApplyOverride(twice, "frameworks[name=a].x=1").message(),
            "--set frameworks[name=a].x=1: frameworks: more than one element has name: a (present: "
            "a, a)");
}

TEST(ApplyOverride, ReplacesScalars) {
  YamlDocument doc = Load();
  ASSERT_TRUE(ApplyOverride(doc, "seed=7").ok());
  EXPECT_EQ(*doc.Root().Child("seed").AsInt(), 7);
  ASSERT_TRUE(ApplyOverride(doc, "master.allocation_interval=0").ok());
  EXPECT_EQ(*doc.Root().Child("master").Child("allocation_interval").AsDuration(),
            sim::Time::Zero());
  ASSERT_TRUE(ApplyOverride(doc, "frameworks[1].workload.rate=10/min").ok());
  EXPECT_DOUBLE_EQ(
      *doc.Root().Child("frameworks").Index(1).Child("workload").Child("rate").AsRate(), 10.0 / 60);
  // Siblings are untouched.
  EXPECT_EQ(*doc.Root().Child("frameworks").Index(0).Child("workload").Child("rate").AsRate(), 2);
  EXPECT_THAT(doc.applied_overrides(), ElementsAre("seed=7", "master.allocation_interval=0",
                                                   "frameworks[1].workload.rate=10/min"));
}

TEST(ApplyOverride, ValueIsParsedAsYaml) {
  YamlDocument doc = Load();
  ASSERT_TRUE(ApplyOverride(doc, "cluster.groups[0].resources={cpus: 4, mem: 8GiB}").ok());
  const YamlValue resources =
      doc.Root().Child("cluster").Child("groups").Index(0).Child("resources");
  ASSERT_TRUE(resources.IsMap());
  EXPECT_EQ(*resources.Child("cpus").AsInt(), 4);
  EXPECT_EQ(*resources.Child("mem").AsSizeMiB(), 8192);
  ASSERT_TRUE(ApplyOverride(doc, "frameworks[0]={name: solo}").ok());
  EXPECT_EQ(*doc.Root().Child("frameworks").Index(0).Child("name").AsString(), "solo");
  ASSERT_TRUE(ApplyOverride(doc, "seed=").ok());
  EXPECT_TRUE(doc.Root().Child("seed").IsNull());
}

TEST(ApplyOverride, CreatesAMissingFinalKey) {
  YamlDocument doc = Load();
  ASSERT_TRUE(ApplyOverride(doc, "master.offer_timeout=30s").ok());
  EXPECT_EQ(doc.Root().Child("master").Child("offer_timeout").AsDuration()->micros(), 30'000'000);
  EXPECT_EQ(doc.Root().Child("master").Child("allocation_interval").AsDuration()->micros(),
            1'000'000);
  // An empty value becomes a mapping.
  ASSERT_TRUE(ApplyOverride(doc, "defaults.os=linux").ok());
  EXPECT_EQ(*doc.Root().Child("defaults").Child("os").AsString(), "linux");
}

TEST(ApplyOverride, ErrorsInOverriddenValuesNameTheFlag) {
  YamlDocument doc = Load();
  ASSERT_TRUE(ApplyOverride(doc, "frameworks[1].workload.rate=fast").ok());
  const YamlValue rate = doc.Root().Child("frameworks").Index(1).Child("workload").Child("rate");
  EXPECT_TRUE(rate.from_override());
  EXPECT_EQ(rate.AsRate().error(),
            "--set frameworks[1].workload.rate=fast: frameworks[1].workload.rate: expected a rate "
            "like 2/s or 10/min, got 'fast'");
  // Values not overridden keep their file positions.
  EXPECT_EQ(
      doc.Root().Child("frameworks").Index(0).Child("workload").Child("name").AsString().error(),
      "scenarios/x.yaml:10:5: frameworks[0].workload: missing required key 'name'");
  EXPECT_EQ(doc.Root().Child("seed").AsBool().error(),
            "scenarios/x.yaml:1:7: seed: expected true or false, got '42'");
}

TEST(ApplyOverride, NestedValuesOfAnOverrideNameTheFlag) {
  YamlDocument doc = Load();
  const std::string assignment = "cluster.groups[0].resources={cpus: 4, mem: lots, gpu: 1}";
  ASSERT_TRUE(ApplyOverride(doc, assignment).ok());
  const YamlValue resources =
      doc.Root().Child("cluster").Child("groups").Index(0).Child("resources");
  EXPECT_EQ(resources.Child("mem").AsSizeMiB().error(),
            "--set " + assignment +
                ": cluster.groups[0].resources.mem: expected a size like 512MiB or 2GiB, got "
                "'lots'");
  sim::Result<YamlMap> m = resources.AsMap();
  ASSERT_TRUE(m.ok());
  m->Optional("cpus");
  m->Optional("mem");
  m->Optional("gpus");
  EXPECT_EQ(m->Finish().message(),
            "--set " + assignment +
                ": cluster.groups[0].resources: unknown key 'gpu' (did you mean 'gpus'? valid "
                "keys: cpus, gpus, mem)");
}

TEST(ApplyOverride, CreatedKeysThatNobodyReadsNameTheFlag) {
  YamlDocument doc = Load();
  ASSERT_TRUE(ApplyOverride(doc, "master.alocation_interval=0").ok());
  sim::Result<YamlMap> m = doc.Root().Child("master").AsMap();
  ASSERT_TRUE(m.ok());
  m->Optional("allocation_interval");
  EXPECT_EQ(m->Finish().message(),
            "--set master.alocation_interval=0: master: unknown key 'alocation_interval' (did you "
            "mean 'allocation_interval'? valid keys: allocation_interval)");
}

TEST(ApplyOverride, ALaterOverrideOfAParentTakesOverTheLabel) {
  YamlDocument doc = Load();
  ASSERT_TRUE(ApplyOverride(doc, "master.allocation_interval=bad").ok());
  ASSERT_TRUE(ApplyOverride(doc, "master={allocation_interval: worse}").ok());
  EXPECT_THAT(doc.Root().Child("master").Child("allocation_interval").AsDuration().error(),
              HasSubstr("--set master={allocation_interval: worse}: master.allocation_interval: "));
}

TEST(ApplyOverride, IndexOutOfRangeNamesTheValidRange) {
  YamlDocument doc = Load();
  EXPECT_EQ(
      ApplyOverride(doc, "frameworks[5].workload.rate=1/s").message(),
      "--set frameworks[5].workload.rate=1/s: frameworks: index 5 out of range (valid: 0..1)");
  EXPECT_EQ(ApplyOverride(doc, "frameworks[2]={name: x}").message(),
            "--set frameworks[2]={name: x}: frameworks: index 2 out of range (valid: 0..1)");
  EXPECT_EQ(ApplyOverride(doc, "empty_list[0]=1").message(),
            "--set empty_list[0]=1: empty_list: index 0 out of range (the list is empty)");
}

TEST(ApplyOverride, MissingIntermediateKeysAndWrongKinds) {
  YamlDocument doc = Load();
  EXPECT_EQ(ApplyOverride(doc, "mastr.allocation_interval=0").message(),
            "--set mastr.allocation_interval=0: no key 'mastr' (did you mean 'master'? keys: "
            "cluster, defaults, empty_list, frameworks, master, seed)");
  EXPECT_EQ(ApplyOverride(doc, "frameworks[0].wrkload.rate=1").message(),
            "--set frameworks[0].wrkload.rate=1: frameworks[0]: no key 'wrkload' (did you mean "
            "'workload'? keys: name, workload)");
  EXPECT_EQ(ApplyOverride(doc, "seed.x=1").message(),
            "--set seed.x=1: seed: expected a mapping to set 'x' in, got '42'");
  EXPECT_EQ(ApplyOverride(doc, "seed.x.y=1").message(),
            "--set seed.x.y=1: seed: expected a mapping to look up 'x' in, got '42'");
  EXPECT_EQ(ApplyOverride(doc, "master[0]=1").message(),
            "--set master[0]=1: master: expected a list to index with [0], got a mapping");
  EXPECT_EQ(ApplyOverride(doc, "frameworks.name=x").message(),
            "--set frameworks.name=x: frameworks: expected a mapping to set 'name' in, got a list");
}

TEST(ApplyOverride, CreatesAbsentBlocks) {
  YamlDocument doc = Load("name: x\nseed: 1\nframeworks:\n  - name: a\n");
  ASSERT_TRUE(ApplyOverride(doc, "master.allocator=fifo").ok());
  ASSERT_TRUE(ApplyOverride(doc, "results.sample_interval=1m").ok());
  ASSERT_TRUE(ApplyOverride(doc, "frameworks[0].workload.resources.cpus=2").ok());
  EXPECT_EQ(*doc.Root().Child("master").Child("allocator").AsString(), "fifo");
  EXPECT_EQ(*doc.Root().Child("results").Child("sample_interval").AsDuration(),
            sim::Time::Seconds(60));
  const YamlValue cpus =
      doc.Root().Child("frameworks").Index(0).Child("workload").Child("resources").Child("cpus");
  EXPECT_EQ(*cpus.AsDouble(), 2);
  // Errors in a created block name the flag.
  EXPECT_THAT(cpus.Error("x").message(),
              HasSubstr("--set frameworks[0].workload.resources.cpus=2: "));
  // A later override into the created block finds it.
  ASSERT_TRUE(ApplyOverride(doc, "master.allocation_interval=0").ok());
  EXPECT_EQ(*doc.Root().Child("master").Child("allocator").AsString(), "fifo");
  // Not when the key looks like a typo of a present one, or the path goes on with an index.
  EXPECT_THAT(ApplyOverride(doc, "framework.x=1").message(),
              HasSubstr("no key 'framework' (did you mean 'frameworks'?"));
  EXPECT_THAT(ApplyOverride(doc, "cluster.groups[0].count=1").message(),
              HasSubstr("no key 'cluster'"));
  EXPECT_FALSE(doc.Root().Child("cluster").IsDefined());
}

TEST(ApplyOverride, WritingThroughAnAliasLeavesTheOriginalAlone) {
  YamlDocument doc = Load(R"(groups:
  - &g {name: a, count: 4, resources: &r {cpus: 8}}
  - *g
  - {name: c, resources: *r}
)");
  ASSERT_TRUE(ApplyOverride(doc, "groups[1].count=9").ok());
  ASSERT_TRUE(ApplyOverride(doc, "groups[1].name=b").ok());
  ASSERT_TRUE(ApplyOverride(doc, "groups[2].resources.cpus=2").ok());
  ASSERT_TRUE(ApplyOverride(doc, "groups[1].resources.mem=1GiB").ok());
  const YamlValue groups = doc.Root().Child("groups");
  EXPECT_EQ(*groups.Index(0).Child("count").AsInt(), 4);
  EXPECT_EQ(*groups.Index(0).Child("name").AsString(), "a");
  EXPECT_EQ(*groups.Index(1).Child("count").AsInt(), 9);
  EXPECT_EQ(*groups.Index(1).Child("name").AsString(), "b");
  EXPECT_EQ(*groups.Index(0).Child("resources").Child("cpus").AsDouble(), 8);
  EXPECT_EQ(*groups.Index(1).Child("resources").Child("cpus").AsDouble(), 8);
  EXPECT_EQ(*groups.Index(2).Child("resources").Child("cpus").AsDouble(), 2);
  EXPECT_FALSE(groups.Index(0).Child("resources").Child("mem").IsDefined());
  EXPECT_EQ(*groups.Index(1).Child("resources").Child("mem").AsSizeMiB(), 1024);
  // Keys keep their order; the untouched original keeps its position; a copied collection
  // points at its parent, and its overridden values at the flag.
  EXPECT_EQ(groups.Index(0).Child("count").Location(), "scenarios/x.yaml:2:25");
  EXPECT_EQ(groups.Index(1).Location(), "scenarios/x.yaml:1:1");
  EXPECT_EQ(groups.Index(1).Child("count").Location(), "--set groups[1].count=9");
  const auto entries = groups.Index(1).Entries();
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].first, "name");
  EXPECT_EQ((*entries)[1].first, "count");
  // Replacing the alias slot itself leaves the original alone too.
  ASSERT_TRUE(ApplyOverride(doc, "groups[1]={name: z}").ok());
  EXPECT_EQ(*doc.Root().Child("groups").Index(0).Child("name").AsString(), "a");
  // No scratch key is left behind, and a clone re-applies the same values.
  EXPECT_EQ(doc.Root().size(), 1u);
  const YamlDocument copy = doc.Clone();
  EXPECT_EQ(*copy.Root().Child("groups").Index(0).Child("count").AsInt(), 4);
  EXPECT_EQ(*copy.Root().Child("groups").Index(1).Child("name").AsString(), "z");
  EXPECT_EQ(*copy.Root().Child("groups").Index(2).Child("resources").Child("cpus").AsInt(), 2);
}

// An alias inside its own anchor makes a value that contains itself; looking for shared nodes
// walked it for ever (a stack overflow: a fuzz finding, tests/fuzz/regressions/set_override).
TEST(ApplyOverride, AValueContainingItselfDoesNotStopLaterOverrides) {
  YamlDocument doc = Load("name: x\nseed: 3\n");
  ASSERT_TRUE(ApplyOverride(doc, "name=&a [1, *a]").ok());
  ASSERT_TRUE(ApplyOverride(doc, "seed=7").ok());
  EXPECT_EQ(*doc.Root().Child("seed").AsInt(), 7);
  ASSERT_TRUE(ApplyOverride(doc, "name[0]=2").ok());
  EXPECT_EQ(*doc.Root().Child("name").Index(0).AsInt(), 2);
  EXPECT_THAT(doc.Root().Child("name").AsString().error(), HasSubstr("got a list"));
}

TEST(ApplyOverride, MalformedAssignments) {
  YamlDocument doc = Load();
  EXPECT_EQ(ApplyOverride(doc, "seed").message(),
            "--set seed: expected PATH=VALUE, e.g. --set seed=7");
  EXPECT_EQ(ApplyOverride(doc, "a..b=1").message(),
            "--set a..b=1: invalid key path 'a..b': empty key at position 3");
  EXPECT_THAT(ApplyOverride(doc, "seed={a: 1").message(),
              HasSubstr("--set seed={a: 1: invalid YAML value: "));
}

TEST(ApplyOverride, FailedOverridesLeaveTheDocumentUnchanged) {
  YamlDocument doc = Load();
  EXPECT_FALSE(ApplyOverride(doc, "frameworks[9].x=1").ok());
  EXPECT_FALSE(ApplyOverride(doc, "mastr.x=1").ok());
  EXPECT_FALSE(ApplyOverride(doc, "seed.x=1").ok());
  EXPECT_EQ(doc.Root().Child("frameworks").size(), 2u);
  EXPECT_EQ(*doc.Root().Child("seed").AsInt(), 42);
  EXPECT_FALSE(doc.Root().Child("mastr").IsDefined());
  EXPECT_TRUE(doc.applied_overrides().empty());
}

TEST(ApplyOverrides, AppliesInOrderAndStopsAtTheFirstError) {
  YamlDocument doc = Load();
  const std::vector<std::string> ok = {"seed=1", "seed=2"};
  ASSERT_TRUE(ApplyOverrides(doc, ok).ok());
  EXPECT_EQ(*doc.Root().Child("seed").AsInt(), 2);
  const std::vector<std::string> bad = {"seed=3", "sed.x=1", "seed=4"};
  EXPECT_THAT(ApplyOverrides(doc, bad).message(), HasSubstr("--set sed.x=1: no key 'sed'"));
  EXPECT_EQ(*doc.Root().Child("seed").AsInt(), 3);
}

TEST(YamlDocumentClone, IsIndependentAndKeepsPositionsAndLabels) {
  YamlDocument doc = Load();
  ASSERT_TRUE(ApplyOverride(doc, "frameworks[1].workload.rate=fast").ok());
  YamlDocument copy = doc.Clone();
  ASSERT_TRUE(ApplyOverride(copy, "seed=8").ok());
  EXPECT_EQ(*doc.Root().Child("seed").AsInt(), 42);
  EXPECT_EQ(*copy.Root().Child("seed").AsInt(), 8);
  EXPECT_EQ(copy.Root().Child("master").Child("allocation_interval").AsBool().error(),
            "scenarios/x.yaml:3:24: master.allocation_interval: expected true or false, got '1s'");
  EXPECT_THAT(
      copy.Root().Child("frameworks").Index(1).Child("workload").Child("rate").AsRate().error(),
      HasSubstr("--set frameworks[1].workload.rate=fast: "));
  EXPECT_THAT(copy.applied_overrides(), ElementsAre("frameworks[1].workload.rate=fast", "seed=8"));
}

}  // namespace
}  // namespace clustersim::apps
