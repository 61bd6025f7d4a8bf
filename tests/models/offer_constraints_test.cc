// Offer constraints (Mesos 1.11 OfferConstraints) and GPU filtering: the predicates as
// src/master/allocator/mesos/offer_constraints_filter.cpp (OCF) evaluates them, and the master
// skipping excluded agents as hierarchical.cpp (H) does. Mesos's allocator tests have no case for
// either (src/tests/offer_constraints_filter_tests.cpp tests the filter alone), so the expected
// behaviour is cited from the source lines.
#include "models/master/offer_constraints.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "models/agent_kinds.h"
#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using Kind = AttributeConstraintSpec::Predicate;
using test::MasterHarness;
using test::ScenarioBuilder;
using test::Sec;

plugins::AgentInfo Agent(std::vector<std::pair<std::string, std::string>> attributes) {
  plugins::AgentInfo a;
  a.attributes = std::move(attributes);
  std::sort(a.attributes.begin(), a.attributes.end());
  return a;
}

// Does the one predicate hold for the agent (role "r" constrained by a single one-predicate group)?
bool Holds(Kind kind, std::string value, const plugins::AgentInfo& agent,
           std::string attribute = "a") {
  const auto filter = OfferConstraintsFilter::Create(
      {RoleOfferConstraints{"r", {{AttributeConstraintSpec{attribute, kind, std::move(value)}}}}});
  return !filter.IsAgentExcluded("r", agent);
}

const plugins::AgentInfo kMissing = Agent({{"other", "x"}});
const plugins::AgentInfo kText = Agent({{"a", "linux"}});
const plugins::AgentInfo kScalar = Agent({{"a", "3"}});
const plugins::AgentInfo kRanges = Agent({{"a", "[1-4]"}});

// OCF:183-195: exists / not_exists on a missing, a TEXT and a non-TEXT attribute.
TEST(OfferConstraintPredicateTest, ExistsAndNotExists) {
  EXPECT_FALSE(Holds(Kind::kExists, "", kMissing));
  EXPECT_TRUE(Holds(Kind::kExists, "", kText));
  EXPECT_TRUE(Holds(Kind::kExists, "", kScalar));
  EXPECT_TRUE(Holds(Kind::kNotExists, "", kMissing));
  EXPECT_FALSE(Holds(Kind::kNotExists, "", kText));
  EXPECT_FALSE(Holds(Kind::kNotExists, "", kScalar));
}

// OCF:197-219; scheduler.proto:286-311: the text predicates hold for every non-TEXT attribute.
TEST(OfferConstraintPredicateTest, TextEqualsAndNotEquals) {
  EXPECT_FALSE(Holds(Kind::kTextEquals, "linux", kMissing));
  EXPECT_TRUE(Holds(Kind::kTextEquals, "linux", kText));
  EXPECT_FALSE(Holds(Kind::kTextEquals, "windows", kText));
  EXPECT_TRUE(Holds(Kind::kTextEquals, "2", kScalar));  // SCALAR 3: passes, whatever the value
  EXPECT_TRUE(Holds(Kind::kTextEquals, "x", kRanges));
  EXPECT_TRUE(Holds(Kind::kTextNotEquals, "linux", kMissing));
  EXPECT_FALSE(Holds(Kind::kTextNotEquals, "linux", kText));
  EXPECT_TRUE(Holds(Kind::kTextNotEquals, "windows", kText));
  EXPECT_TRUE(Holds(Kind::kTextNotEquals, "3", kScalar));  // non-TEXT: true even when "equal"
}

// OCF:221-232: RE2::FullMatch, so a regex must match the whole value.
TEST(OfferConstraintPredicateTest, RegexesMatchTheWholeValue) {
  EXPECT_FALSE(Holds(Kind::kTextMatches, "lin", kText));  // a partial match is no match
  EXPECT_TRUE(Holds(Kind::kTextMatches, "lin.*", kText));
  EXPECT_TRUE(Holds(Kind::kTextMatches, "linux|windows", kText));
  EXPECT_FALSE(Holds(Kind::kTextMatches, "lin.*", kMissing));
  EXPECT_TRUE(Holds(Kind::kTextMatches, "nomatch", kScalar));
  EXPECT_TRUE(Holds(Kind::kTextNotMatches, "lin", kText));
  EXPECT_FALSE(Holds(Kind::kTextNotMatches, "l.n.x", kText));
  EXPECT_TRUE(Holds(Kind::kTextNotMatches, "lin.*", kMissing));
  EXPECT_TRUE(Holds(Kind::kTextNotMatches, "3", kScalar));  // non-TEXT: true
}

// Attribute types as Mesos's Attributes::parse gives them (values.cpp:676-770).
TEST(OfferConstraintPredicateTest, AttributeTypesFollowMesosParsing) {
  EXPECT_TRUE(AttributeIsText("linux"));
  EXPECT_TRUE(AttributeIsText("r3"));
  EXPECT_TRUE(AttributeIsText("ltsc2019"));
  EXPECT_FALSE(AttributeIsText("3"));
  EXPECT_FALSE(AttributeIsText("2.5"));
  EXPECT_FALSE(AttributeIsText("1e3"));
  EXPECT_FALSE(AttributeIsText("0x10"));  // numify reads hexadecimal
  EXPECT_FALSE(AttributeIsText("0"));
  EXPECT_FALSE(AttributeIsText("[1-4]"));  // RANGES
  EXPECT_TRUE(AttributeIsText("-1"));      // negative: not a scalar, so text
  EXPECT_TRUE(AttributeIsText("inf"));
  EXPECT_TRUE(AttributeIsText("nan"));
}

// OCF:357-382: OR over groups of AND within a group; a role without constraints sees every agent.
TEST(OfferConstraintsFilterTest, GroupsAreAnOrOfAnds) {
  const auto filter = OfferConstraintsFilter::Create({RoleOfferConstraints{
      "r",
      {{{"os", Kind::kTextEquals, "windows"}, {"isolation", Kind::kTextEquals, "hyperv"}},
       {{"os", Kind::kTextEquals, "linux"}}}}});
  EXPECT_FALSE(filter.IsAgentExcluded("r", Agent({{"os", "linux"}})));
  EXPECT_FALSE(filter.IsAgentExcluded("r", Agent({{"os", "windows"}, {"isolation", "hyperv"}})));
  EXPECT_TRUE(filter.IsAgentExcluded("r", Agent({{"os", "windows"}, {"isolation", "process"}})));
  EXPECT_TRUE(filter.IsAgentExcluded("r", Agent({})));
  EXPECT_FALSE(filter.IsAgentExcluded("other-role", Agent({})));
  EXPECT_FALSE(OfferConstraintsFilter().IsAgentExcluded("r", Agent({})));
}

// The selector reads the first attribute of the name (scheduler.proto:261-264).
TEST(OfferConstraintsFilterTest, TheFirstAttributeOfANameCounts) {
  const plugins::AgentInfo twice = Agent({{"a", "one"}, {"a", "two"}});
  EXPECT_TRUE(Holds(Kind::kTextEquals, "one", twice));
  EXPECT_FALSE(Holds(Kind::kTextEquals, "two", twice));
}

// OCF:50-69 with Mesos's default limits (constants.hpp:189-190).
TEST(OfferConstraintsFilterTest, RegexesAreCheckedAsMesosChecksThem) {
  EXPECT_TRUE(CheckConstraintRegex("ltsc20(19|22)").ok());
  const sim::Status bad = CheckConstraintRegex("ltsc(2019");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("missing )"), std::string::npos) << bad.message();
  const sim::Status big = CheckConstraintRegex("(abcdefghij|klmnopqrst){20}");
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.message().find("regex"), std::string::npos) << big.message();
}

TEST(BuiltinAttributesTest, AgentsCarryOsVersionAndIsolation) {
  AgentGroupSpec win;
  win.os = Os::kWindows;
  win.os_version = OsVersion::kLtsc2019;
  win.isolation = Isolation::kProcess;
  win.racks = 2;
  EXPECT_EQ(AgentAttributes(win, 1), (std::vector<plugins::Attribute>{{"isolation", "process"},
                                                                      {"os", "windows"},
                                                                      {"os_version", "ltsc2019"},
                                                                      {"rack", "r1"}}));
  AgentGroupSpec linux_group;
  EXPECT_EQ(AgentAttributes(linux_group, 0),
            (std::vector<plugins::Attribute>{{"isolation", "docker"}, {"os", "linux"}}));
  EXPECT_TRUE(IsBuiltinAttribute("os_version"));
  EXPECT_FALSE(IsBuiltinAttribute("rack"));
}

// --- The master ----------------------------------------------------------------------------------

AgentAccess OnlyOs(std::string role, std::string os) {
  return AgentAccess{OfferConstraintsFilter::Create({RoleOfferConstraints{
                         std::move(role), {{{"os", Kind::kTextEquals, os}}}}}),
                     false};
}

// H:2181-2185, 2416-2420: the constraint check comes first and just moves on to the next
// framework: the excluded agent goes to the next one in DRF order at once, and the constrained
// framework neither receives nor declines it (so no filter is created for it either).
TEST(MasterOfferConstraintsTest, AnExcludedAgentGoesToTheNextFrameworkWithNoOfferOrDecline) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  const AgentId linux_agent = h.AddAgent("lin", "cpus:4;mem:4096");
  const AgentId windows_agent =
      h.AddAgent("win", "cpus:4;mem:4096", Os::kWindows, OsVersion::kLtsc2019, Isolation::kProcess);
  // `first` registers first and wins every DRF tie, but excludes Windows agents.
  const FrameworkId first = h.AddFramework("first", "", 1.0, OnlyOs("first", "linux"));
  const FrameworkId second = h.AddFramework("second");
  h.on_offer = [&](const MasterHarness::Received& o) { h.Decline(o, Sec(1000)); };
  h.RunUntil(Sec(10));
  EXPECT_TRUE(h.master().Excluded(first, windows_agent));
  EXPECT_FALSE(h.master().Excluded(first, linux_agent));
  EXPECT_FALSE(h.master().Excluded(second, windows_agent));
  for (const auto& o : h.OffersTo(first)) EXPECT_EQ(o.agent, linux_agent);
  ASSERT_EQ(h.OffersTo(first).size(), 1u);  // then filtered for 1000 s
  // The Windows agent at t = 0; the Linux one once `first` has declined and filtered it.
  ASSERT_EQ(h.OffersTo(second).size(), 2u);
  EXPECT_EQ(h.OffersTo(second)[0].agent, windows_agent);
  EXPECT_EQ(h.OffersTo(second)[0].at, Sec(0));
  EXPECT_EQ(h.OffersTo(second)[1].agent, linux_agent);
  EXPECT_EQ(h.OffersTo(second)[1].at, Sec(1));
  for (const auto& e : h.log().offers) {
    if (e.framework == first.value) {
      EXPECT_EQ(e.agent, linux_agent.value);
    }
  }
}

// An agent every framework excludes settles idle like one nobody wants (Master::SettleUntaken): the
// cycles skip it until takers may have appeared, and a framework that accepts it registering is
// such an event.
TEST(MasterOfferConstraintsTest, AnAgentEveryoneExcludesIsIdleUntilATakerRegisters) {
  MasterHarness h;
  h.master().set_cycle_checks(true);  // every skipped agent must pass the idle test
  const AgentId windows_agent =
      h.AddAgent("win", "cpus:4;mem:4096", Os::kWindows, OsVersion::kLtsc2019, Isolation::kProcess);
  h.AddFramework("linux-only", "", 1.0, OnlyOs("linux-only", "linux"));
  h.RunUntil(Sec(5));
  EXPECT_TRUE(h.received.empty());
  EXPECT_TRUE(h.master().cell().IsIdle(windows_agent, Sec(5)));
  EXPECT_TRUE(h.master().cell().IsIdle(windows_agent, sim::Time::Max() - Sec(1)));  // no expiry
  FrameworkId taker;
  h.sim().Schedule(Sec(7.5), [&] { taker = h.AddFramework("any"); });
  h.RunUntil(Sec(8));
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].framework, taker);
  EXPECT_EQ(h.received[0].at, Sec(7.5));
  EXPECT_EQ(h.received[0].agent, windows_agent);
}

// With any quota the master runs Mesos's two stages, and both check the constraints before
// anything else (H:2181-2185 in stage 1, H:2416-2420 in stage 2): a framework in a role with a
// guarantee is not offered an agent it excludes toward that guarantee, nor one in stage 2.
TEST(MasterOfferConstraintsTest, BothQuotaStagesSkipAnExcludedAgent) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  const AgentId linux_agent = h.AddAgent("lin", "cpus:8;mem:8192");
  h.AddFramework("guaranteed", "", 1.0, OnlyOs("guaranteed", "windows"));
  h.AddFramework("unlimited", "", 1.0, OnlyOs("unlimited", "windows"));
  h.UpdateQuota("guaranteed", "cpus:2");
  h.UpdateQuota("absent", "cpus:1");  // a role with no framework: quota is active either way
  const FrameworkId taker = h.AddFramework("taker");
  h.on_offer = [&](const MasterHarness::Received& o) { h.Decline(o, Sec(1000)); };
  h.RunUntil(Sec(5));
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].framework, taker);
  EXPECT_EQ(h.received[0].agent, linux_agent);
}

// H:3095-3105: with filter_gpu_resources (default true, flags.cpp:487-501) an agent whose total
// has GPUs is not offered, whole, to a framework without GPU_RESOURCES.
TEST(MasterGpuFilteringTest, GpuAgentsGoOnlyToGpuCapableFrameworks) {
  MasterHarness h;
  const AgentId gpu = h.AddAgent("gpu", "cpus:8;mem:8192;gpus:1");
  const AgentId plain = h.AddAgent("plain", "cpus:8;mem:8192");
  const FrameworkId cpu_only = h.AddFramework("cpu-only");
  const FrameworkId capable = h.AddFramework("capable", "", 1.0, AgentAccess{{}, true});
  h.RunUntil(Sec(0.5));
  ASSERT_EQ(h.OffersTo(cpu_only).size(), 1u);
  EXPECT_EQ(h.OffersTo(cpu_only)[0].agent, plain);
  ASSERT_EQ(h.OffersTo(capable).size(), 1u);
  EXPECT_EQ(h.OffersTo(capable)[0].agent, gpu);
  EXPECT_TRUE(h.master().Excluded(cpu_only, gpu));
  EXPECT_FALSE(h.master().Excluded(capable, gpu));
}

// The same in both quota stages (H:2203-2205, H:2438-2440).
TEST(MasterGpuFilteringTest, BothQuotaStagesKeepGpuAgentsFromOtherFrameworks) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  const AgentId gpu = h.AddAgent("gpu", "cpus:8;mem:8192;gpus:1");
  const FrameworkId guaranteed = h.AddFramework("guaranteed");
  const FrameworkId unlimited = h.AddFramework("unlimited");
  h.UpdateQuota("guaranteed", "cpus:2");
  const FrameworkId capable = h.AddFramework("capable", "", 1.0, AgentAccess{{}, true});
  h.RunUntil(Sec(0.5));
  EXPECT_TRUE(h.OffersTo(guaranteed).empty());
  EXPECT_TRUE(h.OffersTo(unlimited).empty());
  ASSERT_EQ(h.OffersTo(capable).size(), 1u);
  EXPECT_EQ(h.OffersTo(capable)[0].agent, gpu);
}

TEST(MasterGpuFilteringTest, OffWhenTheMasterDoesNotFilterGpus) {
  ScenarioBuilder b;
  b.spec().master.filter_gpu_resources = false;
  MasterHarness h(b.Build());
  const AgentId gpu = h.AddAgent("gpu", "cpus:8;mem:8192;gpus:1");
  const FrameworkId cpu_only = h.AddFramework("cpu-only");
  h.RunUntil(Sec(0.5));
  ASSERT_EQ(h.OffersTo(cpu_only).size(), 1u);
  EXPECT_EQ(h.OffersTo(cpu_only)[0].agent, gpu);
}

// hasGpu reads the agent's current total (HH:360), so a resize that adds GPUs excludes it.
TEST(MasterGpuFilteringTest, AResizeThatAddsGpusExcludesTheAgent) {
  MasterHarness h;
  const AgentId agent = h.AddAgent("a", "cpus:8;mem:8192");
  const FrameworkId cpu_only = h.AddFramework("cpu-only");
  EXPECT_FALSE(h.master().Excluded(cpu_only, agent));
  h.master().UpdateAgentCapacity(agent, test::Res("cpus:8;mem:8192;gpus:2"));
  EXPECT_TRUE(h.master().Excluded(cpu_only, agent));
  h.master().UpdateAgentCapacity(agent, test::Res("cpus:8;mem:8192"));
  EXPECT_FALSE(h.master().Excluded(cpu_only, agent));
}

}  // namespace
}  // namespace clustersim::models
