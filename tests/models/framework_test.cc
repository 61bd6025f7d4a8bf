#include "models/framework/framework.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using test::Backlog;
using test::ClusterHarness;
using test::MakeTask;
using test::OfferEvent;
using test::Res;
using test::ScenarioBuilder;
using test::Sec;
using test::TaskEvent;

std::vector<double> LaunchTimes(const test::SignalLog& log) {
  std::vector<double> t;
  for (const TaskEvent& e : log.tasks) {
    // micros / 1e6 (not micros * 1e-6) rounds to the double nearest the decimal: 0.8 == 0.8.
    if (e.kind == TaskEvent::kLaunched) t.push_back(static_cast<double>(e.at.micros()) / 1e6);
  }
  return t;
}

TEST(FrameworkTest, MaxTasksPerOfferLimitsLaunchesPerOffer) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 1, "cpus:8;mem:8192");
  FrameworkSpec& f = b.Framework("f");
  f.max_tasks_per_offer = 2;
  f.refuse = sim::Time::Zero();
  f.workload = Backlog(5, "cpus:1;mem:128", 100);
  ClusterHarness h(b.Build());
  h.RunUntil(Sec(10));
  // Two per offer, one offer per cycle (t = 0, 1, 2).
  EXPECT_EQ(LaunchTimes(h.log()), (std::vector<double>{0, 0, 1, 1, 2}));
}

TEST(FrameworkTest, UnlimitedTasksPerOfferFillsTheOffer) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 1, "cpus:4;mem:8192");
  b.Framework("f").workload = Backlog(6, "cpus:1;mem:128", 100);
  ClusterHarness h(b.Build());
  h.RunUntil(Sec(10));
  // Four fit at t=0; the rest wait for capacity (tasks run 1 + 100 s).
  EXPECT_EQ(LaunchTimes(h.log()), (std::vector<double>{0, 0, 0, 0}));
  EXPECT_EQ(h.framework(0).pending(), 2u);
  EXPECT_EQ(h.framework(0).active_tasks(), 4u);
}

TEST(FrameworkTest, DecisionTimeDelaysTheAnswer) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 1, "cpus:8;mem:8192");
  FrameworkSpec& f = b.Framework("f");
  f.decision_per_offer = Sec(0.5);
  f.decision_per_task = Sec(0.1);
  f.workload = Backlog(3, "cpus:1;mem:128", 100);
  ClusterHarness h(b.Build());
  h.RunUntil(Sec(0.7));
  // Offered at 0; the answer needs 0.5 s (one offer) + 3 × 0.1 s (three tasks) = 0.8 s. Until
  // then the whole offer counts as the framework's.
  EXPECT_TRUE(LaunchTimes(h.log()).empty());
  EXPECT_EQ(h.master().framework_allocated(FrameworkId(0)), Res("cpus:8;mem:8192"));
  h.RunUntil(Sec(5));
  EXPECT_EQ(LaunchTimes(h.log()), (std::vector<double>{0.8, 0.8, 0.8}));
  EXPECT_EQ(h.master().framework_allocated(FrameworkId(0)), Res("cpus:3;mem:384"));
}

TEST(FrameworkTest, LaunchesOnAnOfferRescindedDuringTheDecisionReturnToTheQueueFront) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 2, "cpus:2;mem:2048");
  FrameworkSpec& f = b.Framework("f");
  f.decision_per_offer = Sec(1);  // two offers: answer at 2 s
  f.workload = Backlog(4, "cpus:1;mem:128", 100);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  // Agent 0 fails at 0.5 s (its offer is rescinded mid-decision) and is back at 5 s.
  h.sim().Schedule(
      Sec(0.5), [m = &h.master()] { m->AgentDown(AgentId(0), models::TaskReason::kAgentFailed); });
  h.sim().Schedule(Sec(5), [m = &h.master()] { m->AgentUp(AgentId(0)); });
  h.RunUntil(Sec(10));
  // First-fit placed tasks 1, 2 on the first offer and 3, 4 on the second; the offers arrive in
  // the master's shuffled agent order. At 2 s the valid offer's tasks launch, the others go back
  // to the front of the queue; at 5 s agent 0 is offered again and they launch at 5 + 1 = 6 s.
  std::map<uint64_t, std::vector<std::pair<double, uint32_t>>> launches;
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind == TaskEvent::kLaunched) launches[e.task].emplace_back(e.at.seconds(), e.agent);
  }
  ASSERT_EQ(launches.size(), 4u);
  int at2 = 0;
  int at6 = 0;
  for (const auto& [task, l] : launches) {
    ASSERT_EQ(l.size(), 1u) << "task " << task << " launched twice";
    if (l[0].first == 2) {
      ++at2;
      EXPECT_EQ(l[0].second, 1u);
    } else {
      EXPECT_EQ(l[0].first, 6);
      EXPECT_EQ(l[0].second, 0u);
      ++at6;
    }
  }
  EXPECT_EQ(at2, 2);
  EXPECT_EQ(at6, 2);
  EXPECT_EQ(h.log().Count(OfferEvent::kRescinded), 1u);
  EXPECT_EQ(h.framework(0).active_tasks(), 4u);
}

TEST(FrameworkTest, SuppressesWhenIdleAndRevivesOnNewWork) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 1, "cpus:8;mem:8192");
  b.Framework("f").workload = Backlog(1, "cpus:1;mem:128", 10);
  ClusterHarness h(b.Build());
  h.sim().Schedule(Sec(50.5), [hp = &h] { hp->Submit(0, MakeTask("cpus:1;mem:128", 10)); });
  h.RunUntil(Sec(50));
  EXPECT_TRUE(h.master().suppressed(FrameworkId(0)));
  // One offer at t=0 and none while suppressed (cycles ran every second).
  EXPECT_EQ(h.log().Count(OfferEvent::kSent), 1u);
  EXPECT_GE(h.master().cycles(), 50u);
  h.RunUntil(Sec(60));
  // The new task revives the framework: a cycle runs at once, it launches at 50.5 s.
  EXPECT_EQ(LaunchTimes(h.log()), (std::vector<double>{0, 50.5}));
  EXPECT_TRUE(h.master().suppressed(FrameworkId(0)));
}

TEST(FrameworkTest, FailedAttemptsAreRetriedUpToTheLimit) {
  // The image takes 10 s to download (1000 MiB at 100 MiB/s) but the pull timeout is 3 s. Each
  // attempt fails after 3 s; the download goes on in the background between attempts.
  //   attempt 1: launched 0, FAILED 3 (retry: the framework revives, relaunched at once)
  //   attempt 2: launched 3, FAILED 6
  //   attempt 3: launched 6, download done at 10, extraction (1000 / 36 s) outlasts 9: FAILED 9,
  //              final (3 attempts > 1 + max_retries 2).
  ScenarioBuilder b;
  b.PullTimeout(Sec(3));
  b.Layer("big", 1000, 1000);
  const uint32_t image = b.Image("big", Os::kLinux, OsVersion::kNone, {"big"});
  b.LinuxAgents("a", 1, "cpus:8;mem:8192");
  FrameworkSpec& f = b.Framework("f");
  f.max_retries = 2;
  f.retry_backoff = RetryBackoffSpec{sim::Time::Zero(), 1, sim::Time::Zero()};  // immediate
  f.workload = Backlog(1, "cpus:1;mem:128", 10);
  f.workload.images = {image};
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.RunUntil(Sec(100));
  std::vector<std::tuple<double, TaskState, bool>> ends;
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind == TaskEvent::kEnded)
      ends.emplace_back(static_cast<double>(e.at.micros()) / 1e6, e.state, e.final);
  }
  EXPECT_EQ(ends, (std::vector<std::tuple<double, TaskState, bool>>{
                      {3.000001, TaskState::kFailed, false},
                      {6.000002, TaskState::kFailed, false},
                      {9.000003, TaskState::kFailed, true}}));
  EXPECT_EQ(LaunchTimes(h.log()), (std::vector<double>{0, 3.000001, 6.000002}));
  EXPECT_EQ(h.cluster().tasks().live(), 0u);
}

TEST(FrameworkTest, RetriesWaitOutAnExponentialBackoff) {
  // As above (each attempt FAILS 3 s after its launch, pull timeout) with retry_backoff
  // {initial 2 s, factor 3, max 5 s}: 2 s after the first failure, min(2 × 3, 5) = 5 s after the
  // second. The framework suppresses while nothing is queued and revives when the task comes
  // back, so each relaunch is at once:
  //   attempt 1: launched 0, FAILED 3.000001; back in the queue at 5.000001
  //   attempt 2: launched 5.000001, FAILED 8.000002; back at 13.000002
  //   attempt 3: launched 13.000002, FAILED 16.000003, final.
  ScenarioBuilder b;
  b.PullTimeout(Sec(3));
  b.Layer("big", 1000, 1000);
  const uint32_t image = b.Image("big", Os::kLinux, OsVersion::kNone, {"big"});
  b.LinuxAgents("a", 1, "cpus:8;mem:8192");
  FrameworkSpec& f = b.Framework("f");
  f.max_retries = 2;
  f.retry_backoff = RetryBackoffSpec{Sec(2), 3, Sec(5)};
  f.workload = Backlog(1, "cpus:1;mem:128", 10);
  f.workload.images = {image};
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.RunUntil(Sec(4));
  // Waiting out its first backoff: pending, not queued.
  EXPECT_EQ(h.framework(0).backing_off(), 1u);
  EXPECT_EQ(h.framework(0).pending(), 1u);
  h.RunUntil(Sec(100));
  EXPECT_EQ(h.framework(0).backing_off(), 0u);
  EXPECT_EQ(LaunchTimes(h.log()), (std::vector<double>{0, 5.000001, 13.000002}));
  std::vector<std::pair<double, bool>> ends;
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind == TaskEvent::kEnded)
      ends.emplace_back(static_cast<double>(e.at.micros()) / 1e6, e.final);
  }
  EXPECT_EQ(ends, (std::vector<std::pair<double, bool>>{
                      {3.000001, false}, {8.000002, false}, {16.000003, true}}));
}

TEST(RetryBackoffSpecTest, MarathonDefaultsGrowBy115PercentUpToFiveMinutes) {
  const RetryBackoffSpec d;
  EXPECT_EQ(d.DelayAfter(1), Sec(1));
  EXPECT_EQ(d.DelayAfter(2), Sec(1.15));
  EXPECT_EQ(d.DelayAfter(3), Sec(1.3225));
  // 1.15^40 = 267.86 s; 1.15^41 = 308.0 s > 300 s: capped from the 42nd failure on.
  EXPECT_EQ(d.DelayAfter(41), sim::Time::Micros(267'863'546));
  EXPECT_EQ(d.DelayAfter(42), Sec(300));
  EXPECT_EQ(d.DelayAfter(250), Sec(300));
  const RetryBackoffSpec none{sim::Time::Zero(), 1, sim::Time::Zero()};
  EXPECT_EQ(none.DelayAfter(7), sim::Time::Zero());
}

TEST(FrameworkTest, AttributeConstraintsPickMatchingAgents) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 4, "cpus:8;mem:8192").racks = 2;  // a-0, a-2 in r0; a-1, a-3 in r1
  FrameworkSpec& f = b.Framework("f");
  f.workload = Backlog(8, "cpus:1;mem:128", 100);
  f.workload.constraints.attributes = {{"rack", "r1"}};
  ClusterHarness h(b.Build());
  h.RunUntil(Sec(10));
  ASSERT_EQ(h.log().Count(TaskEvent::kLaunched), 8u);
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind != TaskEvent::kLaunched) continue;
    const std::string* rack = h.master().agent(AgentId(e.agent)).Attribute("rack");
    ASSERT_NE(rack, nullptr);
    EXPECT_EQ(*rack, "r1");
  }
}

TEST(FrameworkTest, MaxTasksPerAgentSpreadsTasks) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 3, "cpus:8;mem:8192");
  FrameworkSpec& f = b.Framework("f");
  f.workload = Backlog(5, "cpus:1;mem:128", 20);
  f.workload.constraints.max_tasks_per_agent = 1;
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.RunUntil(Sec(10));
  // One per agent: three run, two wait although every agent has room.
  EXPECT_EQ(h.framework(0).active_tasks(), 3u);
  EXPECT_EQ(h.framework(0).pending(), 2u);
  for (uint32_t a = 0; a < 3; ++a) EXPECT_EQ(h.master().agent_task_count(AgentId(a)), 1u);
  // The first three end at 1 + 20 = 21 s, just before the periodic cycle of 21 s (their end
  // events were scheduled at 1 s, the cycle's at 20 s), which places the other two.
  h.RunUntil(Sec(60));
  EXPECT_EQ(LaunchTimes(h.log()), (std::vector<double>{0, 0, 0, 21, 21}));
}

TEST(FrameworkTest, DifferentMachineTasksOfAJobNeverShareAnAgent) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 3, "cpus:8;mem:8192");
  b.Framework("f").workload = Backlog(1, "cpus:1;mem:128", 0.1);  // job 1, gone by 0.5 s
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  auto job_task = [](uint64_t job, bool different_machine) {
    models::Task t = MakeTask("cpus:1;mem:128", 30);
    t.job = job;
    t.different_machine = different_machine;
    return t;
  };
  h.sim().Schedule(Sec(0.5), [&h, &job_task] {
    for (int i = 0; i < 4; ++i) h.Submit(0, job_task(7, true));  // one agent each: 3 of 4 fit
    h.Submit(0, job_task(8, true));   // another job: shares freely with job 7
    h.Submit(0, job_task(7, false));  // unconstrained, but no agent is free of job 7's
    h.Submit(0, job_task(9, false));  // unconstrained, another job, same size: goes anywhere
  });
  h.RunUntil(Sec(10));
  EXPECT_EQ(h.framework(0).active_tasks(), 5u);
  EXPECT_EQ(h.framework(0).pending(), 2u);
  std::map<uint32_t, int> job7_per_agent;
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind == TaskEvent::kLaunched && e.job == 7) ++job7_per_agent[e.agent];
  }
  EXPECT_EQ(job7_per_agent, (std::map<uint32_t, int>{{0, 1}, {1, 1}, {2, 1}}));
  // When job 7's first three end (31.5 s), the waiting two run.
  h.RunUntil(Sec(40));
  EXPECT_EQ(h.framework(0).pending(), 0u);
}

TEST(FrameworkTest, ARefusedDifferentMachineTaskDoesNotHoldBackItsJobsOtherTasks) {
  // One agent. Job 7's unconstrained task runs there first; then a constrained task of job 7 (it
  // may not join) and an unconstrained one of the same size (it may) queue in that order, and an
  // earlier-queued task of job 2 of the same size must not be taken for either.
  ScenarioBuilder b;
  b.LinuxAgents("a", 1, "cpus:8;mem:8192");
  b.Framework("f").workload = Backlog(1, "cpus:1;mem:128", 0.1);
  ClusterHarness h(b.Build());
  auto job_task = [](uint64_t job, bool different_machine) {
    models::Task t = MakeTask("cpus:1;mem:128", 30);
    t.job = job;
    t.different_machine = different_machine;
    return t;
  };
  h.sim().Schedule(Sec(0.5), [&h, &job_task] { h.Submit(0, job_task(7, false)); });
  h.sim().Schedule(Sec(0.6), [&h, &job_task] {
    h.Submit(0, job_task(7, true));
    h.Submit(0, job_task(7, false));
    h.Submit(0, job_task(2, false));
  });
  h.RunUntil(Sec(10));
  EXPECT_EQ(h.framework(0).active_tasks(), 3u);  // 7 (first), 7 (unconstrained), 2
  EXPECT_EQ(h.framework(0).pending(), 1u);       // 7 (constrained)
}

TEST(FrameworkTest, HyperVTasksAreChargedTheUtilityVmMemory) {
  ScenarioBuilder b;
  b.WindowsAgents("h", 1, OsVersion::kLtsc2022, Isolation::kHyperV, "cpus:8;mem:4096");
  FrameworkSpec& f = b.Framework("f");
  f.workload = Backlog(3, "cpus:1;mem:1100", 100);
  f.workload.windows_fraction = 1;
  ClusterHarness h(b.Build());
  h.RunUntil(Sec(5));
  // 1100 + 300 = 1400 MiB each: two fit in 4096 MiB (2800), a third would need 4200.
  EXPECT_EQ(h.framework(0).active_tasks(), 2u);
  EXPECT_EQ(h.master().agent_allocated(AgentId(0)), Res("cpus:2;mem:2800"));
  EXPECT_EQ(h.framework(0).pending(), 1u);
}

TEST(FrameworkTest, WindowsTasksLandOnlyWhereTheirImageCanRun) {
  ScenarioBuilder b;
  b.LinuxAgents("linux", 2, "cpus:8;mem:8192");
  b.WindowsAgents("p19", 1, OsVersion::kLtsc2019, Isolation::kProcess, "cpus:8;mem:8192");
  b.WindowsAgents("h19", 1, OsVersion::kLtsc2019, Isolation::kHyperV, "cpus:8;mem:8192");
  b.Layer("w16", 1, 1);
  const uint32_t old_image = b.Image("w16", Os::kWindows, OsVersion::kLtsc2016, {"w16"});
  FrameworkSpec& f = b.Framework("f");
  f.workload = Backlog(6, "cpus:1;mem:128", 100);
  f.workload.windows_fraction = 1;
  f.workload.images = {old_image};
  ClusterHarness h(b.Build());
  h.RunUntil(Sec(10));
  // A 2016 image on 2019 hosts runs only under Hyper-V (agent 3).
  ASSERT_EQ(h.log().Count(TaskEvent::kLaunched), 6u);
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind == TaskEvent::kLaunched) {
      EXPECT_EQ(e.agent, 3u);
    }
  }
}

}  // namespace
}  // namespace clustersim::models
