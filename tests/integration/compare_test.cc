// `clustersim compare`: cells x seeds on worker threads, with results independent of the thread
// count and equal to single runs of the same cell and seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

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

// The body cells (after the two axis columns) of the Markdown table in `md`, row by row.
std::vector<std::vector<std::string>> TableCells(const std::string& md) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(md);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| drf |", 0) != 0 && line.rfind("| fifo |", 0) != 0) continue;
    std::vector<std::string> cells;
    for (size_t start = 1, bar; (bar = line.find(" |", start)) != std::string::npos;
         start = bar + 2) {
      cells.push_back(line.substr(start + 1, bar - start - 1));
    }
    rows.emplace_back(cells.begin() + 2, cells.end());
  }
  return rows;
}

constexpr const char* kHeadlineHeader =
    "| allocator | placement | Tasks finished | Queue delay, mean (s) | Queue delay, p99 (s) | "
    "Windows start latency, p99 (s) | CPU utilization | Fairness between roles | "
    "allocator CPU µs/cycle† | placement CPU µs/round† |\n";

TEST(CompareTest, MarkdownShowsHeadlineColumnsRoundedToTheirInterval) {
  const std::string dir = TempDir("cmp-table");
  const CliResult r = RunCli({"compare", SourcePath("scenarios/windows-cold-start.yaml"),
                              "--allocators", "drf,fifo", "--seeds", "3", "--out", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string md = ReadFile(dir + "/compare.md");
  EXPECT_NE(r.out.find(md), std::string::npos) << r.out;  // stdout shows compare.md
  EXPECT_NE(md.find(kHeadlineHeader), std::string::npos) << md;
  EXPECT_NE(md.find("all 12 at full precision in compare.csv"), std::string::npos) << md;
  EXPECT_NE(md.find("\n† wall-clock time"), std::string::npos) << md;
  EXPECT_EQ(md.find("\\*"), std::string::npos) << md;  // no Markdown escape shown as raw text
  EXPECT_EQ(md.find("e+"), std::string::npos) << md;   // plain notation
  // compare.csv keeps all 12 metrics, at full precision.
  const auto csv = ReadCsv(dir + "/compare.csv");
  ASSERT_EQ(csv[0].size(), 4u + 12);
  EXPECT_EQ(csv[0][10], "start_latency_s.by_os.windows.p99");
  EXPECT_EQ(csv[0][15], "offers.declined");
  EXPECT_GT(csv[1][10].size(), 6u) << csv[1][10];  // windows start p99, shortest round trip
  const size_t paired_at = md.find("\n## Differences from drf / first-fit, seed by seed");
  ASSERT_NE(paired_at, std::string::npos) << md;
  const auto rows = TableCells(md.substr(0, paired_at));
  ASSERT_EQ(rows.size(), 2u) << md;
  // "mean ± half-width": the half-width has 2 significant digits and the mean ends at its digit.
  const std::regex cell(R"((-?\d+)(\.(\d+))? ± ((\d+)(\.(\d+))?))");
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 8u);
    for (const std::string& c : row) {
      std::smatch m;
      ASSERT_TRUE(std::regex_match(c, m, cell)) << c;
      if (m[4] == "0") continue;  // every seed equal
      EXPECT_EQ(m[3].length(), m[7].length()) << c;
      const std::string digits = std::regex_replace(m[4].str(), std::regex(R"(^[0.]+|\.)"), "");
      const std::string significant = std::regex_replace(digits, std::regex("0+$"), "");
      EXPECT_LE(significant.size(), 2u) << c;
      EXPECT_TRUE(m[7].length() > 0 || digits.size() >= 2) << c;  // 2 digits unless decimals
    }
  }
}

// The paired table: fifo minus drf on each seed, from compare.csv by hand (columns: allocator,
// placement, cell, seed, then the metrics), against the row compare.md prints.
TEST(CompareTest, PairedDifferencesAreTheMeanOfPerSeedDifferences) {
  const std::string dir = TempDir("cmp-paired");
  const CliResult r = RunCli({"compare", SourcePath("scenarios/windows-cold-start.yaml"),
                              "--allocators", "drf,fifo", "--seeds", "3", "--out", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string md = ReadFile(dir + "/compare.md");
  const size_t paired_at = md.find("\n## Differences from drf / first-fit, seed by seed");
  ASSERT_NE(paired_at, std::string::npos) << md;
  const auto paired = TableCells(md.substr(paired_at));
  ASSERT_EQ(paired.size(), 1u) << md;  // fifo / first-fit only: not the baseline
  ASSERT_EQ(paired[0].size(), 6u);     // the headline metrics, no CPU time
  const auto csv = ReadCsv(dir + "/compare.csv");
  ASSERT_EQ(csv.size(), 7u);
  // The headline metrics' columns of compare.csv (after the four id columns: tasks.finished,
  // queue delay mean and p99, Windows start p99, cpu utilization, fairness).
  const size_t columns[] = {4, 5, 6, 10, 12, 14};
  for (size_t metric = 0; metric < 6; ++metric) {
    const size_t column = columns[metric];
    double sum = 0;
    for (size_t seed = 0; seed < 3; ++seed) {
      sum += std::stod(csv[4 + seed][column]) - std::stod(csv[1 + seed][column]);
    }
    const std::string& cell = paired[0][metric];
    const double shown = std::stod(cell.substr(0, cell.find(' ')));
    const size_t pm = cell.find("± ");
    const double half = pm == std::string::npos ? 0 : std::stod(cell.substr(pm + 3));
    EXPECT_NEAR(shown, sum / 3, half / 10 + 1e-9) << csv[0][column] << ": " << cell;
  }
  // cells.json has the same, at full precision, for every metric.
  const nlohmann::json cells = nlohmann::json::parse(ReadFile(dir + "/cells.json"));
  EXPECT_FALSE(cells["cells"][0].contains("vs_first"));
  EXPECT_EQ(cells["cells"][1]["vs_first"]["tasks.finished"]["n"], 3);
}

TEST(CompareTest, OneSeedPrintsValuesWithoutAnInterval) {
  const std::string dir = TempDir("cmp-one-seed");
  const CliResult r = RunCli({"compare", SourcePath("scenarios/windows-cold-start.yaml"),
                              "--allocators", "drf,fifo", "--seeds", "1", "--out", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("# Policy comparison: 1 seed per cell (seed 7)"), std::string::npos);
  EXPECT_NE(r.out.find("a confidence interval needs at least 2 seeds"), std::string::npos);
  const auto rows = TableCells(r.out);
  ASSERT_EQ(rows.size(), 2u) << r.out;
  for (const auto& row : rows) {
    for (const std::string& c : row) {
      EXPECT_TRUE(c.ends_with(" (n=1)")) << c;
      EXPECT_EQ(c.find("±"), std::string::npos) << c;
    }
  }
  const auto csv = ReadCsv(dir + "/compare.csv");
  ASSERT_EQ(csv.size(), 3u);
  EXPECT_EQ(rows[0][0], csv[1][4] + " (n=1)");  // tasks.finished, an integer in full
}

// Every metric of every row, as summary.json of a single run of that seed has it (the columns
// are summary.json paths).
TEST(CompareTest, EachRowEqualsASingleRunOfThatSeed) {
  const std::string scenario = SourcePath("scenarios/windows-cold-start.yaml");
  const std::string dir = TempDir("cmp-single");
  ASSERT_EQ(RunCli({"compare", scenario, "--seeds", "2", "--out", dir}).exit_code, 0);
  const auto rows = ReadCsv(dir + "/compare.csv");
  ASSERT_EQ(rows.size(), 3u);
  const std::vector<std::string>& header = rows[0];
  ASSERT_EQ(header[3], "seed");
  ASSERT_GE(header.size(), 10u);
  for (size_t r = 1; r < rows.size(); ++r) {
    const std::string seed = rows[r][3];
    EXPECT_EQ(seed, std::to_string(6 + r));  // the scenario's seed 7, then 8
    const std::string run_dir = TempDir("cmp-run-" + seed);
    ASSERT_EQ(RunCli({"run", scenario, "--seed", seed, "--out", run_dir, "--quiet"}).exit_code, 0);
    const auto summary = nlohmann::json::parse(ReadFile(run_dir + "/summary.json"));
    for (size_t c = 4; c < header.size(); ++c) {
      std::string pointer = "/" + header[c];
      std::replace(pointer.begin(), pointer.end(), '.', '/');
      const nlohmann::json& value = summary.at(nlohmann::json::json_pointer(pointer));
      EXPECT_EQ(std::stod(rows[r][c]), value.get<double>()) << "seed " << seed << ", " << header[c];
    }
  }
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
