// What the new leader's allocator knows after a master failover (models/master/master_failover.cc,
// HideFromAllocator / ShowToAllocator): Mesos's allocator starts empty (hierarchical.cpp:680)
// and adds each agent with the resources of its non-terminal tasks when it reregisters (addSlave,
// H:974-1039; master.cpp:10733-10739, 12605-12607); the agent's status updates wait until then
// (slave.cpp:1440-1453 pauses them, 1829-1833 resumes them).
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/harness.h"

namespace clustersim::test {
namespace {

using models::TaskReason;
using models::TaskSlot;

// Agent x runs 3 cpus of f's and is cut off before the failover, so it cannot reregister; y comes
// back at once. The new allocator's totals and f's allocation hold only what it was told: nothing
// before y is back, y's capacity after, and x with f's task once x reregisters at its heal. The
// cell's own figures (cell().total(), FrameworkAllocated) hold everything throughout.
TEST(FailoverAllocatorTest, TheNewAllocatorKnowsOnlyTheAgentsThatReregistered) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  const AgentId x = h.AddAgent("x", "cpus:4;mem:4096");
  const AgentId y = h.AddAgent("y", "cpus:2;mem:2048");
  const FrameworkId f = h.AddFramework("f");
  h.on_offer = [&](const MasterHarness::Received& o) { h.Decline(o, Sec(1000)); };
  h.Use(f, x, "cpus:3;mem:1024");
  h.sim().Schedule(Sec(5), [&] { h.master().PartitionAgent(x); });
  h.sim().Schedule(Sec(10), [&] { h.master().FailOver(Sec(1), Sec(0.1)); });
  h.sim().Schedule(Sec(20), [&] { h.master().HealPartition(x); });
  h.RunUntil(Sec(9));
  EXPECT_EQ(h.master().cluster_total(), Res("cpus:6;mem:6144"));
  EXPECT_EQ(h.master().framework_allocated(f), Res("cpus:3;mem:1024"));

  h.RunUntil(Sec(10.5));  // no leader: no allocator knows anything
  EXPECT_TRUE(h.master().cluster_total().IsZero());
  EXPECT_TRUE(h.master().framework_allocated(f).IsZero());
  EXPECT_TRUE(h.master().role_allocated(h.master().framework(f).role).IsZero());
  EXPECT_EQ(h.master().FrameworkAllocated(f), Res("cpus:3;mem:1024"));
  EXPECT_EQ(h.master().cell().total(), Res("cpus:6;mem:6144"));
  h.master().CheckInvariants();

  h.RunUntil(Sec(15));  // y reregistered within the election's 0.1 s window
  EXPECT_FALSE(h.master().agent_unknown_to_allocator(y));
  EXPECT_TRUE(h.master().agent_unknown_to_allocator(x));
  EXPECT_EQ(h.master().cluster_total(), Res("cpus:2;mem:2048"));
  EXPECT_TRUE(h.master().framework_allocated(f).IsZero());
  h.master().CheckInvariants();

  h.RunUntil(Sec(21));  // x healed and reregistered with its task
  EXPECT_FALSE(h.master().agent_unknown_to_allocator(x));
  EXPECT_EQ(h.master().cluster_total(), Res("cpus:6;mem:6144"));
  EXPECT_EQ(h.master().framework_allocated(f), Res("cpus:3;mem:1024"));
  h.master().CheckInvariants();
}

// DRF orders by share: before the failover `big` (3 of x's 4 cpus) sorts after `small`. After it,
// with x not back, the new allocator sees both at share 0 and no allocation counted, so the tie
// goes to `big`, registered first (sorter.hpp compareDRF) — where counting x's task, as
// clustersim did before, offered y to `small` first.
TEST(FailoverAllocatorTest, DrfOrdersByWhatTheNewAllocatorWasTold) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  const AgentId x = h.AddAgent("x", "cpus:4;mem:4096");
  h.AddAgent("y", "cpus:2;mem:2048");
  const FrameworkId big = h.AddFramework("big");
  const FrameworkId small = h.AddFramework("small");
  h.on_offer = [&](const MasterHarness::Received& o) { h.Decline(o, Sec(1000)); };
  h.Use(big, x, "cpus:3;mem:1024");
  h.sim().Schedule(Sec(5), [&] { h.master().PartitionAgent(x); });
  h.sim().Schedule(Sec(10), [&] { h.master().FailOver(Sec(1), Sec(0.1)); });
  h.RunUntil(Sec(15));
  std::vector<FrameworkId> after;
  for (const MasterHarness::Received& o : h.received) {
    if (o.at > Sec(10)) after.push_back(o.framework);
  }
  ASSERT_GE(after.size(), 2u);
  EXPECT_EQ(after[0], big);
  EXPECT_EQ(after[1], small);  // big filters y for 1000 s
}

// Quota consumption is what the allocator knows too (H:2024-2044). Role q's guarantee is 4 cpus,
// its limit 4 cpus and 1 GiB, all used on x (a limit on cpus alone would still let it be offered
// memory). After a failover with x cut off, the allocator resumes with
// ⌊0.8 × 5⌋ = 4 agents back (H:1041-1057) and sees q consuming nothing: stage 1 offers q its
// whole guarantee again. When x comes back q holds 8 cpus against its limit of 4 — the over-
// commitment Mesos's recovery pause exists to make unlikely (the comment at H:1041-1048).
TEST(FailoverAllocatorTest, QuotaConsumptionLeavesOutTheAgentsNotBack) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  const AgentId x = h.AddAgent("x", "cpus:4;mem:4096");
  for (const char* name : {"y1", "y2", "y3", "y4"}) h.AddAgent(name, "cpus:4;mem:4096");
  const FrameworkId q = h.AddFramework("q", "q");
  h.UpdateQuota("q", "cpus:4", "cpus:4;mem:1024");
  h.Use(q, x, "cpus:4;mem:1024");
  h.RunUntil(Sec(4));
  for (const MasterHarness::Received& o : h.received) EXPECT_NE(o.framework, q);
  h.sim().Schedule(Sec(5), [&] { h.master().PartitionAgent(x); });
  h.sim().Schedule(Sec(10), [&] { h.master().FailOver(Sec(1), Sec(0.1)); });
  h.sim().Schedule(Sec(30), [&] { h.master().HealPartition(x); });
  h.RunUntil(Sec(25));
  Resources offered_to_q;
  for (const MasterHarness::Received& o : h.received) {
    if (o.framework == q) offered_to_q += o.resources;
  }
  EXPECT_EQ(offered_to_q, Res("cpus:4;mem:1024"));  // its guarantee, then its limit stops it
  h.RunUntil(Sec(31));
  EXPECT_EQ(h.master().role_allocated(h.master().framework(q).role), Res("cpus:8;mem:2048"));
  h.master().CheckInvariants();
}

// A task that ends while its agent has not reregistered is reported when the agent reregisters
// (its status update manager paused meanwhile); until then its resources stay allocated.
TEST(FailoverAllocatorTest, ATaskEndingBeforeItsAgentIsBackIsReportedAtTheReregistration) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 1, "cpus:4;mem:8192");
  b.Framework("jobs").workload = Backlog(1, "cpus:1;mem:1024", 100);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(95), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.RunUntil(Sec(200));
  sim::Time running = sim::Time::Max();
  std::vector<TaskEvent> ended;
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind == TaskEvent::kRunning) running = std::min(running, e.at);
    if (e.kind == TaskEvent::kEnded) ended.push_back(e);
  }
  ASSERT_LT(running + Sec(100), Sec(105));  // it ended there during the election
  ASSERT_EQ(ended.size(), 1u);
  ASSERT_EQ(h.log().agents_reregistered.size(), 1u);
  EXPECT_EQ(ended[0].at, h.log().agents_reregistered[0].first);
  EXPECT_EQ(ended[0].state, TaskState::kFinished);
}

// A kill after the election for a task on an agent not back yet: the new master does not know
// the task and its reconciliation says nothing for a recovering agent (master.cpp:5701-5718,
// 9044-9057); the framework's kill gets through once the agent is back, and the task exits its
// 3 s grace period after that.
TEST(FailoverAllocatorTest, AKillBeforeTheAgentIsBackReachesItAtTheReregistration) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  const AgentId x = h.AddAgent("x", "cpus:4;mem:4096");
  const FrameworkId f = h.AddFramework("f");
  h.on_offer = [&](const MasterHarness::Received& o) { h.Decline(o, Sec(1000)); };
  const TaskSlot task = h.Use(f, x, "cpus:1;mem:512");
  h.sim().Schedule(Sec(10), [&] { h.master().FailOver(Sec(1), Sec(10)); });
  const sim::Time kill_at = Sec(11.000001);
  h.sim().Schedule(kill_at, [&] { h.master().KillTask(task, Sec(3), TaskReason::kNone); });
  h.RunUntil(Sec(40));
  ASSERT_EQ(h.log().agents_reregistered.size(), 1u);
  const sim::Time back = h.log().agents_reregistered[0].first;
  ASSERT_GT(back, kill_at);
  ASSERT_EQ(h.ended.size(), 1u);
  EXPECT_EQ(h.ended[0].state, TaskState::kKilled);
  EXPECT_EQ(h.ended[0].at, back + Sec(3));
}

// A partition that heals while there is no leader: what ended behind it is reported when the
// agent reregisters after the election, not at the heal (its updates wait for a leader too).
TEST(FailoverAllocatorTest, AHealDuringTheElectionKeepsTheUpdatesForTheReregistration) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 1, "cpus:4;mem:8192");
  b.Framework("jobs").workload = Backlog(1, "cpus:1;mem:1024", 20);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(10), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(15), [&] { h.master().FailOver(Sec(60), Sec(1)); });
  h.sim().Schedule(Sec(50), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(200));
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 1u);
  ASSERT_FALSE(h.log().agents_reregistered.empty());
  EXPECT_GE(ended[0].at, Sec(75));  // the election
  EXPECT_EQ(ended[0].at, h.log().agents_reregistered.back().first);
  EXPECT_EQ(ended[0].state, TaskState::kFinished);
}

// A host crashed at 20 s and back at 50 s, both during the election (15-75 s): its tasks are gone
// with it, but the master hears of it when the agent reregisters with the new leader, once. The
// checkpointing framework's task ends LOST agent_failed; the other framework's task, which the
// agent could not recover and so never reports, is ended by reconciliation (M:9057-9074).
// Found by a review: the agent was also reported reregistered at the restart, with no leader.
TEST(FailoverAllocatorTest, ARestartDuringTheElectionReportsItsLostTasksAtTheReregistration) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 1, "cpus:4;mem:8192");
  b.Framework("long").workload = Backlog(1, "cpus:1;mem:1024", 10'000);
  models::FrameworkSpec& fragile = b.Framework("fragile");
  fragile.workload = Backlog(1, "cpus:1;mem:1024", 10'000);
  fragile.checkpoint = false;
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(15), [&] { h.master().FailOver(Sec(60), Sec(1)); });
  h.sim().Schedule(Sec(20), [&] { h.master().CrashAgent(AgentId(0)); });
  h.sim().Schedule(Sec(50), [&] { h.master().RestartAgent(AgentId(0)); });
  h.RunUntil(Sec(100));
  ASSERT_EQ(h.log().agents_reregistered.size(), 1u);
  const sim::Time back = h.log().agents_reregistered[0].first;
  EXPECT_GE(back, Sec(75));
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 2u);
  for (const TaskEvent& e : ended) {
    EXPECT_EQ(e.at, back);
    EXPECT_EQ(e.state, TaskState::kLost);
    EXPECT_EQ(e.reason, e.framework == 0 ? TaskReason::kAgentFailed : TaskReason::kReconciliation);
  }
}

}  // namespace
}  // namespace clustersim::test
