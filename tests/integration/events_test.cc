// events.binpb end to end (issue 13): a default-scenario run with --events, read by both shipped
// readers (`clustersim events` and results/read_events.py) in an environment without PYTHONPATH.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/integration/cli_runner.h"

namespace clustersim::test {
namespace {

using json = nlohmann::json;

struct ShellResult {
  int status = -1;  // as waitpid returns it
  std::string out;
  std::string err;
};

// Runs `command` under sh in a scrubbed environment (PATH only: no PYTHONPATH, no
// CLUSTERSIM_BUILD) and reads at most `max_lines` of its output before closing the pipe.
ShellResult Shell(const std::string& command, const std::string& dir, size_t max_lines = SIZE_MAX) {
  const std::string err_file = dir + "/stderr.txt";
  const std::string full = "env -i PATH=/usr/bin:/bin " + command + " 2>" + err_file;
  FILE* p = popen(full.c_str(), "r");
  ShellResult r;
  if (p == nullptr) return r;
  char buf[4096];
  size_t lines = 0;
  while (lines < max_lines && fgets(buf, sizeof buf, p)) {
    r.out += buf;
    ++lines;
  }
  r.status = pclose(p);
  r.err = ReadFile(err_file);
  return r;
}

// The reader the build places beside the generated module: runs with no variables at all.
std::string PythonReader() {
  return std::string("/usr/bin/python3 ") + CLUSTERSIM_EVENTS_PY_DIR + "/read_events.py";
}

std::string CppReader() { return std::string(CLUSTERSIM_BINARY) + " events"; }

// Ended normally with 0, or by the SIGPIPE a closed pipe sends (as `cat` does), directly or as
// sh reports it (128 + SIGPIPE).
bool QuietPipeEnd(int status) {
  if (WIFSIGNALED(status)) return WTERMSIG(status) == SIGPIPE;
  return WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 128 + SIGPIPE);
}

class EventsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TempDir("events-e2e"));
    const CliResult r = RunCli({"run", "--out", *dir_ + "/out", "--set", "duration=30s", "--events",
                                "--quiet", "--no-progress"},
                               120);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static std::string File() { return *dir_ + "/out/events.binpb"; }
  static std::string* dir_;
};
std::string* EventsTest::dir_ = nullptr;

TEST_F(EventsTest, BothReadersPrintTheSameLinesWithoutPythonpath) {
  const ShellResult cpp = Shell(CppReader() + " " + File(), *dir_);
  ASSERT_EQ(cpp.status, 0) << cpp.err;
  const ShellResult py = Shell(PythonReader() + " " + File(), *dir_);
  ASSERT_EQ(py.status, 0) << py.err;
  EXPECT_EQ(py.out, cpp.out);
  // The source tree's script finds the module through CLUSTERSIM_BUILD (or build/ of its
  // checkout) as well.
  const ShellResult source =
      Shell("CLUSTERSIM_BUILD=" + std::filesystem::path(CLUSTERSIM_BINARY).parent_path().string() +
                " /usr/bin/python3 " + SourcePath("results/read_events.py") + " --count " + File(),
            *dir_);
  ASSERT_EQ(source.status, 0) << source.err;
  const ShellResult count = Shell(CppReader() + " --count " + File(), *dir_);
  ASSERT_EQ(count.status, 0) << count.err;
  EXPECT_EQ(source.out, count.out);
  const size_t lines = static_cast<size_t>(std::count(cpp.out.begin(), cpp.out.end(), '\n'));
  EXPECT_EQ(std::to_string(lines) + "\n", count.out);
  // 1,000 agents come up and every one is offered at the first cycle: well over 2,000 events.
  EXPECT_GT(lines, 2000u);
}

// Inverse offers carry their framework in both readers (the Python one dropped it): a run
// through windows-patch-day's first maintenance batch.
TEST_F(EventsTest, BothReadersNameTheFrameworkOfInverseOffers) {
  const std::string out = *dir_ + "/patch";
  const CliResult r = RunCli({"run", SourcePath("scenarios/windows-patch-day.yaml"), "--out", out,
                              "--set", "duration=40m", "--events", "--quiet", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const ShellResult cpp = Shell(CppReader() + " " + out + "/events.binpb", *dir_);
  const ShellResult py = Shell(PythonReader() + " " + out + "/events.binpb", *dir_);
  ASSERT_EQ(py.status, 0) << py.err;
  EXPECT_EQ(py.out, cpp.out);
  EXPECT_NE(cpp.out.find("INVERSE_OFFER_SENT framework="), std::string::npos);
}

// Framework records (format 4) in both readers: the default scenario's `batch-linux` scheduler
// disconnects at 10 s for good; its failover_timeout (default 0) removes it at once, and its
// tasks end KILLED framework_removed right after.
TEST_F(EventsTest, BothReadersNameTheFrameworkOfFrameworkRecords) {
  const std::string dir = *dir_ + "/disconnect";
  WriteFile(dir + ".yaml",
            ReadFile(SourcePath("scenarios/default.yaml")) +
                "\nfaults:\n  - {kind: framework_disconnect, framework: batch-linux, at: 10s}\n");
  const CliResult r = RunCli({"run", dir + ".yaml", "--out", dir, "--set", "duration=30s",
                              "--events", "--quiet", "--no-progress"},
                             120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const ShellResult cpp = Shell(CppReader() + " " + dir + "/events.binpb", *dir_);
  const ShellResult py = Shell(PythonReader() + " " + dir + "/events.binpb", *dir_);
  ASSERT_EQ(cpp.status, 0) << cpp.err;
  ASSERT_EQ(py.status, 0) << py.err;
  EXPECT_EQ(py.out, cpp.out);
  const size_t disconnected =
      cpp.out.find("10.000000 FRAMEWORK_DISCONNECTED framework=batch-linux\n");
  const size_t removed = cpp.out.find("10.000000 FRAMEWORK_REMOVED framework=batch-linux\n");
  ASSERT_NE(disconnected, std::string::npos) << cpp.out.substr(0, 2000);
  ASSERT_NE(removed, std::string::npos);
  EXPECT_LT(disconnected, removed);
  const size_t killed = cpp.out.find("reason=framework_removed", removed);
  EXPECT_NE(killed, std::string::npos);
  EXPECT_EQ(cpp.out.find("reason=framework_removed"), killed);  // none before the removal
  const json summary = json::parse(ReadFile(dir + "/summary.json"));
  for (const json& fw : summary["frameworks"]) {
    if (fw["name"] == "batch-linux") {
      EXPECT_EQ(fw["removed_at_s"], 10.0);
    } else {
      EXPECT_TRUE(fw["removed_at_s"].is_null()) << fw["name"];
    }
  }
}

// Every launch names the offer it took: sent earlier to the same framework and agent, accepted.
TEST_F(EventsTest, LaunchesCarryTheirOffer) {
  const ShellResult r = Shell(CppReader() + " --jsonl " + File(), *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  std::map<uint64_t, json> sent;
  std::set<uint64_t> accepted;
  int launches = 0, windows_submitted = 0;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const json e = json::parse(line);
    const std::string kind = e["kind"];
    if (kind == "OFFER_SENT") sent[e["offer_id"].get<uint64_t>()] = e;
    if (kind == "OFFER_ACCEPTED") accepted.insert(e["offer_id"].get<uint64_t>());
    if (kind == "TASK_SUBMITTED" && e["os"] == "windows") {
      ++windows_submitted;
      EXPECT_TRUE(e.contains("os_version")) << line;
    }
    if (kind != "TASK_LAUNCHED") continue;
    ++launches;
    const uint64_t offer = e["offer_id"].get<uint64_t>();
    ASSERT_NE(offer, 0u) << line;
    ASSERT_TRUE(sent.count(offer)) << line;
    EXPECT_TRUE(accepted.count(offer)) << line;
    EXPECT_EQ(sent[offer]["agent"], e["agent"]) << line;
    EXPECT_EQ(sent[offer]["framework"], e["framework"]) << line;
    // Structured resources: numbers per kind, within what the offer held.
    ASSERT_TRUE(e["resources"].contains("cpus")) << line;
    EXPECT_GT(e["resources"]["cpus"].get<double>(), 0) << line;
    EXPECT_LE(e["resources"]["mem"].get<double>(), sent[offer]["resources"]["mem"].get<double>());
  }
  EXPECT_GE(launches, 400);  // web's 400 tasks start at once
  EXPECT_GT(windows_submitted, 0);
}

// `reader | head -1`: the reader ends quietly (no traceback, no error), as `cat` would.
TEST_F(EventsTest, ClosedPipeEndsQuietly) {
  for (const std::string& reader : {PythonReader(), CppReader()}) {
    const ShellResult r = Shell(reader + " " + File(), *dir_, 1);
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << reader;
    EXPECT_TRUE(QuietPipeEnd(r.status)) << reader << ": status " << r.status;
    EXPECT_EQ(r.err, "") << reader;
  }
}

// Format 2 is compact: under 10 bytes per event here (format 1 took 70; the default scenario's
// first 10 minutes take 7.7, results/README.md).
TEST_F(EventsTest, BytesPerEventStaySmall) {
  const ShellResult count = Shell(CppReader() + " --count " + File(), *dir_);
  ASSERT_EQ(count.status, 0) << count.err;
  const double events = std::stod(count.out);
  const double bytes = static_cast<double>(std::filesystem::file_size(File()));
  EXPECT_LT(bytes / events, 10.0) << bytes << " bytes, " << events << " events";
}

// A file of another format (here one record of format 1, which has no header) is refused with
// one line saying so and exit 2, by both readers.
TEST_F(EventsTest, OldFormatIsRefusedClearly) {
  const std::string old = *dir_ + "/old.binpb";
  WriteFile(old, std::string("\x02\x08\x01", 3));  // an Event of format 1: time_us = 1
  for (const std::string& reader : {PythonReader(), CppReader()}) {
    const ShellResult r = Shell(reader + " " + old, *dir_);
    ASSERT_TRUE(WIFEXITED(r.status)) << reader;
    EXPECT_EQ(WEXITSTATUS(r.status), 2) << reader;
    EXPECT_NE(r.err.find("not an events.binpb of format 2"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("Traceback"), std::string::npos) << r.err;
  }
}

// A text file given by mistake (summary.json) is named as such, by both readers.
TEST_F(EventsTest, ATextFileIsRefusedAsText) {
  const std::string json = *dir_ + "/summary-by-mistake.json";
  WriteFile(json, "{\n  \"scenario\": \"default\"\n}\n");
  for (const std::string& reader : {PythonReader(), CppReader()}) {
    const ShellResult r = Shell(reader + " " + json, *dir_);
    ASSERT_TRUE(WIFEXITED(r.status)) << reader;
    EXPECT_EQ(WEXITSTATUS(r.status), 2) << reader;
    EXPECT_NE(r.err.find("not an events.binpb: it is a text file"), std::string::npos) << r.err;
  }
}

// The run folder stands for its events.binpb; a folder without one says what is missing.
TEST_F(EventsTest, ARunFolderIsReadAsItsEventsFile) {
  const ShellResult by_file = Shell(CppReader() + " --count " + File(), *dir_);
  const ShellResult by_folder = Shell(CppReader() + " --count " + *dir_ + "/out", *dir_);
  ASSERT_EQ(by_folder.status, 0) << by_folder.err;
  EXPECT_EQ(by_folder.out, by_file.out);
  const ShellResult empty = Shell(CppReader() + " " + *dir_, *dir_);
  EXPECT_EQ(WEXITSTATUS(empty.status), 2);
  EXPECT_EQ(empty.err, "clustersim: " + *dir_ +
                           ": a folder with no events.binpb (`clustersim run --events` writes "
                           "one)\n");
}

// The scheduling records (format 3) add up to summary.json's scheduler figures: an overloaded
// shared-state cell where two schedulers' transactions conflict. Per scheduler: one TRANSACTION
// per transaction, conflicted when a claim did not take effect, the claims summed; one JOB_PLACED
// per job fully placed, their waits averaging job_wait_till_placed_s; the DECISION_STARTED times
// summing to its busy time (busyness counts the run's span only: a decision at the end runs over).
TEST_F(EventsTest, SchedulingRecordsAddUpToTheSummary) {
  const std::string dir = *dir_ + "/conflicts";
  std::filesystem::create_directories(dir);
  WriteFile(dir + "/scenario.yaml", R"(name: conflicts
duration: 10m
master: {architecture: shared-state}
cluster:
  groups:
    - {name: m, count: 20, os: linux, resources: {cpus: 4, mem: 16GiB}}
frameworks:
  - name: a
    placement: random-fit
    decision_time: {per_job: 1s, per_task: 10ms}
    workload: {arrival: poisson, rate: 30/min, tasks_per_job: 5, duration: 60s,
               resources: {cpus: 1, mem: 2GiB}}
  - name: b
    placement: random-fit
    decision_time: {per_job: 1s, per_task: 10ms}
    workload: {arrival: poisson, rate: 30/min, tasks_per_job: 5, duration: 60s,
               resources: {cpus: 1, mem: 2GiB}}
)");
  const CliResult r = RunCli({"run", dir + "/scenario.yaml", "--out", dir + "/out", "--events",
                              "--quiet", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const ShellResult cpp = Shell(CppReader() + " " + dir + "/out", *dir_);
  const ShellResult py = Shell(PythonReader() + " " + dir + "/out/events.binpb", *dir_);
  ASSERT_EQ(py.status, 0) << py.err;
  EXPECT_EQ(py.out, cpp.out);
  struct Tally {
    int decisions = 0, committed = 0, conflicted = 0, placed_jobs = 0;
    uint64_t claims_committed = 0, claims_conflicted = 0;
    double busy_s = 0, wait_s = 0, longest_s = 0;
  };
  std::map<std::string, Tally> tally;
  const ShellResult jsonl = Shell(CppReader() + " --jsonl " + dir + "/out", *dir_);
  std::istringstream lines(jsonl.out);
  for (std::string line; std::getline(lines, line);) {
    const json e = json::parse(line);
    const std::string kind = e["kind"];
    if (kind != "DECISION_STARTED" && kind != "TRANSACTION" && kind != "JOB_PLACED") continue;
    Tally& t = tally[e["framework"].get<std::string>()];
    if (kind == "DECISION_STARTED") {
      ++t.decisions;
      t.busy_s += e["busy_s"].get<double>();
      t.longest_s = std::max(t.longest_s, e["busy_s"].get<double>());
    } else if (kind == "TRANSACTION") {
      const uint32_t conflicted = e["claims_conflicted"];
      ++(conflicted > 0 ? t.conflicted : t.committed);
      t.claims_committed += e["claims_committed"].get<uint32_t>();
      t.claims_conflicted += conflicted;
    } else {
      ++t.placed_jobs;
      t.wait_s += e["wait_s"].get<double>();
      EXPECT_GT(e["job_id"].get<uint64_t>(), 0u) << line;
    }
  }
  const json s = json::parse(ReadFile(dir + "/out/summary.json"));
  ASSERT_EQ(s["schedulers"].size(), 2u);
  for (const json& scheduler : s["schedulers"]) {
    const Tally& t = tally[scheduler["name"].get<std::string>()];
    SCOPED_TRACE(scheduler["name"].get<std::string>());
    const json& tx = scheduler["transactions"];
    EXPECT_EQ(tx["committed"], t.committed);
    EXPECT_EQ(tx["conflicted"], t.conflicted);
    EXPECT_GT(t.conflicted, 10);  // the cell is overloaded: conflicts are common
    EXPECT_EQ(tx["claims_committed"], t.claims_committed);
    EXPECT_EQ(tx["claims_conflicted"], t.claims_conflicted);
    EXPECT_EQ(scheduler["jobs"]["fully_placed"], t.placed_jobs);
    ASSERT_GT(t.placed_jobs, 0);
    EXPECT_NEAR(scheduler["job_wait_till_placed_s"]["mean"].get<double>(), t.wait_s / t.placed_jobs,
                1e-6);
    const double busy_in_run = scheduler["busyness"].get<double>() * 600;
    EXPECT_GT(t.decisions, 100);
    EXPECT_GE(t.busy_s, busy_in_run - 1e-6);
    EXPECT_LE(t.busy_s, busy_in_run + t.longest_s + 1e-6);
  }
}

}  // namespace
}  // namespace clustersim::test
