// `clustersim sweep`: cartesian cells x seeds, runs.csv appended as runs finish and rewritten in
// (cell, seed) order, --resume skipping what was done, summaries with confidence intervals.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

constexpr const char* kSweep = R"(name: tiny
base: SCENARIO
set:
  - duration=10m
seeds: 3
axes:
  - path: frameworks[0].workload.rate
    values: [6/min, 12/min]
  - name: windows_agents
    paths:
      - cluster.groups[1].count
      - cluster.groups[2].count
    values: [[5, 5], [10, 10]]
metrics:
  - tasks.finished
  - start_latency_s.by_os.windows.p99
)";

std::string WriteSweep(const std::string& dir) {
  std::string text = kSweep;
  text.replace(text.find("SCENARIO"), 8, SourcePath("scenarios/windows-cold-start.yaml"));
  WriteFile(dir + "/sweep.yaml", text);
  return dir + "/sweep.yaml";
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(SweepTest, CellsTimesSeedsInOrder) {
  const std::string dir = TempDir("sweep-a");
  const CliResult r = RunCli({"sweep", WriteSweep(dir), "--out", dir + "/out", "--jobs", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = Lines(ReadFile(dir + "/out/runs.csv"));
  ASSERT_EQ(rows.size(), 1u + 2 * 2 * 3);
  EXPECT_EQ(rows[0],
            "cell,frameworks[0].workload.rate,windows_agents,seed,tasks_finished,"
            "start_latency_s_by_os_windows_p99");
  EXPECT_EQ(rows[1].rfind("0,6/min,5/5,7,", 0), 0u) << rows[1];
  EXPECT_EQ(rows[12].rfind("3,12/min,10/10,9,", 0), 0u) << rows[12];
  const auto summary = Lines(ReadFile(dir + "/out/summary.csv"));
  EXPECT_EQ(summary.size(), 1u + 4);
  // The sweep names its metrics: all of them are in summary.md, and summary.csv is unchanged.
  const std::string md = ReadFile(dir + "/out/summary.md");
  EXPECT_NE(md.find("| frameworks[0].workload.rate | windows_agents | tasks_finished | "
                    "start_latency_s_by_os_windows_p99 | \n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 12/min | 10/10 |"), std::string::npos);
  EXPECT_EQ(md.find("Headline metrics only"), std::string::npos) << md;
  EXPECT_EQ(summary[0],
            "cell,frameworks[0].workload.rate,windows_agents,runs,tasks_finished_mean,"
            "tasks_finished_ci95,start_latency_s_by_os_windows_p99_mean,"
            "start_latency_s_by_os_windows_p99_ci95");
  EXPECT_EQ(Lines(ReadFile(dir + "/out/timing.csv")).size(), 13u);
}

TEST(SweepTest, DefaultMetricsShowHeadlineColumnsAndKeepAllInCsv) {
  const std::string dir = TempDir("sweep-headline");
  std::string text = kSweep;
  text.replace(text.find("SCENARIO"), 8, SourcePath("scenarios/windows-cold-start.yaml"));
  text = text.substr(0, text.find("  - name: windows_agents"));  // one axis, default metrics
  text.replace(text.find("seeds: 3"), 8, "seeds: 2");
  WriteFile(dir + "/sweep.yaml", text);
  const CliResult r = RunCli({"sweep", dir + "/sweep.yaml", "--out", dir + "/out"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string md = ReadFile(dir + "/out/summary.md");
  EXPECT_NE(r.out.find(md), std::string::npos) << r.out;
  EXPECT_NE(md.find("| frameworks[0].workload.rate | tasks_finished | queue_delay_mean_s | "
                    "queue_delay_p99_s | start_p99_windows_s | utilization_cpus | fairness_jain | "
                    "\n|---|---:|---:|---:|---:|---:|---:|\n| 6/min | "),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Headline metrics only: all 12 at full precision in summary.csv"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("start_p50_linux_s"), std::string::npos) << md;
  const auto summary = Lines(ReadFile(dir + "/out/summary.csv"));
  ASSERT_EQ(summary.size(), 3u);
  EXPECT_NE(summary[0].find(",start_p50_linux_s_mean,start_p50_linux_s_ci95,"), std::string::npos)
      << summary[0];
  EXPECT_TRUE(summary[0].ends_with(",offers_declined_mean,offers_declined_ci95")) << summary[0];
}

TEST(SweepTest, ResumeAfterAKillGivesTheSameRunsCsv) {
  const std::string dir = TempDir("sweep-b");
  const std::string file = WriteSweep(dir);
  ASSERT_EQ(RunCli({"sweep", file, "--out", dir + "/full"}).exit_code, 0);
  const std::string full = ReadFile(dir + "/full/runs.csv");

  // A sweep killed midway: start it with one worker and SIGKILL it once some rows are on disk.
  const std::string partial_dir = dir + "/partial";
  const pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execl(CLUSTERSIM_BINARY, CLUSTERSIM_BINARY, "sweep", file.c_str(), "--out", partial_dir.c_str(),
          "--jobs", "1", static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 400; ++i) {
    if (Lines(ReadFile(partial_dir + "/runs.csv")).size() >= 4) break;
    usleep(5000);
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  const size_t rows_before = Lines(ReadFile(partial_dir + "/runs.csv")).size();
  EXPECT_GE(rows_before, 1u);

  const CliResult resumed = RunCli({"sweep", file, "--out", partial_dir, "--resume"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(ReadFile(partial_dir + "/runs.csv"), full);
}

TEST(SweepTest, ResumeDropsARowCutShortAndRerunsIt) {
  const std::string dir = TempDir("sweep-c");
  const std::string file = WriteSweep(dir);
  ASSERT_EQ(RunCli({"sweep", file, "--out", dir + "/out"}).exit_code, 0);
  const std::string full = ReadFile(dir + "/out/runs.csv");
  // Keep the header and five rows, and half of the sixth, as a kill during a write leaves it.
  const auto lines = Lines(full);
  std::string cut;
  for (size_t i = 0; i < 6; ++i) cut += lines[i] + "\n";
  cut += lines[6].substr(0, 5);
  WriteFile(dir + "/out/runs.csv", cut);
  ASSERT_EQ(RunCli({"sweep", file, "--out", dir + "/out", "--resume"}).exit_code, 0);
  EXPECT_EQ(ReadFile(dir + "/out/runs.csv"), full);
}

TEST(SweepTest, ResumeRedoesARowMissingItsLastMetric) {
  const std::string dir = TempDir("sweep-e");
  const std::string file = WriteSweep(dir);
  ASSERT_EQ(RunCli({"sweep", file, "--out", dir + "/out"}).exit_code, 0);
  const std::string full = ReadFile(dir + "/out/runs.csv");
  // The cut keeps the cell and seed columns but loses the last metric.
  const auto lines = Lines(full);
  std::string cut;
  for (size_t i = 0; i < 4; ++i) cut += lines[i] + "\n";
  cut += lines[4].substr(0, lines[4].rfind(','));
  WriteFile(dir + "/out/runs.csv", cut);
  ASSERT_EQ(RunCli({"sweep", file, "--out", dir + "/out", "--resume"}).exit_code, 0);
  EXPECT_EQ(ReadFile(dir + "/out/runs.csv"), full);
}

TEST(SweepTest, BadAxisValueIsAnInputErrorBeforeAnythingRuns) {
  const std::string dir = TempDir("sweep-d");
  std::string text = ReadFile(WriteSweep(dir));
  text.replace(text.find("12/min"), 6, "fast");
  WriteFile(dir + "/sweep.yaml", text);
  const CliResult r = RunCli({"sweep", dir + "/sweep.yaml", "--out", dir + "/out"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fast"), std::string::npos) << r.err;
  EXPECT_FALSE(std::ifstream(dir + "/out/runs.csv").good());
}

}  // namespace
}  // namespace clustersim::test
