// Paths that run once per agent must stay linear in the agents: a maintenance window over every
// agent of a 200,000-agent cluster (each agent scheduled, unscheduled, inverse-offered, and a move
// planned per agent) and offers held past offer_timeout (a round of 20 s of decision time against
// a 10 s timeout: every offer rescinded while held). Each was quadratic once (hunting seeds 37252
// and 39210 of the mutated scenarios: a million agents ran for hours); the run takes seconds now,
// and the time limit leaves it more than ten times that. Not a timing measurement: a guard
// against going back to quadratic.
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

TEST(LargeClusterTest, MaintenanceAndRescindsOverEveryAgentStayLinear) {
  const std::string dir = TempDir("large-cluster");
  WriteFile(dir + "/scenario.yaml", kScenario);
  const CliResult r = RunCli({"run", dir + "/scenario.yaml", "--out", dir + "/out", "--quiet",
                              "--set", "results.tasks_csv=false"},
                             /*time_limit_s=*/60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = json::parse(ReadFile(dir + "/out/summary.json"));
  const json& slow = s["frameworks"][0];
  // Every agent was offered and rescinded while held, and inverse-offered for the window.
  EXPECT_GE(slow["offers"]["rescinded"].get<uint64_t>(), 200000u);
  EXPECT_GE(slow["inverse_offers"]["received"].get<uint64_t>(), 200000u);
  EXPECT_EQ(slow["inverse_offers"]["accepted"], slow["inverse_offers"]["received"]);
}

}  // namespace
}  // namespace clustersim::test
