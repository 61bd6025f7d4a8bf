// Cases of Mesos's own allocator tests (src/tests/hierarchical_allocator_tests.cpp, Mesos 1.11.0),
// set up as Mesos sets them up and driven through clustersim's master and DRF allocator on the
// simulated clock (Mesos's tests pause theirs: Clock::pause(), then Clock::advance per cycle).
// One test per Mesos test, named after it; the expected allocations are Mesos's, with its lines.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using plugins::AgentId;
using plugins::FrameworkId;
using plugins::Resources;
using test::MasterHarness;
using test::ScenarioBuilder;
using test::Sec;

// SameShareFairness (T:1311-1360). Two frameworks in role `*`, one agent cpus:2;mem:1024; each
// allocation is the whole agent, returned at once with no filter (recoverResources with
// filters = None, T:1348-1353), then the clock advances one allocation interval (1 s). Over 10
// allocations each framework gets the agent 5 times (T:1358-1359): after the return both shares
// are 0 again and the DRF sorter's allocation count (sorter.hpp:427-429, incremented per offer by
// Allocation::add, sorter.hpp:332) sends the next one to the other framework.
std::map<uint32_t, int> SameShareFairnessCounts(plugins::DrfTieBreak tie_break) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build(), tie_break);
  const FrameworkId framework1 = h.AddFramework("framework1", "*");
  const FrameworkId framework2 = h.AddFramework("framework2", "*");
  h.AddAgent("agent1", "cpus:2;mem:1024");
  std::map<uint32_t, int> counts{{framework1.value, 0}, {framework2.value, 0}};
  h.on_offer = [&](const MasterHarness::Received& o) {
    EXPECT_EQ(o.resources, test::Res("cpus:2;mem:1024"));  // the whole agent (T:1340-1344)
    ++counts[o.framework.value];
    h.Decline(o, sim::Time::Zero());  // no filter
  };
  // Allocations at t = 0 (the agent's registration triggers one) and at every interval after:
  // t = 0 .. 9 are the 10 of the Mesos loop (T:1336).
  h.RunUntil(Sec(9.5));
  EXPECT_EQ(h.received.size(), 10u);
  return counts;
}

TEST(MesosConformance, SameShareFairness) {
  const std::map<uint32_t, int> counts = SameShareFairnessCounts(plugins::DrfTieBreak::kMesos);
  EXPECT_EQ(counts.at(0), 5);  // framework1, T:1358
  EXPECT_EQ(counts.at(1), 5);  // framework2, T:1359
}

// The deliberate non-Mesos order kept for comparison: ties by registration alone give every
// allocation to framework1 (what clustersim did before issue 14).
TEST(MesosConformance, SameShareFairnessDoesNotHoldWithRegistrationTieBreak) {
  const std::map<uint32_t, int> counts =
      SameShareFairnessCounts(plugins::DrfTieBreak::kRegistration);
  EXPECT_EQ(counts.at(0), 10);
  EXPECT_EQ(counts.at(1), 0);
}

// --- Role tree, weights, fairness exclusion, ancestor reservations (issue 14 item 1) ------------
// Mesos's fixture triggers one allocation per event (addFramework, addSlave: T:136-191); here the
// events of a step happen at one instant and the cycle runs at its end, so Step() advances the
// clock a tenth of a second and returns the offers made. Mesos's expected `Allocation` is one
// callback per framework and cycle covering all its agents; ours is one offer per agent, so an
// expected allocation of n agents is n offers to the framework. Offers are never answered unless a
// test says so: they stay counted in shares, as Mesos's do.

using Received = MasterHarness::Received;

std::vector<Received> Step(MasterHarness& h, size_t& seen) {
  h.RunUntil(h.sim().Now() + Sec(0.1));
  std::vector<Received> out(h.received.begin() + static_cast<ptrdiff_t>(seen), h.received.end());
  seen = h.received.size();
  return out;
}

// Exactly one offer, of `agent`'s `resources`, to `framework`.
void ExpectOne(const std::vector<Received>& got, FrameworkId framework, plugins::AgentId agent,
               std::string_view resources) {
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].framework, framework);
  EXPECT_EQ(got[0].agent, agent);
  EXPECT_EQ(got[0].resources, test::Res(resources));
}

// UnreservedDRF (T:293-442): roles by share, frameworks by share within a role.
TEST(MesosConformance, UnreservedDRF) {
  MasterHarness h;
  size_t seen = 0;
  const auto agent1 = h.AddAgent("agent1", "cpus:2;mem:1024;disk:0");
  EXPECT_TRUE(Step(h, seen).empty());  // no framework yet
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  ExpectOne(Step(h, seen), framework1, agent1, "cpus:2;mem:1024");  // T:317-321
  const FrameworkId framework2 = h.AddFramework("framework2", "role2");
  const auto agent2 = h.AddAgent("agent2", "cpus:1;mem:512;disk:0");
  ExpectOne(Step(h, seen), framework2, agent2, "cpus:1;mem:512");  // T:345-349
  const auto agent3 = h.AddAgent("agent3", "cpus:3;mem:2048;disk:0");
  ExpectOne(Step(h, seen), framework2, agent3, "cpus:3;mem:2048");  // T:372-376
  const FrameworkId framework3 = h.AddFramework("framework3", "role1");
  const auto agent4 = h.AddAgent("agent4", "cpus:4;mem:4096;disk:0");
  ExpectOne(Step(h, seen), framework3, agent4, "cpus:4;mem:4096");  // T:404-408
  h.AddFramework("framework4", "role1");
  const auto agent5 = h.AddAgent("agent5", "cpus:1;mem:512;disk:0");
  ExpectOne(Step(h, seen), framework2, agent5, "cpus:1;mem:512");  // T:437-441
}

// ReservedDRF (T:446-534): reserved resources count in their role's share once allocated, and
// go only to their role.
TEST(MesosConformance, ReservedDRF) {
  MasterHarness h;
  size_t seen = 0;
  const auto agent1 =
      h.AddReservedAgent("agent1", "cpus:1;mem:512;disk:0", {{"role1", "cpus:100;mem:1024"}});
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  ExpectOne(Step(h, seen), framework1, agent1, "cpus:101;mem:1536");  // T:470-474
  const FrameworkId framework2 = h.AddFramework("framework2", "role2");
  const auto agent2 = h.AddAgent("agent2", "cpus:2;mem:512;disk:0");
  ExpectOne(Step(h, seen), framework2, agent2, "cpus:2;mem:512");  // T:489-493
  const auto agent3 = h.AddAgent("agent3", "cpus:2;mem:512;disk:0");
  ExpectOne(Step(h, seen), framework2, agent3, "cpus:2;mem:512");  // T:506-510
  const FrameworkId framework3 = h.AddFramework("framework3", "role1");
  const auto agent4 = h.AddReservedAgent("agent4", "", {{"role1", "cpus:2;mem:1024"}});
  ExpectOne(Step(h, seen), framework3, agent4, "cpus:2;mem:1024");  // T:529-533
}

// DRFWithFairnessExclusion (T:544-699): with gpus excluded, role1's GPU does not count, and
// agent4 goes to role1 (share 0.2 < 0.4); counting it (share 1.0) would send agent4 to role2,
// which the second half checks. framework1 has the GPU_RESOURCES capability (T:569-570), as
// filter_gpu_resources (on by default, as in Mesos) requires for agent1.
std::vector<std::vector<Received>> FairnessExclusionRun(bool exclude_gpus) {
  models::ScenarioSpec spec = ScenarioBuilder().Build();
  if (exclude_gpus) spec.master.fair_sharing_excluded_resource_names = {"gpus"};  // T:552-555
  MasterHarness h(spec);
  size_t seen = 0;
  std::vector<std::vector<Received>> steps;
  h.AddAgent("agent1", "cpus:2;mem:1024;disk:0;gpus:1");
  h.AddFramework("framework1", "role1", 1.0,
                 models::AgentAccess{.constraints = {}, .gpu_resources = true});
  steps.push_back(Step(h, seen));
  h.AddFramework("framework2", "role2");
  h.AddAgent("agent2", "cpus:1;mem:512;disk:0");
  steps.push_back(Step(h, seen));
  h.AddAgent("agent3", "cpus:3;mem:2048;disk:0");
  steps.push_back(Step(h, seen));
  h.AddFramework("framework3", "role1");
  h.AddAgent("agent4", "cpus:4;mem:4096;disk:0");
  steps.push_back(Step(h, seen));
  h.AddFramework("framework4", "role1");
  h.AddAgent("agent5", "cpus:1;mem:512;disk:0");
  steps.push_back(Step(h, seen));
  return steps;
}

TEST(MesosConformance, DRFWithFairnessExclusion) {
  const auto steps = FairnessExclusionRun(/*exclude_gpus=*/true);
  const FrameworkId fw1(0), fw2(1), fw3(2);
  ExpectOne(steps[0], fw1, plugins::AgentId(0), "cpus:2;mem:1024;gpus:1");  // T:574-578
  ExpectOne(steps[1], fw2, plugins::AgentId(1), "cpus:1;mem:512");          // T:602-606
  ExpectOne(steps[2], fw2, plugins::AgentId(2), "cpus:3;mem:2048");         // T:629-633
  ExpectOne(steps[3], fw3, plugins::AgentId(3), "cpus:4;mem:4096");         // T:661-665
  ExpectOne(steps[4], fw2, plugins::AgentId(4), "cpus:1;mem:512");          // T:694-698
  // Without the exclusion role1's share is 1.0 (gpus 1/1) and agent4 goes to role2.
  const auto counted = FairnessExclusionRun(/*exclude_gpus=*/false);
  ExpectOne(counted[3], fw2, plugins::AgentId(3), "cpus:4;mem:4096");
}

// NestedRoleDRF (T:704-815): the share of subtree `a` (0.67) sends agent2 to `d`'s framework
// although a/c has nothing; then within `d` (0.2 < `a` 0.4), d/f (0) before d/e (0.2).
TEST(MesosConformance, NestedRoleDRF) {
  MasterHarness h;
  size_t seen = 0;
  const auto agent1 = h.AddAgent("agent1", "cpus:2;mem:1024;disk:0");
  const FrameworkId framework1 = h.AddFramework("framework1", "a/b");
  ExpectOne(Step(h, seen), framework1, agent1, "cpus:2;mem:1024");  // T:728-733
  h.AddFramework("framework2", "a/c");
  const FrameworkId framework3 = h.AddFramework("framework3", "d/e");
  const auto agent2 = h.AddAgent("agent2", "cpus:1;mem:512;disk:0");
  ExpectOne(Step(h, seen), framework3, agent2, "cpus:1;mem:512");  // T:762-767
  const FrameworkId framework4 = h.AddFramework("framework4", "d/f");
  const auto agent3 = h.AddAgent("agent3", "cpus:2;mem:1024;disk:0");
  ExpectOne(Step(h, seen), framework4, agent3, "cpus:2;mem:1024");  // T:797-802
}

// Offers per framework in `got`, and the resources they add up to.
std::map<uint32_t, int> AgentsPerFramework(const std::vector<Received>& got, Resources& sum) {
  std::map<uint32_t, int> agents;
  for (const Received& r : got) {
    ++agents[r.framework.value];
    sum += r.resources;
  }
  return agents;
}

// UpdateWeight (T:5919-6133): six agents of cpus:2;mem:1024; every allocation is returned with no
// filter before the next cycle. Weight updates trigger no cycle (H:1865-1870): the next periodic
// one, or framework3's registration, uses them. A weight may be set for a role with no framework
// yet (sorter.hpp:142-146).
TEST(MesosConformance, UpdateWeight) {
  MasterHarness h;
  size_t seen = 0;
  for (int a = 1; a <= 6; ++a) h.AddAgent(fmt::format("agent{}", a), "cpus:2;mem:1024");
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  EXPECT_EQ(Step(h, seen).size(), 6u);  // framework1 gets all six (T:5986-5993)
  const FrameworkId framework2 = h.AddFramework("framework2", "role2");
  EXPECT_TRUE(Step(h, seen).empty());  // its cycle finds nothing free
  auto return_all = [&] {
    std::vector<Received> live;
    for (const Received& r : h.received) {
      if (h.master().IsOfferValid(r.slot, r.id)) live.push_back(r);
    }
    for (const Received& r : live) h.Decline(r, sim::Time::Zero());
  };
  return_all();  // T:5996-6003
  const Resources total = test::Res("cpus:12;mem:6144");
  auto cycle = [&] {  // the next periodic cycle (interval 1 s, T:6008)
    h.RunUntil(h.sim().Now() + Sec(1));
    std::vector<Received> got(h.received.begin() + static_cast<ptrdiff_t>(seen), h.received.end());
    seen = h.received.size();
    return got;
  };
  Resources sum;
  auto agents = AgentsPerFramework(cycle(), sum);
  EXPECT_EQ(agents[framework1.value], 3);  // T:6029-6037
  EXPECT_EQ(agents[framework2.value], 3);
  EXPECT_EQ(sum, total);
  return_all();
  h.master().UpdateRoleWeights({{"role2", 2.0}});  // T:6043-6046
  EXPECT_TRUE(Step(h, seen).empty());              // no cycle of its own
  sum = Resources();
  agents = AgentsPerFramework(cycle(), sum);
  EXPECT_EQ(agents[framework1.value], 2);  // DOUBLE, T:6069-6077
  EXPECT_EQ(agents[framework2.value], 4);  // FOURFOLD
  EXPECT_EQ(sum, total);
  return_all();
  h.master().UpdateRoleWeights({{"role3", 3.0}});  // role3 has no framework yet (T:6083-6086)
  const FrameworkId framework3 = h.AddFramework("framework3", "role3");
  sum = Resources();
  agents = AgentsPerFramework(Step(h, seen), sum);  // framework3's registration cycle
  EXPECT_EQ(agents[framework1.value], 1);           // SINGLE, T:6121-6131
  EXPECT_EQ(agents[framework2.value], 2);           // DOUBLE
  EXPECT_EQ(agents[framework3.value], 3);           // TRIPLE
  EXPECT_EQ(sum, total);
}

// OfferAncestorReservationsToDescendantChild (T:6379-6433): a framework of a/b/c is offered what
// is reserved for `a` and for `a/b` (allocatableTo, H:2190/2425). Deviation: our reservations are
// quantities, so a role's use is charged to its own reservation, then to its nearest ancestor's
// (ReservationLedger); Mesos knows which reservation each resource came from.
TEST(MesosConformance, OfferAncestorReservationsToDescendantChild) {
  MasterHarness h;
  size_t seen = 0;
  const FrameworkId framework1 = h.AddFramework("framework1", "a/b/c");
  EXPECT_TRUE(Step(h, seen).empty());
  const auto agent1 = h.AddReservedAgent("agent1", "", {{"a", "cpus:1;mem:512"}});
  ExpectOne(Step(h, seen), framework1, agent1, "cpus:1;mem:512");  // T:6408
  const auto agent2 =
      h.AddReservedAgent("agent2", "cpus:2;mem:1024;disk:0", {{"a/b", "cpus:4;mem:2048"}});
  ExpectOne(Step(h, seen), framework1, agent2, "cpus:6;mem:3072");  // T:6430
}

// A reservation is not offered to a sibling or to a parent of its role (allocatableTo is
// reservation-role-is-ancestor-or-self, H:2190): the `a/x` framework and the `a` framework only
// see the unreserved part of an agent reserved for `a/b`.
TEST(RoleTreeReservations, NotOfferedToSiblingsOrParents) {
  MasterHarness h;
  size_t seen = 0;
  const FrameworkId parent = h.AddFramework("parent", "a");
  const FrameworkId sibling = h.AddFramework("sibling", "a/x");
  const auto agent = h.AddReservedAgent("agent1", "cpus:1;mem:512", {{"a/b", "cpus:4;mem:2048"}});
  const std::vector<Received> got = Step(h, seen);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].framework == parent || got[0].framework == sibling);
  EXPECT_EQ(got[0].agent, agent);
  EXPECT_EQ(got[0].resources, test::Res("cpus:1;mem:512"));
}

// --- Quota (issue 14 item 2): Mesos >= 1.9's two-stage cycle in the master ---------------------
// Quotas are set with MasterHarness::UpdateQuota (Mesos: allocator->updateQuota; createQuota(x)
// sets guarantee = limit = x, src/tests/allocator.hpp:46-49 — so most tests pass the same string
// twice). As in Mesos's fixture (T:84-275), agent and framework additions each trigger a cycle;
// Settle() lets it run before the next step, as the tests' AWAITs do, and the periodic cycle runs
// every second.

// The offers received since the last call (all of them on the first).
class NewOffers {
 public:
  explicit NewOffers(const MasterHarness& h) : h_(h) {}
  std::vector<MasterHarness::Received> Take() {
    std::vector<MasterHarness::Received> out(h_.received.begin() + static_cast<long>(seen_),
                                             h_.received.end());
    seen_ = h_.received.size();
    return out;
  }

 private:
  const MasterHarness& h_;
  size_t seen_ = 0;
};

// Exactly one offer, to `framework`, on `agent`, of `resources`.
void ExpectOneOffer(const std::vector<MasterHarness::Received>& offers, FrameworkId framework,
                    AgentId agent, std::string_view resources) {
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].framework, framework);
  EXPECT_EQ(offers[0].agent, agent);
  EXPECT_EQ(offers[0].resources, test::Res(resources)) << offers[0].resources.ToString();
}

// QuotaProvidesGuarantee (T:3606-3730).
TEST(MesosConformance, QuotaProvidesGuarantee) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "quota-role");
  h.UpdateQuota("quota-role", "cpus:2;mem:1024", "cpus:2;mem:1024");
  const FrameworkId framework2 = h.AddFramework("framework2", "no-quota-role");
  h.Settle();
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:512;disk:0");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:1;mem:512");  // T:3649
  const AgentId agent2 = h.AddAgent("agent2", "cpus:1;mem:512;disk:0");
  h.Settle();
  const auto second = offers.Take();
  ExpectOneOffer(second, framework1, agent2, "cpus:1;mem:512");  // T:3674
  h.Decline(second.at(0), Sec(2));                               // T:3690
  // framework1 filtered; framework2 gets nothing: the headroom surplus is 0 (T:3707-3712).
  h.RunUntil(Sec(1));
  EXPECT_TRUE(offers.Take().empty());
  // The filter expired: framework1 again (T:3716-3723).
  h.RunUntil(Sec(2));
  ExpectOneOffer(offers.Take(), framework1, agent2, "cpus:1;mem:512");
  EXPECT_TRUE(h.OffersTo(framework2).empty());
}

// QuotaProvidesLimit (T:3736-3823), the quota on role `*` (MESOS-3938).
TEST(MesosConformance, QuotaProvidesLimit) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "*");
  h.UpdateQuota("*", "", "cpus:0;mem:0;disk:0");
  h.Settle();
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024;disk:1024");
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());  // limit 0: nothing (T:3767)
  const FrameworkId framework2 = h.AddFramework("framework2", "no-quota-role");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework2, agent1, "cpus:2;mem:1024;disk:1024");  // T:3778
  h.UpdateQuota("*", "", "cpus:1;mem:512;disk:512");
  const AgentId agent2 = h.AddAgent("agent2", "cpus:2;mem:1024;disk:1024");
  h.Settle();
  // One cycle, two offers of agent2: `*` (share 0) first, cut to its limit; no-quota-role the rest
  // (T:3782-3822).
  const auto both = offers.Take();
  ASSERT_EQ(both.size(), 2u);
  for (const auto& o : both) {
    EXPECT_EQ(o.agent, agent2);
    EXPECT_EQ(o.resources, test::Res("cpus:1;mem:512;disk:512"));
  }
  EXPECT_EQ(both[0].framework, framework1);
  EXPECT_EQ(both[1].framework, framework2);
}

// MultipleFrameworksInRoleWithQuota (T:3929-4060). framework1b is Mesos's framework3.
TEST(MesosConformance, MultipleFrameworksInRoleWithQuota) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const FrameworkId framework1a = h.AddFramework("framework1", "quota-role");
  h.UpdateQuota("quota-role", "cpus:4;mem:2048", "cpus:4;mem:2048");
  const FrameworkId framework2 = h.AddFramework("framework2", "no-quota-role");
  h.Settle();
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:512;disk:0");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1a, agent1, "cpus:1;mem:512");  // T:3972
  const FrameworkId framework1b = h.AddFramework("framework3", "quota-role");
  h.Settle();
  const AgentId agent2 = h.AddAgent("agent2", "cpus:2;mem:1024;disk:0");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1b, agent2, "cpus:2;mem:1024");  // T:4000
  const AgentId agent3 = h.AddAgent("agent3", "cpus:1;mem:512;disk:0");
  h.Settle();
  const auto third = offers.Take();
  ExpectOneOffer(third, framework1a, agent3, "cpus:1;mem:512");  // T:4025
  h.Decline(third.at(0), Sec(5));                                // T:4038
  h.RunUntil(Sec(1));
  ExpectOneOffer(offers.Take(), framework1b, agent3, "cpus:1;mem:512");  // T:4046-4052
  EXPECT_TRUE(h.OffersTo(framework2).empty());
}

// QuotaAllocationGranularity (T:4065-4127).
TEST(MesosConformance, QuotaAllocationGranularity) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "quota-role");
  h.UpdateQuota("quota-role", "cpus:0.5;mem:200", "cpus:0.5;mem:200");
  h.Settle();
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:512;disk:0");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:0.5;mem:200");  // T:4104
  const FrameworkId framework2 = h.AddFramework("framework2", "no-quota-role");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework2, agent1, "cpus:0.5;mem:312");  // T:4122
}

// QuotaAbsentFrameworkWholeAgent (T:4680-4753).
TEST(MesosConformance, QuotaAbsentFrameworkWholeAgent) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  h.UpdateQuota("quota-role", "cpus:2;mem:1024", "cpus:2;mem:1024");
  const FrameworkId framework1 = h.AddFramework("framework1", "no-quota-role");
  h.Settle();
  h.AddAgent("agent1", "cpus:2;mem:1024");
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());  // held back for quota-role's guarantee (T:4730)
  h.AddAgent("agent2", "cpus:2;mem:1024");
  h.Settle();
  // One whole agent, either (T:4744-4752); the other stays set aside, then too.
  const auto got = offers.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].framework, framework1);
  EXPECT_EQ(got[0].resources, test::Res("cpus:2;mem:1024"));
  h.RunUntil(Sec(3));
  EXPECT_TRUE(offers.Take().empty());
}

// MultiQuotaAbsentFrameworks (T:4764-4803): the guaranteed part is offered even though
// quota-role-1's headroom is then short (H:2289-2302).
TEST(MesosConformance, MultiQuotaAbsentFrameworks) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:2048;disk:0");
  h.Settle();
  h.UpdateQuota("quota-role-1", "cpus:1;mem:1024", "cpus:1;mem:1024");
  h.UpdateQuota("quota-role-2", "cpus:2;mem:2048", "cpus:2;mem:2048");
  const FrameworkId framework1 = h.AddFramework("framework1", "quota-role-2");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:2;mem:2048");  // T:4802
}

// ReservationWithinQuota (T:4904-4972). Consumed quota = reservations + unreserved allocation:
// quota-role's allocated reserved mem and unreserved cpus meet its guarantee.
TEST(MesosConformance, ReservationWithinQuota) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  h.UpdateQuota("quota-role", "cpus:2;mem:256", "cpus:2;mem:256");
  const FrameworkId framework1 = h.AddFramework("framework1", "quota-role");
  const FrameworkId framework2 = h.AddFramework("framework2", "non-quota-role");
  h.Settle();
  const AgentId agent1 = h.AddReservedAgent("agent1", "cpus:8", {{"quota-role", "mem:256"}});
  h.Use(framework1, agent1, "cpus:2;mem:256");  // T:4935-4944
  h.Settle();
  ExpectOneOffer(offers.Take(), framework2, agent1, "cpus:6");  // T:4953
  const AgentId agent2 = h.AddAgent("agent2", "cpus:4");
  h.Settle();
  // quota-role's share counts its reserved mem (256/256 = 1 > 6/12) (T:4971).
  ExpectOneOffer(offers.Take(), framework2, agent2, "cpus:4");
}

// QuotaSetAsideReservedResources (T:4982-5095). Mesos reserves agent2 DYNAMICALLY for
// no-quota-role (updateAvailable with RESERVE, T:5011-5020); clustersim has static reservations
// only, so agent2 is registered with them. Allocation-wise the same: reserved resources count as
// the role's reservations either way (facts §1.22).
TEST(MesosConformance, QuotaSetAsideReservedResources) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const AgentId agent1 = h.AddAgent("agent1", "cpus:4;mem:512;disk:0");
  const AgentId agent2 = h.AddReservedAgent("agent2", "", {{"no-quota-role", "cpus:4;mem:512"}});
  h.Settle();
  const FrameworkId framework1 = h.AddFramework("framework1", "quota-role");
  h.UpdateQuota("quota-role", "cpus:4;mem:512", "cpus:4;mem:512");
  h.Settle();
  const auto first = offers.Take();
  ExpectOneOffer(first, framework1, agent1, "cpus:4;mem:512");  // T:5038
  h.Decline(first.at(0), Sec(10));                              // T:5045
  h.RunUntil(Sec(1));
  EXPECT_TRUE(offers.Take().empty());  // T:5055-5059
  const FrameworkId framework2 = h.AddFramework("framework2", "no-quota-role");
  h.Settle();
  // agent2's reservation, whole; not agent1, held back as quota-role's headroom (T:5063-5071).
  const auto second = offers.Take();
  ExpectOneOffer(second, framework2, agent2, "cpus:4;mem:512");
  h.Decline(second.at(0), Sec(10));
  h.RunUntil(Sec(2));
  EXPECT_TRUE(offers.Take().empty());  // T:5075-5094
}

// DisproportionateQuotaVsAllocation (T:6311-6374): mem's guarantee is met, so mem is cut by
// limit - consumed - guaranteed = 0 (H:2310-2316).
TEST(MesosConformance, DisproportionateQuotaVsAllocation) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  h.UpdateQuota("quota-role", "cpus:4;mem:1024", "cpus:4;mem:1024");
  const FrameworkId framework1 = h.AddFramework("framework1", "quota-role");
  h.Settle();
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:2;mem:1024");  // T:6353
  const AgentId agent2 = h.AddAgent("agent2", "cpus:2;mem:1024");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent2, "cpus:2");  // T:6373
}

// QuotaWithNestedRoleAllocation (T:6606-6679): a/b's allocation counts toward a's consumed quota
// (H:2037-2044), so a's guarantee is met and its limit leaves framework2 nothing, while a/b itself
// has no quota (getQuota is per exact role, H:2948-2953) and takes agent2. On the role tree
// framework2 sits in the virtual leaf a/. (share 0), visited before a/b in stage 2: the limit, not
// the order, is what leaves it out.
TEST(MesosConformance, QuotaWithNestedRoleAllocation) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "a/b");
  h.Settle();
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:1024");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:1;mem:1024");  // T:6652
  h.UpdateQuota("a", "cpus:1;mem:1024", "cpus:1;mem:1024");
  const FrameworkId framework2 = h.AddFramework("framework2", "a");
  const AgentId agent2 = h.AddAgent("agent2", "cpus:1;mem:1024");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent2, "cpus:1;mem:1024");  // T:6678
  EXPECT_TRUE(h.OffersTo(framework2).empty());
}

// QuotaHeadroomWithNestedRoleAllocation (T:6684-6776): headroom = total - allocated (a/b's
// included) - unallocated reservations. Agent2 goes to framework2 by the role tree's order: leaf
// a/. (share 0) before a/b under the node a (T:6742).
TEST(MesosConformance, QuotaHeadroomWithNestedRoleAllocation) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "a/b");
  h.Settle();
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:100");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:1;mem:100");  // T:6722
  const FrameworkId framework2 = h.AddFramework("framework2", "a");
  const AgentId agent2 = h.AddAgent("agent2", "cpus:1;mem:100");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework2, agent2, "cpus:1;mem:100");  // T:6742
  h.UpdateQuota("quota-role", "cpus:1;mem:100", "cpus:1;mem:100");
  h.AddAgent("agent3", "cpus:1;mem:100");
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());  // held back as headroom (T:6750-6759)
  h.AddAgent("agent4", "cpus:1;mem:100");
  h.Settle();
  // Exactly one of agent3 / agent4, to either framework; the other set aside (T:6762-6775).
  const auto got = offers.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].resources, test::Res("cpus:1;mem:100"));
  EXPECT_TRUE(got[0].framework == framework1 || got[0].framework == framework2);
  h.RunUntil(Sec(3));
  EXPECT_TRUE(offers.Take().empty());
}

// RemoveQuota (T:3828-3922): framework1 holds both agents within quota-role's quota; with the quota
// removed, agent1's resources, recovered, go to framework2 at the next cycle (T:3891-3897).
TEST(MesosConformance, RemoveQuota) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  h.UpdateQuota("quota-role", "cpus:2;mem:1024", "cpus:2;mem:1024");
  const FrameworkId framework1 = h.AddFramework("framework1", "quota-role");
  const FrameworkId framework2 = h.AddFramework("framework2", "no-quota-role");
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:512;disk:0");
  const models::TaskSlot on_agent1 = h.Use(framework1, agent1, "cpus:1;mem:512");
  const AgentId agent2 = h.AddAgent("agent2", "cpus:1;mem:512;disk:0");
  h.Use(framework1, agent2, "cpus:1;mem:512");
  h.UpdateQuota("quota-role", "", "");  // DEFAULT_QUOTA (T:3876)
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());  // nothing free (T:3881-3882)
  h.master().EndTask(on_agent1, TaskState::kFinished, TaskReason::kNone);  // T:3884-3889
  h.Advance(Sec(1));
  ExpectOneOffer(offers.Take(), framework2, agent1, "cpus:1;mem:512");  // T:3894-3897
}

// QuotaAgainstStarvation (T:4557-4670): framework2 (share 0) keeps getting agent2 back while it
// declines with a 0 s filter (T:4601-4636); once quota-role, under its new quota, is starving,
// agent2 goes to framework1 (T:4646-4663).
TEST(MesosConformance, QuotaAgainstStarvation) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "quota-role");
  const FrameworkId framework2 = h.AddFramework("framework2", "no-quota-role");
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:512;disk:0");
  h.Use(framework1, agent1, "cpus:1;mem:512");
  const AgentId agent2 = h.AddAgent("agent2", "cpus:1;mem:512;disk:0");
  h.Settle();
  auto got = offers.Take();
  ExpectOneOffer(got, framework2, agent2, "cpus:1;mem:512");  // T:4601-4605
  h.Decline(got.at(0), sim::Time::Zero());
  h.Advance(Sec(1));
  got = offers.Take();
  ExpectOneOffer(got, framework2, agent2, "cpus:1;mem:512");  // T:4632-4636
  h.Decline(got.at(0), sim::Time::Zero());
  h.UpdateQuota("quota-role", "cpus:2;mem:1024", "cpus:2;mem:1024");  // T:4647-4648
  h.Advance(Sec(1));
  ExpectOneOffer(offers.Take(), framework1, agent2, "cpus:1;mem:512");  // T:4656-4660
}

// MultiQuotaWithFrameworks (T:4812-4900): quota-role-1 is over its quota (mem 1024 of 200),
// quota-role-2 under it; agent3 goes to framework2, cut to what it still needs: its quota minus
// agent2 (T:4872-4881).
TEST(MesosConformance, MultiQuotaWithFrameworks) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  h.UpdateQuota("quota-role-1", "cpus:1;mem:200", "cpus:1;mem:200");
  h.UpdateQuota("quota-role-2", "cpus:2;mem:2000", "cpus:2;mem:2000");
  const FrameworkId framework1 = h.AddFramework("framework1", "quota-role-1");
  const FrameworkId framework2 = h.AddFramework("framework2", "quota-role-2");
  h.Settle();
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:1024;disk:0");
  h.Use(framework1, agent1, "cpus:1;mem:1024");
  const AgentId agent2 = h.AddAgent("agent2", "cpus:1;mem:1024;disk:0");
  h.Use(framework2, agent2, "cpus:1;mem:1024");
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());
  const AgentId agent3 = h.AddAgent("agent3", "cpus:2;mem:2048");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework2, agent3, "cpus:1;mem:976");
  EXPECT_TRUE(h.OffersTo(framework1).empty());
}

// QuotaRoleAllocateNonQuotaResource (T:4291-4400). Mesos's agents carry ports:[31000-32000], a
// resource no quota can name; clustersim has no ports, so disk:100 (named by no quota here) stands
// in for them: scalar, it passes the limit and headroom checks where Mesos offers non-scalar ports
// unconditionally (H:2294-2301), with the same offers. A role is offered what its limit leaves and
// what no other role's headroom needs: agent1 whole (T:4320-4325); agent2 without its mem, set
// aside for quota-role-2's guarantee (T:4349-4362); agent3 with only what quota-role-1's quota does
// not name, its cpus limit being reached (T:4384-4399).
TEST(MesosConformance, QuotaRoleAllocateNonQuotaResource) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  h.UpdateQuota("quota-role-1", "cpus:2", "cpus:2");
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:1024;disk:100");
  const FrameworkId framework = h.AddFramework("framework", "quota-role-1");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework, agent1, "cpus:1;mem:1024;disk:100");
  h.UpdateQuota("quota-role-2", "mem:1024", "mem:1024");
  const AgentId agent2 = h.AddAgent("agent2", "cpus:1;mem:1024;disk:100");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework, agent2, "cpus:1;disk:100");
  const AgentId agent3 = h.AddAgent("agent3", "cpus:1;mem:1024;disk:100");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework, agent3, "mem:1024;disk:100");
}

// QuotaWithAncestorReservations (T:6441-6533): agent1, reserved for a, goes whole to framework1 in
// a/b (T:6470-6475); of agent2 and agent3, one is set aside as quota-role's headroom and the other
// goes to framework2 (T:6514-6532).
TEST(MesosConformance, QuotaWithAncestorReservations) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  h.UpdateQuota("quota-role", "cpus:1;mem:1024", "cpus:1;mem:1024");
  const AgentId agent1 = h.AddReservedAgent("agent1", "", {{"a", "cpus:1;mem:1024"}});
  const FrameworkId framework1 = h.AddFramework("framework1", "a/b");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:1;mem:1024");
  const FrameworkId framework2 = h.AddFramework("framework2", "no-quota-role");
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());  // T:6480-6482
  const AgentId agent2 = h.AddAgent("agent2", "cpus:1;mem:1024");
  const AgentId agent3 = h.AddAgent("agent3", "cpus:1;mem:1024");
  h.Settle();
  const auto got = offers.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].framework, framework2);
  EXPECT_TRUE(got[0].agent == agent2 || got[0].agent == agent3);
  EXPECT_EQ(got[0].resources, test::Res("cpus:1;mem:1024"));
  h.RunUntil(Sec(3));
  EXPECT_TRUE(offers.Take().empty());  // the other stays set aside
}

// QuotaWithNestedRoleReservation (T:6538-6602, MESOS-9688): a/b's reservation counts toward a's
// consumed quota, so framework1 in a is offered only what brings a to its guarantee (and limit)
// of cpus:2;mem:200: cpus:1;mem:100 of agent2 (T:6591-6601); a/b's reservation is not a's to take.
TEST(MesosConformance, QuotaWithNestedRoleReservation) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  h.UpdateQuota("a", "cpus:2;mem:200", "cpus:2;mem:200");
  h.AddReservedAgent("agent1", "", {{"a/b", "cpus:1;mem:100"}});
  const AgentId agent2 = h.AddAgent("agent2", "cpus:10;mem:1000");
  const FrameworkId framework1 = h.AddFramework("framework1", "a");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent2, "cpus:1;mem:100");
  h.RunUntil(Sec(3));
  EXPECT_TRUE(offers.Take().empty());
}

// --- Remaining single-role tests ---
// Offer filters, suppress / revive, framework deactivation, agent removal and updates, static
// reservations and min-allocatable (issue 14 item 7). Mesos's tests call the allocator; here the
// same calls go to the master: recoverResources with filters = None is MasterHarness::Return (a
// decline with no filter), with a filter Decline; removeSlave RemoveAgent; updateSlave
// UpdateAgentTotal / UpdateAgentAttributes; Clock::advance Advance / RunUntil; a periodic cycle
// runs every allocation_interval (1 s unless a test sets it). An expected Allocation of n agents
// is n offers, one per agent.

// The offers in `got`, by agent id (a cycle visits agents in shuffled order).
std::vector<Received> ByAgent(std::vector<Received> got) {
  std::sort(got.begin(), got.end(),
            [](const Received& a, const Received& b) { return a.agent < b.agent; });
  return got;
}

// OfferFilter (T:820-899): a 2 s refusal (twice the interval) holds at the 1 s cycle and has
// lapsed at the 2 s one.
TEST(MesosConformance, OfferFilter) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "role");
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:512;disk:0");
  h.Settle();
  const auto first = offers.Take();
  ExpectOneOffer(first, framework1, agent1, "cpus:1;mem:512");  // T:847-852
  h.Decline(first.at(0), Sec(2));                               // T:856-865
  h.RunUntil(Sec(1));
  EXPECT_TRUE(offers.Take().empty());  // T:877-882
  h.RunUntil(Sec(2));
  const auto again = offers.Take();
  ExpectOneOffer(again, framework1, agent1, "cpus:1;mem:512");  // T:886-894
  EXPECT_EQ(again.at(0).at, Sec(2));
}

// SmallOfferFilterTimeout (T:909-1056): a refusal shorter than the interval (1 s < 60 s) lasts
// the interval (H:1740), and since the 60 s cycle was scheduled before the filter was made, the
// filter still holds for it (H:1729-1736): framework1 (share 0.5) gets agent2 at 60 s although
// framework2's share is 0; framework2 gets it back at 120 s.
TEST(MesosConformance, SmallOfferFilterTimeout) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(60)).Build());  // T:921-924
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "role");
  const FrameworkId framework2 = h.AddFramework("framework2", "role");
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:512;disk:0");
  h.Use(framework1, agent1, "cpus:1;mem:512");  // T:934-941
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());
  const AgentId agent2 = h.AddAgent("agent2", "cpus:1;mem:512;disk:0");
  h.Settle();
  const auto second = offers.Take();
  ExpectOneOffer(second, framework2, agent2, "cpus:1;mem:512");  // T:966-972
  h.Decline(second.at(0), Sec(1));                               // T:981-992
  h.Advance(Sec(1));
  EXPECT_TRUE(offers.Take().empty());
  h.Advance(Sec(60));
  const auto third = offers.Take();
  ExpectOneOffer(third, framework1, agent2, "cpus:1;mem:512");  // T:1004-1018
  EXPECT_EQ(third.at(0).at, Sec(60));
  h.Return(third.at(0));  // T:1029-1034
  h.Advance(Sec(60));
  const auto fourth = offers.Take();
  ExpectOneOffer(fourth, framework2, agent2, "cpus:1;mem:512");  // T:1042-1050
  EXPECT_EQ(fourth.at(0).at, Sec(120));
}

// CoarseGrained (T:1215-1304): framework1 gets both agents; once returned, framework2's
// registration cycle gives each framework one whole agent (which one is random, T:1274-1303):
// after the first agent its taker's role has the higher share.
TEST(MesosConformance, CoarseGrained) {
  MasterHarness h;
  NewOffers offers(h);
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024;disk:0");
  const AgentId agent2 = h.AddAgent("agent2", "cpus:2;mem:1024;disk:0");
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  h.Settle();
  const auto both = ByAgent(offers.Take());
  ASSERT_EQ(both.size(), 2u);  // T:1247-1255
  EXPECT_EQ(both[0].framework, framework1);
  EXPECT_EQ(both[1].framework, framework1);
  EXPECT_EQ(both[0].agent, agent1);
  EXPECT_EQ(both[1].agent, agent2);
  for (const Received& o : both) h.Return(o);  // T:1257-1269
  const FrameworkId framework2 = h.AddFramework("framework2", "role2");
  h.Settle();
  const auto split = offers.Take();
  ASSERT_EQ(split.size(), 2u);
  EXPECT_NE(split[0].framework, split[1].framework);
  EXPECT_NE(split[0].agent, split[1].agent);
  for (const Received& o : split) {
    EXPECT_TRUE(o.framework == framework1 || o.framework == framework2);
    EXPECT_EQ(o.resources, test::Res("cpus:2;mem:1024"));
  }
}

// Reservations (T:1932-1995), static reservations: Mesos's test has no dynamic variant, and
// dynamic reservations (RESERVE / UNRESERVE operations) are out of clustersim's scope. A role's
// reservation goes to its frameworks with the agent's unreserved part; agent3's (role3, no
// framework) to nobody.
TEST(MesosConformance, Reservations) {
  MasterHarness h;
  NewOffers offers(h);
  const AgentId agent1 = h.AddReservedAgent("agent1", "", {{"role1", "cpus:2;mem:1024"}});
  const AgentId agent2 =
      h.AddReservedAgent("agent2", "cpus:1;mem:1024;disk:0", {{"role2", "cpus:2;mem:1024"}});
  h.AddReservedAgent("agent3", "", {{"role3", "cpus:1;mem:1024"}});
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  h.Settle();
  const auto first = ByAgent(offers.Take());  // one Allocation of two agents (T:1975-1982)
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].framework, framework1);
  EXPECT_EQ(first[0].agent, agent1);
  EXPECT_EQ(first[0].resources, test::Res("cpus:2;mem:1024"));
  EXPECT_EQ(first[1].framework, framework1);
  EXPECT_EQ(first[1].agent, agent2);
  EXPECT_EQ(first[1].resources, test::Res("cpus:1;mem:1024"));
  const FrameworkId framework2 = h.AddFramework("framework2", "role2");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework2, agent2, "cpus:2;mem:1024");  // T:1988-1994
  h.RunUntil(Sec(3));
  EXPECT_TRUE(offers.Take().empty());  // agent3's reservation: no role3 framework
}

// RecoverResources (T:2091-2157): what a framework returns comes back to it at the next cycle,
// the reserved part first, then the unreserved part. Deviation: an offer is returned whole or
// used, not split, so framework1 keeps a part by launching a task on it and returns it by ending
// the task; and reservations are quantities, so "the reserved part" is cpus:1;mem:200 wherever it
// came from (the ledger charges role1's task to role1's reservation first).
TEST(MesosConformance, RecoverResources) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const AgentId agent1 =
      h.AddReservedAgent("agent1", "cpus:1;mem:200;disk:0", {{"role1", "cpus:1;mem:200"}});
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  h.Settle();
  const auto all = offers.Take();
  ExpectOneOffer(all, framework1, agent1, "cpus:2;mem:400");  // T:2112-2117
  const models::TaskSlot task = h.NewTask(framework1, "cpus:1;mem:200", 1e6, /*service=*/true);
  h.Accept(all.at(0), {task}, sim::Time::Zero());  // the other half back, no filter
  h.Advance(Sec(1));
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:1;mem:200");  // T:2125-2139
  h.master().EndTask(task, TaskState::kFinished, TaskReason::kNone);
  h.Advance(Sec(1));
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:1;mem:200");  // T:2142-2156
}

// Allocatable (T:2295-2383): min-allocatable cpus:0.01 | mem:32 (T:176-181), checked on the
// reserved and unreserved resources offered together.
TEST(MesosConformance, Allocatable) {
  MasterHarness h;
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  h.AddAgent("agent1", "cpus:0.005;mem:16;disk:128");
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());  // neither minimum
  const AgentId agent2 = h.AddAgent("agent2", "cpus:0.01;mem:16;disk:128");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent2, "cpus:0.01;mem:16;disk:128");  // T:2339
  const AgentId agent3 = h.AddAgent("agent3", "cpus:0.005;mem:32;disk:128");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent3, "cpus:0.005;mem:32;disk:128");  // T:2358
  const AgentId agent4 =
      h.AddReservedAgent("agent4", "cpus:0.015;mem:16;disk:128", {{"role1", "cpus:0.015;mem:16"}});
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent4, "cpus:0.03;mem:32;disk:128");  // T:2382
  h.RunUntil(Sec(2));
  EXPECT_TRUE(offers.Take().empty());  // agent1 never
}

// RemoveSlaveRecoverResources (T:3147-3216): removing agent1 takes framework1's offer of it off
// framework1's share (H:1068-1110), so agent3 goes to framework1 (0 < framework2's 0.5).
TEST(MesosConformance, RemoveSlaveRecoverResources) {
  MasterHarness h;
  NewOffers offers(h);
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:200");
  const FrameworkId framework1 = h.AddFramework("framework1", "role");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:2;mem:200");  // T:3182
  const FrameworkId framework2 = h.AddFramework("framework2", "role");
  const AgentId agent2 = h.AddAgent("agent2", "cpus:1;mem:100");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework2, agent2, "cpus:1;mem:100");  // T:3199
  h.RemoveAgent(agent1);
  const AgentId agent3 = h.AddAgent("agent3", "cpus:1;mem:100");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent3, "cpus:1;mem:100");  // T:3201-3215
}

// UpdateSlaveTotalResources (T:3012-3094): an agent that grows keeps its offers and a cycle over
// it offers what was added. Deliberate deviation when it shrinks (T:3056-3082): Mesos keeps the
// offers (the allocation exceeds the total until they are returned, then offers cpus:50;mem:50;
// disk:50 at the next cycle); clustersim rescinds them, so the same cpus:50;mem:50;disk:50 is
// offered at once by the update's cycle.
TEST(MesosConformance, UpdateSlaveTotalResources) {
  MasterHarness h;
  NewOffers offers(h);
  const AgentId agent1 = h.AddAgent("agent1", "cpus:100;mem:100;disk:100");
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:100;mem:100;disk:100");  // T:3038
  h.UpdateAgentTotal(agent1, "cpus:112;mem:100;disk:100");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:12");  // T:3044-3054
  EXPECT_EQ(h.Outstanding(framework1).size(), 2u);               // the first offer stays
  h.UpdateAgentTotal(agent1, "cpus:50;mem:50;disk:50");
  h.Settle();
  EXPECT_EQ(h.rescinded.size(), 2u);                                            // the deviation
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:50;mem:50;disk:50");  // T:3077-3082
  h.Advance(Sec(1));
  EXPECT_TRUE(offers.Take().empty());
  h.UpdateAgentTotal(agent1, "cpus:100;mem:100;disk:100");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:50;mem:50;disk:50");  // T:3087-3093
  EXPECT_EQ(h.Outstanding(framework1).size(), 2u);
  h.UpdateAgentTotal(agent1, "cpus:100;mem:100;disk:100");  // unchanged: no cycle (H:1171)
  const uint64_t cycles = h.master().cycles();
  h.Settle();
  EXPECT_EQ(h.master().cycles(), cycles);
}

// DeactivateAndReactivateFramework (T:5100-5162): a deactivated (and suppressed) framework gets
// nothing; activating it alone does not lift the suppression (H:866-870: Mesos's test calls
// activate and revive back to back, this one settles in between to check that); the revive does.
TEST(MesosConformance, DeactivateAndReactivateFramework) {
  MasterHarness h;
  NewOffers offers(h);
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024;disk:0");
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  h.Settle();
  const auto first = offers.Take();
  ExpectOneOffer(first, framework1, agent1, "cpus:2;mem:1024");  // T:5128
  h.Return(first.at(0));
  h.Suppress(framework1);
  h.DeactivateFramework(framework1);
  h.Advance(Sec(1));
  EXPECT_TRUE(offers.Take().empty());  // T:5142-5149
  h.ActivateFramework(framework1);
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());  // still suppressed
  h.Revive(framework1);
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:2;mem:1024");  // T:5152-5161
}

// Deactivation rescinds the framework's outstanding offers (master.cpp:3435-3441) and clears its
// filters (H:899-900).
TEST(MesosFrameworkDeactivation, RescindsOffersAndClearsFilters) {
  MasterHarness h;
  NewOffers offers(h);
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024");
  const AgentId agent2 = h.AddAgent("agent2", "cpus:2;mem:1024");
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  h.Settle();
  const auto first = ByAgent(offers.Take());
  ASSERT_EQ(first.size(), 2u);
  h.Decline(first[0], Sec(1000));  // agent1 filtered
  h.DeactivateFramework(framework1);
  ASSERT_EQ(h.rescinded.size(), 1u);
  EXPECT_EQ(h.rescinded[0].agent, agent2);
  h.Advance(Sec(1));
  EXPECT_TRUE(offers.Take().empty());
  h.ActivateFramework(framework1);
  h.Settle();
  const auto both = ByAgent(offers.Take());  // agent1's filter went with the deactivation
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].agent, agent1);
}

// SuppressAndReviveOffers (T:5166-5233): a revive with nothing free offers nothing; a suppressed
// framework gets nothing; the revive triggers a cycle that offers the agent (H:1826-1837).
TEST(MesosConformance, SuppressAndReviveOffers) {
  MasterHarness h;
  NewOffers offers(h);
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024;disk:0");
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  h.Settle();
  const auto first = offers.Take();
  ExpectOneOffer(first, framework1, agent1, "cpus:2;mem:1024");  // T:5194
  h.Revive(framework1);
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());  // T:5198-5205
  h.Return(first.at(0));
  h.Suppress(framework1);
  h.Advance(Sec(1));
  EXPECT_TRUE(offers.Take().empty());  // T:5207-5221
  h.Revive(framework1);
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:2;mem:1024");  // T:5224-5232
}

// ReviveOffers (T:6139-6190): a revive clears the framework's filters (H:1804-1806).
TEST(MesosConformance, ReviveOffers) {
  MasterHarness h;
  NewOffers offers(h);
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024;disk:0");
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  h.Settle();
  const auto first = offers.Take();
  ExpectOneOffer(first, framework1, agent1, "cpus:2;mem:1024");  // T:6167
  h.Decline(first.at(0), Sec(1000));                             // T:6171
  h.Advance(Sec(1));
  EXPECT_TRUE(offers.Take().empty());  // T:6179-6183
  h.Revive(framework1);
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:2;mem:1024");  // T:6185-6189
}

// RemoveFilters (T:8254-8320): an agent updated with other attributes loses its filters
// (H:1125-1137) and is offered at once by the update's cycle (H:1171-1173).
TEST(MesosConformance, RemoveFilters) {
  MasterHarness h;
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "role");
  const AgentId agent1 = h.AddAgent("agent1", "cpus:1;mem:512;disk:0");
  h.Settle();
  const auto first = offers.Take();
  ExpectOneOffer(first, framework1, agent1, "cpus:1;mem:512");  // T:8284
  h.Decline(first.at(0), Sec(2));                               // T:8291
  h.Advance(Sec(1));
  EXPECT_TRUE(offers.Take().empty());  // T:8299-8303
  h.UpdateAgentAttributes(agent1, {{"foo", "bar"}, {"baz", "quux"}});
  h.Settle();
  const auto again = offers.Take();
  ExpectOneOffer(again, framework1, agent1, "cpus:1;mem:512");  // T:8308-8318
  EXPECT_EQ(again.at(0).at, Sec(1));
}

// --- Which agents a triggered cycle visits (issue 14, "Smaller") ---
// Agent (re)registration and update trigger a cycle over that agent only (H:1064 addSlave,
// H:1172 updateSlave -> generateOffers(slaveId)); framework registration, activation and revive
// one over all agents; requests pending together are one cycle over the union (H:1908-1925).
// agent1's resources, returned with no filter, wait for the next periodic cycle (10 s here)
// unless a cycle over all agents comes first.
TEST(MesosTriggeredCycle, AgentRegistrationVisitsOnlyThatAgent) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(10)).Build());
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024");
  h.Settle();
  const auto first = offers.Take();
  ExpectOneOffer(first, framework1, agent1, "cpus:2;mem:1024");
  h.RunUntil(Sec(1));
  h.Return(first.at(0));
  const AgentId agent2 = h.AddAgent("agent2", "cpus:2;mem:1024");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent2, "cpus:2;mem:1024");  // not agent1
  // An update of agent2's total: a cycle over agent2 only, again.
  h.RunUntil(Sec(2));
  h.UpdateAgentTotal(agent2, "cpus:3;mem:1024");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent2, "cpus:1");
  // Re-registration after removal: agent2 only.
  h.RunUntil(Sec(3));
  h.RemoveAgent(agent2);
  h.master().AgentUp(agent2);
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent2, "cpus:3;mem:1024");
  // The periodic cycle at 10 s offers agent1.
  h.RunUntil(Sec(10));
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:2;mem:1024");
}

TEST(MesosTriggeredCycle, FrameworkTriggerInTheSameInstantVisitsAllAgents) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(10)).Build());
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024");
  h.Settle();
  const auto first = offers.Take();
  ASSERT_EQ(first.size(), 1u);
  h.RunUntil(Sec(1));
  h.Return(first.at(0));
  const AgentId agent2 = h.AddAgent("agent2", "cpus:2;mem:1024");
  h.Revive(framework1);  // joins the batch: one cycle over all agents
  const uint64_t cycles = h.master().cycles();
  h.Settle();
  EXPECT_EQ(h.master().cycles(), cycles + 1);
  const auto both = ByAgent(offers.Take());
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].agent, agent1);
  EXPECT_EQ(both[1].agent, agent2);
}

// An agent update joining a batch with a framework trigger: the cycle over all agents covers it.
TEST(MesosTriggeredCycle, UpdatedAgentIsVisitedWhenAFullCycleJoins) {
  MasterHarness h;
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024");
  h.Settle();
  const auto first = offers.Take();
  ASSERT_EQ(first.size(), 1u);
  h.Decline(first.at(0), Sec(1000));
  h.Advance(Sec(1));
  h.UpdateAgentAttributes(agent1, {{"foo", "bar"}});
  const FrameworkId framework2 = h.AddFramework("framework2", "role2");
  h.Settle();
  const auto got = offers.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].agent, agent1);
  EXPECT_TRUE(got[0].framework == framework1 || got[0].framework == framework2);
}

// Filters do not outlive an agent's registration (removeSlave -> removeFilters, H:1106): a
// framework that refused agent1 for 1000 s is offered it when it registers again.
TEST(MesosTriggeredCycle, RemovedAgentsFiltersAreDropped) {
  MasterHarness h;
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024");
  h.Settle();
  const auto first = offers.Take();
  ASSERT_EQ(first.size(), 1u);
  h.Decline(first.at(0), Sec(1000));
  h.Advance(Sec(1));
  EXPECT_TRUE(offers.Take().empty());
  h.RemoveAgent(agent1);
  h.master().AgentUp(agent1);
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:2;mem:1024");
}

// --- Multi-role frameworks (item 4) ---

// SuppressAndReviveOffersWithMultiRole (T:6196-6269): framework1 has roles role1 and role2 (one
// subscription each, a client of each role's sorter, H:759-770); suppress and revive name one
// role (H:1762-1837) and a decline's filter belongs to the offer's role (H:1742-1750), so a
// revive of role1 leaves role2's filter in place (H:1804-1806).
TEST(MesosConformance, SuppressAndReviveOffersWithMultiRole) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddMultiRoleFramework("framework1", {"role1", "role2"});
  h.master().Suppress(framework1, "role1");
  h.Settle();
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024;disk:0");
  h.Settle();
  auto got = offers.Take();
  ExpectOneOffer(got, framework1, agent1, "cpus:2;mem:1024");  // T:6227
  EXPECT_EQ(got.at(0).role, "role2");
  h.Decline(got.at(0), sim::Time::Seconds(86400));  // refuse 1 day (T:6231)
  h.RunUntil(Sec(1));
  EXPECT_TRUE(offers.Take().empty());  // T:6239-6243
  h.master().Revive(framework1, "role1");
  h.Settle();
  got = offers.Take();
  ExpectOneOffer(got, framework1, agent1, "cpus:2;mem:1024");  // T:6246-6252
  EXPECT_EQ(got.at(0).role, "role1");
  h.Decline(got.at(0), sim::Time::Seconds(86400));  // T:6255
  h.RunUntil(Sec(2));
  EXPECT_TRUE(offers.Take().empty());  // T:6258-6268
  EXPECT_FALSE(h.master().suppressed(framework1, "role1"));
  EXPECT_FALSE(h.master().suppressed(framework1, "role2"));
}

// FrameworkMinAllocatable (T:2393-2453): below the master's cpus:0.01 | mem:32 the agent is not
// offered (T:2429); a framework's own offer_filters[role1].min_allocatable_resources of
// cpus:0.01/3 (0.003 in Mesos's three-decimal fixed point, as ours) replaces the master's for it
// (H:2831-2833); the update triggers no cycle (H:906-972) and the next periodic one offers the
// whole agent (T:2447-2452).
TEST(MesosConformance, FrameworkMinAllocatable) {
  MasterHarness h(ScenarioBuilder()
                      .AllocationInterval(Sec(1))
                      .MinAllocatable({test::Res("cpus:0.01"), test::Res("mem:32")})
                      .Build());
  NewOffers offers(h);
  const FrameworkId framework1 = h.AddFramework("framework1", "role1");
  h.Settle();
  const AgentId agent1 = h.AddAgent("agent1", "cpus:0.005;mem:16;disk:128");
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());  // T:2429
  h.master().SetMinAllocatable(framework1, "role1",
                               std::vector<Resources>{Resources::Of(0.01 / 3, 0)});
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());  // no cycle of its own
  h.RunUntil(Sec(1));
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:0.005;mem:16;disk:128");  // T:2447-2452
}

// FrameworkEmptyMinAllocatable (T:2459-2496): the master keeps its default cpus:0.01 | mem:32,
// and the framework's offer_filters[role1] has an empty min_allocatable_resources, which means
// anything is worth offering to it (H:2835-2840): the agent below the master's minimum goes to it
// whole (T:2493-2495).
TEST(MesosConformance, FrameworkEmptyMinAllocatable) {
  MasterHarness h;
  NewOffers offers(h);
  const FrameworkId framework = h.master().AddFramework(models::FrameworkRegistration{
      .name = "framework", .roles = {"role1"}, .min_allocatable = {{"role1", {}}}});
  const AgentId slave = h.AddAgent("slave", "cpus:0.005;mem:16;disk:128");
  h.Settle();
  ExpectOneOffer(offers.Take(), framework, slave, "cpus:0.005;mem:16;disk:128");
}

// --- Maintenance: inverse offers (issue 15 item 4)
// ------------------------------------------------ Mesos's fixture queues one `Deallocation` per
// inverse-offer callback (T:122-126, T:165-177); ours is MasterHarness::inverse_offers, one entry
// per agent. The tests call the allocator's updateUnavailability; ours goes through
// Master::ScheduleMaintenance, which first does what Master::updateUnavailability does
// (M:8046-8109): the agent's offers are rescinded and offered again (with the unavailability) in
// the cycle the update triggers, so a framework that held an offer there holds one again when the
// inverse offers are made.

// MaintenanceInverseOffers (T:1122-1209): an inverse offer goes only to a framework holding
// offered or allocated resources on the agent (H:2568-2569), and only once while unanswered
// (H:2593).
TEST(MesosConformance, MaintenanceInverseOffers) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024;disk:0");  // T:1132-1139
  const FrameworkId framework1 = h.AddFramework("framework1", "*");       // T:1142-1143
  h.Settle();
  ExpectOneOffer(offers.Take(), framework1, agent1, "cpus:2;mem:1024");   // T:1146-1150
  const AgentId agent2 = h.AddAgent("agent2", "cpus:2;mem:1024;disk:0");  // T:1153-1160
  h.Settle();
  const auto second = offers.Take();
  ExpectOneOffer(second, framework1, agent2, "cpus:2;mem:1024");  // T:1163-1166
  h.Decline(second.at(0), Sec(86400));                            // refuse 1 day (T:1169-1177)
  h.Settle();
  // T:1179-1184: both agents unavailable from now + 60 s.
  const sim::Time start = h.sim().Now() + Sec(60);
  h.master().ScheduleMaintenance(agent1, models::Unavailability{start, sim::Time::Max()});
  h.master().ScheduleMaintenance(agent2, models::Unavailability{start, sim::Time::Max()});
  h.Settle();
  // agent1's offer came back carrying the window; agent2 stays filtered for framework1.
  const auto again = offers.Take();
  ExpectOneOffer(again, framework1, agent1, "cpus:2;mem:1024");
  EXPECT_EQ(h.master().offer(again.at(0).slot).unavailability.start, start);
  ASSERT_EQ(h.inverse_offers.size(), 1u);                      // T:1187-1190
  EXPECT_EQ(h.inverse_offers[0].framework, framework1);        // T:1188
  EXPECT_EQ(h.inverse_offers[0].agent, agent1);                // T:1190; none for agent2 (T:1193)
  EXPECT_EQ(h.inverse_offers[0].unavailability.start, start);  // T:1202-1204
  // Empty resources (the whole agent, T:1200): ours carry none. No second inverse offer
  // (T:1208), not even over later cycles: the first is still outstanding.
  h.Advance(Sec(3));
  EXPECT_EQ(h.inverse_offers.size(), 1u);
}

// AddAgentWithUnknownFrameworkAndMaintenance (T:1062-1115, MESOS-10109): agent1 is fully used by
// a framework the allocator does not know and is unavailable from now + 365 days. Every
// clustersim task has a known framework, so agent1 is used by framework0, deactivated: skipped
// as an inactive one (H:2584-2585), next to the unknown ones (H:2574-2577). Neither crashes nor
// sends anything for agent1.
TEST(MesosConformance, AddAgentWithUnknownFrameworkAndMaintenance) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  NewOffers offers(h);
  const FrameworkId framework0 = h.AddFramework("framework0", "role");
  h.DeactivateFramework(framework0);
  const AgentId agent1 = h.AddAgent("agent1", "cpus:2;mem:1024;disk:0");  // T:1073-1084
  h.Use(framework0, agent1, "cpus:2;mem:1024");
  h.master().ScheduleMaintenance(
      agent1, models::Unavailability{h.sim().Now() + Sec(365 * 86400), sim::Time::Max()});
  h.Settle();
  EXPECT_TRUE(offers.Take().empty());
  EXPECT_TRUE(h.inverse_offers.empty());
  const FrameworkId framework = h.AddFramework("framework", "role");      // T:1086-1087
  const AgentId agent2 = h.AddAgent("agent2", "cpus:2;mem:1024;disk:0");  // T:1090-1097
  h.Settle();
  ExpectOneOffer(offers.Take(), framework, agent2, "cpus:2;mem:1024");  // T:1100-1103
  EXPECT_TRUE(h.inverse_offers.empty());
  const sim::Time start = h.sim().Now() + Sec(60);  // T:1106-1108
  h.master().ScheduleMaintenance(agent2, models::Unavailability{start, sim::Time::Max()});
  h.Settle();
  ASSERT_EQ(h.inverse_offers.size(), 1u);  // T:1111-1114
  EXPECT_EQ(h.inverse_offers[0].framework, framework);
  EXPECT_EQ(h.inverse_offers[0].agent, agent2);
  EXPECT_EQ(h.inverse_offers[0].unavailability.start, start);
}

}  // namespace
}  // namespace clustersim::models
