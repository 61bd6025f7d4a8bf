// results.warmup (issue 16 item 3): summary.json's figures cover [warmup, end], on hand-computed
// timelines through the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"
#include "scheduler_summary.h"

namespace clustersim::test {
namespace {

using json = nlohmann::ordered_json;

json RunYaml(const std::string& name, const std::string& yaml) {
  return RunYamlSummary("warmup", name, yaml);
}
const json& Scheduler(const json& s, const std::string& name) { return SchedulerEntry(s, name); }

// SlowFrameworkYaml: the whole agent sits in the framework's offer from 0 to 100 s; its one task
// holds 1 cpu from 100 s on.
std::string SlowFramework(const std::string& results) { return SlowFrameworkYaml(results); }

// Without a warmup: 100 of 1000 s deciding, 4 x 100 of 4 x 1000 cpu-s locked, 1 x 900 of 4000
// cpu-s allocated. With 40 s of warmup the same timeline is measured over [40, 1000]: 60 of 960 s
// deciding and locked (the round and the offer straddling the warmup count from it), 900 of 3840
// cpu-s allocated; the task, submitted before, launched (queue delay 100 s) after.
TEST(WarmupTest, FiguresCoverTheRunAfterTheWarmup) {
  const json whole = RunYaml("whole", SlowFramework(""));
  EXPECT_EQ(whole["warmup_s"].get<double>(), 0.0);
  EXPECT_FALSE(whole["tasks"].contains("pending_at_warmup"));
  EXPECT_NEAR(Scheduler(whole, "slow")["busyness"].get<double>(), 0.1, 1e-9);
  EXPECT_NEAR(whole["utilization"]["cpus"].get<double>(), 900.0 / 4000, 1e-9);

  const json s = RunYaml("measured", SlowFramework("results: {warmup: 40s}\n"));
  EXPECT_EQ(s["warmup_s"].get<double>(), 40.0);
  EXPECT_EQ(s["sim_seconds"].get<double>(), 1000.0);
  const json& slow = Scheduler(s, "slow");
  EXPECT_NEAR(slow["busyness"].get<double>(), 60.0 / 960, 1e-9);
  EXPECT_NEAR(slow["busyness_useful"].get<double>(), 60.0 / 960, 1e-9);
  EXPECT_NEAR(slow["offers_locked"]["cpus"].get<double>(), 60.0 / 960, 1e-9);
  EXPECT_NEAR(slow["offers_locked"]["mem"].get<double>(), 60.0 / 960, 1e-9);
  EXPECT_NEAR(s["utilization"]["cpus"].get<double>(), 900.0 / 3840, 1e-9);
  // The role's time average is over the same 960 s: 900 cpu-s / 960 s.
  EXPECT_NEAR(s["roles"][0]["allocated_mean"]["cpus"].get<double>(), 900.0 / 960, 1e-9);
  // Counts are of events after the warmup: the offer was sent before it, answered after it.
  EXPECT_EQ(s["offers"]["sent"], 0);
  EXPECT_EQ(s["offers"]["accepted"], 1);
  EXPECT_EQ(s["tasks"]["submitted"], 0);
  EXPECT_EQ(s["tasks"]["pending_at_warmup"], 1);
  EXPECT_EQ(s["tasks"]["running_at_warmup"], 0);
  EXPECT_EQ(s["tasks"]["running_at_end"], 1);
  EXPECT_EQ(s["queue_delay_s"]["count"], 1);
  EXPECT_NEAR(s["queue_delay_s"]["mean"].get<double>(), 100.0, 1e-9);
}

// Monolithic: a `prefill` job of 50 tasks takes 50 x 3 s = 150 s to decide at t = 0, and the
// `batch` scheduler's jobs (one task, 10 s each, arriving every 100 s from 100 s on) queue behind
// it in the one scheduler: the first waits 50 s. After a 200 s warmup every batch job is decided
// the moment it arrives, and the prefill is not seen at all.
TEST(WarmupTest, LeavesOutThePrefillTransient) {
  auto scenario = [](const std::string& results) {
    return "name: prefill\nduration: 1000s\nmaster: {architecture: monolithic}\n" + results +
           R"(cluster:
  groups:
    - {name: a, count: 10, os: linux, resources: {cpus: 8, mem: 32GiB}}
frameworks:
  - name: prefill
    decision_time: {per_task: 3s}
    workload: {initial_jobs: 1, tasks_per_job: 50, duration: service,
               resources: {cpus: 1, mem: 1GiB}}
  - name: batch
    decision_time: {per_job: 10s}
    workload: {arrival: fixed, rate: 36/h, duration: 5s, resources: {cpus: 1, mem: 1GiB}}
)";
  };
  const json whole = RunYaml("prefill-whole", scenario(""));
  EXPECT_NEAR(Scheduler(whole, "prefill")["busyness"].get<double>(), 0.15, 1e-9);
  // Jobs at 100, 200, ..., 1000 s: the first waits 50 s.
  EXPECT_EQ(Scheduler(whole, "batch")["jobs"]["submitted"], 10);
  EXPECT_NEAR(Scheduler(whole, "batch")["job_wait_s"]["mean"].get<double>(), 5.0, 1e-9);

  const json s = RunYaml("prefill-measured", scenario("results: {warmup: 200s}\n"));
  const json& prefill = Scheduler(s, "prefill");
  const json& batch = Scheduler(s, "batch");
  EXPECT_EQ(prefill["busyness"].get<double>(), 0.0);
  EXPECT_EQ(prefill["jobs"]["submitted"], 0);
  EXPECT_EQ(s["tasks"]["running_at_warmup"], 50);  // the first batch task ran 160-165 s
  EXPECT_EQ(batch["job_wait_s"]["mean"].get<double>(), 0.0);
  // Arrivals at 200, 300, ..., 1000 s: 9 jobs measured; the one arriving at the end is decided
  // for 0 s of it, the other 8 for 10 s each of the 800 s.
  EXPECT_EQ(batch["jobs"]["submitted"], 9);
  EXPECT_NEAR(batch["busyness"].get<double>(), 8 * 10.0 / 800, 1e-9);
  // Every task is accounted for once over the measured part.
  ExpectTasksAddUp(s["tasks"]);
}

// A warmup as long as the run leaves nothing to measure: the scenario is refused where it is read.
TEST(WarmupTest, AWarmupNotShorterThanTheRunIsAnInputError) {
  const std::string dir = TempDir("warmup-too-long");
  WriteFile(dir + "/s.yaml", SlowFramework("results: {warmup: 1000s}\n"));
  const CliResult r = RunCli({"validate", dir + "/s.yaml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("results.warmup"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("expected a duration shorter than the run (1000s)"), std::string::npos)
      << r.err;
  const CliResult set = RunCli({"run", SourcePath("scenarios/default.yaml"), "--out", dir + "/out",
                                "--quiet", "--set", "duration=10m", "--set", "results.warmup=2h"});
  EXPECT_EQ(set.exit_code, 2);
  EXPECT_NE(set.err.find("results.warmup"), std::string::npos) << set.err;
  // A recorded replay ends with its trace (2,853 s here), known once the trace is open: refused
  // before anything is written.
  const CliResult trace = RunCli({"run", SourcePath("scenarios/google2011-recorded.yaml"), "--out",
                                  dir + "/trace", "--quiet", "--set", "results.warmup=50min"});
  EXPECT_EQ(trace.exit_code, 2);
  EXPECT_NE(trace.err.find("results.warmup (50min) leaves nothing to measure: the trace ends the "
                           "run at 2853 s"),
            std::string::npos)
      << trace.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/trace/summary.json"));
}

// On the default scenario: the task counts add up with the tasks live at the warmup, and the
// figures before the warmup are gone (fewer tasks finished than over the whole run).
TEST(WarmupTest, DefaultScenarioTasksAddUp) {
  const std::string dir = TempDir("warmup-default");
  const CliResult r = RunCli({"run", SourcePath("scenarios/default.yaml"), "--out", dir, "--quiet",
                              "--set", "duration=20m", "--set", "results.warmup=5m"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = json::parse(ReadFile(dir + "/summary.json"));
  const json& t = s["tasks"];
  EXPECT_GT(t["running_at_warmup"].get<int>(), 0);
  ExpectTasksAddUp(t);
  int framework_finished = 0;
  for (const json& f : s["frameworks"]) framework_finished += f["tasks_finished"].get<int>();
  EXPECT_EQ(framework_finished, t["finished"].get<int>());
  int offers_received = 0;
  for (const json& f : s["frameworks"]) offers_received += f["offers"]["received"].get<int>();
  EXPECT_EQ(offers_received, s["offers"]["sent"].get<int>());
}

}  // namespace
}  // namespace clustersim::test
