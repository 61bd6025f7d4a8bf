// apps/offer_bench: the harness behind the allocation-cycle benchmarks and `bench offers`. Every
// registered allocator must, on a free cluster, make one offer per agent in a cycle, nothing in
// the next one, and the same again after DeclineAll.
#include "apps/offer_bench.h"

#include <gtest/gtest.h>

#include <string>

#include "scheduler_plugins/api/registry.h"
#include "scheduler_plugins/builtin.h"

namespace clustersim::apps {
namespace {

class OfferBenchTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { ASSERT_TRUE(plugins::RegisterBuiltinPolicies().ok()); }
};

TEST_P(OfferBenchTest, EveryAgentOfferedOnceThenNothingThenAgain) {
  OfferBenchOptions o;
  o.agents = 30;
  o.frameworks = 4;
  o.allocator = GetParam();
  auto bench = OfferBench::Create(o);
  ASSERT_TRUE(bench.ok()) << bench.status().message();
  OfferBench& b = **bench;
  EXPECT_EQ(b.agent_count(), 30u);
  EXPECT_EQ(b.framework_count(), 4u);
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(b.RunCycle(), 30) << "round " << round;
    EXPECT_EQ(b.outstanding(), 30u);
    EXPECT_EQ(b.master().outstanding_offers(), 30u);
    EXPECT_EQ(b.RunCycle(), 0) << "round " << round;
    b.master().CheckInvariants();
    b.DeclineAll();
    EXPECT_EQ(b.master().outstanding_offers(), 0u);
  }
  EXPECT_EQ(b.master().cycles(), 6u);
}

// Every in-process allocator (`external` needs its command: external_allocator_test.cc).
INSTANTIATE_TEST_SUITE_P(AllAllocators, OfferBenchTest, ::testing::ValuesIn([] {
                           (void)plugins::RegisterBuiltinPolicies();
                           std::vector<std::string> names = plugins::Allocators().Names();
                           std::erase(names, "external");
                           return names;
                         }()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

TEST(OfferBenchQuotaTest, LargeAndSmallQuotaOffersEverythingInOneCycle) {
  ASSERT_TRUE(plugins::RegisterBuiltinPolicies().ok());
  OfferBenchOptions o;
  o.shape = OfferBenchOptions::Shape::kLargeAndSmallQuota;
  o.small_quota_roles = 25;
  o.large_quota_roles = 5;
  auto bench = OfferBench::Create(o);
  ASSERT_TRUE(bench.ok()) << bench.status().message();
  OfferBench& b = **bench;
  EXPECT_EQ(b.agent_count(), 25u / 5 + 5u * 5);  // Mesos's QuotaParam(25, 5): 30 agents
  EXPECT_EQ(b.framework_count(), 30u);
  EXPECT_EQ(b.options().allocator, "drf");
  const int offers = b.RunCycle();
  // Small roles take half an agent each, large ones two agents: at least one offer per agent.
  EXPECT_GE(offers, 30);
  for (size_t a = 0; a < b.agent_count(); ++a) {
    EXPECT_TRUE(b.master().agent_available(plugins::AgentId(static_cast<uint32_t>(a))).IsZero())
        << "agent " << a;
  }
  EXPECT_EQ(b.RunCycle(), 0);
  b.master().CheckInvariants();
}

TEST(OfferBenchTest, RejectsBadOptions) {
  ASSERT_TRUE(plugins::RegisterBuiltinPolicies().ok());
  OfferBenchOptions o;
  o.agents = 0;
  EXPECT_FALSE(OfferBench::Create(o).ok());
  o.agents = 5;
  o.allocator = "no-such-policy";
  auto bad = OfferBench::Create(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("valid: "), std::string::npos);
  EXPECT_FALSE(RunOfferBench(OfferBenchOptions{}, 0).ok());
}

TEST(OfferBenchTest, RunOfferBenchReport) {
  ASSERT_TRUE(plugins::RegisterBuiltinPolicies().ok());
  OfferBenchOptions o;
  o.agents = 20;
  o.frameworks = 3;
  auto r = RunOfferBench(o, 3);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->cycles, 3);
  EXPECT_EQ(r->offers_per_cycle, 20);
  EXPECT_LE(r->min_s, r->median_s);
  EXPECT_LE(r->median_s, r->max_s);
  EXPECT_GT(r->offers_per_s, 0);
  const std::string text = FormatOfferBenchReport(o, *r);
  EXPECT_NE(text.find("offers per cycle:        20\n"), std::string::npos) << text;
}

TEST(OfferBenchTest, LargeAndSmallQuotaSplitsRolesOneInSixLarge) {
  OfferBenchOptions o;
  o.allocator = "random";
  const OfferBenchOptions q = LargeAndSmallQuotaOptions(o, 3000);
  EXPECT_EQ(q.shape, OfferBenchOptions::Shape::kLargeAndSmallQuota);
  EXPECT_EQ(q.large_quota_roles, 500);
  EXPECT_EQ(q.small_quota_roles, 2500);
  EXPECT_EQ(q.allocator, "random");  // the rest is kept
  EXPECT_EQ(LargeAndSmallQuotaOptions(o, 5).large_quota_roles, 0);
}

}  // namespace
}  // namespace clustersim::apps
