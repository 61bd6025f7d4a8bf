// Allocation cycles driven by hand (Master::AllocateNow), cycles that skip agents no framework can
// take, and the master cost model (models/master/cost_model.h).
#include <gtest/gtest.h>

#include <vector>

#include "models/master/master.h"
#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using test::MasterHarness;
using test::ScenarioBuilder;
using test::Sec;

sim::Time Us(int64_t us) { return sim::Time::Micros(us); }

// --- AllocateNow and idle agents -----------------------------------------------------------------

TEST(MasterCycleTest, AllocateNowRunsOneCycleAndCountsItsOffers) {
  MasterHarness h;
  for (int i = 0; i < 3; ++i) h.AddAgent("a" + std::to_string(i), "cpus:4;mem:4096");
  h.AddFramework("f");
  EXPECT_EQ(h.master().AllocateNow(), 3);
  EXPECT_EQ(h.received.size(), 3u);
  EXPECT_EQ(h.master().AllocateNow(), 0);  // everything is offered
  EXPECT_EQ(h.master().cycles(), 2u);
}

TEST(MasterCycleTest, FilteredAgentIsOfferedAgainWhenItsFilterExpires) {
  // One agent, one framework that declines with a 5 s filter at t = 0: the cycles at 1..4 s find
  // it filtered (and skip it from the second on); the one at 5 s offers it again.
  MasterHarness h;
  h.AddAgent("a", "cpus:4;mem:4096");
  h.AddFramework("f");
  h.on_offer = [&](const MasterHarness::Received& r) {
    if (r.at == Sec(0)) h.Decline(r, Sec(5));
  };
  h.RunUntil(Sec(7.5));
  ASSERT_EQ(h.received.size(), 2u);
  EXPECT_EQ(h.received[1].at, Sec(5));
}

TEST(MasterCycleTest, IdleAgentIsOfferedWhenItsResourcesGrowOrTheFrameworkRevives) {
  MasterHarness h;
  const auto a = h.AddAgent("a", "cpus:4;mem:4096");
  const auto f = h.AddFramework("f");
  const auto g = h.AddFramework("g");
  // f takes 1 cpu of the first offer and refuses the rest; every other offer is declined, all with
  // long filters: from t = 2 s no framework can take the 3 cpus left.
  h.on_offer = [&](const MasterHarness::Received& r) {
    if (r.framework == f && r.at == Sec(0)) {
      h.Accept(r, {h.NewTask(f, "cpus:1;mem:1024", 2.5)}, Sec(1000));
    } else {
      h.Decline(r, Sec(1000));
    }
  };
  h.RunUntil(Sec(3.5));
  ASSERT_EQ(h.received.size(), 2u);  // f at 0 s, g (3 cpus) at 1 s
  // The task ends at 0 + 1 s (docker start) + 2.5 s = 3.5 s: the agent's resources grow, so the
  // next cycle (4 s) visits it again and offers all 4 cpus (not covered by 3-cpu filters): to f,
  // then, once f refused them, to g at 5 s.
  h.RunUntil(Sec(5.5));
  ASSERT_EQ(h.received.size(), 4u);
  EXPECT_EQ(h.received[2].at, Sec(4));
  EXPECT_EQ(h.received[2].framework, f);
  EXPECT_EQ(h.received[3].at, Sec(5));
  EXPECT_EQ(h.received[3].framework, g);
  EXPECT_EQ(h.received[3].agent, a);
  // Now everyone refuses 4 cpus: nothing more, until a revive clears g's filters.
  h.RunUntil(Sec(9.5));
  EXPECT_EQ(h.received.size(), 4u);
  h.master().Revive(g);
  h.RunUntil(Sec(9.5));
  ASSERT_EQ(h.received.size(), 5u);
  EXPECT_EQ(h.received.back().framework, g);
  EXPECT_EQ(h.received.back().at, Sec(9.5));
}

// --- Cost model ----------------------------------------------------------------------------------

MasterCostSpec OnlyPerAgent(double per_agent_us) {
  MasterCostSpec c;
  c.enabled = true;
  c.per_cycle_us = c.per_framework_us = c.per_offer_us = 0;
  c.per_accept_us = c.per_decline_us = c.per_status_update_us = 0;
  c.per_agent_us = per_agent_us;
  return c;
}

TEST(MasterCostTest, OffByDefaultAndFree) {
  MasterHarness h;
  h.AddAgent("a", "cpus:4;mem:4096");
  h.AddFramework("f");
  h.RunUntil(Sec(2.5));
  EXPECT_FALSE(h.master().cost_model().enabled());
  EXPECT_EQ(h.master().cost_model().busy_until(), sim::Time::Zero());
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].at, Sec(0));
}

TEST(MasterCostTest, OffersLeaveWhenTheCycleIsDone) {
  ScenarioBuilder b;
  b.spec().master.cost = OnlyPerAgent(1000);  // 1 ms per agent visited
  MasterHarness h(b.Build());
  for (int i = 0; i < 3; ++i) h.AddAgent("a" + std::to_string(i), "cpus:4;mem:4096");
  h.AddFramework("f");
  h.RunUntil(Sec(0.5));
  // The registration cycle at t = 0 visits 3 agents: its offers arrive at 3 ms.
  ASSERT_EQ(h.received.size(), 3u);
  for (const auto& r : h.received) EXPECT_EQ(r.at, Us(3000));
  const MasterCostModel& c = h.master().cost_model();
  EXPECT_EQ(c.cycles(), 1u);
  EXPECT_EQ(c.offers_delivered(), 3u);
  EXPECT_DOUBLE_EQ(c.mean_offer_delay_s(), 0.003);
  EXPECT_DOUBLE_EQ(c.busy_seconds(Sec(0.5)), 0.003);
  EXPECT_DOUBLE_EQ(c.busy_seconds(Us(1000)), 0.001);  // work booked beyond `now` not counted
}

TEST(MasterCostTest, ABusyMasterDelaysTheNextCycle) {
  ScenarioBuilder b;
  MasterCostSpec cost = OnlyPerAgent(1000);
  cost.per_decline_us = 2'000'000;  // a decline keeps the master busy for 2 s
  b.spec().master.cost = cost;
  MasterHarness h(b.Build());
  h.AddAgent("a", "cpus:4;mem:4096");
  h.AddFramework("f");
  h.on_offer = [&](const MasterHarness::Received& r) {
    if (r.at == Us(1000)) h.Decline(r, sim::Time::Zero());
  };
  h.RunUntil(Sec(3.5));
  // t = 0: cycle (1 agent, 1 ms), offer at 1 ms, declined: busy until 2.001 s. The periodic cycle
  // due at 1 s waits for it, visits the agent and delivers at 2.002 s; the next one falls due an
  // interval after that cycle ended, at 3.002 s, and finds nothing to offer.
  ASSERT_EQ(h.received.size(), 2u);
  EXPECT_EQ(h.received[1].at, Us(2'002'000));
  const MasterCostModel& c = h.master().cost_model();
  EXPECT_DOUBLE_EQ(c.max_offer_delay_s(), 1.002);
  EXPECT_EQ(h.master().cycles(), 3u);
}

TEST(MasterCostTest, AnOfferGoneBeforeDeliveryIsNotDelivered) {
  ScenarioBuilder b;
  b.spec().master.cost = OnlyPerAgent(500'000);  // 0.5 s per agent
  MasterHarness h(b.Build());
  const auto a = h.AddAgent("a", "cpus:4;mem:4096");
  h.AddAgent("b", "cpus:4;mem:4096");
  h.AddFramework("f");
  h.sim().Schedule(Sec(0.5), [&] {
    h.master().AgentDown(a, models::TaskReason::kAgentFailed);
  });  // while the cycle runs
  h.RunUntil(Sec(1.5));
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].at, Sec(1));
  EXPECT_NE(h.received[0].agent, a);
  h.master().CheckInvariants();
}

}  // namespace
}  // namespace clustersim::models
