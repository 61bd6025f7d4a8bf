// Progress on a stderr that is not a terminal (RunCli collects it through a pipe): one log line
// per --progress-interval for a run, runs done / total for compare and sweep; --quiet and
// --no-progress silence it; a bad interval is an input error.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

std::vector<std::string> ProgressLines(const std::string& err) {
  std::vector<std::string> lines;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("progress: ", 0) == 0) lines.push_back(line);
  }
  return lines;
}

TEST(ProgressTest, RunLogsALinePerInterval) {
  // The default scenario runs 1.5 s or more: at 200 ms at least 3 lines, whatever the load.
  const std::string dir = TempDir("progress-run");
  const CliResult r = RunCli({"run", "--out", dir, "--progress-interval", "200ms"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = ProgressLines(r.err);
  ASSERT_GE(lines.size(), 3u) << r.err;
  for (const std::string& line : lines) {
    // Simulated time reached of the horizon, percent, events/s and an ETA, and no carriage
    // return: that is for terminals.
    EXPECT_NE(line.find("progress: sim 0:"), std::string::npos) << line;
    EXPECT_NE(line.find(" / 1:00:00 "), std::string::npos) << line;
    EXPECT_NE(line.find("%"), std::string::npos) << line;
    EXPECT_NE(line.find(" events/s"), std::string::npos) << line;
    EXPECT_NE(line.find("ETA "), std::string::npos) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
  }
  // Simulated time only moves forward from line to line.
  EXPECT_LT(lines.front().substr(0, 22), lines.back().substr(0, 22));
}

// A long event (the initial jobs submitted at t = 0) says what it is doing, not silence: the
// event-counting lines cannot come while one event runs.
TEST(ProgressTest, OneLongEventLogsWhatItDoes) {
  const std::string dir = TempDir("progress-initial-jobs");
  const CliResult r =
      RunCli({"run", "--out", dir, "--set", "duration=1s", "--set",
              "frameworks[1].workload.initial_jobs=20000", "--progress-interval", "1ms"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> work;
  for (const std::string& line : ProgressLines(r.err)) {
    if (line.find("batch-linux: initial jobs submitted ") != std::string::npos) {
      work.push_back(line);
    }
  }
  // Reported every 1,024 jobs: 19 reports, each a line at a 1 ms interval (or fewer on a fast
  // machine, where some come within 1 ms of the previous).
  ASSERT_FALSE(work.empty()) << r.err;
  EXPECT_LE(work.size(), 19u);
  EXPECT_EQ(work.front().rfind("progress: sim 0:00:00 / 0:00:01  batch-linux: initial jobs "
                               "submitted ",
                               0),
            0u)
      << work.front();
  EXPECT_NE(work.back().find(" of 20000 ("), std::string::npos) << work.back();
}

// The end of a run with a long backlog writes a tasks.csv row per task still pending or running:
// that too says how far it got, every 65,536 rows, of the tasks the summary counts as live.
TEST(ProgressTest, WritingTheUnfinishedTasksIsShown) {
  const std::string dir = TempDir("progress-write");
  const CliResult r =
      RunCli({"run", "--out", dir, "--set", "duration=1s", "--set",
              "frameworks[1].workload.initial_jobs=60000", "--progress-interval", "1ms"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  uint64_t pending = 0, running = 0;
  std::istringstream out(r.out);
  for (std::string line; std::getline(out, line);) {
    if (line.find("pending / running at end") == std::string::npos) continue;
    std::istringstream numbers(line.substr(line.find("at end") + 6));
    char slash = 0;
    numbers >> pending >> slash >> running;
  }
  ASSERT_GT(pending, 3 * 65536u) << r.out;
  const std::string total = std::to_string(pending + running);
  std::vector<uint64_t> written;
  for (const std::string& line : ProgressLines(r.err)) {
    const std::string what = "tasks.csv: rows of unfinished tasks written ";
    const size_t at = line.find(what);
    if (at == std::string::npos) continue;
    EXPECT_EQ(line.rfind("progress: sim 0:00:01 / 0:00:01  ", 0), 0u) << line;
    EXPECT_NE(line.find(" of " + total + " ("), std::string::npos) << line << " total " << total;
    written.push_back(std::stoull(line.substr(at + what.size())));
  }
  ASSERT_FALSE(written.empty()) << r.err;
  for (size_t i = 0; i < written.size(); ++i) {
    EXPECT_EQ(written[i] % 65536, 0u);
    if (i > 0) {
      EXPECT_GT(written[i], written[i - 1]);
    }
  }
}

TEST(ProgressTest, QuietAndNoProgressSilenceIt) {
  const std::string dir = TempDir("progress-quiet");
  // Progress is looked at every 16,384 events: 30 minutes of the default scenario are about
  // 50,000 (10 minutes, about 16,300, gave a line or none depending on the draws).
  const std::vector<std::string> base = {
      "run", "--out", dir, "--set", "duration=30min", "--progress-interval", "1ms"};
  const CliResult shown = RunCli(base);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_FALSE(ProgressLines(shown.err).empty()) << shown.err;
  for (const char* flag : {"--quiet", "-q", "--no-progress"}) {
    std::vector<std::string> args = base;
    args.push_back(flag);
    const CliResult r = RunCli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "") << flag;
  }
}

TEST(ProgressTest, CompareAndSweepLogRunsDoneOfTotal) {
  const std::string dir = TempDir("progress-batch");
  const CliResult c =
      RunCli({"compare", SourcePath("scenarios/windows-cold-start.yaml"), "--seeds", "2", "--set",
              "duration=10m", "--out", dir + "/cmp", "--progress-interval", "1ms"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  auto lines = ProgressLines(c.err);
  ASSERT_EQ(lines.size(), 2u) << c.err;  // 1 ms: every run
  EXPECT_EQ(lines[0].rfind("progress: 1 / 2 runs  ETA ", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("progress: 2 / 2 runs  ETA 0:00:00", 0), 0u) << lines[1];

  // At the default interval a short batch still logs its last run.
  WriteFile(dir + "/sweep.yaml",
            "name: tiny\nbase: " + SourcePath("scenarios/windows-cold-start.yaml") +
                "\nset:\n  - duration=10m\nseeds: 3\naxes:\n"
                "  - path: frameworks[0].workload.rate\n"
                "    values: [6/min]\n");
  const CliResult s = RunCli({"sweep", dir + "/sweep.yaml", "--out", dir + "/sweep"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  lines = ProgressLines(s.err);
  ASSERT_FALSE(lines.empty()) << s.err;
  EXPECT_EQ(lines.back().rfind("progress: 3 / 3 runs  ETA 0:00:00", 0), 0u) << lines.back();
  const CliResult quiet = RunCli({"sweep", dir + "/sweep.yaml", "--out", dir + "/q", "-q"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
}

TEST(ProgressTest, BadIntervalIsAnInputError) {
  for (const char* interval : {"0s", "-1s", "soon", "inf"}) {
    const CliResult r =
        RunCli({"run", "--out", TempDir("progress-bad"), "--progress-interval", interval});
    EXPECT_EQ(r.exit_code, 2) << interval;
    EXPECT_NE(r.err.find("--progress-interval: expected a duration like 250ms, 5s or 2h"),
              std::string::npos)
        << r.err;
  }
}

}  // namespace
}  // namespace clustersim::test
