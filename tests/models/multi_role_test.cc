// Multi-role frameworks (Mesos's MULTI_ROLE) in the master: one subscription per (framework, role),
// sorted as its own client; offers by role; per-role suppression, filters, offer constraints and
// min_allocatable. The Mesos tests themselves are in mesos_conformance_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/master/master.h"
#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using plugins::AgentId;
using plugins::FrameworkId;
using plugins::Resources;
using test::MasterHarness;
using test::Res;
using test::ScenarioBuilder;
using test::Sec;

plugins::RoleId RoleNamed(const Master& m, const std::string& name) {
  for (uint32_t r = 0; r < m.role_count(); ++r) {
    if (m.role(plugins::RoleId(r)).name == name) return plugins::RoleId(r);
  }
  ADD_FAILURE() << "no role " << name;
  return plugins::RoleId(0);
}

// The view lists one client per (framework, role), sharing the framework's name, registration
// order and owner; frameworks and subscriptions are numbered apart.
TEST(MultiRoleMasterTest, EachRoleIsASubscriptionOfItsFramework) {
  MasterHarness h;
  const FrameworkId multi = h.AddMultiRoleFramework("multi", {"web", "batch"});
  const FrameworkId single = h.AddFramework("single", "web");
  Master& m = h.master();
  ASSERT_EQ(m.framework_count(), 3u);
  ASSERT_EQ(m.subscriptions(multi).size(), 2u);
  ASSERT_EQ(m.subscriptions(single).size(), 1u);
  const FrameworkId web = m.subscriptions(multi)[0];
  const FrameworkId batch = m.subscriptions(multi)[1];
  EXPECT_EQ(m.framework(web).name, "multi");
  EXPECT_EQ(m.framework(batch).name, "multi");
  EXPECT_EQ(m.framework(web).owner, multi);
  EXPECT_EQ(m.framework(batch).owner, multi);
  EXPECT_EQ(m.framework(web).registration_order, m.framework(batch).registration_order);
  EXPECT_EQ(m.role(m.framework(web).role).name, "web");
  EXPECT_EQ(m.role(m.framework(batch).role).name, "batch");
  const FrameworkId single_sub = m.subscriptions(single)[0];
  EXPECT_EQ(single_sub, FrameworkId(2));
  EXPECT_EQ(m.framework(single_sub).owner, single);
  EXPECT_EQ(m.framework(single_sub).registration_order, 1u);
  EXPECT_EQ(m.SubscriptionFor(multi, "batch"), batch);
  EXPECT_FALSE(m.SubscriptionFor(multi, "other").has_value());
}

// An agent with one reservation per role: in one cycle the framework is offered the agent under
// each role (Mesos visits each role's sorter, H:2395-2531), each role's reservation only under
// that role (allocatableTo(role), H:2425); the first in order takes the unreserved part too.
TEST(MultiRoleMasterTest, OneCycleOffersEachRoleItsReservation) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const FrameworkId f = h.AddMultiRoleFramework("f", {"r1", "r2"});
  h.AddReservedAgent("agent1", "cpus:1;mem:512", {{"r1", "cpus:2"}, {"r2", "cpus:4"}});
  h.Settle();
  ASSERT_EQ(h.received.size(), 2u);
  EXPECT_EQ(h.received[0].framework, f);
  EXPECT_EQ(h.received[1].framework, f);
  EXPECT_EQ(h.received[0].at, h.received[1].at);
  Resources r1, r2;
  for (const auto& o : h.received) (o.role == "r1" ? r1 : r2) += o.resources;
  // r1 sorts first (equal shares, equal counts, smaller name): it takes the unreserved part.
  EXPECT_EQ(r1, Res("cpus:3;mem:512"));
  EXPECT_EQ(r2, Res("cpus:4"));
}

// Launched on a role2 offer, a task is role2's: its role and its subscription carry it, and give
// it back when it ends.
TEST(MultiRoleMasterTest, TasksCountToTheOffersRole) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const FrameworkId f = h.AddMultiRoleFramework("f", {"role1", "role2"});
  h.master().Suppress(f, "role1");
  h.AddAgent("agent1", "cpus:4;mem:4096");
  h.Settle();
  ASSERT_EQ(h.received.size(), 1u);
  ASSERT_EQ(h.received[0].role, "role2");
  const TaskSlot task = h.NewTask(f, "cpus:1;mem:1024", 10);
  h.Accept(h.received[0], {task}, sim::Time::Zero());
  Master& m = h.master();
  const FrameworkId role2_sub = *m.SubscriptionFor(f, "role2");
  EXPECT_EQ(h.tasks()[task].subscription, role2_sub);
  EXPECT_EQ(m.role_allocated(RoleNamed(m, "role2")), h.tasks()[task].allocated);
  EXPECT_TRUE(m.role_allocated(RoleNamed(m, "role1")).IsZero());
  EXPECT_EQ(m.framework_allocated(role2_sub), h.tasks()[task].allocated);
  EXPECT_EQ(m.FrameworkAllocated(f), h.tasks()[task].allocated);
  m.CheckInvariants();
  m.Suppress(f);        // no more offers: what role2 holds is the task alone
  h.RunUntil(Sec(12));  // docker start 1 s + 10 s
  ASSERT_EQ(h.ended.size(), 1u);
  EXPECT_EQ(h.ended[0].framework, f);
  EXPECT_TRUE(m.role_allocated(RoleNamed(m, "role2")).IsZero());
  EXPECT_TRUE(m.framework_allocated(role2_sub).IsZero());
  EXPECT_EQ(h.received.size(), 1u);
  m.CheckInvariants();
}

// Suppress and revive for all roles or one; suppressed(f) is "any role", all_suppressed(f) "every
// role" (the framework model revives on the first and suppresses unless the second).
TEST(MultiRoleMasterTest, SuppressAndReviveAllOrOneRole) {
  MasterHarness h;
  const FrameworkId f = h.AddMultiRoleFramework("f", {"a", "b"});
  Master& m = h.master();
  EXPECT_FALSE(m.suppressed(f));
  m.Suppress(f);
  EXPECT_TRUE(m.all_suppressed(f));
  EXPECT_TRUE(m.suppressed(f, "a"));
  EXPECT_TRUE(m.suppressed(f, "b"));
  m.Revive(f, "a");
  EXPECT_TRUE(m.suppressed(f));
  EXPECT_FALSE(m.all_suppressed(f));
  EXPECT_FALSE(m.suppressed(f, "a"));
  EXPECT_TRUE(m.suppressed(f, "b"));
  m.Suppress(f, "a");
  m.Suppress(f, "a");  // twice: still counted once
  m.Revive(f);
  EXPECT_FALSE(m.suppressed(f));
  m.Suppress(f, "no-such-role");  // dropped, as Mesos's master drops it
  EXPECT_FALSE(m.suppressed(f));
}

// A REVIVE naming a role the framework is not subscribed to is dropped whole
// (master.cpp:5641-5646): no role is revived and no cycle runs.
TEST(MultiRoleMasterTest, ReviveOfAnUnknownRoleDoesNothing) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(10)).Build());
  const FrameworkId f = h.AddMultiRoleFramework("f", {"a", "b"});
  h.AddAgent("agent1", "cpus:2;mem:1024");
  h.Settle();
  const uint64_t cycles = h.master().cycles();
  h.master().Suppress(f);
  h.RunUntil(Sec(1));
  h.master().Revive(f, "no-such-role");
  h.Settle();
  EXPECT_TRUE(h.master().all_suppressed(f));
  EXPECT_EQ(h.master().cycles(), cycles);
  h.master().Revive(f, "b");
  h.Settle();
  EXPECT_FALSE(h.master().suppressed(f, "b"));
  EXPECT_EQ(h.master().cycles(), cycles + 1);
}

// A decline filters the agent for the offer's role only: the other role is offered it next cycle.
TEST(MultiRoleMasterTest, ADeclineFiltersOnlyItsRole) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const FrameworkId f = h.AddMultiRoleFramework("f", {"r1", "r2"});
  h.AddAgent("agent1", "cpus:2;mem:1024");
  h.Settle();
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].role, "r1");
  h.Decline(h.received[0], Sec(100));
  h.RunUntil(Sec(1));
  ASSERT_EQ(h.received.size(), 2u);
  EXPECT_EQ(h.received[1].framework, f);
  EXPECT_EQ(h.received[1].role, "r2");
  h.Decline(h.received[1], Sec(100));
  h.RunUntil(Sec(5));
  EXPECT_EQ(h.received.size(), 2u);  // both roles filtered
}

// Offer constraints by role: a role whose constraints exclude the agent is skipped, the other
// role of the same framework still gets it.
TEST(MultiRoleMasterTest, OfferConstraintsPerRole) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  using Kind = AttributeConstraintSpec::Predicate;
  AgentAccess access{OfferConstraintsFilter::Create(
                         {RoleOfferConstraints{"win", {{{"os", Kind::kTextEquals, "windows"}}}}}),
                     false};
  const FrameworkId f = h.master().AddFramework(
      FrameworkRegistration{.name = "f", .roles = {"win", "lin"}, .access = std::move(access)});
  h.AddAgent("agent1", "cpus:2;mem:1024");  // a Linux agent
  h.Settle();
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].framework, f);
  EXPECT_EQ(h.received[0].role, "lin");
  EXPECT_TRUE(h.master().Excluded(*h.master().SubscriptionFor(f, "win"), AgentId(0)));
  EXPECT_FALSE(h.master().Excluded(*h.master().SubscriptionFor(f, "lin"), AgentId(0)));
}

// --- min_allocatable --------------------------------------------------------------------------

// A framework's own list replaces the master's for it, upward too: with {cpus: 2} an agent of
// 1 cpu is not worth offering to it, while a framework on the master's list takes it.
TEST(MasterMinAllocatableTest, AFrameworksListReplacesTheMasters) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const FrameworkId picky = h.master().AddFramework(FrameworkRegistration{
      .name = "picky", .roles = {"a"}, .min_allocatable = {{"a", {Res("cpus:2")}}}});
  const FrameworkId plain = h.AddFramework("plain", "b");
  const AgentId agent = h.AddAgent("agent1", "cpus:1;mem:4096");
  h.Settle();
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].framework, plain);
  EXPECT_EQ(h.received[0].agent, agent);
  EXPECT_TRUE(h.OffersTo(picky).empty());
}

// By role: a list for one role leaves the other on the master's.
TEST(MasterMinAllocatableTest, PerRoleLists) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const FrameworkId f = h.master().AddFramework(FrameworkRegistration{
      .name = "f", .roles = {"big", "small"}, .min_allocatable = {{"big", {Res("cpus:4")}}}});
  h.AddAgent("agent1", "cpus:2;mem:1024");
  h.Settle();
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].framework, f);
  EXPECT_EQ(h.received[0].role, "small");
  // Back to the master's list for every role: the next cycles may offer "big" too once "small"
  // declines (its filter keeps "small" away).
  h.Decline(h.received[0], Sec(100));
  h.master().SetMinAllocatable(f, std::nullopt, std::nullopt);
  h.RunUntil(Sec(1));
  ASSERT_EQ(h.received.size(), 2u);
  EXPECT_EQ(h.received[1].role, "big");
}

// An agent below the master's list but above a framework's is a candidate (the cell looks at it)
// and goes to that framework in the first cycle, with no idle mark holding it back.
TEST(MasterMinAllocatableTest, SmallAgentsAreCandidatesForASmallerList) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  h.master().set_cycle_checks(true);
  const FrameworkId f = h.master().AddFramework(FrameworkRegistration{
      .name = "f", .roles = {"r"}, .min_allocatable = {{"r", {Res("cpus:0.002")}}}});
  h.AddAgent("tiny", "cpus:0.005;mem:16");
  h.Settle();
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].framework, f);
  EXPECT_EQ(h.received[0].resources, Res("cpus:0.005;mem:16"));
}

// The master's list may be empty (Mesos's --min_allocatable_resources="", master.cpp:758-794):
// anything is worth offering, but nothing is not (H:2817-2819, H:2835-2840). It offered nothing
// ever before: the cell took an empty list for "nothing meets it".
TEST(MasterMinAllocatableTest, AnEmptyMasterListOffersAnythingButNothing) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).MinAllocatable({}).Build());
  const FrameworkId user = h.AddFramework("user", "a");
  const FrameworkId other = h.AddFramework("other", "b");
  const AgentId full = h.AddAgent("full", "cpus:1;mem:512");
  h.Use(user, full, "cpus:1;mem:512");
  const AgentId tiny = h.AddAgent("tiny", "cpus:0.001;mem:1");
  h.RunUntil(Sec(3));
  ASSERT_FALSE(h.received.empty());
  for (const MasterHarness::Received& r : h.received) {
    EXPECT_EQ(r.agent, tiny);  // never the full agent: nothing there to offer
    EXPECT_EQ(r.resources, Res("cpus:0.001;mem:1"));
  }
  EXPECT_FALSE(h.OffersTo(other).empty());
}

// A zero quantity is Mesos's empty quantity (resource_quantities.cpp:62-69), which every amount
// contains: anything but nothing is worth offering, as with an empty list.
TEST(MasterMinAllocatableTest, AZeroQuantityOffersAnythingButNothing) {
  MasterHarness h(
      ScenarioBuilder().AllocationInterval(Sec(1)).MinAllocatable({Res("cpus:0")}).Build());
  const FrameworkId user = h.AddFramework("user", "a");
  const AgentId full = h.AddAgent("full", "cpus:1;mem:512");
  h.Use(user, full, "cpus:1;mem:512");
  const AgentId tiny = h.AddAgent("tiny", "cpus:0.001;mem:1");
  h.Settle();
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].agent, tiny);
}

TEST(MeetsMinAllocatableTest, EmptyListsAndZeroQuantitiesMeanAnythingButNothing) {
  const std::vector<Resources> defaults = {Res("cpus:0.01"), Res("mem:32")};
  EXPECT_TRUE(MeetsMinAllocatable(defaults, Res("cpus:0.01")));
  EXPECT_TRUE(MeetsMinAllocatable(defaults, Res("cpus:0.001;mem:32")));
  EXPECT_FALSE(MeetsMinAllocatable(defaults, Res("cpus:0.005;mem:16;disk:128")));
  EXPECT_TRUE(MeetsMinAllocatable({}, Res("disk:1")));
  EXPECT_FALSE(MeetsMinAllocatable({}, Resources()));
  const std::vector<Resources> zero = {Res("cpus:0")};
  EXPECT_TRUE(MeetsMinAllocatable(zero, Res("mem:1")));
  EXPECT_FALSE(MeetsMinAllocatable(zero, Resources()));
  // The smallest amount of any one kind is something.
  for (int k = 0; k < plugins::kMaxResourceKinds; ++k) {
    Resources unit;
    unit.SetRaw(k, 1);
    EXPECT_TRUE(MeetsMinAllocatable({}, unit)) << k;
    EXPECT_TRUE(MeetsMinAllocatable(zero, unit)) << k;
  }
}

// The master and the cell keep lists normalized and take unions of them: both must keep meaning
// what the lists meant.
TEST(MeetsMinAllocatableTest, NormalizingTwiceAndUnionsKeepTheMeaning) {
  const std::vector<Resources> anything = NormalizedMinAllocatable({});
  EXPECT_EQ(NormalizedMinAllocatable(anything), anything);
  EXPECT_EQ(NormalizedMinAllocatable({Res("cpus:0"), Res("mem:32")}), anything);
  const std::vector<Resources> cpus = {Res("cpus:1")};
  EXPECT_EQ(NormalizedMinAllocatable(cpus), cpus);
  std::vector<Resources> either = cpus;
  either.insert(either.end(), anything.begin(), anything.end());
  EXPECT_TRUE(ContainsOneOf(either, Res("mem:1")));
  EXPECT_TRUE(ContainsOneOf(either, Res("cpus:1")));
  EXPECT_FALSE(ContainsOneOf(either, Resources()));
  EXPECT_FALSE(ContainsOneOf(cpus, Res("cpus:0.5;mem:1024")));
}

}  // namespace
}  // namespace clustersim::models
