// Same scenario + same seed => byte-identical results, apart from summary.json's "run" object.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using nlohmann::json;

struct RunFiles {
  std::string tasks, timeseries, framework_timeseries;
  json summary;
};

RunFiles RunDefault(const std::string& name, const std::vector<std::string>& extra) {
  const std::string out = TempDir(name);
  std::vector<std::string> args = {"run", "--out", out, "--quiet", "--set", "duration=20m"};
  args.insert(args.end(), extra.begin(), extra.end());
  const CliResult r = RunCli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  RunFiles f{ReadFile(out + "/tasks.csv"), ReadFile(out + "/timeseries.csv"),
             ReadFile(out + "/framework_timeseries.csv"),
             json::parse(ReadFile(out + "/summary.json"))};
  f.summary.erase("run");
  return f;
}

TEST(DeterminismTest, SameSeedSameBytes) {
  const RunFiles a = RunDefault("det-a", {"--seed", "5"});
  const RunFiles b = RunDefault("det-b", {"--seed", "5"});
  ASSERT_GT(a.tasks.size(), 1000u);
  EXPECT_TRUE(a.tasks == b.tasks) << "tasks.csv differs";
  EXPECT_TRUE(a.timeseries == b.timeseries) << "timeseries.csv differs";
  ASSERT_GT(a.framework_timeseries.size(), 1000u);
  EXPECT_TRUE(a.framework_timeseries == b.framework_timeseries)
      << "framework_timeseries.csv differs";
  EXPECT_EQ(a.summary.dump(), b.summary.dump());
}

TEST(DeterminismTest, DifferentSeedDiffers) {
  const RunFiles a = RunDefault("det-c", {"--seed", "5"});
  const RunFiles b = RunDefault("det-d", {"--seed", "6"});
  EXPECT_NE(a.tasks, b.tasks);
  EXPECT_NE(a.framework_timeseries, b.framework_timeseries);
  EXPECT_NE(a.summary.dump(), b.summary.dump());
}

// Policies with events.binpb on must not change what happens (observers only observe).
TEST(DeterminismTest, EventLogDoesNotPerturbTheRun) {
  const RunFiles a = RunDefault("det-e", {"--seed", "5"});
  RunFiles b = RunDefault("det-f", {"--seed", "5", "--events"});
  EXPECT_TRUE(a.tasks == b.tasks);
  // The one difference: summary.json lists the extra file.
  ASSERT_TRUE(b.summary["files"].contains("events.binpb"));
  EXPECT_GT(b.summary["files"]["events.binpb"].get<uint64_t>(), 0u);
  b.summary["files"].erase("events.binpb");
  EXPECT_EQ(a.summary.dump(), b.summary.dump());
}

// A task's container start is drawn for the task itself (its framework, job and index), not for
// its place in the run: another framework submitting more work moves the tasks' ids, and must
// not move this framework's start latencies (common random numbers across a sweep of a
// neighbour's load). Linux agents only, so every attempt has the same isolation wherever it runs.
constexpr const char* kTwoFrameworks = R"(name: two-frameworks
seed: 11
duration: 20m
cluster:
  groups:
    - {name: linux, count: 20, os: linux, resources: {cpus: 8, mem: 32GiB}}
frameworks:
  - name: neighbour
    workload: {initial_jobs: 5, arrival: poisson, rate: 0.05, tasks_per_job: 3, duration: 2m,
               resources: {cpus: 1, mem: 1GiB}}
  - name: measured
    workload: {initial_jobs: 5, arrival: poisson, rate: 0.1, tasks_per_job: 4, duration: 1m,
               resources: {cpus: 1, mem: 1GiB}}
)";

// The measured framework's first-attempt STARTING -> RUNNING seconds, in submission order (its
// own order is the same in both runs: its jobs come from its own streams).
std::vector<std::string> MeasuredStarts(const std::string& name, const std::string& neighbour) {
  const std::string dir = TempDir(name);
  std::string yaml = kTwoFrameworks;
  yaml.replace(yaml.find("initial_jobs: 5, arrival: poisson, rate: 0.05"), 45, neighbour);
  WriteFile(dir + "/s.yaml", yaml);
  const CliResult r = RunCli({"run", dir + "/s.yaml", "--out", dir + "/out", "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::istringstream csv(ReadFile(dir + "/out/tasks.csv"));
  std::string line;
  std::getline(csv, line);
  std::map<std::string, size_t> column;
  {
    std::istringstream header(line);
    std::string name_of;
    for (size_t i = 0; std::getline(header, name_of, ','); ++i) column[name_of] = i;
  }
  std::map<uint64_t, std::string> by_id;  // task id -> start_s, or "" if not a first attempt
  while (std::getline(csv, line)) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    cells.resize(column.size());
    if (cells[column.at("framework")] != "measured") continue;
    const bool first = cells[column.at("attempts")] == "1";
    by_id[std::stoull(cells[column.at("task_id")])] = first ? cells[column.at("start_s")] : "";
  }
  std::vector<std::string> starts;
  for (const auto& [id, start] : by_id) starts.push_back(start);
  return starts;
}

TEST(DeterminismTest, ANeighboursLoadLeavesAFrameworksStartLatenciesAlone) {
  const std::vector<std::string> alone =
      MeasuredStarts("det-crn-a", "initial_jobs: 5, arrival: poisson, rate: 0.05");
  const std::vector<std::string> busier =
      MeasuredStarts("det-crn-b", "initial_jobs: 40, arrival: poisson, rate: 0.3");
  ASSERT_EQ(alone.size(), busier.size());
  size_t compared = 0;
  for (size_t i = 0; i < alone.size(); ++i) {
    if (alone[i].empty() || busier[i].empty()) continue;  // retried, or not started by the end
    EXPECT_EQ(alone[i], busier[i]) << "the measured framework's task #" << i;
    ++compared;
  }
  EXPECT_GT(compared, 300u);
}

}  // namespace
}  // namespace clustersim::test
