// A framework's scheduler disconnecting and its failover_timeout (models/master/
// framework_failover.cc): Mesos's Master::_exited arms the timeout (master.cpp:1416-1442), a
// reconnection within it keeps everything, and frameworkFailoverTimeout -> removeFramework kills
// every task with REASON_FRAMEWORK_REMOVED (M:9354-9369, 10422-10436); a master failover drops the
// timer (docs/mesos-agent-lifecycle-facts.md §4.3).
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/harness.h"

namespace clustersim::test {
namespace {

using models::TaskReason;
using models::TaskSlot;

FrameworkId AddFramework(MasterHarness& h, const std::string& name, sim::Time failover_timeout) {
  models::FrameworkRegistration r;
  r.name = name;
  r.roles = {name};
  r.failover_timeout = failover_timeout;
  return h.master().AddFramework(std::move(r));
}

size_t OffersBetween(const MasterHarness& h, FrameworkId f, sim::Time from, sim::Time to) {
  size_t n = 0;
  for (const MasterHarness::Received& o : h.received)
    n += o.framework == f && o.at >= from && o.at < to;
  return n;
}

// Back within its failover_timeout: no offer while disconnected (its outstanding one rescinded),
// its task untouched, offers again from the reconnection.
TEST(FrameworkFailoverTest, AReconnectionWithinTheTimeoutKeepsEverything) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  const AgentId a = h.AddAgent("a", "cpus:4;mem:4096");
  const FrameworkId f = AddFramework(h, "f", Sec(60));
  const TaskSlot task = h.Use(f, a, "cpus:1;mem:512");
  h.RunUntil(Sec(9.5));
  ASSERT_EQ(h.Outstanding(f).size(), 1u);
  h.sim().Schedule(Sec(10), [&] { EXPECT_TRUE(h.master().DisconnectScheduler(f)); });
  h.sim().Schedule(Sec(40), [&] { h.master().ReconnectScheduler(f); });
  h.RunUntil(Sec(39));
  EXPECT_TRUE(h.Outstanding(f).empty());
  ASSERT_EQ(h.rescinded.size(), 1u);
  EXPECT_EQ(OffersBetween(h, f, Sec(10), Sec(39)), 0u);
  h.RunUntil(Sec(200));
  EXPECT_EQ(h.Outstanding(f).size(), 1u);  // offered again at the reconnection
  EXPECT_EQ(h.OffersTo(f).back().at, Sec(40));
  EXPECT_TRUE(h.ended.empty());
  EXPECT_EQ(h.tasks()[task].state, TaskState::kRunning);
  EXPECT_FALSE(h.master().framework_removed(f));
}

// Not back within 60 s: at 70 s every task of the framework ends KILLED framework_removed, its
// resources go back, and it is never offered anything again — a late reconnection included.
TEST(FrameworkFailoverTest, PastTheTimeoutTheFrameworkIsRemovedAndItsTasksKilled) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  const AgentId a = h.AddAgent("a", "cpus:4;mem:4096");
  const AgentId b = h.AddAgent("b", "cpus:4;mem:4096");
  const FrameworkId f = AddFramework(h, "f", Sec(60));
  const FrameworkId other = AddFramework(h, "other", Sec(60));
  h.on_offer = [&](const MasterHarness::Received& o) { h.Decline(o, Sec(1)); };
  h.Use(f, a, "cpus:1;mem:512");
  h.Use(f, b, "cpus:2;mem:512");
  h.Use(other, b, "cpus:1;mem:512");
  h.sim().Schedule(Sec(10), [&] { h.master().DisconnectScheduler(f); });
  h.sim().Schedule(Sec(100), [&] { h.master().ReconnectScheduler(f); });
  h.RunUntil(Sec(69.9));
  EXPECT_TRUE(h.ended.empty());
  h.RunUntil(Sec(300));
  ASSERT_EQ(h.ended.size(), 2u);
  for (const MasterHarness::Ended& e : h.ended) {
    EXPECT_EQ(e.at, Sec(70));
    EXPECT_EQ(e.framework, f);
    EXPECT_EQ(e.state, TaskState::kKilled);
    EXPECT_EQ(h.tasks()[e.task].reason, TaskReason::kFrameworkRemoved);
  }
  EXPECT_TRUE(h.master().framework_removed(f));
  EXPECT_TRUE(h.master().FrameworkAllocated(f).IsZero());
  EXPECT_EQ(OffersBetween(h, f, Sec(10), Sec(300)), 0u);
  EXPECT_GT(OffersBetween(h, other, Sec(70), Sec(300)), 0u);
  EXPECT_EQ(h.master().agent_allocated(b), Res("cpus:1;mem:512"));  // other's task only
  h.master().CheckInvariants();
}

// The allocator forgets a removed framework (M:10548, hierarchical.cpp:799-844): it leaves its
// role's sorter, and the role, with no framework left, the role sorter (3002-3015).
TEST(FrameworkFailoverTest, TheAllocatorForgetsARemovedFrameworkAndItsEmptiedRole) {
  MasterHarness h;
  const AgentId a = h.AddAgent("a", "cpus:4;mem:4096");
  const FrameworkId f = AddFramework(h, "f", Sec(60));
  const FrameworkId other = AddFramework(h, "other", Sec(60));
  const plugins::RoleId f_role = h.master().framework(h.master().subscriptions(f)[0]).role;
  const plugins::RoleId other_role = h.master().framework(h.master().subscriptions(other)[0]).role;
  h.Use(f, a, "cpus:1;mem:512");
  h.sim().Schedule(Sec(10), [&] { h.master().DisconnectScheduler(f); });
  h.RunUntil(Sec(69.9));
  EXPECT_TRUE(h.drf().HasRole(f_role));  // disconnected, not removed: deactivated in its sorter
  h.RunUntil(Sec(100));
  ASSERT_TRUE(h.master().framework_removed(f));
  EXPECT_FALSE(h.drf().HasRole(f_role));
  EXPECT_TRUE(h.drf().HasRole(other_role));
  h.master().CheckInvariants();
}

// Mesos's default failover_timeout is 0: the framework is removed at the disconnection itself.
TEST(FrameworkFailoverTest, WithTheDefaultTimeoutTheFrameworkGoesAtTheDisconnection) {
  MasterHarness h;
  const AgentId a = h.AddAgent("a", "cpus:4;mem:4096");
  const FrameworkId f = AddFramework(h, "f", sim::Time::Zero());
  h.Use(f, a, "cpus:1;mem:512");
  h.sim().Schedule(Sec(10), [&] { h.master().DisconnectScheduler(f); });
  h.RunUntil(Sec(20));
  ASSERT_EQ(h.ended.size(), 1u);
  EXPECT_EQ(h.ended[0].at, Sec(10));
  EXPECT_EQ(h.tasks()[h.ended[0].task].reason, TaskReason::kFrameworkRemoved);
}

// A master failover while the scheduler is away drops its timer: the new leader arms none, so
// its task runs on past the timeout as an orphan; the scheduler subscribes again when it is back.
TEST(FrameworkFailoverTest, AMasterFailoverDropsTheTimer) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  const AgentId a = h.AddAgent("a", "cpus:4;mem:4096");
  const FrameworkId f = AddFramework(h, "f", Sec(60));
  const TaskSlot task = h.Use(f, a, "cpus:1;mem:512");
  h.sim().Schedule(Sec(10), [&] { h.master().DisconnectScheduler(f); });
  h.sim().Schedule(Sec(20), [&] { h.master().FailOver(Sec(5), Sec(1)); });
  h.sim().Schedule(Sec(200), [&] { h.master().ReconnectScheduler(f); });
  h.RunUntil(Sec(199));
  EXPECT_TRUE(h.ended.empty());
  EXPECT_EQ(h.tasks()[task].state, TaskState::kRunning);
  EXPECT_EQ(OffersBetween(h, f, Sec(10), Sec(199)), 0u);  // disconnected: not resubscribed
  h.RunUntil(Sec(210));
  EXPECT_GT(OffersBetween(h, f, Sec(200), Sec(210)), 0u);
  EXPECT_FALSE(h.master().framework_removed(f));
}

// A scheduler that disconnects during the election does not resubscribe at it, and its timer is
// not armed (no master noticed); back later, it subscribes with the leader.
TEST(FrameworkFailoverTest, ADisconnectionWithNoLeaderArmsNoTimer) {
  MasterHarness h;
  const AgentId a = h.AddAgent("a", "cpus:4;mem:4096");
  const FrameworkId f = AddFramework(h, "f", Sec(1));
  h.Use(f, a, "cpus:1;mem:512");
  h.sim().Schedule(Sec(10), [&] { h.master().FailOver(Sec(5), Sec(1)); });
  h.sim().Schedule(Sec(12), [&] { h.master().DisconnectScheduler(f); });
  h.sim().Schedule(Sec(50), [&] { h.master().ReconnectScheduler(f); });
  h.RunUntil(Sec(49));
  EXPECT_TRUE(h.ended.empty());
  EXPECT_EQ(OffersBetween(h, f, Sec(10), Sec(49)), 0u);
  h.RunUntil(Sec(60));
  EXPECT_GT(OffersBetween(h, f, Sec(50), Sec(60)), 0u);
}

// A removal soon after a master failover: the new master kills the tasks it knows (on agent a,
// back at once); those on b, cut off and not reregistered yet, are unknown to it
// (master.cpp:10398-10403) and end when b reregisters at its heal (M:7016-7021).
TEST(FrameworkFailoverTest, ARemovalSparesTasksOnAgentsNotBackUntilTheyReregister) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  const AgentId a = h.AddAgent("a", "cpus:4;mem:4096");
  const AgentId b = h.AddAgent("b", "cpus:4;mem:4096");
  const FrameworkId f = AddFramework(h, "f", sim::Time::Zero());
  h.Use(f, a, "cpus:1;mem:512");
  h.Use(f, b, "cpus:1;mem:512");
  h.sim().Schedule(Sec(5), [&] { h.master().PartitionAgent(b); });
  h.sim().Schedule(Sec(10), [&] { h.master().FailOver(Sec(1), Sec(0.1)); });
  h.sim().Schedule(Sec(20), [&] { h.master().DisconnectScheduler(f); });
  h.sim().Schedule(Sec(50), [&] { h.master().HealPartition(b); });
  h.RunUntil(Sec(100));
  ASSERT_EQ(h.ended.size(), 2u);
  EXPECT_EQ(h.ended[0].at, Sec(20));
  EXPECT_EQ(h.ended[1].at, Sec(50));
  for (const MasterHarness::Ended& e : h.ended) {
    EXPECT_EQ(e.state, TaskState::kKilled);
    EXPECT_EQ(h.tasks()[e.task].reason, TaskReason::kFrameworkRemoved);
  }
  h.master().CheckInvariants();
}

// Calls of a disconnected scheduler reach no master (sched.cpp:1455): with allocation_interval 0,
// its revives and new work run no cycle; its resubscription does.
TEST(FrameworkFailoverTest, ADisconnectedSchedulersRevivesRunNoCycle) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(sim::Time::Zero()).Build());
  h.AddAgent("a", "cpus:4;mem:4096");
  const FrameworkId f = AddFramework(h, "f", sim::Time::Max());
  h.on_offer = [&](const MasterHarness::Received& o) { h.Decline(o, Sec(1000)); };
  h.RunUntil(Sec(5));
  h.master().DisconnectScheduler(f);
  h.RunUntil(Sec(6));
  const uint64_t cycles = h.master().cycles();
  h.sim().Schedule(Sec(7), [&] {
    h.master().Revive(f);
    h.master().DemandAppeared(f);
  });
  h.RunUntil(Sec(20));
  EXPECT_EQ(h.master().cycles(), cycles);
  h.master().ReconnectScheduler(f);
  h.RunUntil(Sec(21));
  EXPECT_EQ(h.master().cycles(), cycles + 1);
  EXPECT_EQ(h.OffersTo(f).back().at, Sec(20));
}

}  // namespace
}  // namespace clustersim::test
