// summary.json schedulers[] (issue 16 item 3) under two-level, on hand-computed timelines through
// the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"
#include "scheduler_summary.h"

namespace clustersim::test {
namespace {

using json = nlohmann::ordered_json;

json RunYaml(const std::string& name, const std::string& yaml) {
  return RunYamlSummary("schedulers", name, yaml);
}
const json& Scheduler(const json& s, const std::string& name) { return SchedulerEntry(s, name); }

std::string SlowFramework(const std::string& master) { return SlowFrameworkYaml(master); }

// One agent <4 cpus, 8 GiB>; a framework that takes 100 s over each offer and has one task. The
// whole agent is offered at t = 0 and held for the 100 s decision; then one cpu is launched and
// nothing is pending (suppressed): 4 cpus x 100 s of 4 cpus x 1000 s locked = 0.1, and busy 0.1.
TEST(SchedulersTest, AFrameworkDecidingHoldsItsOffersLocked) {
  const json s = RunYaml("locked", SlowFramework(""));
  const json& slow = Scheduler(s, "slow");
  EXPECT_NEAR(slow["busyness"].get<double>(), 0.1, 1e-9);
  EXPECT_NEAR(slow["busyness_useful"].get<double>(), 0.1, 1e-9);
  EXPECT_EQ(slow["busyness_wasted"].get<double>(), 0.0);
  EXPECT_NEAR(slow["offers_locked"]["cpus"].get<double>(), 0.1, 1e-9);
  EXPECT_NEAR(slow["offers_locked"]["mem"].get<double>(), 0.1, 1e-9);
  EXPECT_EQ(s["offers"]["sent"], 1);
}

// The master takes offers back after 50 s (offer_timeout) while the framework decides for 100 s.
// Each launch on a rescinded offer comes back TASK_LOST, REASON_INVALID_OFFERS, as Mesos's master
// answers it (master.cpp:3966-4011), and is retried after the backoff (1 s, then x1.15): a round
// places it (wasted: 0-100 s), the next starts while it backs off and places nothing (100-200 s),
// and so on; the 4th loss (max_retries 3) at 700 s is final. Then nothing is pending (suppressed):
// busy 800 s of 1000, 400 of them wasted; 14 offers, each rescinded.
TEST(SchedulersTest, RoundsWhoseOffersAreRescindedAreWasted) {
  const json s = RunYaml("wasted", SlowFramework("master: {offer_timeout: 50s}\n"));
  const json& slow = Scheduler(s, "slow");
  EXPECT_EQ(s["tasks"]["submitted"], 1);
  EXPECT_EQ(s["tasks"]["running_at_end"], 0);
  EXPECT_EQ(s["tasks"]["lost"], 1);
  EXPECT_EQ(s["tasks"]["retried_attempts"], 3);
  EXPECT_EQ(s["tasks"]["by_reason"]["lost"]["invalid_offers"], 1);
  EXPECT_EQ(s["offers"]["rescinded"], 14);
  EXPECT_EQ(s["offers"]["accepted"], 0);
  EXPECT_NEAR(slow["busyness"].get<double>(), 0.8, 1e-9);
  EXPECT_EQ(slow["busyness_useful"].get<double>(), 0.0);
  EXPECT_NEAR(slow["busyness_wasted"].get<double>(), 0.4, 1e-9);
  EXPECT_NEAR(slow["offers_locked"]["cpus"].get<double>(), 0.7, 1e-9);
}

// One 1-cpu agent, no start latency, 100 s; framework `a` with `keys` (YAML lines under it) and a
// job of two 1-cpu tasks running `duration`.
std::string OneCpuJobOfTwo(const std::string& keys, const std::string& duration) {
  return R"(name: job-of-two
duration: 100s
runtime:
  docker: {start_latency: 0}
cluster:
  groups:
    - {name: m, count: 1, os: linux, resources: {cpus: 1, mem: 8GiB}}
frameworks:
  - name: a
)" + keys +
         "    workload: {initial_jobs: 1, tasks_per_job: 2, duration: " + duration +
         ", resources: {cpus: 1, mem: 1GiB}}\n";
}

// Two-level: a job's wait till placed is the time between the rounds that handed it back (the
// released simulator's Mesos scheduler dequeues a job at each offer, MesosSimulation.scala:195).
// 10 s per offer, two 30 s tasks: the round at 0 s launches one at 10 s; the memory left is
// offered at 15 s and 30 s (declined at 25 s and 40 s); the cpu is back at 40 s and the round
// then launches the second at 50 s. In the queue: 10-15, 25-30 and 40-40 s: 10 s (40 s to that
// round less three 10 s rounds); first wait 0.
TEST(SchedulersTest, TwoLevelJobWaitTillPlacedLeavesOutTheRoundsThatConsideredIt) {
  const json s = RunYaml("two-level-till-placed",
                         OneCpuJobOfTwo("    decision_time: {per_offer: 10s}\n", "30s"));
  const json& a = Scheduler(s, "a");
  EXPECT_EQ(a["job_wait_s"]["mean"].get<double>(), 0.0);
  EXPECT_EQ(a["job_wait_till_placed_s"]["mean"].get<double>(), 10.0);
  EXPECT_EQ(a["jobs"]["fully_placed"], 1);
  EXPECT_NEAR(a["busyness"].get<double>(), 0.4, 1e-12);
  EXPECT_EQ(s["offers"]["sent"], 4);
  EXPECT_EQ(s["tasks"]["finished"], 2);
}

// A launch lost with its offer (rescinded while the round decided) does not place the job: the
// round that launches the task again does. The round at 0 s (10 s per task) places the task on a;
// a crashes at 5 s, its offer is rescinded, and the launch is lost at 10 s (LOST, invalid_offers,
// retried). b is offered again at the next cycle, 11 s, and that round launches it at 21 s. In the
// queue: 10-11 s, so 1 s (11 s less the first round's 10 s).
TEST(SchedulersTest, ALaunchLostWithItsOfferPlacesItsJobAtTheRoundThatLaunchesItAgain) {
  const json s = RunYaml("two-level-dropped-launch", R"(name: dropped-launch
duration: 100s
runtime:
  docker: {start_latency: 0}
cluster:
  groups:
    - {name: a, count: 1, os: linux, resources: {cpus: 1, mem: 8GiB}}
    - {name: b, count: 1, os: linux, resources: {cpus: 1, mem: 8GiB}}
frameworks:
  - name: f
    decision_time: {per_task: 10s}
    workload: {initial_jobs: 1, tasks_per_job: 1, duration: 30s, resources: {cpus: 1, mem: 1GiB}}
faults:
  - {kind: agent_crash, at: 5s, group: a, count: 1, duration: 1000s}
)");
  const json& f = Scheduler(s, "f");
  EXPECT_EQ(f["job_wait_s"]["mean"].get<double>(), 0.0);
  EXPECT_EQ(f["job_wait_till_placed_s"]["mean"].get<double>(), 1.0);
  EXPECT_EQ(f["jobs"]["fully_placed"], 1);
  EXPECT_NEAR(f["busyness"].get<double>(), 0.2, 1e-12);  // two 10 s rounds in 100 s
  EXPECT_EQ(s["tasks"]["finished"], 1);
  EXPECT_EQ(s["offers"]["rescinded"], 1);
}

// A job one of whose tasks is never launched (the other holds the only cpu for ever) is not
// fully placed and has no wait till placed.
TEST(SchedulersTest, AJobWithATaskNeverLaunchedHasNoWaitTillPlaced) {
  const json s = RunYaml("two-level-never-placed", OneCpuJobOfTwo("", "service"));
  const json& a = Scheduler(s, "a");
  EXPECT_EQ(a["jobs"]["fully_placed"], 0);
  EXPECT_EQ(a["jobs"]["not_fully_placed"], 1);
  EXPECT_TRUE(a["job_wait_till_placed_s"]["mean"].is_null());
  EXPECT_EQ(s["tasks"]["running_at_end"], 1);
}

// Shared-state: an attempt that claims nothing is busy time but neither useful nor wasted (it was
// once subtracted from useful as monolithic's fruitless attempts are, giving -0.88 here). Useful
// is the committed attempts' time: each 1 s per job + 0.1 s per task not yet placed (at most 2).
TEST(SchedulersTest, SharedStateAttemptsThatClaimNothingAreNotUseful) {
  const json s = RunYaml("shared-useful", R"(name: ss
seed: 1
duration: 10m
master: {architecture: shared-state}
cluster:
  groups:
    - {name: m, count: 2, os: linux, resources: {cpus: 4, mem: 16GiB}}
frameworks:
  - name: batch
    decision_time: {per_job: 1s, per_task: 100ms}
    workload: {arrival: poisson, rate: 6/min, tasks_per_job: 2,
               duration: {dist: exponential, mean: 5m}, resources: {cpus: 1, mem: 2GiB}}
)");
  const json& batch = Scheduler(s, "batch");
  const int64_t committed = batch["transactions"]["committed"];
  ASSERT_GT(committed, 0);
  EXPECT_EQ(batch["transactions"]["conflicted"], 0);
  const double useful_s = batch["busyness_useful"].get<double>() * 600;
  EXPECT_GE(useful_s, static_cast<double>(committed) * 1.0);
  EXPECT_LE(useful_s, static_cast<double>(committed) * 1.2 + 1e-9);
  EXPECT_EQ(batch["busyness_wasted"].get<double>(), 0.0);
  EXPECT_GT(batch["busyness"].get<double>(), batch["busyness_useful"].get<double>());
}

// On the default scenario: one entry per framework, in order, fractions in [0, 1], useful and
// wasted within the total; a framework that answers at once is never busy.
TEST(SchedulersTest, DefaultScenarioFractionsAreConsistent) {
  const std::string dir = TempDir("schedulers-default");
  const CliResult r = RunCli({"run", SourcePath("scenarios/default.yaml"), "--out", dir, "--quiet",
                              "--set", "duration=10m"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = json::parse(ReadFile(dir + "/summary.json"));
  ASSERT_EQ(s["schedulers"].size(), s["frameworks"].size());
  for (size_t i = 0; i < s["schedulers"].size(); ++i) {
    const json& e = s["schedulers"][i];
    EXPECT_EQ(e["name"], s["frameworks"][i]["name"]);
    const double busy = e["busyness"], useful = e["busyness_useful"], wasted = e["busyness_wasted"];
    EXPECT_GE(useful, 0);
    EXPECT_GE(wasted, 0);
    EXPECT_LE(useful + wasted, busy + 1e-12);
    EXPECT_LE(busy, 1.0);
    for (const char* k : {"cpus", "mem"}) {
      EXPECT_GE(e["offers_locked"][k].get<double>(), 0);
      EXPECT_LE(e["offers_locked"][k].get<double>(), 1);
    }
  }
  EXPECT_EQ(Scheduler(s, "web")["busyness"].get<double>(), 0.0);  // no decision_time
  EXPECT_GT(Scheduler(s, "batch-linux")["busyness"].get<double>(), 0.0);
}

}  // namespace
}  // namespace clustersim::test
