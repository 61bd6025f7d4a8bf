// Agent health as the Mesos master sees it (issue 15 item 1; models/master/agent_lifecycle.cc):
// hand-computed timelines with Mesos's default flags (agent_ping_timeout 15 s,
// max_agent_ping_timeouts 5; docs/mesos-agent-lifecycle-facts.md §1).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "models/master/agent_pings.h"
#include "tests/support/harness.h"

namespace clustersim::test {
namespace {

using models::DrainState;
using models::Master;
using models::TaskReason;
using models::TaskSlot;

// Pings at reg + 15n; the agent goes silent at reg + 15k + δ; the 5th miss is counted at
// reg + 15(k + 6) (master.cpp:229-244; PT:936-947 pins 5 × 15 s after the first unanswered ping).
TEST(AgentPingsTest, UnreachableAtTheFifthMissAfterTheLastAnsweredPing) {
  const models::AgentPings pings;  // defaults: 15 s × 5
  const sim::Time reg = Sec(100);
  for (int k : {0, 1, 3, 40}) {
    for (double delta : {0.000001, 7.0, 14.999999}) {
      const sim::Time silent = reg + Sec(15) * k + Sec(delta);
      EXPECT_EQ(pings.UnreachableAt(reg, silent), reg + Sec(15) * (k + 6)) << k << " " << delta;
      const double after = (pings.UnreachableAt(reg, silent) - silent).seconds();
      EXPECT_GT(after, 75.0);
      EXPECT_LT(after, 90.0);
    }
  }
  // Silent at the very instant of a ping: that ping was answered first.
  EXPECT_EQ(pings.UnreachableAt(reg, reg + Sec(30)), reg + Sec(15) * 8);
  EXPECT_EQ(pings.LastAnsweredPing(reg, reg + Sec(37)), reg + Sec(30));
  const models::AgentPings custom{Sec(10), 3};
  EXPECT_EQ(custom.UnreachableAt(Sec(0), Sec(25)), Sec(10) * (2 + 1 + 3));
}

// One agent (cpus:4), registered at 0; tasks without images start in 1 s (docker).
struct Timeline {
  ScenarioBuilder b;
  Timeline() { b.LinuxAgents("a", 1, "cpus:4;mem:8192"); }
  models::FrameworkSpec& Tasks(std::string name, int tasks, double duration_s) {
    models::FrameworkSpec& f = b.Framework(std::move(name));
    f.workload = Backlog(tasks, "cpus:1;mem:1024", duration_s);
    return f;
  }
};

// The run ended exactly one task: at `at`, in `state`, for `reason`.
void ExpectTheOnlyEnd(const SignalLog& log, sim::Time at, TaskState state, TaskReason reason) {
  const std::vector<TaskEvent> ends = log.Ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].at, at);
  EXPECT_EQ(ends[0].state, state);
  EXPECT_EQ(ends[0].reason, reason);
}

// When each task event of `kind` happened, in order.
std::vector<sim::Time> TimesOf(const SignalLog& log, TaskEvent::Kind kind) {
  std::vector<sim::Time> out;
  for (const TaskEvent& e : log.tasks) {
    if (e.kind == kind) out.push_back(e.at);
  }
  return out;
}

// At `at`, the framework moves every task off agent 0 (a kill with a 10 s grace each), as a
// maintenance-aware framework does.
void MoveEveryTaskOffAt(ClusterHarness& h, sim::Time at) {
  h.sim().Schedule(at, [&h] {
    const std::vector<TaskSlot> on_agent(h.master().cell().tasks(AgentId(0)).begin(),
                                         h.master().cell().tasks(AgentId(0)).end());
    for (TaskSlot slot : on_agent)
      h.master().KillTask(slot, Sec(10), TaskReason::kMovedForMaintenance);
  });
}

// A crash at reg + 15·3 + 7 s = 52 s: the connection breaks at once (deactivated, the held offer
// rescinded), the tasks stay counted (the framework checkpoints) and end LOST, reason
// slave_removed, at reg + 15·(3+6) = 135 s.
TEST(AgentHealthTest, CrashMakesTasksLostAtThePingDeadline) {
  Timeline t;
  t.Tasks("jobs", 2, 10'000);
  // A second framework takes 100 s to answer an offer: it holds the spare room at the crash.
  t.Tasks("slow-holder", 1, 10'000).decision_per_offer = Sec(100);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().CrashAgent(AgentId(0)); });
  h.RunUntil(Sec(200));

  EXPECT_EQ(h.log().agents_down, (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(52), 0}}));
  EXPECT_EQ(h.log().agents_deactivated,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(52), 0}}));
  EXPECT_EQ(h.log().agents_unreachable,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(135), 0}}));
  EXPECT_EQ(h.log().agents_removed, (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(135), 0}}));
  size_t rescinded_at_crash = 0;
  for (const OfferEvent& o : h.log().offers) {
    if (o.kind == OfferEvent::kRescinded) {
      EXPECT_EQ(o.at, Sec(52));
      ++rescinded_at_crash;
    }
    if (o.kind == OfferEvent::kSent) {  // nothing while deactivated
      EXPECT_LT(o.at, Sec(52));
    }
  }
  EXPECT_EQ(rescinded_at_crash, 1u);
  EXPECT_EQ(h.log().OffersTo(1, OfferEvent::kRescinded), 1u);
  std::vector<TaskEvent> ends = h.log().Ends();
  // The holder's answer (t = 101 s: offered at 1 s, 100 s to decide) launches on the offer
  // rescinded at the crash: the master answers TASK_LOST, invalid_offers (master.cpp:3966-4011),
  // and it is retried.
  ASSERT_EQ(ends.size(), 3u);
  EXPECT_EQ(ends[0].framework, 1u);
  EXPECT_EQ(ends[0].at, Sec(101));
  EXPECT_EQ(ends[0].state, TaskState::kLost);
  EXPECT_EQ(ends[0].reason, models::TaskReason::kInvalidOffers);
  EXPECT_FALSE(ends[0].final);
  ends.erase(ends.begin());
  for (const TaskEvent& e : ends) {
    EXPECT_EQ(e.at, Sec(135));
    EXPECT_EQ(e.state, TaskState::kLost);
    EXPECT_FALSE(e.final);  // retried: pending again, with no agent to go to
  }
  EXPECT_EQ(h.framework(0).pending(), 2u);
  EXPECT_EQ(h.master().agent_health(AgentId(0)), Master::AgentHealth::kUnreachable);
}

// Without checkpointing the broken connection removes the framework's tasks at once
// (master.cpp:1319-1331): LOST, slave_disconnected, at the crash; a checkpointing framework's
// wait for the pings.
TEST(AgentHealthTest, CrashLosesUncheckpointedTasksAtOnce) {
  Timeline t;
  t.Tasks("fragile", 1, 10'000).checkpoint = false;
  t.Tasks("durable", 1, 10'000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().CrashAgent(AgentId(0)); });
  h.RunUntil(Sec(200));
  const std::vector<TaskEvent> ends = h.log().Ends();
  ASSERT_EQ(ends.size(), 2u);
  EXPECT_EQ(ends[0].framework, 0u);
  EXPECT_EQ(ends[0].at, Sec(52));
  EXPECT_EQ(ends[0].state, TaskState::kLost);
  EXPECT_EQ(ends[1].framework, 1u);
  EXPECT_EQ(ends[1].at, Sec(135));
  EXPECT_EQ(ends[1].state, TaskState::kLost);
}

// A partition is invisible until the pings: at 135 s the partition-aware framework's task is
// UNREACHABLE and the other's LOST (slave_removed). The partition heals at 300 s; the agent
// reregisters within 1 s of it, and both containers, still running and not relaunched (no
// other agent), are RUNNING again (Mesos >= 1.5): the tasks then end when they would have, 1000 s
// after they first ran.
TEST(AgentHealthTest, PartitionedTasksComeBackRunningWhenThePartitionHeals) {
  Timeline t;
  t.Tasks("aware", 1, 1000).partition_aware = true;
  t.Tasks("plain", 1, 1000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(300), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(2000));

  EXPECT_TRUE(h.log().agents_deactivated.empty());  // no broken connection was seen
  ASSERT_EQ(h.log().agents_unreachable.size(), 1u);
  EXPECT_EQ(h.log().agents_unreachable[0].first, Sec(135));
  ASSERT_EQ(h.log().agents_reregistered.size(), 1u);
  const sim::Time back = h.log().agents_reregistered[0].first;
  EXPECT_GE(back, Sec(300));
  EXPECT_LT(back, Sec(301));
  const std::vector<TaskEvent> ends = h.log().Ends();
  ASSERT_EQ(ends.size(), 4u);
  EXPECT_EQ(ends[0].at, Sec(135));
  EXPECT_EQ(ends[0].state, TaskState::kUnreachable);
  EXPECT_FALSE(ends[0].final);
  EXPECT_EQ(ends[1].at, Sec(135));
  EXPECT_EQ(ends[1].state, TaskState::kLost);
  for (size_t i : {2, 3}) {
    sim::Time first_running = sim::Time::Max();
    for (const TaskEvent& e : h.log().Of(ends[i].task)) {
      if (e.kind == TaskEvent::kRunning) first_running = std::min(first_running, e.at);
    }
    EXPECT_LT(first_running, Sec(52));
    EXPECT_EQ(ends[i].at, first_running + Sec(1000));
    EXPECT_EQ(ends[i].state, TaskState::kFinished);
    EXPECT_TRUE(ends[i].final);
  }
  EXPECT_EQ(h.master().tasks_recovered(), 2u);
  EXPECT_EQ(h.master().reregistration_kills(), 0u);
}

// A task LOST at 135 s waits out a 600 s relaunch backoff; its agent is back at ~300 s with the
// container still running: the framework takes the task back (Reclaim cancels the backoff), so it
// is never relaunched and finishes 1000 s after it first ran.
TEST(AgentHealthTest, ATaskWaitingOutItsBackoffIsTakenBackWhenItsAgentReturns) {
  Timeline t;
  t.Tasks("plain", 1, 1000).retry_backoff.initial = Sec(600);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(300), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(2000));
  const std::vector<TaskEvent> ends = h.log().Ends();
  ASSERT_EQ(ends.size(), 2u);
  EXPECT_EQ(ends[0].at, Sec(135));
  EXPECT_EQ(ends[0].state, TaskState::kLost);
  EXPECT_FALSE(ends[0].final);
  size_t launches = 0;
  sim::Time first_running = sim::Time::Max();
  for (const TaskEvent& e : h.log().Of(ends[1].task)) {
    launches += e.kind == TaskEvent::kLaunched;
    if (e.kind == TaskEvent::kRunning) first_running = std::min(first_running, e.at);
  }
  EXPECT_EQ(launches, 1u);
  EXPECT_EQ(ends[1].at, first_running + Sec(1000));
  EXPECT_EQ(ends[1].state, TaskState::kFinished);
  EXPECT_TRUE(ends[1].final);
  EXPECT_EQ(h.master().tasks_recovered(), 1u);
  EXPECT_EQ(h.framework(0).pending(), 0u);
}

// Mesos before 1.5 killed a non-partition-aware framework's tasks when their unreachable agent
// reregistered: reregistration_kills_non_partition_aware. The framework relaunches its task on
// the agent it is back on (a new attempt, started 1 s later); the partition-aware one runs on.
TEST(AgentHealthTest, PreMesos15ReregistrationKillsNonPartitionAwareTasks) {
  Timeline t;
  t.b.spec().master.reregistration_kills_non_partition_aware = true;
  t.Tasks("aware", 1, 1000).partition_aware = true;
  t.Tasks("plain", 1, 1000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(300), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(2000));
  EXPECT_EQ(h.master().tasks_recovered(), 1u);
  EXPECT_EQ(h.master().reregistration_kills(), 1u);
  const std::vector<TaskEvent> ends = h.log().Ends();
  ASSERT_EQ(ends.size(), 4u);
  EXPECT_EQ(ends[2].framework, 0u);
  EXPECT_EQ(ends[2].at, Sec(1001));  // recovered: as it would have
  EXPECT_EQ(ends[3].framework, 1u);
  EXPECT_GT(ends[3].at, Sec(1300));  // relaunched after the reregistration: 1000 s more
  EXPECT_EQ(ends[3].state, TaskState::kFinished);
}

// A partition shorter than the deadline: a pong discards the transition; nothing is ever
// noticed. A launch sent meanwhile waits in TCP's buffers and starts once it heals.
TEST(AgentHealthTest, PartitionHealedBeforeTheDeadlineIsNeverNoticed) {
  Timeline t;
  t.Tasks("jobs", 1, 1000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(60), [&] { h.Submit(0, MakeTask("cpus:1;mem:1024", 100)); });
  h.sim().Schedule(Sec(100), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(2000));
  EXPECT_TRUE(h.log().agents_unreachable.empty());
  EXPECT_TRUE(h.log().agents_reregistered.empty());
  const std::vector<sim::Time> launched = TimesOf(h.log(), TaskEvent::kLaunched);
  const std::vector<sim::Time> running = TimesOf(h.log(), TaskEvent::kRunning);
  ASSERT_EQ(launched.size(), 2u);
  EXPECT_GE(launched[1], Sec(60));
  EXPECT_LT(launched[1], Sec(62));  // offered and accepted: the master saw nothing wrong
  ASSERT_EQ(running.size(), 2u);
  EXPECT_EQ(running[1], Sec(101));  // delivered at the heal, started 1 s later
  const auto ends = h.log().Ends();
  ASSERT_EQ(ends.size(), 2u);  // both tasks, once each
  for (const TaskEvent& e : ends) EXPECT_EQ(e.state, TaskState::kFinished);
}

// A launch held by a partition for longer than the executor registration timeout (1 min) still
// gets the whole timeout once delivered: the agent arms it when the task reaches it
// (slave.cpp registerExecutorTimeout, from launching the executor). Launched at ~60 s, held
// until the heal at 130 s (before the 135 s deadline): the 10 MiB pull (10 MiB at 100 MiB/s,
// then 10 MiB at 36 MiB/s) and the 1 s start run from 130 s. Found by RandomScenarioTest (seed
// 36): the deadline was counted from the launch, so it fell before the heal and the simulator
// refused to schedule it in the past (an abort).
TEST(AgentHealthTest, HeldLaunchCountsItsTimeoutsFromTheHeal) {
  Timeline t;
  t.b.Layer("app", 10, 10);
  const uint32_t image = t.b.Image("app", Os::kLinux, OsVersion::kNone, {"app"});
  t.Tasks("jobs", 1, 1000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  models::Task late = MakeTask("cpus:1;mem:1024", 100);
  late.has_image = true;
  late.image = models::ImageId(image);
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(60), [&] { h.Submit(0, late); });
  h.sim().Schedule(Sec(130), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(2000));
  EXPECT_TRUE(h.log().agents_unreachable.empty());
  const std::vector<sim::Time> launched = TimesOf(h.log(), TaskEvent::kLaunched);
  const std::vector<sim::Time> running = TimesOf(h.log(), TaskEvent::kRunning);
  ASSERT_EQ(launched.size(), 2u);
  EXPECT_LT(launched[1], Sec(62));
  ASSERT_EQ(running.size(), 2u);
  EXPECT_GT(running[1], Sec(130));
  EXPECT_LT(running[1], Sec(135));
  const auto ends = h.log().Ends();
  ASSERT_EQ(ends.size(), 2u);  // both tasks, once each
  for (const TaskEvent& e : ends) EXPECT_EQ(e.state, TaskState::kFinished);
}

// After a servicing update (published at 0 s) the task runs app+kb, not the image it was
// submitted with. Cut off at 100 s, its agent is unreachable at 180 s and the task relaunched on
// agent 1; at the heal, 300 s, the duplicate container is killed and its pin released: the pin
// it holds, app+kb's. Found by a review: the stranded container remembered the submitted image,
// whose release aborted ("image released more often than pinned").
TEST(AgentHealthTest, AStrandedContainerReleasesTheImageItRuns) {
  ScenarioBuilder b;
  b.Layer("base", 100, 360);
  b.Layer("app", 50, 120);  // rebuilt on top of the update: app+kb has another app layer
  const uint32_t kb = b.Layer("kb", 230, 360);
  const uint32_t image = b.Image("app", Os::kLinux, OsVersion::kNone, {"base", "app"});
  ASSERT_EQ(b.spec().images.Publish({Sec(0), Os::kLinux, OsVersion::kNone, kb}), 1u);
  b.LinuxAgents("a", 2, "cpus:4;mem:8192");
  b.Framework("jobs");
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  models::Task task = MakeTask("cpus:1;mem:1024", 10'000);
  task.has_image = true;
  task.image = models::ImageId(image);
  h.sim().Schedule(Sec(1), [&] { h.Submit(0, task); });
  uint32_t first = 0;
  h.sim().Schedule(Sec(100), [&] {
    const std::vector<TaskEvent> launched = h.log().Of(h.log().tasks[0].task);
    first = launched.back().agent;
    h.master().PartitionAgent(AgentId(first));
  });
  h.sim().Schedule(Sec(300), [&] { h.master().HealPartition(AgentId(first)); });
  h.RunUntil(Sec(400));
  ASSERT_EQ(h.log().agents_unreachable,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(180), first}}));
  EXPECT_EQ(h.master().reregistration_kills(), 1u);
  EXPECT_EQ(h.master().tasks_recovered(), 0u);
  // It ran the updated image: the servicing layer is in that agent's store.
  EXPECT_TRUE(h.cluster().runtime().puller().HasLayer(AgentId(first), kb));
}

// A launch held by a partition and then killed by the master at 70 s: the kill is held behind it
// (Master::kill sends to an agent it believes connected, M:5733-5762) and both reach the agent at
// the heal, which drops the task before it starts (Slave::killTask, S:4016-4019): KILLED at 100 s,
// STAGING, and back in its framework's queue it is launched again. Found by RandomScenarioTest
// (seeds 106, 150, 706, 1071, ...): the heal started the killed attempt, whose end then tripped the
// one-end-per-task and agent-task-list checks (exit 134).
TEST(AgentHealthTest, HeldLaunchKilledBeforeTheHealNeverStarts) {
  Timeline t;
  t.Tasks("jobs", 1, 1000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(60), [&] { h.Submit(0, MakeTask("cpus:1;mem:1024", 100)); });
  h.sim().Schedule(Sec(70), [&] {
    for (TaskSlot slot : h.master().cell().tasks(AgentId(0))) {
      if (h.cluster().tasks()[slot].state == TaskState::kStaging)
        h.master().KillTask(slot, Sec(10), TaskReason::kSlaveDraining);
    }
  });
  h.sim().Schedule(Sec(100), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(400));
  std::vector<TaskEvent> killed;
  for (const TaskEvent& e : h.log().Ends()) {
    if (e.state == TaskState::kKilled) killed.push_back(e);
  }
  ASSERT_EQ(killed.size(), 1u);
  EXPECT_EQ(killed[0].at, Sec(100));  // the held one, still STAGING: at the heal, no grace
  // The backlog task from 0 s; the late task's killed attempt never started, its next one did.
  const std::vector<sim::Time> running = TimesOf(h.log(), TaskEvent::kRunning);
  ASSERT_EQ(running.size(), 2u);
  EXPECT_LT(running[0], Sec(52));
  EXPECT_GT(running[1], Sec(100));
}

// A running task killed (a framework moving it for maintenance) while its agent is cut off: the
// kill waits in TCP's buffers, so the task runs on, its resources still allocated, until the heal
// at 100 s, and its 10 s grace runs from there: KILLED at 110 s, not 80 s.
TEST(AgentHealthTest, KillOfATaskOnAPartitionedAgentWaitsForTheHeal) {
  Timeline t;
  t.Tasks("jobs", 1, 1000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  MoveEveryTaskOffAt(h, Sec(70));
  h.sim().Schedule(Sec(100), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(99));
  EXPECT_TRUE(h.log().Ends().empty());
  EXPECT_EQ(h.master().cell().tasks(AgentId(0)).size(), 1u);
  h.RunUntil(Sec(400));
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_GE(ended.size(), 1u);
  EXPECT_EQ(ended[0].state, TaskState::kKilled);
  EXPECT_EQ(ended[0].reason, TaskReason::kMovedForMaintenance);
  EXPECT_EQ(ended[0].at, Sec(110));
}

// The kill is still held when the pings give the agent up at 135 s: the task ends LOST
// (slave_removed) like any task there, and the master forgets the kill with the agent (the Slave
// and its killedTasks, M:10956-11100). Healed at 300 s, the agent reregisters and the container,
// never relaunched (no other agent), is RUNNING again and finishes 1000 s after it started.
TEST(AgentHealthTest, KillHeldWhenTheAgentIsMarkedUnreachableIsForgotten) {
  Timeline t;
  t.Tasks("jobs", 1, 1000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  MoveEveryTaskOffAt(h, Sec(70));
  h.sim().Schedule(Sec(300), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(2000));
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 2u);
  EXPECT_EQ(ended[0].state, TaskState::kLost);
  EXPECT_EQ(ended[0].reason, TaskReason::kSlaveRemoved);
  EXPECT_EQ(ended[0].at, Sec(135));
  EXPECT_EQ(ended[1].state, TaskState::kFinished);
  EXPECT_EQ(ended[1].at, TimesOf(h.log(), TaskEvent::kRunning).front() + Sec(1000));
  EXPECT_EQ(h.master().tasks_recovered(), 1u);
}

// A crashed agent is disconnected: the master does not send it the kill (M:5756-5761), and the
// task, whose framework checkpoints, stays counted until the pings end it LOST (slave_removed)
// at 135 s.
TEST(AgentHealthTest, KillOfATaskOnACrashedAgentIsNotSent) {
  Timeline t;
  t.Tasks("jobs", 1, 1000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().CrashAgent(AgentId(0)); });
  MoveEveryTaskOffAt(h, Sec(70));
  h.RunUntil(Sec(400));
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].state, TaskState::kLost);
  EXPECT_EQ(ended[0].reason, TaskReason::kSlaveRemoved);
  EXPECT_EQ(ended[0].at, Sec(135));
}

// A drain of a partitioned agent does not reach it (MHTTP:3804-3815 sends the message all the
// same): nothing is killed while the partition lasts. At the heal the launch held since ~60 s
// arrives first and the drain, sent again on the reconnection (M:7352-7365), after it: the agent
// starts the late task, then kills both with the drain's 10 s grace.
TEST(AgentHealthTest, DrainOfAPartitionedAgentWaitsForTheHeal) {
  Timeline t;
  t.Tasks("jobs", 1, 1000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(60), [&] { h.Submit(0, MakeTask("cpus:1;mem:1024", 100)); });
  h.sim().Schedule(Sec(70), [&] { h.master().DrainAgent(AgentId(0), Sec(10), false); });
  h.sim().Schedule(Sec(100), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(99));
  EXPECT_TRUE(h.log().Ends().empty());
  EXPECT_EQ(h.master().drain_state(AgentId(0)), DrainState::kDraining);
  h.RunUntil(Sec(400));
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 2u);
  for (const TaskEvent& e : ended) {
    EXPECT_EQ(e.state, TaskState::kKilled);
    EXPECT_EQ(e.at, Sec(110));
  }
  const std::vector<sim::Time> running = TimesOf(h.log(), TaskEvent::kRunning);
  ASSERT_EQ(running.size(), 2u);
  EXPECT_GT(running[1], Sec(100));
  EXPECT_EQ(h.master().drain_state(AgentId(0)), DrainState::kDrained);
  EXPECT_EQ(h.framework(0).pending(), 2u);  // the only agent stays drained
}

// The host dies at 200 s behind a partition (cut off at 52 s, unreachable at 135 s); the cut
// heals at 300 s, the host is repaired at 400 s. Nothing comes back at the heal (the host is
// down: its container died with it), and at the repair the agent reregisters as itself (the
// master holds it unreachable), with nothing to recover. Found by a review: the crash was
// ignored, and the dead host's container came back RUNNING at the heal.
TEST(AgentHealthTest, ACrashBehindAPartitionKillsItsContainers) {
  Timeline t;
  t.Tasks("jobs", 1, 10'000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  uint64_t cut = 0;
  h.sim().Schedule(Sec(52), [&] { cut = h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(200), [&] { EXPECT_TRUE(h.master().CrashAgent(AgentId(0))); });
  h.sim().Schedule(Sec(250), [&] { EXPECT_FALSE(h.master().PartitionAgent(AgentId(0))); });
  // The partition's end, superseded by the crash (its fault ticket is stale).
  h.sim().Schedule(Sec(300), [&] { h.master().EndFault(AgentId(0), cut, /*crash=*/false); });
  h.RunUntil(Sec(399));
  EXPECT_NE(cut, 0u);
  EXPECT_TRUE(h.log().agents_reregistered.empty());
  EXPECT_FALSE(h.master().cell().active(AgentId(0)));
  h.sim().Schedule(Sec(400), [&] { h.master().RestartAgent(AgentId(0)); });
  h.RunUntil(Sec(1000));
  EXPECT_EQ(h.log().agents_reregistered,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(400), 0}}));
  EXPECT_EQ(h.log().agents_up.size(), 2u);  // at 0 s, then at 400 s
  EXPECT_EQ(h.master().tasks_recovered(), 0u);
  const std::vector<sim::Time> running = TimesOf(h.log(), TaskEvent::kRunning);
  ASSERT_EQ(running.size(), 2u);  // the relaunch on the fresh agent
  EXPECT_GT(running[1], Sec(400));
}

// A kill with a 300 s grace at 49 s, the agent cut off at 52 s and unreachable at 135 s: the
// executor kills the container at 349 s behind the partition all the same, so at the heal
// (400 s) there is nothing to recover, and the task, LOST since 135 s, is launched afresh on the
// reregistered agent. Found by a review: the kill was forgotten and the container came back
// RUNNING for good.
TEST(AgentHealthTest, AKillWhoseGraceOutlastsTheDeadlineStillKillsTheContainer) {
  Timeline t;
  t.Tasks("jobs", 1, 10'000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(49), [&] {
    for (TaskSlot slot : h.master().cell().tasks(AgentId(0)))
      h.master().KillTask(slot, Sec(300), TaskReason::kMovedForMaintenance);
  });
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(400), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(1000));
  EXPECT_EQ(h.master().tasks_recovered(), 0u);
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].at, Sec(135));
  const std::vector<sim::Time> launched = TimesOf(h.log(), TaskEvent::kLaunched);
  ASSERT_EQ(launched.size(), 2u);
  EXPECT_GT(launched[1], Sec(400));
}

// The host crashes at 55 s behind a partition (cut off at 52 s): the master sees nothing and
// still offers the agent, so a task submitted at 60 s is launched there, but the launch waits in
// TCP's buffers and dies with the host: it never runs, and ends LOST with the agent at 135 s.
// Found by a review: it ran on the dead host.
TEST(AgentHealthTest, ALaunchToAHostCrashedBehindAPartitionNeverRuns) {
  Timeline t;
  t.Tasks("jobs", 1, 10'000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(55), [&] { h.master().CrashAgent(AgentId(0)); });
  h.sim().Schedule(Sec(60), [&] { h.Submit(0, MakeTask("cpus:1;mem:1024", 100)); });
  h.RunUntil(Sec(300));
  const std::vector<sim::Time> launched = TimesOf(h.log(), TaskEvent::kLaunched);
  ASSERT_EQ(launched.size(), 2u);
  EXPECT_LT(launched[1], Sec(62));  // offered and accepted: the master saw nothing wrong
  EXPECT_EQ(TimesOf(h.log(), TaskEvent::kRunning).size(), 1u);  // only the first task, at 1 s
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 2u);
  for (const TaskEvent& e : ended) {
    EXPECT_EQ(e.at, Sec(135));
    EXPECT_EQ(e.reason, TaskReason::kSlaveRemoved);
  }
}

// Unreachable since 135 s (cut off at 52 s), the agent is reachable again at 295 s, during an
// election (290-300 s), and waits for the leader to reregister; cut off anew at 297 s, it does not
// get through after the election, only once the second cut heals at 500 s (within its 1 s
// backoff). Found by a review: the second partition was ignored and the agent reregistered
// through it at the election.
TEST(AgentHealthTest, AnAgentCutOffOnItsWayBackWaitsForTheNextHeal) {
  Timeline t;
  t.Tasks("jobs", 1, 10'000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(290), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.sim().Schedule(Sec(295), [&] { h.master().HealPartition(AgentId(0)); });
  h.sim().Schedule(Sec(297), [&] { EXPECT_TRUE(h.master().PartitionAgent(AgentId(0))); });
  h.sim().Schedule(Sec(500), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(700));
  ASSERT_EQ(h.log().agents_reregistered.size(), 1u);
  EXPECT_GE(h.log().agents_reregistered[0].first, Sec(500));
  EXPECT_LT(h.log().agents_reregistered[0].first, Sec(501));
  EXPECT_EQ(h.master().tasks_recovered(), 1u);
}

// A drain (mark_gone) of an agent already unreachable (cut off at 52 s, unreachable at 135 s):
// the master has no registered agent to check (MHTTP:3786-3815), so it stays DRAINING. At the
// heal (300 s) the agent reregisters within 1 s with its task, is sent the drain (M:7144-7157),
// the task is KILLED 10 s later, and only then is the agent DRAINED and gone. Found by a review:
// it was DRAINED at 200 s, never gone, and its task came back RUNNING for good.
TEST(AgentHealthTest, DrainOfAnUnreachableAgentWaitsForItsReregistration) {
  Timeline t;
  t.Tasks("jobs", 1, 10'000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(200), [&] { h.master().DrainAgent(AgentId(0), Sec(10), true); });
  h.sim().Schedule(Sec(300), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(299));
  EXPECT_EQ(h.master().drain_state(AgentId(0)), DrainState::kDraining);
  EXPECT_FALSE(h.master().ReactivateDrainedAgent(AgentId(0)));  // refused while DRAINING
  h.RunUntil(Sec(400));
  ASSERT_EQ(h.log().agents_reregistered.size(), 1u);
  const sim::Time back = h.log().agents_reregistered[0].first;
  EXPECT_LT(back, Sec(301));
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 2u);  // unreachable at 135 s, then the recovered one killed
  EXPECT_EQ(ended[0].at, Sec(135));
  EXPECT_EQ(ended[1].state, TaskState::kKilled);
  EXPECT_EQ(ended[1].reason, TaskReason::kSlaveDraining);
  EXPECT_EQ(ended[1].at, back + Sec(10));
  EXPECT_EQ(h.master().drain_state(AgentId(0)), DrainState::kDrained);
  EXPECT_FALSE(h.master().cell().active(AgentId(0)));  // marked gone
}

// Cut off at 52 s, unreachable at 135 s, then maintenance: the machine is DOWN at 150 s and UP
// at 300 s. An unreachable agent is in no machine's agent list (__removeSlave, M:11082-11085),
// so the DOWN removes nothing of it: not its drain (M:10932-10937), not its stranded container.
struct DownWhileUnreachable {
  Timeline t;
  std::unique_ptr<ClusterHarness> h;
  DownWhileUnreachable() {
    t.Tasks("jobs", 1, 10'000);
    h = std::make_unique<ClusterHarness>(t.b.Build());
    h->CheckInvariantsAfterEveryEvent();
    Master& m = h->master();
    h->sim().Schedule(Sec(52), [&m] { m.PartitionAgent(AgentId(0)); });
    h->sim().Schedule(Sec(140), [&m] {
      m.ScheduleMaintenance(AgentId(0), models::Unavailability{Sec(150), Sec(3600)});
    });
    h->sim().Schedule(Sec(150), [&m] { m.MachineDown(AgentId(0)); });
    h->sim().Schedule(Sec(300), [&m] { m.MachineUp(AgentId(0)); });
  }
  void HealAt(sim::Time at) {
    Master& m = h->master();
    h->sim().Schedule(at, [&m] { m.HealPartition(AgentId(0)); });
  }
  void DrainAt(double s) {
    Master& m = h->master();
    h->sim().Schedule(Sec(s), [&m] { m.DrainAgent(AgentId(0), Sec(10), false); });
  }
  size_t AgentsUpSince(double s) const {
    const auto& up = h->log().agents_up;
    return std::count_if(up.begin(), up.end(), [s](const auto& e) { return e.first >= Sec(s); });
  }
};

// Drained at 145 s; the heal at 400 s, after the UP, reregisters the agent with its task RUNNING
// (M:7011-7086), and the drain re-applied (M:7137-7157) kills it with its 10 s grace. Before:
// the DOWN forgot the drain and the container; the agent registered afresh, open to offers.
TEST(AgentHealthTest, ADownOfAnUnreachableAgentKeepsItsDrainAndItsContainers) {
  DownWhileUnreachable run;
  run.DrainAt(145);
  run.HealAt(Sec(400));
  run.h->RunUntil(Sec(1000));
  ASSERT_EQ(run.h->log().agents_unreachable.size(), 1u);
  EXPECT_EQ(run.h->log().agents_unreachable[0].first, Sec(135));
  ASSERT_EQ(run.h->log().agents_reregistered.size(), 1u);
  const sim::Time back = run.h->log().agents_reregistered[0].first;
  EXPECT_GE(back, Sec(400));
  EXPECT_LT(back, Sec(401));
  EXPECT_EQ(run.AgentsUpSince(1), 1u);  // the reregistration's own
  EXPECT_EQ(run.h->master().tasks_recovered(), 1u);
  const std::vector<TaskEvent> ends = run.h->log().Ends();
  ASSERT_EQ(ends.size(), 2u);
  EXPECT_EQ(ends[0].at, Sec(135));
  EXPECT_EQ(ends[1].state, TaskState::kKilled);
  EXPECT_EQ(ends[1].reason, TaskReason::kSlaveDraining);
  EXPECT_EQ(ends[1].at, back + Sec(10));
  EXPECT_EQ(run.h->master().drain_state(AgentId(0)), DrainState::kDrained);
  EXPECT_FALSE(run.h->master().cell().schedulable(AgentId(0)));
}

// Healed at 200 s, machine DOWN: the try is refused and the agent shut down (M:6714-6727), its
// container killed (S:1029-1072). The drain asked at 160 s is accepted (the agent is unreachable,
// MHTTP:3746-3751). At the UP it reregisters as itself (still unreachable in the registry,
// M:6873-6888) with no task and is DRAINED at once. Before: the drain was ignored ("no agent to
// drain") and the agent came back open to offers.
TEST(AgentHealthTest, AnUnreachableAgentTryingToComeBackWhileDownIsShutDown) {
  DownWhileUnreachable run;
  run.DrainAt(160);
  run.HealAt(Sec(200));
  run.h->RunUntil(Sec(1000));
  EXPECT_EQ(run.h->log().agents_reregistered,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(300), 0}}));
  ASSERT_EQ(run.AgentsUpSince(1), 1u);
  EXPECT_EQ(run.h->log().agents_up.back().first, Sec(300));
  EXPECT_EQ(run.h->master().tasks_recovered(), 0u);
  EXPECT_EQ(run.h->log().Ends().size(), 1u);  // LOST at 135 s; the relaunch finds no offer
  EXPECT_EQ(run.h->master().drain_state(AgentId(0)), DrainState::kDrained);
  EXPECT_FALSE(run.h->master().cell().schedulable(AgentId(0)));
}

// Refused at ~200 s, the agent is still unreachable in Mesos's registry (the refusal changes
// nothing there, M:6714-6727): a drain asked at 250 s is accepted (MHTTP:3746-3751) and applied
// when the agent registers at the UP. Before: dropped as a drain of an unknown agent.
TEST(AgentHealthTest, ADrainOfAnAgentRefusedWhileDownIsAppliedAtTheUp) {
  DownWhileUnreachable run;
  run.HealAt(Sec(200));
  run.DrainAt(250);
  run.h->RunUntil(Sec(1000));
  ASSERT_EQ(run.AgentsUpSince(1), 1u);
  EXPECT_EQ(run.h->log().agents_up.back().first, Sec(300));
  EXPECT_EQ(run.h->master().drain_state(AgentId(0)), DrainState::kDrained);
  EXPECT_FALSE(run.h->master().cell().schedulable(AgentId(0)));
}

// Healed 1 µs before the UP: its try, U(0, 1 s) after the heal, finds the machine UP and
// reregisters the agent with its task. The UP does not register it afresh meanwhile (that would
// have dropped the container). Before: registered afresh at 300 s, no task recovered.
TEST(AgentHealthTest, AnUnreachableAgentOnItsWayBackAtTheUpReregistersWithItsTasks) {
  DownWhileUnreachable run;
  run.HealAt(Sec(300) - sim::Time::Micros(1));
  run.h->RunUntil(Sec(1000));
  ASSERT_EQ(run.h->log().agents_reregistered.size(), 1u);
  EXPECT_GT(run.h->log().agents_reregistered[0].first, Sec(300));
  EXPECT_LT(run.h->log().agents_reregistered[0].first, Sec(301));
  EXPECT_EQ(run.AgentsUpSince(1), 1u);  // the reregistration's own
  EXPECT_EQ(run.h->master().tasks_recovered(), 1u);
  EXPECT_TRUE(run.h->master().cell().schedulable(AgentId(0)));
}

// A task that finishes while its agent is cut off: its status update waits with the agent's
// status update manager (TCP holds it) until the heal at 100 s, so the master keeps it RUNNING
// with its resources allocated until then, and it ends FINISHED at the heal, not at 60 s.
TEST(AgentHealthTest, TaskFinishingBehindAPartitionEndsAtTheHeal) {
  Timeline t;
  t.Tasks("jobs", 1, 60);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(100), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(99));
  EXPECT_LT(TimesOf(h.log(), TaskEvent::kRunning).at(0), Sec(5));
  EXPECT_TRUE(h.log().Ends().empty());
  EXPECT_EQ(h.master().cell().tasks(AgentId(0)).size(), 1u);
  h.RunUntil(Sec(400));
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].state, TaskState::kFinished);
  EXPECT_EQ(ended[0].at, Sec(100));
  EXPECT_TRUE(ended[0].final);
}

// The same task with the partition outliving the deadline: at 135 s the master writes it off
// LOST (slave_removed) and its framework, with no other agent, cannot relaunch it. At the heal
// (300 s) the agent reregisters reporting it finished (terminated tasks, S:2048-2050), so the
// framework learns it FINISHED after all: recovered, not run again, no container killed.
TEST(AgentHealthTest, TaskFinishedBehindAPartitionIsReportedAtTheReregistration) {
  Timeline t;
  t.Tasks("jobs", 1, 60);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(300), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(2000));
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 2u);
  EXPECT_EQ(ended[0].state, TaskState::kLost);
  EXPECT_EQ(ended[0].at, Sec(135));
  EXPECT_FALSE(ended[0].final);
  EXPECT_EQ(ended[1].state, TaskState::kFinished);
  EXPECT_GE(ended[1].at, Sec(300));
  EXPECT_LT(ended[1].at, Sec(301));
  EXPECT_TRUE(ended[1].final);
  EXPECT_EQ(TimesOf(h.log(), TaskEvent::kRunning).size(), 1u);  // never run again
  EXPECT_EQ(h.master().tasks_recovered(), 1u);
  EXPECT_EQ(h.master().reregistration_kills(), 0u);
}

// A kill delivered at 45 s with a 10 s grace: the executor kills the task at 55 s, but the agent
// is cut off from 50 s, so TASK_KILLED reaches the master at the heal (100 s).
TEST(AgentHealthTest, KillCompletedBehindAPartitionIsLearnedAtTheHeal) {
  Timeline t;
  t.Tasks("jobs", 1, 1000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  MoveEveryTaskOffAt(h, Sec(45));
  h.sim().Schedule(Sec(50), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(100), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(400));
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_GE(ended.size(), 1u);
  EXPECT_EQ(ended[0].state, TaskState::kKilled);
  EXPECT_EQ(ended[0].reason, TaskReason::kMovedForMaintenance);
  EXPECT_EQ(ended[0].at, Sec(100));
}

// The host crashes during the kill's grace: the executor dies with it and no TASK_KILLED is ever
// sent; the task, whose framework checkpoints, ends LOST when the pings give the agent up.
TEST(AgentHealthTest, KillInterruptedByACrashEndsAsTheCrashDecides) {
  Timeline t;
  t.Tasks("jobs", 1, 1000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  MoveEveryTaskOffAt(h, Sec(45));
  h.sim().Schedule(Sec(52), [&] { h.master().CrashAgent(AgentId(0)); });
  h.RunUntil(Sec(400));
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].state, TaskState::kLost);
  EXPECT_EQ(ended[0].reason, TaskReason::kSlaveRemoved);
  EXPECT_EQ(ended[0].at, Sec(135));
}

// agent_removal_rate_limit: three agents crash at once; the transitions fall due together at
// 135 s and take one permit each, a minute apart.
TEST(AgentHealthTest, RemovalRateLimitSpacesUnreachableTransitions) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 3, "cpus:4;mem:8192");
  b.spec().master.agent_removal_interval = Sec(60);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] {
    for (uint32_t a = 0; a < 3; ++a) h.master().CrashAgent(AgentId(a));
  });
  h.RunUntil(Sec(500));
  ASSERT_EQ(h.log().agents_unreachable.size(), 3u);
  EXPECT_EQ(h.log().agents_unreachable[0].first, Sec(135));
  EXPECT_EQ(h.log().agents_unreachable[1].first, Sec(195));
  EXPECT_EQ(h.log().agents_unreachable[2].first, Sec(255));
}

// A wait for a permit that ends before the permit (the host repaired at 150 s) uses none: the
// permit due at 195 s goes to the next agent waiting, as libprocess's limiter skips discarded
// waiters (limiter.hpp, _acquire). The old rule (a permit reserved at asking) gave it 255 s.
TEST(AgentHealthTest, RemovalPermitOfAnAgentBackInTimeGoesToTheNext) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 3, "cpus:4;mem:8192");
  b.spec().master.agent_removal_interval = Sec(60);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] {
    for (uint32_t a = 0; a < 3; ++a) h.master().CrashAgent(AgentId(a));
  });
  h.sim().Schedule(Sec(150), [&] { h.master().RestartAgent(AgentId(1)); });
  h.RunUntil(Sec(500));
  EXPECT_EQ(h.log().agents_unreachable,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(135), 0}, {Sec(195), 2}}));
  EXPECT_EQ(h.log().agents_reregistered,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(150), 1}}));
}

// A crashed host back before the deadline reregisters as itself: the tasks the master still
// counted are gone with the old host (LOST, agent_failed), and it is offered again at once.
TEST(AgentHealthTest, CrashRepairedBeforeTheDeadlineReregisters) {
  Timeline t;
  t.Tasks("jobs", 1, 10'000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().CrashAgent(AgentId(0)); });
  h.sim().Schedule(Sec(80), [&] { h.master().RestartAgent(AgentId(0)); });
  // A second crash: the ping phase is still the first registration's (a reconnection keeps the
  // observer, master.cpp:7334-7339): 100 = 15·6 + 10, so unreachable at 15·(6+6) = 180.
  h.sim().Schedule(Sec(100), [&] { h.master().CrashAgent(AgentId(0)); });
  h.RunUntil(Sec(400));
  EXPECT_EQ(h.log().agents_reregistered,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(80), 0}}));
  EXPECT_EQ(h.log().agents_reactivated,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(80), 0}}));
  EXPECT_EQ(h.log().agents_unreachable,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(180), 0}}));
  const std::vector<TaskEvent> ends = h.log().Ends();
  ASSERT_EQ(ends.size(), 2u);
  EXPECT_EQ(ends[0].at, Sec(80));  // gone with the old host
  EXPECT_EQ(ends[0].state, TaskState::kLost);
  EXPECT_EQ(ends[1].at, Sec(180));
  std::vector<sim::Time> launched;
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind == TaskEvent::kLaunched) launched.push_back(e.at);
  }
  ASSERT_EQ(launched.size(), 2u);
  EXPECT_GE(launched[1], Sec(80));
  EXPECT_LT(launched[1], Sec(82));  // relaunched on the same agent, offered again at once
}

// A crashed host repaired after the deadline: the master holds its agent unreachable, and the
// agent, which keeps its ID across the reboot (Mesos >= 1.4, slave.cpp:7908-7947), reregisters
// as itself (MarkSlaveReachable, master.cpp:6873-6888) with no task, the tasks having ended
// at the deadline. Ping deadline at 135 s as in CrashMakesTasksLostAtThePingDeadline.
TEST(AgentHealthTest, CrashRepairedAfterTheDeadlineReregistersWithNoTask) {
  Timeline t;
  t.Tasks("jobs", 1, 10'000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().CrashAgent(AgentId(0)); });
  h.sim().Schedule(Sec(300), [&] { h.master().RestartAgent(AgentId(0)); });
  h.RunUntil(Sec(400));
  EXPECT_EQ(h.log().agents_unreachable,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(135), 0}}));
  ASSERT_FALSE(h.log().agents_up.empty());
  EXPECT_EQ(h.log().agents_up.back(), (std::pair<sim::Time, uint32_t>{Sec(300), 0}));
  EXPECT_EQ(h.log().agents_reregistered,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(300), 0}}));
  EXPECT_EQ(h.master().tasks_recovered(), 0u);
  const std::vector<TaskEvent> ends = h.log().Ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].at, Sec(135));
  EXPECT_EQ(h.master().agent_health(AgentId(0)), Master::AgentHealth::kHealthy);
  EXPECT_TRUE(h.master().cell().active(AgentId(0)));
  const std::vector<sim::Time> launched = TimesOf(h.log(), TaskEvent::kLaunched);
  ASSERT_EQ(launched.size(), 2u);
  EXPECT_GE(launched[1], Sec(300));  // relaunched there once it is back, the only agent
}

// --- Master failover ------------------------------------------------------------------------

// Mesos keeps no DRF allocation counts across a failover (sorter/drf/sorter.hpp:398-405): two
// frameworks at equal shares that decline one agent with no filter get it in turn
// (SameShareFairness); before the failover the first had one offer more, so with the old counts
// the second would come next, while the new leader's sorters, all counts zero, start again with
// the first (ties by registration order, standing in for Mesos's framework ids).
TEST(MasterFailoverTest, DrfAllocationCountsStartAgainAtTheElection) {
  MasterHarness h;
  h.master().set_cycle_checks(true);
  h.AddAgent("a", "cpus:2;mem:1024");
  const FrameworkId first = h.AddFramework("first");
  const FrameworkId second = h.AddFramework("second");
  h.on_offer = [&](const MasterHarness::Received& o) { h.Decline(o, sim::Time::Zero()); };
  h.sim().Schedule(Sec(10.5), [&] { h.master().FailOver(Sec(1), Sec(0.1)); });
  h.RunUntil(Sec(10.5));
  EXPECT_EQ(h.OffersTo(first).size(), 6u);  // 0, 2, ..., 10 s
  EXPECT_EQ(h.OffersTo(second).size(), 5u);
  EXPECT_EQ(h.master().framework_offer_count(first), 6u);
  h.RunUntil(Sec(11.55));
  EXPECT_EQ(h.master().framework_offer_count(first), 0u);  // the election, at 11.5 s
  EXPECT_EQ(h.master().framework_offer_count(second), 0u);
  EXPECT_EQ(h.master().role_offer_count(h.master().framework(first).role), 0u);
  h.RunUntil(Sec(16));
  std::vector<FrameworkId> after;
  for (const MasterHarness::Received& o : h.received) {
    if (o.at > Sec(10.5)) after.push_back(o.framework);
  }
  ASSERT_GE(after.size(), 4u);
  EXPECT_EQ(after[0], first);
  EXPECT_EQ(after[1], second);
  EXPECT_EQ(after[2], first);
  EXPECT_EQ(after[3], second);
}

// An agent back with tasks counts one allocation for each framework and role on it, as Mesos's
// new allocator tracks them when it adds the agent (addSlave -> trackAllocatedResources ->
// Allocation::add): three tasks of one framework on one agent and one on another count 2.
TEST(MasterFailoverTest, AnAgentBackWithTasksCountsOneAllocationPerFramework) {
  MasterHarness h;
  h.AddAgent("a", "cpus:4;mem:4096");
  h.AddAgent("b", "cpus:4;mem:4096");
  h.AddAgent("idle", "cpus:4;mem:4096");
  const FrameworkId busy = h.AddFramework("busy");
  const FrameworkId other = h.AddFramework("other");
  std::map<uint32_t, int> launched;  // by agent
  h.on_offer = [&](const MasterHarness::Received& o) {
    const int want = o.agent.value == 0 ? 3 : o.agent.value == 1 ? 1 : 0;
    if (o.framework != busy || launched[o.agent.value] > 0 || want == 0) {
      h.Decline(o, Sec(1000));
      return;
    }
    std::vector<TaskSlot> tasks;
    for (int i = 0; i < want; ++i) tasks.push_back(h.NewTask(busy, "cpus:1;mem:512", 3600));
    launched[o.agent.value] = want;
    h.Accept(o, std::move(tasks), Sec(1000));
  };
  h.sim().Schedule(Sec(10), [&] { h.master().FailOver(Sec(1), Sec(0.5)); });
  h.RunUntil(Sec(10.9));
  EXPECT_EQ(launched[0], 3);
  EXPECT_EQ(launched[1], 1);
  h.RunUntil(Sec(11.6));  // elected at 11 s, every agent back by 11.5 s
  EXPECT_EQ(h.log().agents_reregistered.size(), 3u);
  // The old leader's filters died with it: each agent back is offered again at once.
  uint64_t offers_after[2] = {0, 0};
  for (const MasterHarness::Received& o : h.received) {
    if (o.at >= Sec(11)) ++offers_after[o.framework.value];
  }
  EXPECT_GT(offers_after[0] + offers_after[1], 0u);
  EXPECT_EQ(h.master().framework_offer_count(other), offers_after[other.value]);
  EXPECT_EQ(h.master().framework_offer_count(busy), 2 + offers_after[busy.value]);
  EXPECT_EQ(h.master().role_offer_count(h.master().framework(busy).role),
            2 + offers_after[busy.value]);
}

// The leader dies at 100 s: its offers go with it, and nothing is offered until the election
// (10 s) and the agents' reregistration (within a 1 s window). Running tasks run on and finish
// when they would have.
TEST(MasterFailoverTest, NothingIsOfferedWithoutALeader) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 3, "cpus:4;mem:8192");
  models::FrameworkSpec& f = b.Framework("jobs");
  f.workload = PoissonJobs(0.5, 1, "cpus:1;mem:1024", 30);
  b.Framework("long").workload = Backlog(2, "cpus:1;mem:1024", 1000);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.RunUntil(Sec(1200));

  EXPECT_EQ(h.master().failovers(), 1u);
  ASSERT_EQ(h.log().agents_reregistered.size(), 3u);
  sim::Time last_back;
  for (const auto& [at, agent] : h.log().agents_reregistered) {
    EXPECT_GE(at, Sec(110));
    EXPECT_LT(at, Sec(111));
    last_back = std::max(last_back, at);
  }
  sim::Time first_after = sim::Time::Max();
  for (const OfferEvent& o : h.log().offers) {
    if (o.kind == OfferEvent::kSent && o.at >= Sec(100)) first_after = std::min(first_after, o.at);
    if (o.kind == OfferEvent::kRescinded) {
      EXPECT_EQ(o.at, Sec(100));
    }
    if (o.kind == OfferEvent::kSent) {
      EXPECT_TRUE(o.at < Sec(100) || o.at >= Sec(110)) << o.at.seconds();
    }
  }
  EXPECT_GE(first_after, Sec(110));
  EXPECT_LE(first_after, last_back);  // the first agent back is offered at once
  // The long tasks ran through the failover: launched before it, finished 1000 s after running.
  size_t long_finished = 0;
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind != TaskEvent::kEnded || e.framework != 1) continue;
    EXPECT_EQ(e.state, TaskState::kFinished);
    EXPECT_LT(e.at, Sec(1010));
    ++long_finished;
  }
  EXPECT_EQ(long_finished, 2u);
  // Each reregistration is an admission: the agent's new ping phase (master.cpp:10644).
  for (const auto& [at, agent] : h.log().agents_reregistered) {
    EXPECT_EQ(h.master().agent_admitted(AgentId(agent)), at);
  }
}

// With quota the new allocator waits for ⌊0.8 × 10⌋ = 8 agents (hierarchical.cpp:675-731,
// 1049-1057): the first offer after the failover comes with the 8th reregistration.
TEST(MasterFailoverTest, WithQuotaTheAllocatorWaitsForEightyPercentOfAgents) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 10, "cpus:4;mem:8192");
  b.spec().master.quotas["jobs"].guarantee = Resources::Of(2, 0);
  b.Framework("jobs").workload = PoissonJobs(1, 1, "cpus:1;mem:1024", 5);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(60)); });
  h.RunUntil(Sec(300));
  std::vector<sim::Time> back;
  for (const auto& [at, agent] : h.log().agents_reregistered) back.push_back(at);
  ASSERT_EQ(back.size(), 10u);
  std::sort(back.begin(), back.end());
  sim::Time first_after = sim::Time::Max();
  for (const OfferEvent& o : h.log().offers) {
    if (o.kind == OfferEvent::kSent && o.at >= Sec(100)) first_after = std::min(first_after, o.at);
  }
  EXPECT_EQ(first_after, back[7]);
}

// A crashed agent cannot reregister with the new leader: the old leader's ping deadline
// (15·(6+6) = 180 s) dies with it, and the new one marks it unreachable agent_reregister_timeout
// (10 min) after the election.
TEST(MasterFailoverTest, AgentsThatCannotReregisterAreUnreachableTenMinutesLater) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 2, "cpus:4;mem:8192");
  b.Framework("long").workload = Backlog(2, "cpus:1;mem:1024", 10'000);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(95), [&] { h.master().CrashAgent(AgentId(0)); });
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.RunUntil(Sec(1000));
  EXPECT_EQ(h.log().agents_unreachable,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(710), 0}}));
  ASSERT_EQ(h.log().agents_reregistered.size(), 1u);
  EXPECT_EQ(h.log().agents_reregistered[0].second, 1u);
}

// Faults while no master leads: nobody pings, so no ping deadline is armed; the new leader's
// agent_reregister_timeout alone finds the crashed agent out (election 110 s + 10 min = 710 s),
// once; repaired at 900 s, it reregisters as itself. Agent 1 is cut off during the election and
// heals at 400 s: it reregisters with the new leader then (its 10-minute timeout cancelled) and
// is never unreachable. Found by
// RandomScenarioTest (seed 128): the crash armed the ping deadline too, which marked the agent
// unreachable a second time once it was settled (an abort).
TEST(MasterFailoverTest, FaultsDuringTheElectionAreFoundOutByTheNewLeaderOnce) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 3, "cpus:4;mem:8192");
  b.Framework("long").workload = Backlog(3, "cpus:1;mem:1024", 10'000);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.sim().Schedule(Sec(103), [&] { h.master().CrashAgent(AgentId(0)); });
  h.sim().Schedule(Sec(105), [&] { h.master().PartitionAgent(AgentId(1)); });
  h.sim().Schedule(Sec(400), [&] { h.master().HealPartition(AgentId(1)); });
  h.sim().Schedule(Sec(900), [&] { h.master().RestartAgent(AgentId(0)); });
  h.RunUntil(Sec(1500));
  EXPECT_EQ(h.log().agents_unreachable,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(710), 0}}));
  std::vector<std::pair<sim::Time, uint32_t>> back = h.log().agents_reregistered;
  std::sort(back.begin(), back.end(), [](auto& x, auto& y) { return x.second < y.second; });
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0], std::make_pair(Sec(900), 0u));
  EXPECT_EQ(back[1], std::make_pair(Sec(400), 1u));
  EXPECT_EQ(back[2].second, 2u);
  EXPECT_LT(back[2].first, Sec(111));
  EXPECT_EQ(h.master().agent_health(AgentId(0)), Master::AgentHealth::kHealthy);
  EXPECT_TRUE(h.master().agent_active(AgentId(0)));
}

// Agent 0's host crashes at 100 s (unreachable at 15·(6+6) = 180 s) and is repaired at 320 s,
// during an election (300-360 s): its agent waits for the leader to register. The host crashes
// again at 330 s: the wait dies with it, and the agent stays unreachable until the repair at
// 500 s, when it reregisters as itself. Found by a review: the second crash was ignored and
// the dead host registered at the election, its tasks "running" there.
TEST(MasterFailoverTest, ACrashOfAHostWaitingForTheElectionStopsItsRegistration) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 2, "cpus:4;mem:8192");
  b.Framework("long").workload = Backlog(2, "cpus:1;mem:1024", 10'000);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  Master& m = h.master();
  uint64_t second = 0;
  h.sim().Schedule(Sec(100), [&] { m.CrashAgent(AgentId(0)); });
  h.sim().Schedule(Sec(300), [&] { m.FailOver(Sec(60), Sec(1)); });
  h.sim().Schedule(Sec(320), [&] { m.RestartAgent(AgentId(0)); });
  h.sim().Schedule(Sec(330), [&] { second = m.CrashAgent(AgentId(0)); });
  h.RunUntil(Sec(499));
  EXPECT_NE(second, 0u);  // the fault applied: its repair brings the agent back
  EXPECT_FALSE(m.agent_active(AgentId(0)));
  EXPECT_EQ(m.agent_health(AgentId(0)), Master::AgentHealth::kUnreachable);
  const auto back_of_0 = [&h] {
    std::vector<sim::Time> at;
    for (const auto& [when, agent] : h.log().agents_reregistered) {
      if (agent == 0) at.push_back(when);
    }
    return at;
  };
  EXPECT_TRUE(back_of_0().empty());
  h.sim().Schedule(Sec(500), [&] { m.EndFault(AgentId(0), second, /*crash=*/true); });
  h.RunUntil(Sec(600));
  EXPECT_EQ(back_of_0(), std::vector<sim::Time>{Sec(500)});
  EXPECT_TRUE(m.agent_active(AgentId(0)));
}

// A crash after the election but before the agent reregisters with the new leader: no observer
// pings it yet, so the pings' 75-90 s do not apply; the leader's recoveredSlavesTimeout finds it
// out at election + 10 min (M:1995-2083): 110 + 600 = 710 s.
TEST(MasterFailoverTest, AFaultBeforeReregisteringIsFoundByTheRecoveryTimeout) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 2, "cpus:4;mem:8192");
  b.Framework("long").workload = Backlog(2, "cpus:1;mem:1024", 10'000);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(1000)); });
  h.sim().Schedule(Sec(111), [&] {
    ASSERT_TRUE(h.master().agent_deactivated(AgentId(0), Master::Deactivation::kRecovering));
    h.master().CrashAgent(AgentId(0));
  });
  h.RunUntil(Sec(1500));
  EXPECT_EQ(h.log().agents_unreachable,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(710), 0}}));
}

// Agents reregister within U(0, 3000 s) of the election (110 s), but the new leader marks every
// agent still not back at its agent_reregister_timeout, 710 s, unreachable (M:2030-2040): their
// tasks end LOST by reconciliation then, and each such agent, back later, reregisters as an
// unreachable agent does (M:6872-6890), its container recovered if the task still waits.
// Found by a review: only crashed or cut-off agents were ever marked.
TEST(MasterFailoverTest, AHealthyAgentLaterThanTheTimeoutIsMarkedUnreachable) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 8, "cpus:1;mem:2048");
  b.Framework("long").workload = Backlog(8, "cpus:1;mem:1024", 100'000);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(3000)); });
  h.RunUntil(Sec(4000));
  std::vector<uint32_t> late;
  for (const auto& [at, agent] : h.log().agents_unreachable) {
    EXPECT_EQ(at, Sec(710));
    late.push_back(agent);
  }
  ASSERT_GE(late.size(), 2u);  // U(0, 3000): 80 % of the agents on average
  ASSERT_LT(late.size(), 8u);
  std::map<uint32_t, int> back;
  for (const auto& [at, agent] : h.log().agents_reregistered) {
    ++back[agent];
    const bool is_late = std::find(late.begin(), late.end(), agent) != late.end();
    EXPECT_EQ(is_late, at > Sec(710)) << agent;
  }
  EXPECT_EQ(back.size(), 8u);  // every agent, once
  for (const auto& [agent, times] : back) EXPECT_EQ(times, 1) << agent;
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), late.size());  // one task per late agent; all in the same cpus:1 slots
  for (const TaskEvent& e : ended) {
    EXPECT_EQ(e.at, Sec(710));
    EXPECT_EQ(e.state, TaskState::kLost);
    EXPECT_EQ(e.reason, TaskReason::kReconciliation);
  }
  // The lost tasks wait (every other agent is full) and come back with their containers.
  EXPECT_EQ(h.master().tasks_recovered(), late.size());
  for (uint32_t a = 0; a < 8; ++a) EXPECT_TRUE(h.master().cell().schedulable(AgentId(a))) << a;
}

// Offers sent to `agent` at or after `from`.
size_t OffersTo(const SignalLog& log, uint32_t agent, sim::Time from) {
  size_t n = 0;
  for (const OfferEvent& o : log.offers) {
    if (o.kind == OfferEvent::kSent && o.agent == agent && o.at >= from) ++n;
  }
  return n;
}

sim::Time FirstOfferFrom(const SignalLog& log, sim::Time from) {
  sim::Time first = sim::Time::Max();
  for (const OfferEvent& o : log.offers) {
    if (o.kind == OfferEvent::kSent && o.at >= from) first = std::min(first, o.at);
  }
  return first;
}

// Agent 0, cut off from 100 s to 1300 s, misses the new leader's reregistration deadline
// (160 + 600 = 760 s) and is marked unreachable then; healed, it reregisters as any unreachable
// agent does (M:6872-6890) and is offered from then on (addSlave, H:1064). Found by a review: it
// stayed closed to offers until the next failover (its "recovering" mark outlived the removal).
TEST(MasterFailoverTest, AnAgentBackAfterTheRecoveryDeadlineIsOfferedAgain) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 3, "cpus:4;mem:8192");
  b.Framework("jobs").workload = PoissonJobs(0.5, 1, "cpus:1;mem:1024", 30);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(100), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(150), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.sim().Schedule(Sec(1300), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(2400));
  EXPECT_EQ(h.log().agents_unreachable,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(760), 0}}));
  EXPECT_TRUE(h.master().cell().schedulable(AgentId(0)));
  EXPECT_GT(OffersTo(h.log(), 0, Sec(1300)), 10u);
}

// Four machines go DOWN at 111 s, before their agents reregister with the leader elected at
// 110.5 s: a DOWN machine's agent is refused (M:6714-6727), so only six agents can be added and
// the allocator, waiting for ⌊0.8 × 10⌋ = 8 (H:1049-1057), resumes at its recovery timeout
// (110.5 + 600 s) and offers at its next periodic cycle, 711 s (resume() runs no cycle,
// H:1884-1891). Found by a review: the DOWN agents still "reregistered" and counted, and offers
// resumed before 510 s.
TEST(MasterFailoverTest, AMachineDownBeforeReregisteringIsNotWaitedFor) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 10, "cpus:4;mem:8192");
  b.spec().master.quotas["jobs"].guarantee = Resources::Of(2, 0);
  b.Framework("jobs").workload = PoissonJobs(1, 1, "cpus:1;mem:1024", 5);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10.5), Sec(400)); });
  h.sim().Schedule(Sec(50), [&] {
    for (uint32_t a = 0; a < 4; ++a)
      h.master().ScheduleMaintenance(AgentId(a), models::Unavailability{Sec(111), Sec(3600)});
  });
  h.sim().Schedule(Sec(111), [&] {
    for (uint32_t a = 0; a < 4; ++a) h.master().MachineDown(AgentId(a));
  });
  h.RunUntil(Sec(800));
  ASSERT_EQ(h.log().agents_reregistered.size(), 6u);
  for (const auto& [at, agent] : h.log().agents_reregistered) {
    EXPECT_GE(agent, 4u);
    EXPECT_LT(at, Sec(511));
  }
  EXPECT_EQ(FirstOfferFrom(h.log(), Sec(100)), Sec(711));
}

// Agent 0 runs a 500 s task (from 1 s) when the master fails over at 100 s (election 10 s,
// agents back within `window`); its machine, scheduled for maintenance, is taken DOWN at 105 s —
// during the election, so at 110 s, before the agent's reregistration try.
struct DownBeforeReregistering {
  Timeline t;
  std::unique_ptr<ClusterHarness> h;
  explicit DownBeforeReregistering(double window_s, double task_s = 500) {
    t.Tasks("jobs", 1, task_s);
    h = std::make_unique<ClusterHarness>(t.b.Build());
    h->CheckInvariantsAfterEveryEvent();
    Master& m = h->master();
    h->sim().Schedule(Sec(50), [&m] {
      m.ScheduleMaintenance(AgentId(0), models::Unavailability{Sec(105), Sec(3600)});
    });
    h->sim().Schedule(Sec(100), [&m, window_s] { m.FailOver(Sec(10), Sec(window_s)); });
    h->sim().Schedule(Sec(105), [&m] { m.MachineDown(AgentId(0)); });
  }
};

// The new leader has not added the agent: the DOWN removes nothing (MHTTP:3363-3387, only
// addSlave lists a machine's agents, M:10640-10641). The agent's try is refused and it shuts
// down, killing its container (M:6714-6727, S:1029-1072): the task does not finish at 501 s, and
// ends LOST `reconciliation` at the leader's deadline, 110 + 600 = 710 s (M:1995-2083,
// 9076-9100). Before: LOST slave_removed at the DOWN.
TEST(MasterFailoverTest, AMachineDownBeforeReregisteringEndsTheTasksAtTheDeadline) {
  DownBeforeReregistering run(1);
  run.h->RunUntil(Sec(1000));
  ExpectTheOnlyEnd(run.h->log(), Sec(710), TaskState::kLost, TaskReason::kReconciliation);
  EXPECT_TRUE(run.h->log().agents_reregistered.empty());
  EXPECT_EQ(run.h->log().agents_unreachable,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(710), 0}}));
  EXPECT_FALSE(run.h->master().cell().active(AgentId(0)));
  // UP again: the refused agent, unreachable in the registry, reregisters as itself with no
  // task (M:6873-6888), and the task runs again there.
  run.h->sim().Schedule(Sec(1100), [&] { run.h->master().MachineUp(AgentId(0)); });
  run.h->RunUntil(Sec(1700));
  EXPECT_EQ(run.h->log().agents_up.back().first, Sec(1100));
  EXPECT_EQ(run.h->log().agents_reregistered,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(1100), 0}}));
  const std::vector<TaskEvent> ends = run.h->log().Ends();
  ASSERT_EQ(ends.size(), 2u);
  EXPECT_EQ(ends[1].state, TaskState::kFinished);
}

// DOWN and UP again before the agent's try (both asked during the election, applied at 110 s;
// the try comes within 400 s): nothing happened to the agent, which reregisters as itself with
// its task, which finishes at 501 s. Before: the DOWN ended the task LOST at 110 s.
TEST(MasterFailoverTest, AMachineUpAgainBeforeTheAgentsTryChangesNothing) {
  DownBeforeReregistering run(400);
  run.h->sim().Schedule(Sec(106), [&] { run.h->master().MachineUp(AgentId(0)); });
  run.h->RunUntil(Sec(1000));
  ASSERT_EQ(run.h->log().agents_reregistered.size(), 1u);
  EXPECT_GT(run.h->log().agents_reregistered[0].first, Sec(110));
  const std::vector<TaskEvent> ends = run.h->log().Ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].state, TaskState::kFinished);
  EXPECT_EQ(ends[0].at, Sec(501));
  EXPECT_TRUE(run.h->master().cell().schedulable(AgentId(0)));
}

// Refused at ~110 s, then UP at 300 s: the agent, restarted by its supervisor, reregisters as
// itself with no task (its frameworks were shut down with their updates, S:7144-7150,
// 7355-7356), and the task ends LOST `reconciliation`, as the frameworks' reconciliation answers
// once the agent is registered (M:9057-9074).
TEST(MasterFailoverTest, ARefusedAgentReregistersWithoutItsTasksAtTheMachinesUp) {
  DownBeforeReregistering run(1);
  run.h->sim().Schedule(Sec(300), [&] { run.h->master().MachineUp(AgentId(0)); });
  run.h->RunUntil(Sec(1000));
  const std::vector<TaskEvent> ends = run.h->log().Ends();
  ASSERT_GE(ends.size(), 1u);
  EXPECT_EQ(ends[0].at, Sec(300));
  EXPECT_EQ(ends[0].state, TaskState::kLost);
  EXPECT_EQ(ends[0].reason, TaskReason::kReconciliation);
  EXPECT_EQ(run.h->log().agents_reregistered,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(300), 0}}));
  EXPECT_TRUE(run.h->log().agents_unreachable.empty());
  EXPECT_TRUE(run.h->master().cell().schedulable(AgentId(0)));
}

// A drain asked at 104 s, applied with the leader at 110 s just before the DOWN: the DOWN of an
// agent the leader has not added removes nothing, its drain included (only _removeSlave forgets
// one, M:10932-10937), and the master sends the drain again when the agent reregisters
// (M:7139-7157). Found by a review: the DOWN erased the drain, and the agent came back neither
// drained nor offered (or, after the deadline, offered at once).
void DrainBeforeTheDown(DownBeforeReregistering& run, double up_at_s) {
  Master& m = run.h->master();
  run.h->sim().Schedule(Sec(104), [&m] { m.DrainAgent(AgentId(0), Sec(10), false); });
  run.h->sim().Schedule(Sec(up_at_s), [&m] { m.MachineUp(AgentId(0)); });
}

// UP again before the agent's try: it reregisters with its task, which the drain kills with its
// 10 s grace, and the agent is DRAINED (before: the task finished at 501 s, no drain on record).
TEST(MasterFailoverTest, AMachineDownBeforeReregisteringKeepsTheDrain) {
  DownBeforeReregistering run(400);
  DrainBeforeTheDown(run, 106);
  run.h->RunUntil(Sec(1000));
  ASSERT_EQ(run.h->log().agents_reregistered.size(), 1u);
  const sim::Time back = run.h->log().agents_reregistered[0].first;
  EXPECT_GT(back, Sec(110));
  const std::vector<TaskEvent> ends = run.h->log().Ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].state, TaskState::kKilled);
  EXPECT_EQ(ends[0].at, back + Sec(10));
  EXPECT_EQ(run.h->master().drain_state(AgentId(0)), DrainState::kDrained);
  EXPECT_FALSE(run.h->master().cell().schedulable(AgentId(0)));
}

// Refused at ~110 s: the agent comes back at the UP without its task, before the deadline (300 s:
// it reregisters) or after it (800 s: marked unreachable at 710 s, it registers as itself, an
// unreachable agent keeping its drain, M:10932-10935); either way it is DRAINED and not offered
// (before: no drain on record, and at 800 s offered at once).
TEST(MasterFailoverTest, ARefusedAgentComesBackDrained) {
  for (const double up : {300.0, 800.0}) {
    DownBeforeReregistering run(1);
    DrainBeforeTheDown(run, up);
    run.h->RunUntil(Sec(1000));
    const auto& back = up < 710 ? run.h->log().agents_reregistered : run.h->log().agents_up;
    ASSERT_FALSE(back.empty()) << up;
    EXPECT_EQ(back.back().first, Sec(up)) << up;
    EXPECT_EQ(run.h->master().drain_state(AgentId(0)), DrainState::kDrained) << up;
    EXPECT_FALSE(run.h->master().cell().schedulable(AgentId(0))) << up;
    EXPECT_EQ(OffersTo(run.h->log(), 0, Sec(up)), 0u) << up;
  }
}

// Crashed at 90 s, before the failover: marked unreachable at the 710 s deadline with its drain
// kept; the machine is UP at 750 s with the host still down, and the repair at 800 s registers
// the agent, which is sent the drain (M:7139-7157) and is DRAINED at once, with no task.
TEST(MasterFailoverTest, AForgottenAgentRepairedAfterTheUpComesBackDrained) {
  DownBeforeReregistering run(1);
  Master& m = run.h->master();
  uint64_t ticket = 0;
  run.h->sim().Schedule(Sec(90), [&] { ticket = m.CrashAgent(AgentId(0)); });
  DrainBeforeTheDown(run, 750);
  run.h->sim().Schedule(Sec(800), [&] { m.EndFault(AgentId(0), ticket, /*crash=*/true); });
  run.h->RunUntil(Sec(1000));
  ASSERT_FALSE(run.h->log().agents_up.empty());
  EXPECT_EQ(run.h->log().agents_up.back().first, Sec(800));
  EXPECT_EQ(m.drain_state(AgentId(0)), DrainState::kDrained);
  EXPECT_FALSE(m.cell().schedulable(AgentId(0)));
}

// Refused at ~110 s; the host crashes at 200 s and the machine is UP at 300 s: the agent waits
// for its host. Repaired at 400 s, it reregisters then (the task ending then); repaired at
// 800 s, after the 710 s deadline ended the task, it reregisters too (the master holds it
// unreachable), with no task.
TEST(MasterFailoverTest, ARefusedAgentWhoseHostCrashedComesBackAtTheRepair) {
  for (const double repair : {400.0, 800.0}) {
    DownBeforeReregistering run(1);
    Master& m = run.h->master();
    uint64_t ticket = 0;
    run.h->sim().Schedule(Sec(200), [&] { ticket = m.CrashAgent(AgentId(0)); });
    run.h->sim().Schedule(Sec(300), [&] { m.MachineUp(AgentId(0)); });
    run.h->sim().Schedule(Sec(repair), [&] { m.EndFault(AgentId(0), ticket, /*crash=*/true); });
    run.h->RunUntil(Sec(1000));
    EXPECT_NE(ticket, 0u) << repair;
    const std::vector<TaskEvent> ends = run.h->log().Ends();
    ASSERT_GE(ends.size(), 1u) << repair;
    EXPECT_EQ(ends[0].at, Sec(std::min(repair, 710.0))) << repair;
    EXPECT_EQ(ends[0].reason, TaskReason::kReconciliation) << repair;
    const auto& back = run.h->log().agents_reregistered;
    ASSERT_FALSE(back.empty()) << repair;
    EXPECT_EQ(back.back().first, Sec(repair)) << repair;
    EXPECT_TRUE(m.cell().schedulable(AgentId(0))) << repair;
  }
}

// Cut off at 90 s, before the failover, its machine DOWN at 110 s: the leader's deadline (710 s)
// ends the task `reconciliation` (it finished behind the cut: no container is left) and marks
// the agent unreachable; its try at the heal at 800 s, machine still DOWN, is refused; at the UP
// at 900 s the agent, still unreachable in the registry, reregisters as itself (M:6873-6888)
// with no task.
TEST(MasterFailoverTest, ACutOffAgentWhoseMachineIsDownIsRefusedThenBackAtTheUp) {
  DownBeforeReregistering run(1);
  Master& m = run.h->master();
  uint64_t ticket = 0;
  run.h->sim().Schedule(Sec(90), [&] { ticket = m.PartitionAgent(AgentId(0)); });
  run.h->sim().Schedule(Sec(800), [&] { m.EndFault(AgentId(0), ticket, /*crash=*/false); });
  run.h->sim().Schedule(Sec(900), [&] { m.MachineUp(AgentId(0)); });
  run.h->RunUntil(Sec(1000));
  const std::vector<TaskEvent> ends = run.h->log().Ends();
  ASSERT_GE(ends.size(), 1u);
  EXPECT_EQ(ends[0].at, Sec(710));
  EXPECT_EQ(ends[0].reason, TaskReason::kReconciliation);
  EXPECT_EQ(run.h->log().agents_reregistered,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(900), 0}}));
  ASSERT_FALSE(run.h->log().agents_up.empty());
  EXPECT_EQ(run.h->log().agents_up.back().first, Sec(900));
}

// As above with a 2,000 s task, still running behind the partition at the 710 s deadline: the
// agent stays unreachable with its container (it was never refused). UP at 750 s, the heal at
// 800 s reregisters it with the task RUNNING (M:7011-7086). Before: forgotten at the deadline,
// it registered afresh with no task.
TEST(MasterFailoverTest, ACutOffAgentWhoseMachineIsDownKeepsItsContainersAtTheDeadline) {
  DownBeforeReregistering run(1, 2000);
  Master& m = run.h->master();
  uint64_t ticket = 0;
  run.h->sim().Schedule(Sec(90), [&] { ticket = m.PartitionAgent(AgentId(0)); });
  run.h->sim().Schedule(Sec(750), [&] { m.MachineUp(AgentId(0)); });
  run.h->sim().Schedule(Sec(800), [&] { m.EndFault(AgentId(0), ticket, /*crash=*/false); });
  run.h->RunUntil(Sec(1000));
  const std::vector<TaskEvent> ends = run.h->log().Ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].at, Sec(710));
  EXPECT_EQ(ends[0].reason, TaskReason::kReconciliation);
  ASSERT_EQ(run.h->log().agents_reregistered.size(), 1u);
  EXPECT_GE(run.h->log().agents_reregistered[0].first, Sec(800));
  EXPECT_LT(run.h->log().agents_reregistered[0].first, Sec(801));
  EXPECT_EQ(m.tasks_recovered(), 1u);
}

// A crash while no master leads closes a socket nobody holds: the tasks of a framework that does
// not checkpoint are not removed at once (Master::exited needs a connected master); the new
// leader's reregistration deadline (130 + 600 = 730 s) ends them LOST. The new leader never knew
// them and sends no update (M:8697-8706): the framework's reconciliation answers, reason
// reconciliation (M:9076-9100), as for every task of an agent that never reregisters.
TEST(MasterFailoverTest, ACrashDuringTheElectionRemovesNoTaskAtOnce) {
  Timeline t;
  t.Tasks("fragile", 1, 10'000).checkpoint = false;
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(30), Sec(1)); });
  h.sim().Schedule(Sec(105), [&] { h.master().CrashAgent(AgentId(0)); });
  h.RunUntil(Sec(1000));
  ExpectTheOnlyEnd(h.log(), Sec(730), TaskState::kLost, TaskReason::kReconciliation);
}

// Cut off at 52 s and never back: the new leader (elected at 110 s) marks the agent unreachable
// at 710 s, and a partition-aware framework's task there ends UNREACHABLE, reason
// reconciliation (case 4 of the master's explicit reconciliation, M:9076-9100), where an
// unreachable transition the leader saw itself says slave_removed.
TEST(MasterFailoverTest, AnAgentNeverBackEndsItsTasksByReconciliation) {
  Timeline t;
  t.Tasks("aware", 1, 10'000).partition_aware = true;
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.RunUntil(Sec(1000));
  ExpectTheOnlyEnd(h.log(), Sec(710), TaskState::kUnreachable, TaskReason::kReconciliation);
}

// A launch sent at ~60 s to an agent cut off since 52 s waits in TCP's buffers; the master fails
// over at 80 s (election at 90 s). At the heal, 200 s, the agent follows the new leader and
// ignores the old one's launch (S:2173-2178); the new leader never heard of the task, and the
// framework's reconciliation, answered once the agent has reregistered (at the heal), ends it
// LOST, reason reconciliation (M:9057-9074): it never runs there, and is launched again.
// Before, the launch was delivered at the heal and the task ran from 201 s.
TEST(MasterFailoverTest, ALaunchHeldAcrossAFailoverIsLostAtTheReregistration) {
  Timeline t;
  t.Tasks("jobs", 1, 10'000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(52), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(60), [&] { h.Submit(0, MakeTask("cpus:1;mem:1024", 100)); });
  h.sim().Schedule(Sec(80), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.sim().Schedule(Sec(200), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(1000));
  ASSERT_EQ(h.log().agents_reregistered.size(), 1u);
  EXPECT_EQ(h.log().agents_reregistered[0].first, Sec(200));
  const std::vector<TaskEvent> ends = h.log().Ends();
  ASSERT_EQ(ends.size(), 2u);
  EXPECT_EQ(ends[0].at, Sec(200));
  EXPECT_EQ(ends[0].state, TaskState::kLost);
  EXPECT_EQ(ends[0].reason, TaskReason::kReconciliation);
  EXPECT_FALSE(ends[0].final);  // relaunched
  EXPECT_EQ(ends[1].state, TaskState::kFinished);
  const std::vector<sim::Time> launched = TimesOf(h.log(), TaskEvent::kLaunched);
  const std::vector<sim::Time> running = TimesOf(h.log(), TaskEvent::kRunning);
  ASSERT_EQ(launched.size(), 3u);  // the long task, the held launch, its relaunch
  EXPECT_LT(launched[1], Sec(62));
  EXPECT_GE(launched[2], Sec(200));
  ASSERT_EQ(running.size(), 2u);  // the held attempt never ran
  EXPECT_EQ(running[1], launched[2] + Sec(1));
  EXPECT_EQ(ends[1].at, running[1] + Sec(100));
}

// Two failovers 30 s apart (elections 100-110 s and 130-140 s, reregistration windows of 60 s):
// an agent the first election scheduled for after 130 s has no leader to reregister with then,
// and reregisters after the second election. Found by a review: such agents "reregistered"
// during the second election and were then never waited for.
TEST(MasterFailoverTest, BackToBackFailoversReregisterOnlyWithALeader) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 20, "cpus:4;mem:8192");
  b.Framework("jobs").workload = PoissonJobs(0.5, 1, "cpus:1;mem:1024", 5);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(60)); });
  h.sim().Schedule(Sec(130), [&] { h.master().FailOver(Sec(10), Sec(60)); });
  h.RunUntil(Sec(400));
  size_t after_second = 0;
  for (const auto& [at, agent] : h.log().agents_reregistered) {
    EXPECT_TRUE((at >= Sec(110) && at < Sec(130)) || (at >= Sec(140) && at < Sec(200)))
        << agent << " at " << at.seconds();
    if (at >= Sec(140)) ++after_second;
  }
  EXPECT_EQ(after_second, 20u);  // every agent reregisters with the second leader
  for (uint32_t a = 0; a < 20; ++a) EXPECT_TRUE(h.master().cell().schedulable(AgentId(a))) << a;
}

// Agent 0 is unreachable since 90 s; it heals at 210 s, during the election (205-235 s): there is
// no leader to register with (slave.cpp:1466-1469), so it registers after the election, within
// its backoff, and its container comes back then.
TEST(MasterFailoverTest, AnAgentHealedDuringTheElectionRegistersAfterIt) {
  Timeline t;
  t.Tasks("jobs", 1, 10'000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(10), [&] { h.master().PartitionAgent(AgentId(0)); });
  h.sim().Schedule(Sec(205), [&] { h.master().FailOver(Sec(30), Sec(1)); });
  h.sim().Schedule(Sec(210), [&] { h.master().HealPartition(AgentId(0)); });
  h.RunUntil(Sec(400));
  EXPECT_EQ(h.log().agents_unreachable,
            (std::vector<std::pair<sim::Time, uint32_t>>{{Sec(90), 0}}));
  ASSERT_EQ(h.log().agents_reregistered.size(), 1u);
  EXPECT_GE(h.log().agents_reregistered[0].first, Sec(235));
  EXPECT_LT(h.log().agents_reregistered[0].first, Sec(236));
  EXPECT_EQ(h.master().tasks_recovered(), 1u);
}

// With quota the allocator resumes at its ⌊0.8 × 7⌋ = 5th added agent, whichever they are
// (H:1041-1057): agents 0-2 were unreachable at the failover (not among the 7 admitted) and,
// healed at 300 s, count when they come back. Found by a review: only the 7 counted.
TEST(MasterFailoverTest, TheQuotaHoldCountsEveryAgentAdded) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 10, "cpus:4;mem:8192");
  b.spec().master.quotas["jobs"].guarantee = Resources::Of(2, 0);
  b.Framework("jobs").workload = PoissonJobs(1, 1, "cpus:1;mem:1024", 5);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(10), [&] {
    for (uint32_t a = 0; a < 3; ++a) h.master().PartitionAgent(AgentId(a));
  });
  h.sim().Schedule(Sec(250), [&] { h.master().FailOver(Sec(10), Sec(120)); });
  h.sim().Schedule(Sec(300), [&] {
    for (uint32_t a = 0; a < 3; ++a) h.master().HealPartition(AgentId(a));
  });
  h.RunUntil(Sec(500));
  std::vector<sim::Time> back;
  for (const auto& [at, agent] : h.log().agents_reregistered) back.push_back(at);
  ASSERT_EQ(back.size(), 10u);
  std::sort(back.begin(), back.end());
  EXPECT_EQ(FirstOfferFrom(h.log(), Sec(250)), back[4]);
}

// The allocator waits for ⌊0.8 × 10⌋ = 8 agents it knows (slaves.size(), H:1049-1051); the
// first agent back is removed at once (removeSlave, H:1103), so offers resume with the 9th
// reregistration, not the 8th. Found by a review: removals were not subtracted.
TEST(MasterFailoverTest, TheQuotaHoldDoesNotCountAnAgentRemovedSince) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 10, "cpus:4;mem:8192");
  b.spec().master.quotas["jobs"].guarantee = Resources::Of(2, 0);
  b.Framework("jobs").workload = PoissonJobs(1, 1, "cpus:1;mem:1024", 5);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(60)); });
  h.RunUntil(Sec(110));
  while (h.log().agents_reregistered.empty()) h.RunUntil(h.sim().Now() + Sec(0.01));
  h.master().AgentDown(AgentId(h.log().agents_reregistered[0].second), TaskReason::kAgentRemoved);
  h.RunUntil(Sec(300));
  std::vector<sim::Time> back;
  for (const auto& [at, agent] : h.log().agents_reregistered) back.push_back(at);
  ASSERT_EQ(back.size(), 10u);
  std::sort(back.begin(), back.end());
  EXPECT_EQ(FirstOfferFrom(h.log(), Sec(100)), back[8]);
}

// An operator's drain at 105 s, during the election (100-110 s), is answered 503 and retried:
// it takes effect at the election, and reaches the agent with its reregistration
// (M:7144-7157), so the task is killed 10 s after that, not at 115 s.
TEST(MasterFailoverTest, ADrainDuringTheElectionWaitsForTheLeaderAndTheAgent) {
  Timeline t;
  t.Tasks("jobs", 1, 10'000);
  ClusterHarness h(t.b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.sim().Schedule(Sec(105), [&] { h.master().DrainAgent(AgentId(0), Sec(10), false); });
  h.RunUntil(Sec(109));
  EXPECT_EQ(h.master().drain_state(AgentId(0)), DrainState::kNone);
  h.RunUntil(Sec(400));
  ASSERT_EQ(h.log().agents_reregistered.size(), 1u);
  const sim::Time back = h.log().agents_reregistered[0].first;
  const std::vector<TaskEvent> ended = h.log().Ends();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].state, TaskState::kKilled);
  EXPECT_EQ(ended[0].at, back + Sec(10));
  EXPECT_EQ(h.master().drain_state(AgentId(0)), DrainState::kDrained);
}

// A scheduler disconnected at 50 s (failover_timeout 1 h) reconnects at 105 s, during the
// election (100-110 s): with no leader to subscribe with, it waits for the new one, and is offered
// again only from the election on; the failover dropped its timeout (it is never removed).
TEST(MasterFailoverTest, AFrameworkReconnectingDuringTheElectionSubscribesWithTheNewLeader) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 2, "cpus:4;mem:8192");
  b.Framework("steady").workload = PoissonJobs(0.5, 1, "cpus:1;mem:1024", 5);
  models::FrameworkSpec& back = b.Framework("back");
  back.workload = PoissonJobs(0.5, 1, "cpus:1;mem:1024", 5);
  back.failover_timeout = Sec(3600);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(50), [&] { h.master().DisconnectScheduler(FrameworkId(1)); });
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.sim().Schedule(Sec(105), [&] { h.master().ReconnectScheduler(FrameworkId(1)); });
  h.RunUntil(Sec(107));
  EXPECT_FALSE(h.master().framework_active(FrameworkId(1)));
  h.RunUntil(Sec(300));
  EXPECT_TRUE(h.master().framework_active(FrameworkId(1)));
  EXPECT_FALSE(h.master().framework_removed(FrameworkId(1)));
  sim::Time first_after = sim::Time::Max();
  for (const OfferEvent& o : h.log().offers) {
    if (o.kind != OfferEvent::kSent || o.framework != 1 || o.at < Sec(50)) continue;
    first_after = std::min(first_after, o.at);
  }
  EXPECT_GE(first_after, Sec(110));
  EXPECT_LT(first_after, Sec(300));
}

// A framework that had already disconnected when the leader died does not come back with the
// new one: only connected schedulers detect the new leader and resubscribe (the driver's
// detection, sched.cpp:305-377); the others stay inactive and are offered nothing.
TEST(MasterFailoverTest, AFrameworkDisconnectedBeforeTheFailoverStaysDisconnected) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 2, "cpus:4;mem:8192");
  b.Framework("connected").workload = PoissonJobs(0.5, 1, "cpus:1;mem:1024", 5);
  b.Framework("gone").workload = PoissonJobs(0.5, 1, "cpus:1;mem:1024", 5);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(50), [&] { h.master().DeactivateFramework(FrameworkId(1)); });
  h.sim().Schedule(Sec(100), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.RunUntil(Sec(300));
  EXPECT_TRUE(h.master().framework_active(FrameworkId(0)));
  EXPECT_FALSE(h.master().framework_active(FrameworkId(1)));
  size_t connected_after = 0;
  for (const OfferEvent& o : h.log().offers) {
    if (o.kind != OfferEvent::kSent || o.at < Sec(50)) continue;
    EXPECT_NE(o.framework, 1u) << o.at.seconds();
    if (o.at >= Sec(110)) ++connected_after;
  }
  EXPECT_GT(connected_after, 0u);
}

}  // namespace
}  // namespace clustersim::test
