// SWF replay end to end: the shipped KTH-SP2 scenarios run by the real binary give the issue's
// reference waits; malformed logs are counted, or stop a strict run with exit code 2 and a
// file:line message; validating a scenario does not need its trace.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using nlohmann::json;

const std::string kKth = SourcePath("../shared/traces/swf/KTH-SP2-1996-2.1-cln.swf");

#define SKIP_WITHOUT_KTH()                                                        \
  if (!std::filesystem::exists(kKth))                                             \
  GTEST_SKIP() << kKth                                                            \
               << " is absent (the shared traces live beside the repository, in " \
                  "../shared/traces)"

json RunShipped(const std::string& scenario, const std::string& out) {
  const CliResult r = RunCli(
      {"run", SourcePath(scenario), "--out", out, "--quiet", "--set", "results.tasks_csv=false"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(ReadFile(out + "/summary.json"));
}

void ExpectAccounted(const json& s) {
  const json& t = s["tasks"];
  EXPECT_EQ(t["submitted"].get<uint64_t>(), t["finished"].get<uint64_t>());
  EXPECT_EQ(t["pending_at_end"].get<uint64_t>(), 0u);
  EXPECT_EQ(t["running_at_end"].get<uint64_t>(), 0u);
  EXPECT_EQ(s["offers"]["rescinded"].get<uint64_t>(), 0u);
}

// The issue's reference values for KTH-SP2 (27,992 jobs).
TEST(SwfTest, KthSp2Fcfs) {
  SKIP_WITHOUT_KTH();
  const json s = RunShipped("scenarios/kth-sp2-fcfs.yaml", TempDir("kth-fcfs"));
  const json& swf = s["swf"];
  EXPECT_EQ(swf["jobs"].get<uint64_t>(), 27992u);
  EXPECT_EQ(swf["skipped"].get<uint64_t>(), 0u);
  EXPECT_EQ(swf["unfinished"].get<uint64_t>(), 0u);
  EXPECT_NEAR(swf["mean_wait_s"].get<double>(), 218832.06, 0.5);
  EXPECT_EQ(s["trace"]["skipped_rows"].get<double>(), 0);
  EXPECT_EQ(s["tasks"]["submitted"].get<uint64_t>(), 215453u);  // one task per processor
  ExpectAccounted(s);
}

TEST(SwfTest, KthSp2Easy) {
  SKIP_WITHOUT_KTH();
  const json s = RunShipped("scenarios/kth-sp2-easy.yaml", TempDir("kth-easy"));
  const json& swf = s["swf"];
  EXPECT_EQ(swf["jobs"].get<uint64_t>(), 27992u);
  EXPECT_NEAR(swf["mean_wait_s"].get<double>(), 6351.49, 0.5);
  EXPECT_GE(swf["mean_bounded_slowdown"].get<double>(), 1.0);
  EXPECT_GT(swf["makespan_s"].get<double>(), 300 * 86400.0);
  EXPECT_GE(swf["max_wait_s"].get<double>(), swf["mean_wait_s"].get<double>());
  ExpectAccounted(s);
}

constexpr const char* kScenario = R"(name: swf-small
duration: 1d
master: {allocation_interval: 0}
runtime: {docker: {start_latency: 0}}
frameworks:
  - name: batch
trace:
  format: swf
  paths: {jobs: log.swf}
  queue: easy
)";

std::string Write(const std::string& dir, const std::string& log, const std::string& scenario) {
  WriteFile(dir + "/log.swf", log);
  WriteFile(dir + "/scenario.yaml", scenario);
  return dir + "/scenario.yaml";
}

constexpr const char* kLog =
    "; MaxProcs: 4\n"
    "1 0 -1 100 2 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n"
    "2 10 -1 100 2 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n"
    "3 20 -1 100 two -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n"
    "4 30 -1 100 2 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n";

TEST(SwfTest, MalformedRowsAreSkippedAndCounted) {
  const std::string dir = TempDir("swf-skip");
  const std::string scenario = Write(dir, kLog, kScenario);
  const CliResult r = RunCli({"run", scenario, "--out", dir + "/out", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = json::parse(ReadFile(dir + "/out/summary.json"));
  EXPECT_EQ(s["trace"]["skipped_rows"].get<double>(), 1);
  EXPECT_EQ(s["swf"]["jobs"].get<uint64_t>(), 3u);
  // Jobs 1 and 2 run at once on the 4 processors; job 4 waits for job 1: 70 s. Mean 70 / 3.
  EXPECT_NEAR(s["swf"]["mean_wait_s"].get<double>(), 70.0 / 3, 1e-9);
  // The batch queue's jobs are schedulers[]'s jobs too (they were 0, with null waits): each is
  // first attempted by the queue's next pass; all three started.
  const json& batch = s["schedulers"][0];
  EXPECT_EQ(batch["jobs"]["submitted"].get<uint64_t>(), 3u);
  EXPECT_EQ(batch["jobs"]["never_attempted"].get<uint64_t>(), 0u);
  EXPECT_EQ(batch["jobs"]["not_fully_placed"].get<uint64_t>(), 0u);
  EXPECT_EQ(batch["jobs_unscheduled_fraction"].get<double>(), 0.0);
  EXPECT_TRUE(batch["job_wait_s"]["mean"].is_number());
  // The SWF cluster has processors, no memory: no memory utilization (null), not 0.
  EXPECT_TRUE(s["utilization"]["mem"].is_null());
  EXPECT_GT(s["utilization"]["cpus"].get<double>(), 0);
  // Named on stderr as the other formats name theirs (file:line: what).
  EXPECT_NE(r.err.find("warning: " + dir + "/log.swf:4: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(row skipped)"), std::string::npos) << r.err;
}

// A sweep replays the trace in every run: the row's warning is printed once, not per run.
TEST(SwfTest, AMalformedRowIsNamedOnceInASweep) {
  const std::string dir = TempDir("swf-skip-sweep");
  Write(dir, kLog, kScenario);
  WriteFile(dir + "/sweep.yaml",
            "name: swp\nbase: scenario.yaml\nseeds: 3\n"
            "axes: [{path: duration, values: [1h, 2h]}]\nmetrics: [tasks.finished]\n");
  const CliResult r = RunCli({"sweep", dir + "/sweep.yaml", "--out", dir + "/out", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string warning = "warning: " + dir + "/log.swf:4: ";
  const size_t first = r.err.find(warning);
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(warning, first + 1), std::string::npos) << r.err;  // 6 runs, one line
}

// The first five malformed rows are named, then one line says the rest are only counted.
TEST(SwfTest, OnlyTheFirstFiveMalformedRowsAreNamed) {
  std::string log = "; MaxProcs: 4\n";
  for (int i = 0; i < 8; ++i) log += "bad row\n";
  log += "1 0 -1 100 2 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n";
  const std::string dir = TempDir("swf-many");
  const CliResult r = RunCli({"run", Write(dir, log, kScenario), "--out", dir + "/out", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 6) << r.err;
  EXPECT_NE(r.err.find("further malformed rows are skipped silently"), std::string::npos) << r.err;
  const json s = json::parse(ReadFile(dir + "/out/summary.json"));
  EXPECT_EQ(s["trace"]["skipped_rows"].get<double>(), 8);
}

TEST(SwfTest, StrictModeStopsWithFileAndLine) {
  const std::string dir = TempDir("swf-strict");
  const std::string scenario = Write(dir, kLog, kScenario);
  const CliResult r =
      RunCli({"run", scenario, "--out", dir + "/out", "--quiet", "--set", "trace.strict=true"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("log.swf:4: field 5 (allocated processors): 'two' is not a number"),
            std::string::npos)
      << r.err;
  // What ran is still written.
  EXPECT_TRUE(std::filesystem::exists(dir + "/out/summary.json"));
}

TEST(SwfTest, AMissingLogIsFoundByValidate) {
  const std::string dir = TempDir("swf-missing");
  const std::string scenario = dir + "/scenario.yaml";
  WriteFile(scenario, kScenario);  // no log.swf beside it
  for (const char* command : {"validate", "run"}) {
    std::vector<std::string> args = {command, scenario};
    if (command == std::string("run")) args.insert(args.end(), {"--out", dir + "/out"});
    const CliResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find(scenario + ":"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cannot open trace file " + dir + "/log.swf"), std::string::npos) << r.err;
  }
}

// trace.duration ends the run whatever the format (it was read, and ignored, for SWF: a run
// with trace.duration: 25s replayed the whole log). A top-level duration it overrides is warned
// about.
TEST(SwfTest, TraceDurationEndsTheRun) {
  const std::string dir = TempDir("swf-trace-duration");
  const std::string scenario = Write(dir, kLog, kScenario);
  const CliResult r =
      RunCli({"run", scenario, "--out", dir + "/out", "--quiet", "--set", "trace.duration=25s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = json::parse(ReadFile(dir + "/out/summary.json"));
  EXPECT_EQ(s["sim_seconds"].get<double>(), 25.0);
  EXPECT_EQ(s["tasks"]["submitted"].get<uint64_t>(), 4u);  // jobs 1 and 2; job 4 comes at 30 s
  EXPECT_NE(r.err.find("warning: duration: a replay runs for its trace.duration (25s), not for "
                       "this duration"),
            std::string::npos)
      << r.err;
}

// The run's length bounds timeseries.csv's rows: a trace.duration beyond it is refused where it
// is given, by validate as by run, before any file is written.
TEST(SwfTest, ATraceDurationWithTooManySamplesIsRefused) {
  const std::string dir = TempDir("swf-trace-samples");
  const std::string scenario = Write(dir, kLog, kScenario);
  for (const char* command : {"validate", "run"}) {
    std::vector<std::string> args = {command, scenario, "--set", "trace.duration=2147483648"};
    if (command == std::string("run")) args.insert(args.end(), {"--out", dir + "/out"});
    const CliResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(
        r.err.find(
            "trace.duration=2147483648: trace.duration: trace.duration / results.sample_interval "
            "is 214748364 samples; at most 10000000 are allowed"),
        std::string::npos)
        << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/summary.json"));
}

}  // namespace
}  // namespace clustersim::test
