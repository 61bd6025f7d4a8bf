#include "models/cluster.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string_view>
#include <vector>

#include "models/workload/csv/csv_table_replay.h"
#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/placements/first_fit.h"
#include "tests/models/csv_table_fake_host.h"
#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using test::Backlog;
using test::ClusterHarness;
using test::MakeTask;
using test::Res;
using test::ScenarioBuilder;
using test::Sec;
using test::TaskEvent;

TEST(ClusterTest, BuildsAgentsFromGroups) {
  ScenarioBuilder b;
  b.LinuxAgents("lin", 3, "cpus:4;mem:8192").racks = 2;
  AgentGroupSpec& w =
      b.WindowsAgents("win", 1, OsVersion::kLtsc2022, Isolation::kHyperV, "cpus:8;mem:16384");
  w.attributes = {{"zone", "z1"}};
  b.Framework("f");
  ClusterHarness h(b.Build());
  h.Start();
  const Master& m = h.master();
  ASSERT_EQ(m.agent_count(), 4u);
  EXPECT_EQ(m.agent(AgentId(0)).name, "lin-0");
  EXPECT_EQ(m.agent(AgentId(2)).name, "lin-2");
  EXPECT_EQ(*m.agent(AgentId(0)).Attribute("rack"), "r0");
  EXPECT_EQ(*m.agent(AgentId(1)).Attribute("rack"), "r1");
  EXPECT_EQ(*m.agent(AgentId(2)).Attribute("rack"), "r0");
  EXPECT_EQ(m.agent(AgentId(3)).name, "win");  // a group of one keeps its name
  EXPECT_EQ(m.agent(AgentId(3)).os, Os::kWindows);
  EXPECT_EQ(m.agent(AgentId(3)).os_version, OsVersion::kLtsc2022);
  EXPECT_EQ(m.agent(AgentId(3)).isolation, Isolation::kHyperV);
  EXPECT_EQ(*m.agent(AgentId(3)).Attribute("zone"), "z1");
  EXPECT_EQ(m.agent(AgentId(3)).Attribute("rack"), nullptr);
  EXPECT_EQ(m.cluster_total(), Res("cpus:20;mem:40960"));
  EXPECT_EQ(h.cluster().agent_group(AgentId(2)), 0u);
  EXPECT_EQ(h.cluster().agent_group(AgentId(3)), 1u);
}

TEST(ClusterTest, PreloadedImagesAreWarm) {
  ScenarioBuilder b;
  b.Layer("base", 1000, 2000);
  const uint32_t img = b.Image("img", Os::kLinux, OsVersion::kNone, {"base"});
  b.LinuxAgents("warm", 1, "cpus:4;mem:8192").preloaded_images = {img};
  b.LinuxAgents("cold", 1, "cpus:4;mem:8192");
  b.Framework("f");
  ClusterHarness h(b.Build());
  h.Start();
  EXPECT_DOUBLE_EQ(h.master().image_missing_mib(AgentId(0), ImageId(img)), 0);
  EXPECT_DOUBLE_EQ(h.master().image_missing_mib(AgentId(1), ImageId(img)), 1000);
}

TEST(ClusterTest, FeasibilityConsidersOsVersionIsolationAndSize) {
  ScenarioBuilder b;
  b.LinuxAgents("lin", 1, "cpus:4;mem:8192");
  b.WindowsAgents("p22", 1, OsVersion::kLtsc2022, Isolation::kProcess, "cpus:16;mem:4096");
  b.WindowsAgents("h19", 1, OsVersion::kLtsc2019, Isolation::kHyperV, "cpus:4;mem:8192");
  b.WindowsAgents("none", 0, OsVersion::kLtsc2016, Isolation::kProcess, "cpus:64;mem:65536");
  b.Framework("f");
  ClusterHarness h(b.Build());
  const Cluster& c = h.cluster();
  auto win = [](const char* res, OsVersion v) {
    Task t = MakeTask(res, 1, Os::kWindows);
    t.has_image = v != OsVersion::kNone;
    t.image_version = v;
    return t;
  };
  EXPECT_TRUE(c.Feasible(MakeTask("cpus:4;mem:8192", 1)));
  EXPECT_EQ(c.Unschedulable(MakeTask("cpus:4.001;mem:1", 1)), TaskReason::kTooLarge);
  EXPECT_EQ(c.Unschedulable(MakeTask("gpus:1", 1)), TaskReason::kTooLarge);
  EXPECT_TRUE(c.Feasible(win("cpus:16;mem:1", OsVersion::kLtsc2022)));  // process 2022
  // 2019 on p22: no (process isolation needs the same version); on h19: too small.
  EXPECT_EQ(c.Unschedulable(win("cpus:16;mem:1", OsVersion::kLtsc2019)), TaskReason::kTooLarge);
  EXPECT_TRUE(c.Feasible(win("cpus:4;mem:7892", OsVersion::kLtsc2019)));  // 7892 + 300 = 8192
  EXPECT_EQ(c.Unschedulable(win("cpus:4;mem:7893", OsVersion::kLtsc2019)), TaskReason::kTooLarge);
  EXPECT_TRUE(c.Feasible(win("cpus:1;mem:1", OsVersion::kLtsc2016)));  // Hyper-V 2019 runs it
  // A group with no agents does not make a task feasible.
  EXPECT_EQ(c.Unschedulable(win("cpus:32;mem:1", OsVersion::kLtsc2016)), TaskReason::kTooLarge);
}

// Constraints are matched against the attributes the group's agents register with (rack
// r<index % racks>), never parsed back out of them: a rack name out of range or not a number is
// simply not carried by any agent.
TEST(ClusterTest, FeasibilityMatchesConstraintsAgainstTheGroupsRacks) {
  ScenarioBuilder b;
  b.LinuxAgents("lin", 3, "cpus:4;mem:8192").racks = 2;
  b.LinuxAgents("big", 2, "cpus:64;mem:65536").attributes = {{"zone", "z"}};
  auto& f = b.Framework("f");
  f.workload.constraints.attributes = {{"rack", "r1"}};
  b.Framework("g").workload.constraints.attributes = {{"rack", "r99999999999999999999"}};
  b.Framework("h").workload.constraints.attributes = {{"zone", "z"}};
  b.Framework("i").workload.constraints.attributes = {{"rack", "r2"}};  // only r0 and r1 exist
  ClusterHarness h(b.Build());
  const Cluster& c = h.cluster();
  auto task = [](const char* res, uint32_t framework) {
    Task t = MakeTask(res, 1);
    t.framework = FrameworkId(framework);
    return t;
  };
  EXPECT_TRUE(c.Feasible(task("cpus:4;mem:1", 0)));
  EXPECT_EQ(c.Unschedulable(task("cpus:8;mem:1", 0)), TaskReason::kTooLarge);
  EXPECT_EQ(c.Unschedulable(task("cpus:1;mem:1", 1)), TaskReason::kConstraintUnmet);
  EXPECT_TRUE(c.Feasible(task("cpus:8;mem:1", 2)));
  EXPECT_EQ(c.Unschedulable(task("cpus:1;mem:1", 3)), TaskReason::kConstraintUnmet);
}

// The reason is the first rule that rules out every agent: attributes, then OS, then the image's
// base version and isolation, then size; no agent at all comes before all of them.
TEST(ClusterTest, UnschedulableSaysWhichRuleRulesOutEveryAgent) {
  ScenarioBuilder b;
  b.LinuxAgents("lin", 2, "cpus:4;mem:8192");
  b.WindowsAgents("p19", 1, OsVersion::kLtsc2019, Isolation::kProcess, "cpus:4;mem:8192");
  b.Framework("f");
  b.Framework("g").workload.constraints.attributes = {{"zone", "z"}};
  ClusterHarness h(b.Build());
  const Cluster& c = h.cluster();
  auto win = [](const char* res, OsVersion v, uint32_t framework) {
    Task t = MakeTask(res, 1, Os::kWindows);
    t.has_image = true;
    t.image_version = v;
    t.framework = FrameworkId(framework);
    return t;
  };
  EXPECT_EQ(c.Unschedulable(win("cpus:1", OsVersion::kLtsc2019, 0)), TaskReason::kNone);
  EXPECT_EQ(c.Unschedulable(win("cpus:1", OsVersion::kLtsc2022, 0)),
            TaskReason::kImageIncompatible);  // newer than the host
  EXPECT_EQ(c.Unschedulable(win("cpus:1", OsVersion::kLtsc2016, 0)),
            TaskReason::kImageIncompatible);  // process isolation needs the same version
  EXPECT_EQ(c.Unschedulable(win("cpus:8", OsVersion::kLtsc2022, 0)),
            TaskReason::kImageIncompatible);  // the image rule comes before size
  EXPECT_EQ(c.Unschedulable(win("cpus:1", OsVersion::kLtsc2019, 1)), TaskReason::kConstraintUnmet);

  ScenarioBuilder linux_only;
  linux_only.LinuxAgents("lin", 1, "cpus:4;mem:8192");
  linux_only.Framework("f");
  ClusterHarness l(linux_only.Build());
  EXPECT_EQ(l.cluster().Unschedulable(win("cpus:1", OsVersion::kLtsc2019, 0)),
            TaskReason::kNoMatchingOs);

  ScenarioBuilder empty;
  empty.LinuxAgents("lin", 0, "cpus:4;mem:8192");
  empty.Framework("f").workload.constraints.attributes = {{"zone", "z"}};
  ClusterHarness e(empty.Build());
  EXPECT_EQ(e.cluster().Unschedulable(MakeTask("cpus:1", 1)), TaskReason::kNoAgents);
}

TEST(TaskReasonTest, EveryReasonHasADistinctSnakeCaseName) {
  std::set<std::string_view> names;
  EXPECT_EQ(TaskReasonName(TaskReason::kNone), "");
  for (int r = 1; r < kTaskReasonCount; ++r) {
    const std::string_view name = TaskReasonName(static_cast<TaskReason>(r));
    EXPECT_FALSE(name.empty()) << r;
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string_view::npos)
        << name;
    EXPECT_TRUE(names.insert(name).second) << name;
  }
}

// A crash repaired within the ping deadline (10 s < 75 s): the host is back before the master
// notices more than the broken connection, and the agent reregisters as itself.
TEST(ClusterTest, FailuresCrashAndRestartPerAgentBeforeDetection) {
  ScenarioBuilder b;
  AgentGroupSpec& g = b.LinuxAgents("flaky", 3, "cpus:4;mem:8192");
  g.failures.enabled = true;
  g.failures.time_to_failure_s = sim::Distribution::Exponential(100);
  g.failures.time_to_repair_s = sim::Distribution::Constant(10);
  b.Framework("f");
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.RunUntil(Sec(2000));
  const auto& down = h.log().agents_down;
  ASSERT_GT(down.size(), 20u);
  EXPECT_TRUE(h.log().agents_unreachable.empty());
  EXPECT_TRUE(h.log().agents_removed.empty());
  ASSERT_EQ(h.log().agents_up.size(), 3u);  // registrations only
  for (uint32_t a = 0; a < 3; ++a) {
    std::vector<sim::Time> d, back, deactivated;
    for (const auto& [t, agent] : down) {
      if (agent == a) d.push_back(t);
    }
    for (const auto& [t, agent] : h.log().agents_reregistered) {
      if (agent == a) back.push_back(t);
    }
    for (const auto& [t, agent] : h.log().agents_deactivated) {
      if (agent == a) deactivated.push_back(t);
    }
    ASSERT_FALSE(d.empty());
    EXPECT_EQ(deactivated, d);  // the broken connection: at the crash
    ASSERT_GE(d.size(), back.size());
    ASSERT_LE(d.size(), back.size() + 1);  // the last crash may outlast the run
    for (size_t i = 0; i < back.size(); ++i) EXPECT_EQ(back[i], d[i] + Sec(10));
  }
}

// A crash outlasting the ping deadline: unreachable at reg + 15(k+6), back as a new
// registration when repaired.
TEST(ClusterTest, FailuresCrashOutlastingThePingsMakeTheAgentUnreachable) {
  ScenarioBuilder b;
  AgentGroupSpec& g = b.LinuxAgents("flaky", 2, "cpus:4;mem:8192");
  g.failures.enabled = true;
  g.failures.time_to_failure_s = sim::Distribution::Exponential(500);
  g.failures.time_to_repair_s = sim::Distribution::Constant(200);
  b.Framework("f");
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.RunUntil(Sec(5000));
  ASSERT_GT(h.log().agents_down.size(), 4u);
  for (uint32_t a = 0; a < 2; ++a) {
    sim::Time admitted = Sec(0);
    std::vector<sim::Time> d, unreachable, up;
    for (const auto& [t, agent] : h.log().agents_down) {
      if (agent == a) d.push_back(t);
    }
    for (const auto& [t, agent] : h.log().agents_unreachable) {
      if (agent == a) unreachable.push_back(t);
    }
    for (const auto& [t, agent] : h.log().agents_up) {
      if (agent == a) up.push_back(t);
    }
    ASSERT_FALSE(d.empty());
    ASSERT_GE(unreachable.size() + 1, d.size());
    for (size_t i = 0; i < unreachable.size(); ++i) {
      const int64_t k = (d[i] - admitted).micros() / Sec(15).micros();
      EXPECT_EQ(unreachable[i], admitted + Sec(15) * (k + 6)) << "agent " << a << " crash " << i;
      const double after = (unreachable[i] - d[i]).seconds();
      EXPECT_GT(after, 75.0);
      EXPECT_LE(after, 90.0);
      if (i + 1 < up.size()) {
        EXPECT_EQ(up[i + 1], d[i] + Sec(200));  // a fresh registration: the next ping phase
        admitted = up[i + 1];
      }
    }
  }
}

TEST(ClusterTest, SameSeedSameRunDifferentSeedDifferentRun) {
  auto run = [](uint64_t seed) {
    ScenarioBuilder b;
    b.Seed(seed);
    b.spec().runtime.docker.start_latency_s = sim::Distribution::LogNormal(0.6, 3);
    AgentGroupSpec& g = b.LinuxAgents("a", 4, "cpus:4;mem:8192");
    g.failures.enabled = true;
    g.failures.time_to_failure_s = sim::Distribution::Exponential(200);
    g.failures.time_to_repair_s = sim::Distribution::Exponential(20);
    FrameworkSpec& f = b.Framework("f");
    f.workload = test::PoissonJobs(0.5, 2, "cpus:1;mem:1024", 30);
    f.workload.duration_s = sim::Distribution::Exponential(30);
    ClusterHarness h(b.Build());
    h.RunUntil(Sec(600));
    std::vector<std::tuple<int64_t, uint64_t, int, uint32_t, int>> trace;
    for (const TaskEvent& e : h.log().tasks) {
      trace.emplace_back(e.at.micros(), e.task, static_cast<int>(e.kind), e.agent,
                         static_cast<int>(e.state));
    }
    return trace;
  };
  const auto a = run(5);
  EXPECT_GT(a.size(), 500u);
  EXPECT_EQ(a, run(5));
  EXPECT_NE(a, run(6));
}

// A trace that asks for more live tasks than a run may hold stops the run with an error naming
// the bound and the time, instead of growing until memory runs out (the real bound, 2^26, takes
// ~10 GB to reach, so this test lowers it).
TEST(ClusterTest, TraceTasksPastTheLiveBoundFailTheRun) {
  test::TempFiles tmp;
  // Four jobs of 10 instances at t = 1, 2, 3, 4 s, each running an hour: 40 live at t = 4 s.
  const std::string jobs = tmp.Write("jobs.csv",
                                     "submit_time,duration,cpus,instances\n"
                                     "1,3600,1,10\n2,3600,1,10\n3,3600,1,10\n4,3600,1,10\n");
  ScenarioBuilder b;
  b.LinuxAgents("a", 1, "cpus:64;mem:65536");
  b.Framework("jobs");
  ScenarioSpec spec = b.Build();
  spec.trace.enabled = true;
  spec.trace.format = "csv";
  spec.trace.paths.emplace_back("jobs", std::vector<std::string>{jobs});
  auto options = std::make_shared<CsvOptions>();
  options->columns = {{"submit_time", 0}, {"duration", 1}, {"cpus", 2}, {"instances", 3}};
  options->rebase_time = false;
  spec.trace.options = options;
  for (const int64_t bound : {int64_t{40}, int64_t{25}}) {
    SCOPED_TRACE(bound);
    sim::Simulator sim(spec.seed);
    std::vector<std::unique_ptr<plugins::PlacementPolicy>> placements;
    placements.push_back(std::make_unique<plugins::FirstFitPlacement>());
    Cluster cluster(sim, spec, std::make_unique<plugins::DrfAllocator>(), std::move(placements),
                    std::make_unique<CsvTableReplay>(spec));
    cluster.set_max_live_tasks(bound);
    cluster.Start();
    sim.RunUntil(sim::Time::Seconds(60));
    if (bound == 40) {
      EXPECT_TRUE(cluster.error().ok()) << cluster.error().message();
      EXPECT_EQ(cluster.tasks().live(), 40u);
      continue;
    }
    // The 26th task (the third job's sixth, at t = 3 s) is refused and the run stops.
    EXPECT_EQ(cluster.error().message(),
              "trace.paths: at t = 3 s the trace's tasks pass 25 live at once (pending or "
              "running), the most a run may hold; replay less of it (trace.duration, or "
              "first_jobs for csv) or give it a larger cluster");
    EXPECT_EQ(cluster.tasks().live(), 25u);
    EXPECT_EQ(sim.Now(), sim::Time::Seconds(3));
  }
}

}  // namespace
}  // namespace clustersim::models
