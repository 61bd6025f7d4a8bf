// A multi-role framework through the real binary (issue 14 item 4): a framework with roles
// [web, batch] on agents that reserve half of themselves for each role is offered both roles'
// reservations (one offer per agent per role), its tasks count to the role of the offer they
// were launched on (tasks.csv `role`, summary roles[]), and summary frameworks[] keeps one entry
// for it, summing its roles.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/integration/cli_runner.h"

namespace clustersim::test {
namespace {

// 2 agents × (4 cpus reserved for web + 4 for batch), nothing unreserved; 16 service tasks of
// 1 cpu fill them exactly, so half must run under each role.
constexpr const char* kScenario = R"(name: multi-role
seed: 1
duration: 30s
cluster:
  groups:
    - {name: linux, count: 2, os: linux, resources: {cpus: 8, mem: 16GiB},
       reservations: {web: {cpus: 4, mem: 8GiB}, batch: {cpus: 4, mem: 8GiB}}}
frameworks:
  - name: multi
    roles: [web, batch]
    workload: {initial_jobs: 16, duration: service, resources: {cpus: 1, mem: 1GiB}}
)";

TEST(MultiRoleEndToEnd, TwoRoleFrameworkIsOfferedBothRolesAndTasksCountToTheOffersRole) {
  const std::string dir = TempDir("multi-role");
  WriteFile(dir + "/scenario.yaml", kScenario);
  const CliResult run = RunCli({"run", dir + "/scenario.yaml", "--out", dir + "/out", "--events",
                                "--quiet", "--no-progress"},
                               120);
  ASSERT_EQ(run.exit_code, 0) << run.err;

  // tasks.csv: the role column is the offer's role; 8 tasks under each.
  std::map<std::string, int> tasks_by_role;
  std::istringstream csv(ReadFile(dir + "/out/tasks.csv"));
  std::string line;
  std::getline(csv, line);  // header: task_id,job_id,framework,role,...
  while (std::getline(csv, line)) {
    std::istringstream fields(line);
    std::string id, job, framework, role;
    std::getline(fields, id, ',');
    std::getline(fields, job, ',');
    std::getline(fields, framework, ',');
    std::getline(fields, role, ',');
    EXPECT_EQ(framework, "multi");
    ++tasks_by_role[role];
  }
  EXPECT_EQ(tasks_by_role, (std::map<std::string, int>{{"batch", 8}, {"web", 8}}));

  const nlohmann::json summary = nlohmann::json::parse(ReadFile(dir + "/out/summary.json"));
  ASSERT_EQ(summary["frameworks"].size(), 1u);
  const nlohmann::json& fw = summary["frameworks"][0];
  EXPECT_EQ(fw["role"], "web,batch");
  EXPECT_EQ(fw["tasks_running_at_end"], 16);
  // Offers for both roles at t = 0: one per agent per role, all accepted.
  EXPECT_EQ(fw["offers"]["received"], 4);
  EXPECT_EQ(fw["offers"]["accepted"], 4);
  EXPECT_DOUBLE_EQ(fw["dominant_share_at_end"].get<double>(), 1.0);
  std::map<std::string, double> cpus_by_role;
  for (const auto& role : summary["roles"])
    cpus_by_role[role["name"].get<std::string>()] = role["allocated_mean"]["cpus"].get<double>();
  ASSERT_EQ(cpus_by_role.size(), 2u);
  EXPECT_GT(cpus_by_role["web"], 7.0);  // 8 cpus from shortly after t = 0 (start latency)
  EXPECT_DOUBLE_EQ(cpus_by_role["web"], cpus_by_role["batch"]);
}

}  // namespace
}  // namespace clustersim::test
