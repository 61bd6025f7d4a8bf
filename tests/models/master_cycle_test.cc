// Allocation cycles driven by hand (Master::AllocateNow), cycles that skip agents no framework can
// take, and the master cost model (models/master/cost_model.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>
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
  c.allocator = {.per_cycle_us = 0,
                 .per_agent_us = per_agent_us,
                 .per_sorted_framework_us = 0,
                 .per_framework_us = 0,
                 .per_offer_us = 0,
                 .per_recover_us = 0};
  c.master = {
      .per_offer_us = 0, .per_accept_us = 0, .per_decline_us = 0, .per_status_update_us = 0};
  return c;
}

// The defaults reproduce the published Mesos allocator figures they were calibrated on
// (cost_model.h): DeclineOffers/21 and /22 (one framework visit and one offer per agent) and
// LargeAndSmallQuota/2's empty cycle (every role visited for every agent).
TEST(MasterCostTest, DefaultsReproduceThePublishedAllocatorFigures) {
  MasterCostSpec spec;
  spec.enabled = true;
  const MasterCostModel c(spec);
  auto decline_offers = [&](int64_t frameworks) {
    return c.CycleUs({.agents_visited = 10'000,
                      .framework_visits = 10'000,
                      .frameworks_sorted = frameworks,
                      .offers = 10'000,
                      .policy_charge = {}}) *
           1e-6;
  };
  EXPECT_NEAR(decline_offers(1'000), 1.06, 0.005);  // 6ef0df93f: 1.06 s
  EXPECT_NEAR(decline_offers(3'000), 2.60, 0.005);  // 6abe32f08: median 2.60 s
  const double quota_empty = c.CycleUs({.agents_visited = 3'000,
                                        .framework_visits = 9'000'000,
                                        .frameworks_sorted = 3'000,
                                        .offers = 0,
                                        .policy_charge = {}}) *
                             1e-6;
  EXPECT_NEAR(quota_empty, 14.2, 0.05);  // 13.7 s measured: the model's stated cross-check
}

TEST(MasterCostTest, SortingCostGrowsWithTheFrameworks) {
  MasterCostSpec spec = OnlyPerAgent(0);
  spec.allocator.per_sorted_framework_us = 2;
  const MasterCostModel c(spec);
  EXPECT_DOUBLE_EQ(c.CycleUs({.agents_visited = 3, .frameworks_sorted = 5, .policy_charge = {}}),
                   30);
  EXPECT_DOUBLE_EQ(c.CycleUs({.agents_visited = 3, .frameworks_sorted = 10, .policy_charge = {}}),
                   60);
}

TEST(MasterCostTest, OffByDefaultAndFree) {
  MasterHarness h;
  h.AddAgent("a", "cpus:4;mem:4096");
  h.AddFramework("f");
  h.RunUntil(Sec(2.5));
  EXPECT_FALSE(h.master().cost_model().enabled());
  EXPECT_EQ(h.master().cost_model().allocator().busy_until(), sim::Time::Zero());
  EXPECT_EQ(h.master().cost_model().master().busy_until(), sim::Time::Zero());
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
  EXPECT_DOUBLE_EQ(c.allocator().busy_seconds(Sec(0.5)), 0.003);
  // Work booked beyond `now` not counted.
  EXPECT_DOUBLE_EQ(c.allocator().busy_seconds(Us(1000)), 0.001);
  EXPECT_DOUBLE_EQ(c.master().busy_seconds(Sec(0.5)), 0);
}

TEST(MasterCostTest, ABusyAllocatorDelaysTheNextCycle) {
  ScenarioBuilder b;
  MasterCostSpec cost = OnlyPerAgent(1000);
  cost.allocator.per_recover_us = 2'000'000;  // recovering a decline keeps the allocator 2 s
  b.spec().master.cost = cost;
  MasterHarness h(b.Build());
  h.AddAgent("a", "cpus:4;mem:4096");
  h.AddFramework("f");
  h.on_offer = [&](const MasterHarness::Received& r) {
    if (r.at == Us(1000)) h.Decline(r, sim::Time::Zero());
  };
  h.RunUntil(Sec(3.5));
  // t = 0: cycle (1 agent, 1 ms), offer at 1 ms, declined: allocator busy until 2.001 s. The cycle
  // due at 1 s waits for it, visits the agent and delivers at 2.002 s; the next one falls due an
  // interval after that cycle ended, at 3.002 s, and finds nothing to offer.
  ASSERT_EQ(h.received.size(), 2u);
  EXPECT_EQ(h.received[1].at, Us(2'002'000));
  const MasterCostModel& c = h.master().cost_model();
  EXPECT_DOUBLE_EQ(c.max_offer_delay_s(), 1.002);
  EXPECT_EQ(h.master().cycles(), 3u);
}

// A busy master does not hold up the allocator's cycles, only the offers it has to build after
// them; each framework's batch arrives when the master is done with it, in registration order.
TEST(MasterCostTest, TheMasterBuildsEachFrameworksOffersAfterTheCycle) {
  ScenarioBuilder b;
  MasterCostSpec cost = OnlyPerAgent(1000);
  cost.master.per_offer_us = 10'000;  // 10 ms per offer built
  b.spec().master.cost = cost;
  MasterHarness h(b.Build());
  const FrameworkId first = h.AddFramework("first");
  const FrameworkId second = h.AddFramework("second");
  for (int i = 0; i < 4; ++i) h.AddAgent("a" + std::to_string(i), "cpus:4;mem:4096");
  h.RunUntil(Sec(0.5));
  // One cycle at t = 0 over 4 agents ends at 4 ms; DRF alternates the two frameworks, 2 offers
  // each: the first's batch is built by 24 ms, the second's by 44 ms.
  ASSERT_EQ(h.received.size(), 4u);
  for (const auto& r : h.received) {
    EXPECT_EQ(r.at, r.framework == first ? Us(24'000) : Us(44'000)) << r.framework.value;
  }
  EXPECT_EQ(std::count_if(h.received.begin(), h.received.end(),
                          [&](const auto& r) { return r.framework == second; }),
            2);
  const MasterCostModel& c = h.master().cost_model();
  EXPECT_DOUBLE_EQ(c.allocator().busy_seconds(Sec(0.5)), 0.004);
  EXPECT_DOUBLE_EQ(c.master().busy_seconds(Sec(0.5)), 0.040);
  EXPECT_DOUBLE_EQ(c.mean_cycle_delay_s(), 0.004);
  EXPECT_DOUBLE_EQ(c.mean_offer_delay_s(), (2 * 0.024 + 2 * 0.044) / 4);
  EXPECT_DOUBLE_EQ(c.max_offer_delay_s(), 0.044);
}

// Declines and finished tasks reach the master first, then the allocator recovers the resources.
TEST(MasterCostTest, DeclinesOccupyTheMasterThenTheAllocator) {
  MasterCostSpec spec = OnlyPerAgent(0);
  spec.master.per_decline_us = 1000;
  spec.master.per_status_update_us = 500;
  spec.allocator.per_recover_us = 3000;
  MasterCostModel c(spec);
  c.Decline(Sec(1));
  EXPECT_EQ(c.master().busy_until(), Us(1'001'000));
  EXPECT_EQ(c.allocator().busy_until(), Us(1'004'000));
  c.TaskEnded(Sec(1));  // queued behind the decline on both actors
  EXPECT_EQ(c.master().busy_until(), Us(1'001'500));
  EXPECT_EQ(c.allocator().busy_until(), Us(1'007'000));
  c.Accept(Sec(2), /*tasks=*/2, /*leftover=*/false);  // nothing goes back: the allocator is spared
  EXPECT_EQ(c.allocator().busy_until(), Us(1'007'000));
}

// A decline's filter lasts at most 365 days, as Mesos caps refuse_seconds (H:1699-1703): refused
// for ever, the agent is offered again by the hourly cycle 365 days on.
TEST(MasterFilters, ARefusalForEverLasts365Days) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(3600)).Build());
  h.AddAgent("a", "cpus:4;mem:4096");
  h.AddFramework("f");
  h.on_offer = [&](const MasterHarness::Received& r) { h.Decline(r, sim::Time::Max()); };
  const sim::Time year = Sec(365.0 * 24 * 3600);
  h.RunUntil(year - Sec(1));
  ASSERT_EQ(h.received.size(), 1u);  // at 0, then filtered
  h.RunUntil(year);
  ASSERT_EQ(h.received.size(), 2u);
  EXPECT_EQ(h.received[1].at, year);
}

// offer_timeout counts from when the master sends the offer (Mesos arms it as Master::offer builds
// it, master.cpp:9515-9522), not from the allocator's cycle: the cycle at 0 costs 0.5 s, the offer
// arrives at 0.5 s and, unanswered, is rescinded 2 s later.
TEST(MasterCostTest, OfferTimeoutCountsFromDelivery) {
  ScenarioBuilder b;
  b.spec().master.cost = OnlyPerAgent(500'000);
  b.spec().master.offer_timeout = Sec(2);
  MasterHarness h(b.Build());
  h.AddAgent("a", "cpus:4;mem:4096");
  h.AddFramework("f");
  h.RunUntil(Sec(2.6));
  ASSERT_GE(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].at, Sec(0.5));
  ASSERT_GE(h.rescinded.size(), 1u);
  EXPECT_EQ(h.rescinded[0].at, Sec(2.5));
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

// --- Quota at run time, and what a quota cycle costs (models/master/quota_stages.cc) -----------

plugins::RoleQuota Guarantee(std::string_view resources) {
  plugins::RoleQuota quota;
  quota.guarantee = test::Res(resources);
  return quota;
}

// A quota update in master.updates (Mesos's UPDATE_QUOTA) triggers no cycle (H:1840-1850); the next
// periodic cycle runs the two stages with it. Two roles share one agent whose offers are declined
// at once with no filter: equal shares alternate it by offer count (SameShareFairness) until role
// b's guarantee, set at 2.5 s, gives it to b in stage 1 of every cycle from 3 s on.
TEST(MasterQuotaUpdates, ApplyFromTheNextCycleWithoutTriggeringOne) {
  ScenarioBuilder b;
  b.spec().master.updates.push_back(MasterUpdateSpec{
      .at = Sec(2.5), .role_weights = {}, .quotas = {{"b", Guarantee("cpus:2;mem:1024")}}});
  MasterHarness h(b.Build());
  const plugins::FrameworkId in_a = h.AddFramework("fa", "a");
  const plugins::FrameworkId in_b = h.AddFramework("fb", "b");
  h.AddAgent("agent1", "cpus:2;mem:1024");
  h.on_offer = [&](const MasterHarness::Received& r) { h.Decline(r, sim::Time::Zero()); };
  h.RunUntil(Sec(2.4));
  EXPECT_EQ(h.master().cycles(), 3u);  // t = 0, 1, 2
  h.RunUntil(Sec(2.9));
  EXPECT_EQ(h.master().cycles(), 3u);  // the update at 2.5 s ran none
  EXPECT_EQ(h.master().quota().quotas().count("b"), 1u);
  h.RunUntil(Sec(5.5));
  std::vector<plugins::FrameworkId> order;
  for (const auto& r : h.received) order.push_back(r.framework);
  // Without the update t = 4 would go to fa again.
  EXPECT_EQ(order, (std::vector<plugins::FrameworkId>{in_a, in_b, in_a, in_b, in_b, in_b}));
}

// The operator's /weights (a master.updates entry) rescinds every outstanding offer when an updated
// role has a framework (weights_handler.cpp:263-308), with no filter and no cycle: the next
// periodic cycle offers the agents again under the new weights. A role no framework uses rescinds
// nothing.
TEST(MasterWeightUpdates, AnUpdateOfAUsedRoleRescindsEveryOutstandingOffer) {
  for (const bool used : {true, false}) {
    ScenarioBuilder b;
    b.spec().master.updates.push_back(MasterUpdateSpec{
        .at = Sec(2.5), .role_weights = {{used ? "a" : "nobody", 3.0}}, .quotas = {}});
    MasterHarness h(b.Build());
    const plugins::FrameworkId fa = h.AddFramework("fa", "a");
    h.AddFramework("fb", "b");
    h.AddAgent("agent1", "cpus:2;mem:1024");
    h.AddAgent("agent2", "cpus:2;mem:1024");
    h.RunUntil(Sec(2.9));  // the offers of t = 0 are held, unanswered
    ASSERT_EQ(h.received.size(), 2u) << used;
    EXPECT_EQ(h.rescinded.size(), used ? 2u : 0u) << used;
    EXPECT_EQ(h.master().cycles(), 3u) << used;  // t = 0, 1, 2: the update ran none
    h.RunUntil(Sec(3.1));
    // Offered again at 3 s, the heavier role a first (lowest weighted share): each role one agent.
    EXPECT_EQ(h.received.size(), used ? 4u : 2u) << used;
    if (used) {
      EXPECT_EQ(h.received[2].framework, fa);
    }
  }
}

// The operator's UPDATE_QUOTA rescinds, best effort (quota_handler.cpp:580-690): the role's own
// offers until consumed + offered is within its new limit, then other roles' offers, agent by
// agent, until what was rescinded plus the role's consumed + offered covers its guarantee. Four
// 2-cpu agents held unanswered by roles a, b, c, a (DRF: equal shares go by offer count, then
// name); at 0.5 s a is limited to 2 cpus and c guaranteed 4.
TEST(MasterQuotaUpdates, AnUpdateRescindsOffersToMeetLimitsAndGuarantees) {
  ScenarioBuilder b;
  plugins::RoleQuota limit_a;
  limit_a.limit = test::Res("cpus:2");
  limit_a.limit_kinds = 1u << 0;  // cpus
  b.spec().master.updates.push_back(MasterUpdateSpec{
      .at = Sec(0.5), .role_weights = {}, .quotas = {{"a", limit_a}, {"c", Guarantee("cpus:4")}}});
  MasterHarness h(b.Build());
  const plugins::FrameworkId fa = h.AddFramework("fa", "a");
  const plugins::FrameworkId fb = h.AddFramework("fb", "b");
  const plugins::FrameworkId fc = h.AddFramework("fc", "c");
  for (int i = 0; i < 4; ++i) h.AddAgent("agent" + std::to_string(i), "cpus:2;mem:1024");
  h.RunUntil(Sec(0.4));
  ASSERT_EQ(h.OffersTo(fa).size(), 2u);
  ASSERT_EQ(h.OffersTo(fb).size(), 1u);
  ASSERT_EQ(h.OffersTo(fc).size(), 1u);
  h.RunUntil(Sec(0.6));
  // a: 4 cpus > its limit 2, one offer goes; c: 2 cpus + 2 rescinded from another role cover 4.
  ASSERT_EQ(h.rescinded.size(), 2u);
  EXPECT_EQ(h.rescinded[0].framework, fa);
  EXPECT_NE(h.rescinded[1].framework, fc);
  EXPECT_EQ(h.Outstanding(fc).size(), 1u);
  EXPECT_EQ(h.Outstanding(fa).size() + h.Outstanding(fb).size(), 1u);
  EXPECT_EQ(h.master().cycles(), 1u);  // and no cycle
}

// Master::UpdateRoleQuotas sets the roles listed and keeps the others; a quota with neither
// guarantee nor limit is Mesos's DEFAULT_QUOTA, i.e. none.
TEST(MasterQuotaUpdates, ListedRolesChangeOthersStayAndAnEmptyQuotaRemoves) {
  MasterHarness h;
  h.master().UpdateRoleQuotas({{"a", Guarantee("cpus:1")}, {"b", Guarantee("cpus:2")}});
  h.master().UpdateRoleQuotas({{"b", plugins::RoleQuota{}}, {"c", Guarantee("cpus:3")}});
  const plugins::RoleQuotas& q = h.master().quota().quotas();
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q.at("a"), Guarantee("cpus:1"));
  EXPECT_EQ(q.at("c"), Guarantee("cpus:3"));
  h.master().UpdateRoleQuotas({{"a", plugins::RoleQuota{}}, {"c", plugins::RoleQuota{}}});
  EXPECT_FALSE(h.master().quota().active());  // back to the single pass
}

// A cycle with no candidate agent (the only agent's offer is outstanding) has nothing to offer:
// the quota ledger is not rebuilt for it.
TEST(MasterQuotaUpdates, ACycleWithoutCandidatesSkipsTheLedgerRebuild) {
  ScenarioBuilder b;
  b.spec().master.quotas = {{"a", Guarantee("cpus:1")}};
  MasterHarness h(b.Build());
  h.AddFramework("fa", "a");
  h.AddAgent("agent1", "cpus:2;mem:1024");
  h.RunUntil(Sec(0.5));
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.master().quota().rebuilds(), 1u);
  h.RunUntil(Sec(3.5));
  EXPECT_EQ(h.master().cycles(), 4u);
  EXPECT_EQ(h.master().quota().rebuilds(), 1u);
}

// With quotas the cost model charges every agent once per stage (Mesos sorts the roles for each
// agent in both, H:2124-2126 and H:2398): 4 agents at 1 ms an agent cost 8 ms, 4 ms without.
TEST(MasterCostTest, AQuotaCycleChargesEveryAgentInBothStages) {
  for (const bool with_quota : {false, true}) {
    ScenarioBuilder b;
    b.spec().master.cost = OnlyPerAgent(1000);
    if (with_quota) b.spec().master.quotas = {{"a", Guarantee("cpus:1")}};
    MasterHarness h(b.Build());
    h.AddFramework("fa", "a");
    for (int i = 0; i < 4; ++i) h.AddAgent("a" + std::to_string(i), "cpus:4;mem:4096");
    h.RunUntil(Sec(0.5));
    EXPECT_EQ(h.received.size(), 4u);
    EXPECT_DOUBLE_EQ(h.master().cost_model().allocator().busy_seconds(Sec(0.5)),
                     with_quota ? 0.008 : 0.004);
  }
}

}  // namespace
}  // namespace clustersim::models
