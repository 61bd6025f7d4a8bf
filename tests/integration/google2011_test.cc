// The Google clusterdata-2011-2 replay and `trace-info`, run by the real binary on the shared
// samples (../shared/traces/google2011; skipped when absent).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string SampleDir() {
  const fs::path dir = fs::path(CLUSTERSIM_SOURCE_DIR) / ".." / "shared" / "traces" / "google2011";
  return fs::exists(dir) ? fs::canonical(dir).string() : std::string();
}

#define REQUIRE_SAMPLES(dir)                                                                    \
  const std::string dir = SampleDir();                                                          \
  if (dir.empty()) {                                                                            \
    GTEST_SKIP() << "shared trace samples not found at CLUSTERSIM_SOURCE_DIR/../shared/traces"; \
  }

constexpr const char* kTaskStart = "task_events-part-00000-of-00500.lines000001-040000.csv";
constexpr const char* kTaskSlice = "task_events-part-00000-of-00500.lines277322-377321.csv";
constexpr const char* kMachines = "machine_events-part-00000-of-00001.csv";
constexpr const char* kJobs = "job_events-part-00000-of-00500.csv";

json Summary(const std::string& out) { return json::parse(ReadFile(out + "/summary.json")); }

TEST(Google2011Test, TraceInfoCountsMatchTheReadme) {
  REQUIRE_SAMPLES(dir);
  const CliResult r = RunCli({"trace-info", dir + "/" + kTaskSlice, dir + "/" + kMachines,
                              dir + "/" + kJobs, "--format", "google2011"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& s = r.out;
  for (const char* want :
       {"SUBMIT 35585 SCHEDULE 34670 EVICT 3744 FAIL 333 FINISH 21289 KILL 4379",
        "ADD 21443, REMOVE 8957, UPDATE 7380", "12583 distinct",
        "SUBMIT 4900 SCHEDULE 4892 FAIL 8 FINISH 636 KILL 268",
        "time span        600.03 s .. 2852.99 s", "rows             100000 (11.2 MB)"}) {
    EXPECT_NE(s.find(want), std::string::npos) << "missing '" << want << "' in:\n" << s;
  }
}

TEST(Google2011Test, TraceInfoNeedsAKnownFormatAndTable) {
  REQUIRE_SAMPLES(dir);
  CliResult r = RunCli({"trace-info", dir + "/" + kMachines, "--format", "google2019"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown format 'google2019'"), std::string::npos) << r.err;
  r = RunCli({"trace-info", SourcePath("scenarios/default.yaml"), "--format", "google2011"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot tell the table"), std::string::npos) << r.err;
}

// The trace's own submit-to-schedule delays, computed here from the CSV independently of the
// simulator: per (job, index), the latest SUBMIT with t > 0 before each SCHEDULE; a SCHEDULE
// consumes it, a terminal event (EVICT, FAIL, FINISH, KILL, LOST) drops it.
std::vector<double> TraceQueueDelays(const std::vector<std::string>& files) {
  std::map<std::pair<std::string, std::string>, long long> pending;  // (job, index) -> submit µs
  std::vector<double> delays;
  for (const std::string& file : files) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> f;
      std::stringstream ls(line);
      std::string cell;
      while (std::getline(ls, cell, ',')) f.push_back(cell);
      if (f.size() < 6) continue;
      const long long t = std::stoll(f[0]);
      const int type = std::stoi(f[5]);
      const auto key = std::make_pair(f[2], f[3]);
      if (type == 0) {
        if (t > 0) {
          pending[key] = t;
        } else {
          pending.erase(key);
        }
      } else if (type == 1) {
        auto it = pending.find(key);
        if (it != pending.end()) {
          delays.push_back((t - it->second) * 1e-6);
          pending.erase(it);
        }
      } else if (type >= 2 && type <= 6) {
        pending.erase(key);
      }
    }
  }
  std::sort(delays.begin(), delays.end());
  return delays;
}

double NearestRank(const std::vector<double>& sorted, double q) {
  const size_t rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(q * sorted.size())));
  return sorted[rank - 1];
}

TEST(Google2011Test, RecordedReplayReportsTheTracesOwnQueueDelays) {
  REQUIRE_SAMPLES(dir);
  const std::string out = TempDir("google2011-recorded");
  const CliResult r = RunCli({"run", SourcePath("scenarios/google2011-recorded.yaml"), "--out", out,
                              "--quiet", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = Summary(out);

  const std::vector<double> want =
      TraceQueueDelays({dir + "/" + kTaskStart, dir + "/" + kTaskSlice});
  ASSERT_GT(want.size(), 20'000u);
  double sum = 0;
  for (double d : want) sum += d;
  const json& q = s["queue_delay_s"];
  EXPECT_EQ(q["count"].get<size_t>(), want.size());
  EXPECT_NEAR(q["mean"].get<double>(), sum / want.size(), 1e-6);
  EXPECT_NEAR(q["max"].get<double>(), want.back(), 1e-6);
  // The histogram's quantiles are within 1% (relative) of the exact nearest-rank ones.
  for (const auto& [key, p] :
       {std::pair<const char*, double>{"p50", 0.50}, {"p95", 0.95}, {"p99", 0.99}}) {
    const double exact = NearestRank(want, p);
    EXPECT_NEAR(q[key].get<double>(), exact, 0.01 * exact + 1e-9) << key;
  }

  // The run ends at the last task event, and the replay accounts for what it saw.
  EXPECT_NEAR(s["sim_seconds"].get<double>(), 2852.989199, 1e-6);
  const json& t = s["trace"];
  EXPECT_EQ(t["skipped_rows"].get<double>(), 0);
  EXPECT_EQ(t["task_rows"].get<double>(), 140'000);
  EXPECT_EQ(t["schedule_rows"].get<double>(), 34'670);
  EXPECT_EQ(t["tasks_launched"].get<double>() + t["tasks_no_machine"].get<double>(), 34'670);
  EXPECT_EQ(t["tasks_no_machine"].get<double>(), 0);
  // Input counters, the same in both modes (the demand test below): end rows of tasks with no
  // SUBMIT (46 of them only SCHEDULEd), SUBMIT rows with no cpu or memory request.
  EXPECT_EQ(t["terminal_without_submit"].get<double>(), 7'786);
  EXPECT_EQ(t["missing_requests"].get<double>(), 208);
  EXPECT_GE(t["overcommit_machine_seconds"].get<double>(), 0);
  EXPECT_EQ(s["tasks"]["submitted"].get<double>(), 34'670);
  EXPECT_EQ(s["start_latency_s"]["max"].get<double>(), 0);  // no container latency
}

// A recorded launch runs on the trace's machine, so the task has that machine's OS whatever its
// job drew: with Windows machines and Windows jobs drawn independently, no Windows task lands on a
// Linux (Docker) host nor a Linux task on a Windows one (results audit, session 21: 1,673 and 9,508
// did), and each OS's share of tasks is its hosts'.
TEST(Google2011Test, RecordedLaunchesTakeTheirMachinesOs) {
  REQUIRE_SAMPLES(dir);
  const std::string out = TempDir("google2011-recorded-os");
  const CliResult r = RunCli(
      {"run", SourcePath("scenarios/google2011-recorded.yaml"), "--out", out, "--quiet",
       "--no-progress", "--set", "results.tasks_csv=true", "--set", "trace.duration=20m", "--set",
       "trace.os={windows_machines: 0.3, windows_tasks: 0.3, windows_versions: {ltsc2019: 1, "
       "ltsc2022: 1}}"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream rows(ReadFile(out + "/tasks.csv"));
  std::string line;
  std::getline(rows, line);  // header: os is column 4, isolation column 14
  size_t windows = 0, linux = 0;
  while (std::getline(rows, line)) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    ASSERT_GT(f.size(), 14u) << line;
    if (f[14].empty()) continue;  // never launched
    EXPECT_EQ(f[4] == "linux", f[14] == "docker") << line;
    ++(f[4] == "windows" ? windows : linux);
  }
  EXPECT_GT(windows, 0u);
  EXPECT_GT(linux, windows);
}

// job_events beside a recorded replay: summary.json's trace.jobs counts the job rows of each type
// inside the window up to the run's end (the last task event), counted here from the CSV.
TEST(Google2011Test, JobEventsAreCountedInTraceJobs) {
  REQUIRE_SAMPLES(dir);
  const std::string tmp = TempDir("google2011-jobs");
  WriteFile(tmp + "/s.yaml", R"(name: google2011-jobs
frameworks:
  - name: borg
trace:
  format: google2011
  mode: recorded
  paths:
    machine_events: )" + dir + "/" +
                                 kMachines + R"(
    task_events: )" + dir + "/" + kTaskSlice +
                                 R"(
    job_events: )" + dir + "/" + kJobs +
                                 R"(
)");
  const CliResult r =
      RunCli({"run", tmp + "/s.yaml", "--out", tmp + "/out", "--quiet", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = Summary(tmp + "/out");
  const long long end_us = 2'852'989'199;  // the last task event
  EXPECT_NEAR(s["sim_seconds"].get<double>(), end_us * 1e-6, 1e-6);
  std::map<int, long long> want;
  std::ifstream in(dir + "/" + kJobs);
  std::string line;
  long long rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    std::stringstream ls(line);
    std::string time, flag, job, type;
    std::getline(ls, time, ',');
    std::getline(ls, flag, ',');
    std::getline(ls, job, ',');
    std::getline(ls, type, ',');
    const long long t = std::stoll(time);
    if (t > 0 && t <= end_us) ++want[std::stoi(type)];
  }
  ASSERT_EQ(rows, 10'704);  // the shared README's row count
  const json& jobs = s["trace"]["jobs"];
  EXPECT_EQ(jobs["submitted"].get<long long>(), want[0]);
  EXPECT_EQ(jobs["scheduled"].get<long long>(), want[1]);
  EXPECT_EQ(jobs["evicted"].get<long long>(), want[2]);
  EXPECT_EQ(jobs["failed"].get<long long>(), want[3]);
  EXPECT_EQ(jobs["finished"].get<long long>(), want[4]);
  EXPECT_EQ(jobs["killed"].get<long long>(), want[5]);
  EXPECT_EQ(jobs["lost"].get<long long>(), want[6]);
  EXPECT_GT(want[0], 400);
  EXPECT_GT(want[4], 250);
  EXPECT_NEAR(jobs["window_end_s"].get<double>(), end_us * 1e-6, 1e-6);
  EXPECT_EQ(s["trace"]["skipped_rows"].get<double>(), 0);
  // Streamed: read up to the run's end (and one row ahead), not to the file's end at 5,599 s.
  EXPECT_GT(s["trace"]["job_rows"].get<double>(), 9'000);
  EXPECT_LT(s["trace"]["job_rows"].get<double>(), 10'704);
}

// Google publishes the trace as <table>/part-NNNNN-of-MMMMM.csv.gz: gzipped parts in that layout
// replay exactly as the plain ones (they were read as empty tables before: every row malformed).
TEST(Google2011Test, GzippedPartsReplayAsThePlainOnes) {
  REQUIRE_SAMPLES(dir);
  const std::string tmp = TempDir("google2011-gzip");
  auto scenario = [&](const std::string& name, const std::string& machines,
                      const std::string& tasks, const std::string& jobs) {
    WriteFile(tmp + "/" + name + ".yaml",
              "name: google2011-gzip\nduration: 20m\n"
              "frameworks:\n  - name: borg\ntrace:\n"
              "  format: google2011\n  mode: recorded\n  paths:\n"
              "    machine_events: " +
                  machines +
                  "\n"
                  "    task_events: " +
                  tasks +
                  "\n"
                  "    job_events: " +
                  jobs +
                  "\n"
                  "  strict: true\n");
    return tmp + "/" + name + ".yaml";
  };
  for (const char* table : {"machine_events", "task_events", "job_events"}) {
    fs::create_directories(tmp + "/" + table);
  }
  const std::string machines_gz = tmp + "/machine_events/part-00000-of-00001.csv.gz";
  const std::string tasks_gz = tmp + "/task_events/part-00000-of-00500.csv.gz";
  const std::string jobs_gz = tmp + "/job_events/part-00000-of-00500.csv.gz";
  for (const auto& [from, to] : {std::pair{kMachines, machines_gz}, std::pair{kTaskSlice, tasks_gz},
                                 std::pair{kJobs, jobs_gz}}) {
    const std::string command = "gzip -c '" + dir + "/" + from + "' > '" + to + "'";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  const std::string plain =
      scenario("plain", dir + "/" + kMachines, dir + "/" + kTaskSlice, dir + "/" + kJobs);
  const std::string gzipped = scenario("gzipped", machines_gz, tasks_gz, jobs_gz);
  CliResult r = RunCli({"validate", gzipped});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string* yaml : {&plain, &gzipped}) {
    r = RunCli({"run", *yaml, "--out", *yaml + ".out", "--quiet", "--no-progress"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const json a = Summary(plain + ".out");
  const json b = Summary(gzipped + ".out");
  EXPECT_GT(a["tasks"]["submitted"].get<double>(), 10'000);
  EXPECT_EQ(a["tasks"], b["tasks"]);
  EXPECT_EQ(a["trace"], b["trace"]);
  EXPECT_EQ(a["queue_delay_s"], b["queue_delay_s"]);
  EXPECT_EQ(b["trace"]["skipped_rows"].get<double>(), 0);
  // trace-info reads them too (the byte count is the decompressed text's).
  r = RunCli({"trace-info", tasks_gz, "--format", "google2011"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("SUBMIT 35585 SCHEDULE 34670"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rows             100000"), std::string::npos) << r.out;
}

// Demand mode: a task SUBMITted before the window whose SCHEDULE comes later (it was pending when
// the window opened) runs its SCHEDULE-to-end time, not the time since 0. Trace: SUBMIT at 0,
// SCHEDULE at 700 s, KILL at 1,000 s: a 300 s run, from the task's start at about 1 s. With
// `lookahead: 1h` the end is known at the release: it ends 300 s after RUNNING. With
// `lookahead: 1m` the end is read at 940 s, past the start + 300 s, so the task ends then (a late
// end). Both used to take the run from time 0 with the short look-ahead (1,000 s: ending at
// 1,001 s) and to count the SCHEDULE as a second one.
TEST(Google2011Test, APendingTaskFromBeforeTheWindowRunsItsTraceTimeWhateverTheLookahead) {
  const std::string tmp = TempDir("google2011-before-window");
  WriteFile(tmp + "/machines.csv", "0,7,0,p,0.5,0.5\n");
  WriteFile(tmp + "/tasks.csv",
            "0,,1,0,,0,u,0,0,0.1,0.1,0,0\n700000000,,1,0,7,1,u,0,0,0.1,0.1,0,0\n"
            "1000000000,,1,0,7,5,u,0,0,0.1,0.1,0,0\n");
  for (const char* lookahead : {"1h", "1m"}) {
    const std::string name = std::string("la-") + lookahead;
    WriteFile(tmp + "/" + name + ".yaml",
              "name: before-window\nduration: 2500s\nframeworks:\n  - name: borg\n"
              "trace:\n  format: google2011\n  mode: demand\n  paths:\n"
              "    machine_events: " +
                  tmp +
                  "/machines.csv\n"
                  "    task_events: " +
                  tmp +
                  "/tasks.csv\n"
                  "  machine_size: {cpus: 8, mem: 32GiB}\n  lookahead: " +
                  lookahead + "\nresults: {tasks_csv: true}\n");
    const std::string out = tmp + "/" + name;
    const CliResult r = RunCli({"run", out + ".yaml", "--out", out, "--quiet", "--no-progress"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json s = Summary(out);
    EXPECT_EQ(s["trace"]["double_schedules"].get<double>(), 0) << lookahead;
    ASSERT_EQ(s["tasks"]["finished"].get<double>(), 1) << lookahead;
    std::istringstream csv(ReadFile(out + "/tasks.csv"));
    std::string header, row;
    ASSERT_TRUE(std::getline(csv, header) && std::getline(csv, row));
    auto column = [&](const std::string& name) {
      std::vector<std::string> names, cells;
      std::string cell;
      for (std::istringstream h(header); std::getline(h, cell, ',');) names.push_back(cell);
      for (std::istringstream l(row); std::getline(l, cell, ',');) cells.push_back(cell);
      const auto at = std::find(names.begin(), names.end(), name) - names.begin();
      return at < static_cast<long>(cells.size()) ? std::stod(cells[at]) : -1.0;
    };
    EXPECT_LT(column("running_s"), 5) << lookahead;
    if (std::string(lookahead) == "1h") {
      EXPECT_NEAR(column("end_s") - column("running_s"), 300, 1e-6);
    } else {
      EXPECT_NEAR(column("end_s"), 940, 1) << "a late end, read 60 s ahead of 1,000 s";
    }
  }
}

TEST(Google2011Test, DemandReplayOfTheSampleRunsAndAccountsForEveryTask) {
  REQUIRE_SAMPLES(dir);
  const std::string out = TempDir("google2011-demand");
  const CliResult r = RunCli({"run", SourcePath("scenarios/google2011-sample.yaml"), "--out", out,
                              "--quiet", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = Summary(out);
  const json& t = s["trace"];
  EXPECT_EQ(t["machines"].get<double>(), 12'477);  // the machines added by 48 min
  EXPECT_EQ(t["submit_rows"].get<double>(), 75'585);
  EXPECT_EQ(t["tasks_submitted"].get<double>() + t["tasks_never_scheduled"].get<double>(), 75'585);
  const json& k = s["tasks"];
  EXPECT_EQ(k["submitted"].get<double>(), t["tasks_submitted"].get<double>());
  EXPECT_EQ(k["submitted"].get<uint64_t>(),
            k["finished"].get<uint64_t>() + k["failed"].get<uint64_t>() +
                k["lost"].get<uint64_t>() + k["killed"].get<uint64_t>() +
                k["unschedulable"].get<uint64_t>() + k["pending_at_end"].get<uint64_t>() +
                k["running_at_end"].get<uint64_t>());
  EXPECT_GT(k["finished"].get<uint64_t>(), 15'000u);
  EXPECT_EQ(s["frameworks"].size(), 3u);
  EXPECT_EQ(t["terminal_without_submit"].get<double>(), 7'786);  // as the recorded replay counts
  EXPECT_EQ(t["missing_requests"].get<double>(), 208);
}

// A malformed row: strict runs stop with file:line and exit 2; lenient runs count it.
TEST(Google2011Test, MalformedRowsStopStrictRunsAndAreCountedOtherwise) {
  REQUIRE_SAMPLES(dir);
  const std::string tmp = TempDir("google2011-bad");
  const std::string tasks = tmp + "/task_events-bad.csv";
  WriteFile(tasks,
            "600000000,,1,0,,0,u,0,0,0.1,0.1,0.001,0\n"
            "600000001,,1,1,,0,u,0,0,0.1,0.1\n"
            "600000002,,1,2,,0,u,0,0,0.1,0.1,0.001,0\n");
  const std::string machines = tmp + "/machine_events.csv";
  WriteFile(machines, "0,1,0,p,0.5,0.5\n0,2,0,p,0.5,0.5\n");
  for (const bool strict : {true, false}) {
    const std::string scenario = tmp + (strict ? "/strict.yaml" : "/lenient.yaml");
    WriteFile(scenario, std::string(R"(name: google2011-bad
duration: 20m
frameworks:
  - name: borg
trace:
  format: google2011
  strict: )") + (strict ? "true" : "false") +
                            R"(
  paths: {machine_events: machine_events.csv, task_events: task_events-bad.csv}
)");
    const std::string out = tmp + (strict ? "/out-strict" : "/out-lenient");
    const CliResult r = RunCli({"run", scenario, "--out", out, "--quiet", "--no-progress"});
    if (strict) {
      EXPECT_EQ(r.exit_code, 2);
      EXPECT_NE(r.err.find(tasks + ":2: task_events row has 11 fields, expected 13"),
                std::string::npos)
          << r.err;
    } else {
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const json s = Summary(out);
      EXPECT_EQ(s["trace"]["skipped_rows"].get<double>(), 1);
      EXPECT_EQ(s["tasks"]["submitted"].get<double>(), 2);
      EXPECT_NE(r.err.find(":2: task_events row has 11 fields"), std::string::npos) << r.err;
    }
  }
}

// A recorded SCHEDULE onto a machine the trace has up but whose agent the scenario's own faults
// took out — crashed or cut off, whether the master has found out yet (15 s) or not (150 s: the
// master gives up on a silent agent after agent_ping_timeout x max_agent_ping_timeouts) — starts
// nothing and counts in tasks_no_machine. It used to launch there, and to abort on the master's
// invariant once the agent was marked unreachable.
TEST(Google2011Test, RecordedScheduleOntoAnAgentTheScenarioTookOutHasNoMachine) {
  for (const std::string kind : {"agent_partition", "agent_crash"}) {
    SCOPED_TRACE(kind);
    const std::string tmp = TempDir("google2011-recorded-" + kind);
    WriteFile(tmp + "/machine_events.csv", "0,1,0,p,0.5,0.5\n0,2,0,p,0.5,0.5\n");
    // Job 7: task 0 on machine 1 before the fault, tasks 1 and 2 on machine 2 after it.
    WriteFile(tmp + "/task_events.csv",
              "1000000,,7,0,,0,u,0,0,0.1,0.1,0,0\n"
              "1000000,,7,1,,0,u,0,0,0.1,0.1,0,0\n"
              "1000000,,7,2,,0,u,0,0,0.1,0.1,0,0\n"
              "2000000,,7,0,1,1,u,0,0,0.1,0.1,0,0\n"
              "15000000,,7,2,2,1,u,0,0,0.1,0.1,0,0\n"
              "150000000,,7,1,2,1,u,0,0,0.1,0.1,0,0\n"
              "170000000,,7,0,1,4,u,0,0,0.1,0.1,0,0\n");
    WriteFile(tmp + "/s.yaml", R"(name: recorded-fault
frameworks:
  - name: borg
faults:
  - {kind: )" + kind + R"(, at: 10s, fraction: 1, duration: 1h}
trace:
  format: google2011
  mode: recorded
  paths: {machine_events: machine_events.csv, task_events: task_events.csv}
  machine_size: {cpus: 16, mem: 32GiB}
)");
    const CliResult r =
        RunCli({"run", tmp + "/s.yaml", "--out", tmp + "/out", "--quiet", "--check-invariants"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json s = Summary(tmp + "/out");
    EXPECT_EQ(s["trace"]["tasks_launched"].get<int>(), 1) << s["trace"].dump();
    EXPECT_EQ(s["trace"]["tasks_no_machine"].get<int>(), 2) << s["trace"].dump();
  }
}

}  // namespace
}  // namespace clustersim::test
