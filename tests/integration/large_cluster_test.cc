// Paths that run once per agent must stay linear in the agents: a maintenance window over every
// agent of a 200,000-agent cluster (each agent scheduled, unscheduled, inverse-offered, and a move
// planned per agent) and offers held past offer_timeout (a round of 20 s of decision time against
// a 10 s timeout: every offer rescinded while held). Each was quadratic once (hunting seeds 37252
// and 39210 of the mutated scenarios: a million agents ran for hours); the run takes seconds now,
// and the time limit leaves it more than ten times that. And a cycle must visit only the agents
// that changed, also when they carry reservations (seed 125888: agents with reservations were
// visited every cycle, never settling idle). Not timing measurements: guards against going back.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using nlohmann::json;

constexpr const char* kScenario = R"(name: many-agents
duration: 2m
master:
  allocation_interval: 1s
  offer_timeout: 10s
cluster:
  groups:
    - {name: a, count: 200000, os: linux, resources: {cpus: 2, mem: 4GiB}}
frameworks:
  - name: slow
    decision_time: {per_offer: 100us}
    maintenance: accept
    workload:
      initial_jobs: 10
      tasks_per_job: 2
      duration: 30s
      resources: {cpus: 1, mem: 1GiB}
maintenance:
  - {groups: [a], start: 30s, duration: 40s}
)";

// Runs `yaml` within the time limit and returns its summary (null if the run failed).
json RunWithinTheLimit(const std::string& name, const char* yaml) {
  const std::string dir = TempDir(name);
  WriteFile(dir + "/scenario.yaml", yaml);
  const CliResult r = RunCli({"run", dir + "/scenario.yaml", "--out", dir + "/out", "--quiet",
                              "--set", "results.tasks_csv=false"},
                             /*time_limit_s=*/60);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return json();
  return json::parse(ReadFile(dir + "/out/summary.json"));
}

TEST(LargeClusterTest, MaintenanceAndRescindsOverEveryAgentStayLinear) {
  const json s = RunWithinTheLimit("large-cluster", kScenario);
  ASSERT_FALSE(s.is_null());
  const json& slow = s["frameworks"][0];
  // Every agent was offered and rescinded while held, and inverse-offered for the window.
  EXPECT_GE(slow["offers"]["rescinded"].get<uint64_t>(), 200000u);
  EXPECT_GE(slow["inverse_offers"]["received"].get<uint64_t>(), 200000u);
  EXPECT_EQ(slow["inverse_offers"]["accepted"], slow["inverse_offers"]["received"]);
}

// 200,000 agents, each with a reservation for ops, declined by both frameworks for an hour (their
// Windows tasks wait for the one Windows agent): after the first two cycles no one may take any
// of them, and the 600 cycles of the run skip them all. Visiting every agent every cycle, as
// before seed 125888's fix, took more than 120 s; this takes ~2 s.
constexpr const char* kReservedScenario = R"(name: reserved-agents
duration: 10m
master:
  allocation_interval: 1s
layers:
  core: {download: 10MB, disk: 100MB}
images:
  - {name: win, os: windows, version: ltsc2022, layers: [core]}
cluster:
  groups:
    - name: a
      count: 200000
      os: linux
      resources: {cpus: 2, mem: 4GiB}
      reservations: {ops: {cpus: 1, mem: 1GiB}}
    - {name: w, count: 1, os: windows, version: ltsc2022, isolation: process, resources: {cpus: 2, mem: 4GiB}}
frameworks:
  - name: batch
    refuse_seconds: 1h
    workload: {initial_jobs: 1, tasks_per_job: 4, duration: service, resources: {cpus: 1, mem: 1GiB}, images: [win], windows_fraction: 1}
  - name: ops
    refuse_seconds: 1h
    workload: {initial_jobs: 1, tasks_per_job: 4, duration: service, resources: {cpus: 1, mem: 1GiB}, images: [win], windows_fraction: 1}
)";

TEST(LargeClusterTest, AgentsWithReservationsNobodyTakesAreNotVisitedEveryCycle) {
  const json s = RunWithinTheLimit("large-cluster-reserved", kReservedScenario);
  ASSERT_FALSE(s.is_null());
  // batch: every Linux agent's unreserved half once, declined, and the Windows agent, taken.
  const json& batch = s["frameworks"][0]["offers"];
  EXPECT_EQ(batch["received"], 200001);
  EXPECT_EQ(batch["declined"], 200000);
  // ops: each Linux agent once or twice (its reservation while batch held the rest, then all of
  // it), never again within its filters' hour; and the Windows agent's leftover memory.
  const json& ops = s["frameworks"][1]["offers"];
  EXPECT_GE(ops["received"].get<int64_t>(), 200001);
  EXPECT_LE(ops["received"].get<int64_t>(), 400001);
  EXPECT_EQ(ops["declined"], ops["received"]);
}

}  // namespace
}  // namespace clustersim::test
