// `clustersim sweep`: cartesian cells x seeds, runs.csv appended as runs finish and rewritten in
// (cell, seed) order, --resume skipping what was done, summaries with confidence intervals.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "results/csv.h"

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

// The tiny sweep with one piece of its text replaced, run into dir/out.
CliResult RunEditedSweep(const std::string& dir, const std::string& from, const std::string& to) {
  std::string text = ReadFile(WriteSweep(dir));
  text.replace(text.find(from), from.size(), to);
  WriteFile(dir + "/sweep.yaml", text);
  return RunCli({"sweep", dir + "/sweep.yaml", "--out", dir + "/out"});
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Header and rows of a CSV file the binary wrote.
std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  results::CsvFile file = results::ReadCsvFile(path);
  file.rows.insert(file.rows.begin(), std::move(file.header));
  return file.rows;
}

TEST(SweepTest, CellsTimesSeedsInOrder) {
  const std::string dir = TempDir("sweep-a");
  const CliResult r = RunCli({"sweep", WriteSweep(dir), "--out", dir + "/out", "--jobs", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = Lines(ReadFile(dir + "/out/runs.csv"));
  ASSERT_EQ(rows.size(), 1u + 2 * 2 * 3);
  EXPECT_EQ(rows[0],
            "cell,frameworks[0].workload.rate,windows_agents,seed,tasks.finished,"
            "start_latency_s.by_os.windows.p99");
  EXPECT_EQ(rows[1].rfind("0,6/min,5/5,7,", 0), 0u) << rows[1];
  EXPECT_EQ(rows[12].rfind("3,12/min,10/10,9,", 0), 0u) << rows[12];
  const auto summary = Lines(ReadFile(dir + "/out/summary.csv"));
  EXPECT_EQ(summary.size(), 1u + 4);
  // The sweep names its metrics: all of them are in summary.md, headed by their titles.
  const std::string md = ReadFile(dir + "/out/summary.md");
  EXPECT_NE(md.find("| frameworks[0].workload.rate | windows_agents | Tasks finished | "
                    "Windows start latency, p99 (s) | \n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 12/min | 10/10 |"), std::string::npos);
  EXPECT_EQ(md.find("Headline metrics only"), std::string::npos) << md;
  EXPECT_EQ(summary[0],
            "cell,frameworks[0].workload.rate,windows_agents,runs,tasks.finished.mean,"
            "tasks.finished.ci95_half,tasks.finished.n,start_latency_s.by_os.windows.p99.mean,"
            "start_latency_s.by_os.windows.p99.ci95_half,start_latency_s.by_os.windows.p99.n");
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
  EXPECT_NE(md.find("| frameworks[0].workload.rate | Tasks finished | Queue delay, mean (s) | "
                    "Queue delay, p99 (s) | Windows start latency, p99 (s) | CPU utilization | "
                    "Fairness between roles | \n|---|---:|---:|---:|---:|---:|---:|\n| 6/min | "),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Headline metrics only: all 12 at full precision in summary.csv"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("Linux start latency, p50"), std::string::npos) << md;
  const auto summary = Lines(ReadFile(dir + "/out/summary.csv"));
  ASSERT_EQ(summary.size(), 3u);
  EXPECT_NE(summary[0].find(",start_latency_s.by_os.linux.p50.mean,"
                            "start_latency_s.by_os.linux.p50.ci95_half,"
                            "start_latency_s.by_os.linux.p50.n,"),
            std::string::npos)
      << summary[0];
  EXPECT_TRUE(
      summary[0].ends_with(",offers.declined.mean,offers.declined.ci95_half,offers.declined.n"))
      << summary[0];
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
  // The kill came after some runs and well before the last (3 of 12 runs are on disk at the
  // kill; the other 9 take far longer than the 5 ms the loop above may be late by): --resume has
  // work both to keep and to do.
  const size_t rows_before = Lines(ReadFile(partial_dir + "/runs.csv")).size();
  ASSERT_GE(rows_before, 2u);
  ASSERT_LT(rows_before, Lines(full).size());

  const CliResult resumed = RunCli({"sweep", file, "--out", partial_dir, "--resume"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(ReadFile(partial_dir + "/runs.csv"), full);
}

// --resume of a folder whose runs were made with another base (the sweep's set: edited here, a
// longer duration) is refused: it would average runs of two scenarios in one cell. Adding seeds
// is not a change of plan. Found by a CLI review: a cell reported 430 ± 710 from runs of 96 and
// ~590 tasks.
TEST(SweepTest, ResumeRefusesRunsOfAnotherBaseButTakesMoreSeeds) {
  const std::string dir = TempDir("sweep-edited-base");
  const std::string file = WriteSweep(dir);
  ASSERT_EQ(RunCli({"sweep", file, "--out", dir + "/out"}).exit_code, 0);
  const auto lines = Lines(ReadFile(dir + "/out/runs.csv"));
  WriteFile(dir + "/out/runs.csv", lines[0] + "\n" + lines[1] + "\n");  // as if killed early
  std::string text = ReadFile(file);
  text.replace(text.find("duration=10m"), 12, "duration=20m");
  WriteFile(dir + "/edited.yaml", text);
  const CliResult edited =
      RunCli({"sweep", dir + "/edited.yaml", "--out", dir + "/out", "--resume"});
  EXPECT_EQ(edited.exit_code, 2);
  EXPECT_NE(edited.err.find("another base scenario"), std::string::npos) << edited.err;
  text = ReadFile(file);
  text.replace(text.find("seeds: 3"), 8, "seeds: 4");
  WriteFile(dir + "/more-seeds.yaml", text);
  const CliResult more =
      RunCli({"sweep", dir + "/more-seeds.yaml", "--out", dir + "/out", "--resume"});
  EXPECT_EQ(more.exit_code, 0) << more.err;
  EXPECT_EQ(Lines(ReadFile(dir + "/out/runs.csv")).size(), 1u + 4 * 4);
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

// A folder of a sweep from before the metric catalogue (its runs.csv named metrics with
// underscores) is refused by --resume with a pointer to CHANGES.md, and left as it was.
TEST(SweepTest, ResumeRefusesAFolderWithTheOldColumnNames) {
  const std::string dir = TempDir("sweep-old");
  const std::string file = WriteSweep(dir);
  const std::string old =
      "cell,frameworks[0].workload.rate,windows_agents,seed,tasks_finished,"
      "start_latency_s_by_os_windows_p99\n0,6/min,5/5,7,40,12.5\n";
  std::filesystem::create_directories(dir + "/out");
  WriteFile(dir + "/out/runs.csv", old);
  const CliResult r = RunCli({"sweep", file, "--out", dir + "/out", "--resume"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("older clustersim"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("CHANGES.md"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(dir + "/out/runs.csv"), old);
}

// A metric of a list element, by name; an unknown metric is an input error naming the closest.
TEST(SweepTest, MetricsAreCatalogueEntriesAddressedByName) {
  const std::string dir = TempDir("sweep-named");
  std::string text = ReadFile(WriteSweep(dir));
  const std::string metric = "  - tasks.finished";
  text.replace(text.find(metric), metric.size(),
               "  - frameworks[name=windows-batch].tasks_finished");
  text.replace(text.find("seeds: 3"), 8, "seeds: 1");
  WriteFile(dir + "/named.yaml", text);
  const CliResult r = RunCli({"sweep", dir + "/named.yaml", "--out", dir + "/out"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = ReadCsv(dir + "/out/runs.csv");
  ASSERT_EQ(rows.size(), 5u);
  ASSERT_EQ(rows[0].size(), 6u);
  EXPECT_EQ(rows[0][4], "frameworks[name=windows-batch].tasks_finished");
  EXPECT_EQ(rows[0][5], "start_latency_s.by_os.windows.p99");
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_FALSE(rows[i][4].empty()) << i;
  text.replace(text.find("windows-batch].tasks_finished"), 29, "windows-batch].tasks_finishd");
  WriteFile(dir + "/typo.yaml", text);
  const CliResult typo = RunCli({"sweep", dir + "/typo.yaml", "--out", dir + "/typo"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("not in the metric catalogue"), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("closest: frameworks[name=*].tasks_finished"), std::string::npos)
      << typo.err;
}

TEST(SweepTest, BadAxisValueIsAnInputErrorBeforeAnythingRuns) {
  const std::string dir = TempDir("sweep-d");
  const CliResult r = RunEditedSweep(dir, "12/min", "fast");
  EXPECT_EQ(r.exit_code, 2);
  // Located at the value in the sweep file, not at a --set the user never typed.
  EXPECT_EQ(r.err.rfind("clustersim: " + dir +
                            "/sweep.yaml:8:21: axes[0].values[1]: "
                            "frameworks[0].workload.rate=fast: frameworks[0].workload.rate: ",
                        0),
            0u)
      << r.err;
  EXPECT_FALSE(std::ifstream(dir + "/out/runs.csv").good());
}

// A key path the scenario does not have is located at the axis's path, not at its first value:
// the value is fine, and every value would fail the same way.
TEST(SweepTest, APathTypoIsLocatedAtThePath) {
  const std::string dir = TempDir("sweep-path");
  const CliResult typo = RunEditedSweep(dir, "workload.rate", "workload.rat");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.err.rfind("clustersim: " + dir +
                               "/sweep.yaml:7:11: axes[0].path: frameworks[0].workload.rat: "
                               "frameworks[0].workload: ",
                           0),
            0u)
      << typo.err;
  EXPECT_NE(typo.err.find("'rate'"), std::string::npos) << typo.err;
  const CliResult range = RunEditedSweep(dir, "groups[2]", "groups[7]");
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_EQ(range.err.rfind("clustersim: " + dir +
                                "/sweep.yaml:12:9: axes[1].paths[1]: cluster.groups[7].count: "
                                "cluster.groups: index 7 out of range",
                            0),
            0u)
      << range.err;
  // A path the scenario reads but a value it does not stays at the value.
  const CliResult value = RunEditedSweep(dir, "[[5, 5], [10, 10]]", "[[5, 5], [10, many]]");
  EXPECT_EQ(value.exit_code, 2);
  EXPECT_EQ(
      value.err.rfind("clustersim: " + dir +
                          "/sweep.yaml:13:22: axes[1].values[1]: cluster.groups[2].count=many: ",
                      0),
      0u)
      << value.err;
}

// A multi-path axis value with too few entries says how many it has.
TEST(SweepTest, AMultiPathValueOfTheWrongLengthSaysItsLength) {
  const std::string dir = TempDir("sweep-length");
  const CliResult r = RunEditedSweep(dir, "[[5, 5], [10, 10]]", "[[5, 5], [10]]");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("axes[1].values[1]: expected a list of 2 values, one per path, got 1"),
            std::string::npos)
      << r.err;
}

TEST(SweepTest, BadSetEntryIsLocatedInTheSweepFile) {
  const std::string dir = TempDir("sweep-e");
  const CliResult r = RunEditedSweep(dir, "duration=10m", "duratoin=10m");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("clustersim: " + dir + "/sweep.yaml:4:5: set[0]: duratoin=10m: ", 0), 0u)
      << r.err;
}

// A value that is fine on its own but makes the base scenario invalid (a rate too high for the
// run's length) is reported at the base's key, with the cell and where its values were given.
TEST(SweepTest, ACellTheBaseCannotTakeIsNamedWithItsAssignments) {
  const std::string dir = TempDir("sweep-f");
  const CliResult r = RunEditedSweep(dir, "12/min", "5e7/min");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("windows-cold-start.yaml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[in cell 5e7/min-"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("duration=10m (" + dir + "/sweep.yaml:4:5: set[0]), " +
                       "frameworks[0].workload.rate=5e7/min (" + dir +
                       "/sweep.yaml:8:21: axes[0].values[1]), "),
            std::string::npos)
      << r.err;
}

// compare's policies come from its flags: an unknown one is named with the flag.
TEST(SweepTest, CompareNamesTheFlagOfAnUnknownPolicy) {
  const CliResult r = RunCli(
      {"compare", "--placements", "nosuch", "--seeds", "1", "--out", TempDir("compare-bad")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("clustersim: --placements nosuch: frameworks[0].placement=nosuch: ", 0), 0u)
      << r.err;
}

}  // namespace
}  // namespace clustersim::test
