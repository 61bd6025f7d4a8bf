// `clustersim compare`: cells x seeds on worker threads, with results independent of the thread
// count and equal to single runs of the same cell and seed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "results/csv.h"

namespace clustersim::test {
namespace {

// Header and rows of a CSV file the binary wrote.
std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  results::CsvFile file = results::ReadCsvFile(path);
  file.rows.insert(file.rows.begin(), std::move(file.header));
  return file.rows;
}

TEST(CompareTest, RowsPerCellAndSeedIndependentOfThreads) {
  const std::string scenario = SourcePath("scenarios/windows-cold-start.yaml");
  const std::string one = TempDir("cmp-1"), two = TempDir("cmp-2");
  const CliResult a = RunCli({"compare", scenario, "--seeds", "3", "--jobs", "1", "--out", one});
  const CliResult b = RunCli({"compare", scenario, "--seeds", "3", "--jobs", "2", "--out", two});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(ReadFile(one + "/compare.csv"), ReadFile(two + "/compare.csv"));
  // compare.md also shows the policies' CPU time, which is not deterministic.
  const auto rows = ReadCsv(one + "/compare.csv");
  ASSERT_EQ(rows.size(), 4u);  // header + 1 cell x 3 seeds
  EXPECT_EQ(rows[1][3], "7");  // the scenario's seed, then +1, +2
  EXPECT_EQ(rows[3][3], "9");
  EXPECT_NE(a.out.find("| drf | first-fit |"), std::string::npos) << a.out;
  EXPECT_EQ(ReadCsv(one + "/timing.csv").size(), 4u);
}

TEST(CompareTest, EachRowEqualsASingleRunOfThatSeed) {
  const std::string scenario = SourcePath("scenarios/windows-cold-start.yaml");
  const std::string dir = TempDir("cmp-single");
  ASSERT_EQ(RunCli({"compare", scenario, "--seeds", "2", "--out", dir}).exit_code, 0);
  const auto rows = ReadCsv(dir + "/compare.csv");
  ASSERT_EQ(rows.size(), 3u);
  const std::string run_dir = TempDir("cmp-run");
  ASSERT_EQ(RunCli({"run", scenario, "--seed", "8", "--out", run_dir, "--quiet"}).exit_code, 0);
  const auto s = nlohmann::json::parse(ReadFile(run_dir + "/summary.json"));
  EXPECT_EQ(rows[2][3], "8");
  EXPECT_EQ(rows[2][4], std::to_string(s["tasks"]["finished"].get<uint64_t>()));
  EXPECT_EQ(std::stod(rows[2][5]), s["queue_delay_s"]["mean"].get<double>());
}

TEST(CompareTest, WorksOnAScenarioWithOnlyNameClusterAndFrameworks) {
  // Issue 12: the allocator axis is a --set of master.allocator, and this scenario has no
  // `master:` block (or `results:`, `seed:`); the documented defaults must be settable.
  const std::string dir = TempDir("cmp-minimal");
  WriteFile(dir + "/minimal.yaml", R"(name: minimal
cluster:
  groups:
    - {name: a, count: 2, os: linux, resources: {cpus: 4, mem: 8GiB}}
frameworks:
  - name: f
    workload: {initial_jobs: 3, tasks_per_job: 2, duration: 1m, resources: {cpus: 1, mem: 1GiB}}
)");
  const CliResult r = RunCli({"compare", dir + "/minimal.yaml", "--allocators", "drf,fifo",
                              "--seeds", "2", "--jobs", "1", "--out", dir + "/out"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = ReadCsv(dir + "/out/compare.csv");
  ASSERT_EQ(rows.size(), 5u);  // header + 2 cells x 2 seeds
  EXPECT_EQ(rows[1][1], "drf");
  EXPECT_EQ(rows[3][1], "fifo");
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i][4], "6") << i;  // 3 jobs x 2 tasks
  const CliResult set =
      RunCli({"run", dir + "/minimal.yaml", "--set", "master.allocator=fifo", "--set",
              "results.sample_interval=1m", "--out", dir + "/run", "--quiet"});
  EXPECT_EQ(set.exit_code, 0) << set.err;
}

TEST(CompareTest, UnknownPolicyIsAnInputError) {
  const CliResult r = RunCli({"compare", SourcePath("scenarios/drf-paper.yaml"), "--allocators",
                              "drf,nonsense", "--seeds", "1", "--out", TempDir("cmp-bad")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nonsense"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace clustersim::test
