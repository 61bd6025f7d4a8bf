#include "apps/config/yaml_value.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace clustersim::apps {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Line numbers below are 1-based, as the messages print them.
constexpr const char* kScenario = R"(seed: 42
name: demo
frameworks:
  - name: batch
    count: 3
    workload:
      rate: 2/s
  - name: web
    count: -3
    workload:
      rate: fast
      rat: 3/s
      mem: 2GiB
      interval: 250ms
      bw: 1Gbit/s
      enabled: true
      policy: dfr
      empty:
)";

YamlDocument Load(const std::string& text, const std::string& name = "scenarios/x.yaml") {
  sim::Result<YamlDocument> doc = LoadYamlString(text, name);
  EXPECT_TRUE(doc.ok()) << doc.error();
  return std::move(doc).value();
}

TEST(YamlValue, ErrorNamesFileLineColumnPathExpectedAndFound) {
  const YamlDocument doc = Load(kScenario);
  const YamlValue rate = doc.Root().Child("frameworks").Index(1).Child("workload").Child("rate");
  EXPECT_EQ(rate.path(), "frameworks[1].workload.rate");
  const sim::Result<double> r = rate.AsRate();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "scenarios/x.yaml:11:13: frameworks[1].workload.rate: expected a rate like 2/s or "
            "10/min, got 'fast'");
}

TEST(YamlValue, TypedReads) {
  const YamlDocument doc = Load(kScenario);
  const YamlValue root = doc.Root();
  EXPECT_EQ(*root.Child("seed").AsInt(), 42);
  EXPECT_EQ(*root.Child("name").AsString(), "demo");
  const YamlValue w0 = root.Child("frameworks").Index(0).Child("workload");
  EXPECT_EQ(*w0.Child("rate").AsRate(), 2);
  const YamlValue w1 = root.Child("frameworks").Index(1).Child("workload");
  EXPECT_EQ(*w1.Child("mem").AsSizeMiB(), 2048);
  EXPECT_EQ(w1.Child("interval").AsDuration()->micros(), 250'000);
  EXPECT_DOUBLE_EQ(*w1.Child("bw").AsBandwidth(), 1.25e8 / 1048576);
  EXPECT_TRUE(*w1.Child("enabled").AsBool());
  EXPECT_TRUE(w1.Child("empty").IsNull());
  EXPECT_TRUE(root.Child("frameworks").IsSequence());
  EXPECT_EQ(root.Child("frameworks").size(), 2u);
  EXPECT_TRUE(w1.IsMap());
  EXPECT_TRUE(root.Child("seed").IsScalar());
}

TEST(YamlValue, NegativeCountIsRejectedWithTheBound) {
  const YamlDocument doc = Load(kScenario);
  const YamlValue count = doc.Root().Child("frameworks").Index(1).Child("count");
  EXPECT_EQ(*count.AsInt(), -3);  // unbounded by default
  const sim::Result<int64_t> r = count.AsInt(/*min=*/0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "scenarios/x.yaml:9:12: frameworks[1].count: expected a non-negative integer, got "
            "'-3'");
  EXPECT_THAT(count.AsInt(1).error(), HasSubstr("expected a positive integer, got '-3'"));
  EXPECT_THAT(count.AsInt(0, 10).error(), HasSubstr("expected an integer in [0, 10]"));
  EXPECT_THAT(count.AsDouble(0).error(), HasSubstr("expected a non-negative number, got '-3'"));
  EXPECT_THAT(count.AsDouble(0, 1).error(), HasSubstr("expected a number in [0, 1]"));
}

TEST(YamlValue, AWholeNumberPastInt64SaysTheLimit) {
  const YamlDocument doc =
      Load("a: 9223372036854775808\nb: 1e19\nc: -9223372036854775809\nd: 9223372036854775807\n");
  const YamlValue root = doc.Root();
  EXPECT_THAT(root.Child("a").AsInt(0).error(),
              HasSubstr("expected a non-negative integer (at most 9223372036854775807), got "
                        "'9223372036854775808'"));
  EXPECT_THAT(root.Child("b").AsInt(0).error(),
              HasSubstr("(at most 9223372036854775807), got '1e19'"));
  EXPECT_THAT(root.Child("c").AsInt().error(),
              HasSubstr("expected an integer (at least -9223372036854775808)"));
  // A bound the caller passed is already in the form: no second one.
  EXPECT_THAT(root.Child("a").AsInt(0, 10).error(),
              HasSubstr("expected an integer in [0, 10], got"));
  EXPECT_THAT(root.Child("c").AsInt(0).error(), HasSubstr("expected a non-negative integer, got"));
  EXPECT_EQ(*root.Child("d").AsInt(0), INT64_MAX);
}

TEST(YamlValue, NumbersAreStrict) {
  const YamlDocument doc = Load("a: 1e6\nb: 2.5\nc: 2.0\nd: 12abc\ne: .nan\nf: '7'\ng: yes\n");
  const YamlValue root = doc.Root();
  EXPECT_EQ(*root.Child("a").AsInt(), 1'000'000);
  EXPECT_THAT(root.Child("b").AsInt().error(), HasSubstr("expected an integer, got '2.5'"));
  EXPECT_EQ(*root.Child("c").AsInt(), 2);
  EXPECT_FALSE(root.Child("d").AsDouble().ok());
  EXPECT_FALSE(root.Child("e").AsDouble().ok());
  EXPECT_EQ(*root.Child("f").AsInt(), 7);
  EXPECT_EQ(root.Child("g").AsBool().error(),
            "scenarios/x.yaml:7:4: g: expected true or false, got 'yes'");
}

TEST(YamlValue, WrongKindsSayWhatWasFound) {
  const YamlDocument doc = Load(kScenario);
  const YamlValue root = doc.Root();
  EXPECT_EQ(root.Child("frameworks").AsString().error(),
            "scenarios/x.yaml:3:1: frameworks: expected a string, got a list");
  EXPECT_EQ(root.Child("frameworks").Index(0).Child("workload").AsDouble().error(),
            "scenarios/x.yaml:6:5: frameworks[0].workload: expected a number, got a mapping");
  const YamlValue empty = root.Child("frameworks").Index(1).Child("workload").Child("empty");
  EXPECT_EQ(empty.AsSizeMiB().error(),
            "scenarios/x.yaml:18:7: frameworks[1].workload.empty: expected a size like 512MiB or "
            "2GiB, got an empty value");
}

TEST(YamlValue, MissingValuesExplainThemselves) {
  const YamlDocument doc = Load(kScenario);
  const YamlValue root = doc.Root();
  const YamlValue missing = root.Child("master").Child("allocation_interval");
  EXPECT_FALSE(missing.IsDefined());
  EXPECT_FALSE(missing.IsNull());
  EXPECT_EQ(missing.path(), "master.allocation_interval");
  EXPECT_EQ(missing.AsDuration().error(), "scenarios/x.yaml:1:1: missing required key 'master'");
  EXPECT_EQ(root.Child("frameworks").Index(5).AsString().error(),
            "scenarios/x.yaml:3:1: frameworks: index 5 out of range (the list has 2 elements)");
  EXPECT_EQ(root.Child("seed").Child("x").AsString().error(),
            "scenarios/x.yaml:1:7: seed: expected a mapping with key 'x', got '42'");
  EXPECT_EQ(root.Child("seed").Index(0).AsString().error(),
            "scenarios/x.yaml:1:7: seed: expected a list, got '42'");
}

TEST(YamlValue, AsEnumListsAllowedValuesAndSuggests) {
  const YamlDocument doc = Load(kScenario);
  const YamlValue policy =
      doc.Root().Child("frameworks").Index(1).Child("workload").Child("policy");
  EXPECT_EQ(policy.AsEnum({"fifo", "drf", "random"}).error(),
            "scenarios/x.yaml:17:15: frameworks[1].workload.policy: expected one of fifo, drf, "
            "random, got 'dfr' (did you mean 'drf'?)");
  EXPECT_EQ(policy.AsEnum({"fifo", "lifo"}).error(),
            "scenarios/x.yaml:17:15: frameworks[1].workload.policy: expected one of fifo, lifo, "
            "got 'dfr'");
  EXPECT_EQ(*doc.Root().Child("name").AsEnum({"prod", "demo"}), "demo");
  enum class Mode { kProd, kDemo };
  EXPECT_EQ(*doc.Root().Child("name").AsEnum<Mode>({{"prod", Mode::kProd}, {"demo", Mode::kDemo}}),
            Mode::kDemo);
}

TEST(YamlValue, ElementsAndEntriesKeepSourceOrder) {
  const YamlDocument doc = Load("z: 1\na: 2\nm: [x, y, z]\n");
  const sim::Result<std::vector<std::pair<std::string, YamlValue>>> entries = doc.Root().Entries();
  ASSERT_TRUE(entries.ok()) << entries.error();
  std::vector<std::string> keys;
  for (const auto& [key, value] : *entries) keys.push_back(key);
  EXPECT_THAT(keys, ElementsAre("z", "a", "m"));
  const sim::Result<std::vector<YamlValue>> elements = doc.Root().Child("m").Elements();
  ASSERT_TRUE(elements.ok());
  ASSERT_EQ(elements->size(), 3u);
  EXPECT_EQ((*elements)[2].path(), "m[2]");
  EXPECT_EQ(*(*elements)[2].AsString(), "z");
  EXPECT_EQ(doc.Root().Child("z").Elements().error(),
            "scenarios/x.yaml:1:4: z: expected a list, got '1'");
}

TEST(YamlMap, ReadsKnownKeysAndRejectsUnknownOnesWithASuggestion) {
  const YamlDocument doc = Load(kScenario);
  sim::Result<YamlMap> m = doc.Root().Child("frameworks").Index(1).Child("workload").AsMap();
  ASSERT_TRUE(m.ok()) << m.error();
  ASSERT_TRUE(m->Required("rate").ok());
  for (const char* key : {"mem", "interval", "bw", "enabled", "policy", "empty"}) {
    EXPECT_TRUE(m->Optional(key).has_value()) << key;
  }
  EXPECT_FALSE(m->Optional("count").has_value());
  EXPECT_FALSE(m->Optional("os").has_value());
  EXPECT_TRUE(m->Has("rat"));
  const sim::Status s = m->Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "scenarios/x.yaml:12:7: frameworks[1].workload: unknown key 'rat' (did you mean "
            "'rate'? valid keys: bw, count, empty, enabled, interval, mem, os, policy, rate)");
}

TEST(YamlMap, UnknownKeyWithoutANearName) {
  const YamlDocument doc = Load("count: 1\nos: linux\nzzzzzz: 3\n");
  sim::Result<YamlMap> m = doc.Root().AsMap();
  ASSERT_TRUE(m.ok());
  m->Optional("count");
  m->Optional("os");
  m->Optional("rate");
  EXPECT_EQ(m->Finish().message(),
            "scenarios/x.yaml:3:1: unknown key 'zzzzzz' (valid keys: count, os, rate)");
}

// A key written one level too high (a workload's `rate` beside `workload:`) is said to belong
// under that key, rather than near-matched to a key of this level ('role').
TEST(YamlMap, AKeyOfAChildMapSaysWhereItBelongs) {
  const YamlDocument doc = Load("name: f\nrole: r\nrate: 2/s\n");
  sim::Result<YamlMap> m = doc.Root().AsMap();
  ASSERT_TRUE(m.ok());
  m->Optional("name");
  m->Optional("role");
  m->Optional("workload");
  m->KeysBelongUnder("workload", {"initial_jobs", "rate"});
  EXPECT_EQ(m->Finish().message(),
            "scenarios/x.yaml:3:1: unknown key 'rate' (it belongs under 'workload': "
            "workload.rate)");
}

// The key path of Finish's own message, read back for sweeps; other messages are not taken for one.
TEST(YamlMap, UnknownKeyPathReadsFinishsMessage) {
  const YamlDocument doc = Load("master:\n  allocater: drf\n");
  sim::Result<YamlMap> root = doc.Root().AsMap();
  ASSERT_TRUE(root.ok());
  sim::Result<YamlMap> master = root->Optional("master")->AsMap();
  ASSERT_TRUE(master.ok());
  master->Optional("allocator");
  const std::string message = master->Finish().message();
  const std::string located = "scenarios/x.yaml:2:3: ";
  ASSERT_EQ(message.rfind(located, 0), 0u) << message;
  EXPECT_EQ(YamlMap::UnknownKeyPath(message.substr(located.size())), "master.allocater");
  EXPECT_EQ(YamlMap::UnknownKeyPath("unknown key 'seeed' (did you mean 'seed'? valid keys: seed)"),
            "seeed");
  EXPECT_EQ(YamlMap::UnknownKeyPath("master.allocator: expected one of drf, random"), std::nullopt);
  EXPECT_EQ(YamlMap::UnknownKeyPath("a:unknown key 'b' (x)"), std::nullopt);
}

TEST(YamlMap, FinishReportsTheFirstUnknownKeyInSourceOrder) {
  const YamlDocument doc = Load("b_unknown: 1\nok: 2\na_unknown: 3\n");
  sim::Result<YamlMap> m = doc.Root().AsMap();
  ASSERT_TRUE(m.ok());
  m->Optional("ok");
  EXPECT_THAT(m->Finish().message(), HasSubstr("unknown key 'b_unknown'"));
}

TEST(YamlMap, RequiredReportsMissingKeyAtTheMapping) {
  const YamlDocument doc = Load("master:\n  interval: 1s\nworkload:\n  meen: 5s\n");
  sim::Result<YamlMap> master = doc.Root().Child("master").AsMap();
  ASSERT_TRUE(master.ok());
  EXPECT_EQ(master->Required("allocation_interval").error(),
            "scenarios/x.yaml:1:1: master: missing required key 'allocation_interval'");
  sim::Result<YamlMap> workload = doc.Root().Child("workload").AsMap();
  ASSERT_TRUE(workload.ok());
  EXPECT_EQ(workload->Required("mean").error(),
            "scenarios/x.yaml:3:1: workload: missing required key 'mean' (is 'meen' a typo?)");
  sim::Result<YamlMap> root = doc.Root().AsMap();
  EXPECT_EQ(root->Required("seed").error(), "scenarios/x.yaml:1:1: missing required key 'seed'");
}

TEST(YamlMap, RejectsNonMappingsAndDuplicateKeys) {
  const YamlDocument doc = Load("a: [1, 2]\nb:\n  x: 1\n  x: 2\n");
  EXPECT_EQ(doc.Root().Child("a").AsMap().error(),
            "scenarios/x.yaml:1:1: a: expected a mapping, got a list");
  EXPECT_EQ(doc.Root().Child("b").AsMap().error(),
            "scenarios/x.yaml:4:3: b: duplicate key 'x' (first given at scenarios/x.yaml:3:3)");
}

TEST(YamlMap, EmptyValueIsAnEmptyMapping) {
  const YamlDocument doc = Load("master:\n");
  sim::Result<YamlMap> m = doc.Root().Child("master").AsMap();
  ASSERT_TRUE(m.ok()) << m.error();
  EXPECT_FALSE(m->Optional("allocation_interval").has_value());
  EXPECT_TRUE(m->Finish().ok());
}

TEST(LoadYaml, SyntaxErrorsAreOneLineWithPosition) {
  const sim::Result<YamlDocument> doc = LoadYamlString("a: [1, 2\nb: 3\n", "bad.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error(), "bad.yaml:2:2: invalid YAML: end of sequence flow not found");
  EXPECT_EQ(doc.error().find('\n'), std::string::npos);
  EXPECT_THAT(LoadYamlString("a: 1\n  b: 2\n", "bad.yaml").error(),
              StartsWith("bad.yaml:2:4: invalid YAML: "));
  EXPECT_THAT(LoadYamlString("a: 1\n---\nb: 2\n", "two.yaml").error(),
              StartsWith("two.yaml:3:1: expected one YAML document"));
}

// A ',' where a document should start made yaml-cpp's LoadAll loop for ever, allocating a new
// empty document each time (a fuzz finding, tests/fuzz/regressions/yaml_scenario).
TEST(LoadYaml, AStrayCommaAtTheTopIsALocatedErrorNotAHang) {
  EXPECT_EQ(LoadYamlString(",", "x.yaml").error(), "x.yaml:1:1: invalid YAML: unexpected ','");
  EXPECT_EQ(LoadYamlString("# comment\n  ,\n", "x.yaml").error(),
            "x.yaml:2:3: invalid YAML: unexpected ','");
  EXPECT_THAT(LoadYamlString("a: 1\n---\n,\n", "x.yaml").error(),
              StartsWith("x.yaml:3:1: expected one YAML document"));
  const sim::Result<YamlDocument> one = LoadYamlString("a, b\n", "x.yaml");
  ASSERT_TRUE(one.ok()) << one.error();
  EXPECT_EQ(*one->Root().AsString(), "a, b");
}

TEST(LoadYaml, InvalidUtf8IsALocatedError) {
  EXPECT_EQ(LoadYamlString("a: 1\nname: ba\xff\xfetch\n", "x.yaml").error(),
            "x.yaml:2:9: invalid UTF-8 (byte 0xff); scenario files must be UTF-8");
  // Overlong forms, surrogates and truncated sequences are invalid too; columns count characters.
  EXPECT_THAT(LoadYamlString("a: \xc0\xaf", "x.yaml").error(), HasSubstr("x.yaml:1:4:"));
  EXPECT_THAT(LoadYamlString("a: \xed\xa0\x80", "x.yaml").error(), HasSubstr("(byte 0xed)"));
  EXPECT_THAT(LoadYamlString("a: \xc3\xa9 \xe2\x82", "x.yaml").error(),
              HasSubstr("x.yaml:1:6: invalid UTF-8 (byte 0xe2)"));
  // Valid multi-byte text loads.
  const sim::Result<YamlDocument> ok =
      LoadYamlString("name: caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82", "x.yaml");
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(*ok->Root().Child("name").AsString(), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82");
}

TEST(LoadYaml, EmptyTextIsAnEmptyValue) {
  const sim::Result<YamlDocument> doc = LoadYamlString("", "empty.yaml");
  ASSERT_TRUE(doc.ok());
  EXPECT_TRUE(doc->Root().IsNull());
  EXPECT_THAT(doc->Root().AsMap()->Required("seed").error(),
              HasSubstr("missing required key 'seed'"));
}

TEST(LoadYaml, FromFile) {
  const std::string path = ::testing::TempDir() + "/clustersim_yaml_value_test.yaml";
  {
    std::ofstream out(path);
    out << "seed: 7\nrate: soon\n";
  }
  const sim::Result<YamlDocument> doc = LoadYamlFile(path);
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(doc->source_name(), path);
  EXPECT_EQ(*doc->Root().Child("seed").AsInt(), 7);
  EXPECT_EQ(doc->Root().Child("rate").AsRate().error(),
            path + ":2:7: rate: expected a rate like 2/s or 10/min, got 'soon'");
  std::remove(path.c_str());

  const sim::Result<YamlDocument> missing = LoadYamlFile("/nonexistent/x.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "/nonexistent/x.yaml: cannot read: No such file or directory");
}

TEST(YamlValue, StandaloneValuesUseTheGivenSourceName) {
  const YamlValue v(YAML::Load("{a: oops}"), "<test>");
  EXPECT_EQ(v.Child("a").AsDouble().error(), "<test>:1:5: a: expected a number, got 'oops'");
}

TEST(ClosestMatch, TypoDistance) {
  const std::vector<std::string> names = {"count", "os", "rate", "allocation_interval"};
  EXPECT_EQ(ClosestMatch("rat", names), "rate");
  EXPECT_EQ(ClosestMatch("coutn", names), "count");  // transposition is one edit
  EXPECT_EQ(ClosestMatch("alocation_interval", names), "allocation_interval");
  EXPECT_EQ(ClosestMatch("xy", names), std::nullopt);
  EXPECT_EQ(ClosestMatch("zzzzzz", names), std::nullopt);
}

}  // namespace
}  // namespace clustersim::apps
