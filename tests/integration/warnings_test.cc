// Warnings about useless runs (issue 12 item 3, acceptance 4) through the real binary: each case
// edits tests/warnings/base.yaml (which has no warning) into one kind of useless run. `validate`
// must print each expected warning as one located line and exit 0, or 2 with --fail-on-warning;
// `run` must print the same lines on stderr before running, and the tasks that cannot run must
// end UNSCHEDULABLE with the warned reason in tasks.csv and summary.json's tasks.by_reason.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.h"
#include "results/csv.h"

namespace clustersim::test {
namespace {

using nlohmann::json;

const std::string& Base() {
  static const std::string base = ReadFile(SourcePath("tests/warnings/base.yaml"));
  return base;
}

struct Case {
  std::string label;
  std::vector<std::pair<std::string, std::string>> edits;  // text of the base -> replacement
  // Each expected warning line starts with "scenario.yaml:" and holds one of these, in order.
  std::vector<std::string> expected;
  // Its run ends this many tasks UNSCHEDULABLE, all for `reason` (0 and "": none).
  std::string reason = "";
  int unschedulable = 0;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

std::string Write(const Case& c) {
  std::string yaml = Base();
  for (const auto& [from, to] : c.edits) {
    const size_t at = yaml.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) yaml.replace(at, from.size(), to);
  }
  const std::string dir = TempDir("warnings-" + c.label);
  WriteFile(dir + "/scenario.yaml", yaml);
  return dir;
}

// The lines of `err` that are warnings.
std::vector<std::string> WarningLines(const std::string& err) {
  std::vector<std::string> lines;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (line.find(": warning: ") != std::string::npos) lines.push_back(line);
  }
  return lines;
}

void ExpectWarnings(const std::string& err, const std::string& file,
                    const std::vector<std::string>& expected) {
  const std::vector<std::string> lines = WarningLines(err);
  ASSERT_EQ(lines.size(), expected.size()) << err;
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].rfind(file + ":", 0), 0u) << lines[i];
    EXPECT_NE(lines[i].find(expected[i]), std::string::npos)
        << "expected '" << expected[i] << "' in\n"
        << lines[i];
  }
}

class WarningsTest : public ::testing::TestWithParam<Case> {};

TEST_P(WarningsTest, ValidateWarnsExitsZeroOrTwoWithFailOnWarning) {
  const Case& c = GetParam();
  const std::string dir = Write(c);
  const std::string file = dir + "/scenario.yaml";
  const CliResult v = RunCli({"validate", file});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find(": ok ("), std::string::npos) << v.out;
  ExpectWarnings(v.err, file, c.expected);
  const CliResult strict = RunCli({"validate", file, "--fail-on-warning"});
  EXPECT_EQ(strict.exit_code, 2) << strict.err;
  ExpectWarnings(strict.err, file, c.expected);
}

TEST_P(WarningsTest, RunPrintsTheSameWarningsAndRecordsTheReason) {
  const Case& c = GetParam();
  const std::string dir = Write(c);
  const std::string file = dir + "/scenario.yaml";
  const CliResult r = RunCli({"run", file, "--out", dir + "/out", "--quiet", "--no-progress"}, 60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectWarnings(r.err, file, c.expected);
  const json s = json::parse(ReadFile(dir + "/out/summary.json"));
  const json& by_reason = s["tasks"]["by_reason"];
  ASSERT_TRUE(by_reason.is_object());
  for (const char* state : {"unschedulable", "failed", "lost", "killed"}) {
    uint64_t sum = 0;
    for (const auto& [reason, n] : by_reason[state].items()) sum += n.get<uint64_t>();
    EXPECT_EQ(sum, s["tasks"][state].get<uint64_t>()) << state;
  }
  const results::CsvFile tasks = results::ReadCsvFile(dir + "/out/tasks.csv");
  const auto col = [&](const std::string& name) {
    return static_cast<size_t>(std::find(tasks.header.begin(), tasks.header.end(), name) -
                               tasks.header.begin());
  };
  ASSERT_LT(col("reason"), tasks.header.size());
  int with_reason = 0;
  for (const auto& row : tasks.rows) {
    ASSERT_EQ(row.size(), tasks.header.size());
    if (row[col("state")] == "FINISHED") {
      EXPECT_EQ(row[col("reason")], "");
    }
    if (row[col("state")] == "UNSCHEDULABLE") {
      EXPECT_EQ(row[col("reason")], c.reason);
      ++with_reason;
    }
  }
  EXPECT_EQ(with_reason, c.unschedulable);
  if (c.unschedulable > 0) {
    EXPECT_EQ(by_reason["unschedulable"][c.reason].get<int>(), c.unschedulable) << by_reason;
  }
}

const char kTooLarge[] =
    "warning: frameworks[0].workload.resources: framework 'batch': none of its tasks can ever run "
    "(too_large)";

INSTANTIATE_TEST_SUITE_P(
    Cases, WarningsTest,
    ::testing::Values(
        // (a) resource names: an alias, a typo within two edits; both leave agents with 0 cpus.
        Case{"alias_cpu",
             {{"{cpus: 8, mem: 16GiB}", "{cpu: 8, mem: 16GiB}"}},
             {"scenario.yaml:17:24: warning: cluster.groups[0].resources.cpu: 'cpu' is read as a "
              "custom resource",
              std::string("scenario.yaml:33:7: ") + kTooLarge},
             "too_large",
             10},
        Case{"typo_cpsu",
             {{"{cpus: 8, mem: 16GiB}", "{cpsu: 8, mem: 16GiB}"}},
             {"scenario.yaml:17:25: warning: cluster.groups[0].resources.cpsu: 'cpsu' is read as a "
              "custom resource of its own, so no cpus is given here; did you mean cpus?",
              std::string("scenario.yaml:33:7: ") + kTooLarge},
             "too_large",
             10},
        Case{"alias_gpu",
             {{"{cpus: 8, mem: 16GiB}", "{cpus: 8, mem: 16GiB, gpu: 1}"}},
             {"scenario.yaml:17:45: warning: cluster.groups[0].resources.gpu: 'gpu' is read as a "
              "custom resource of its own, so no gpus is given here; did you mean gpus?"},
             "",
             0},
        // (b) frameworks none of whose tasks can ever run, with the reason.
        Case{"too_large",
             {{"{cpus: 1, mem: 1GiB}", "{cpus: 32, mem: 1GiB}"}},
             {std::string("scenario.yaml:33:7: ") + kTooLarge + ": its smallest task (cpus:32"},
             "too_large",
             10},
        Case{"no_matching_os",
             {{"count: 2", "count: 0"}},
             {"scenario.yaml:41:7: warning: frameworks[1].workload.images: framework 'web': none "
              "of its tasks can ever run (no_matching_os): no agent runs windows"},
             "no_matching_os",
             2},
        Case{"constraint_unmet",
             {{"      windows_fraction: 1\n",
               "      windows_fraction: 1\n      constraints: {attributes: {zone: b}}\n"}},
             {"scenario.yaml:41:21: warning: frameworks[1].workload.constraints.attributes: "
              "framework 'web': none of its tasks can ever run (constraint_unmet)"},
             "constraint_unmet",
             2},
        Case{"image_incompatible",
             {{"version: ltsc2019\n      isolation", "version: ltsc2016\n      isolation"}},
             {"scenario.yaml:41:7: warning: frameworks[1].workload.images: framework 'web': none "
              "of its tasks can ever run (image_incompatible): no windows agent can run image "
              "'win19'"},
             "image_incompatible",
             2},
        // (c) a quota or a reservation for a role no framework has.
        Case{"quota_unknown_role",
             {{"allocator: drf",
               "allocator: {name: drf-quota, quotas: {analytic: {guarantee: {cpus: 2}}}}"}},
             {"scenario.yaml:8:41: warning: master.allocator.quotas.analytic: a quota for role "
              "'analytic', which no framework or subrole has (roles: analytics, web)"},
             "",
             0},
        Case{"reservation_unknown_role",
             {{"      preloaded_images: [lin]\n",
               "      preloaded_images: [lin]\n      reservations: {webb: {cpus: 1}}\n"}},
             {"scenario.yaml:19:22: warning: cluster.groups[0].reservations.webb: a reservation "
              "for role 'webb', which no framework has"},
             "",
             0},
        // (d) a weight one framework of a role states and another inherits.
        Case{"inherited_weight",
             {{"    role: analytics\n", "    role: analytics\n    weight: 2\n"},
              {"  - name: web\n", "  - name: web\n    role: analytics\n"}},
             {"scenario.yaml:37:11: warning: frameworks[1].role: framework 'web' inherits weight 2 "
              "for role 'analytics' from framework 'batch' (frameworks[0].weight) without stating "
              "it"},
             "",
             0},
        // (e) a Windows image preloaded on a host that cannot run it.
        Case{"preloaded_windows_on_linux",
             {{"preloaded_images: [lin]", "preloaded_images: [lin, win19]"}},
             {"scenario.yaml:18:31: warning: cluster.groups[0].preloaded_images[1]: image 'win19' "
              "is preloaded on group 'linux' (linux), whose agents cannot run it"},
             "",
             0}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.label; });

// (f) a run estimated huge: validate only (the run would take hours).
TEST(WarningsTest, HugeRunIsWarnedAboutWithTheEstimate) {
  const Case c{"huge_run",
               {{"      initial_jobs: 5\n", "      arrival: poisson\n      rate: 100000/s\n"}},
               {"scenario.yaml:26:1: warning: frameworks: this run is huge: about 1.2e+08 tasks, "
                "up to 1.2e+08 live at once"}};
  const std::string file = Write(c) + "/scenario.yaml";
  const CliResult v = RunCli({"validate", file});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  ExpectWarnings(v.err, file, c.expected);
  EXPECT_NE(v.out.find("about 1.2e+08 tasks, 1.2e+08 live at most"), std::string::npos) << v.out;
  EXPECT_EQ(RunCli({"validate", file, "--fail-on-warning"}).exit_code, 2);
}

// tasks.csv's `state` column, found by name (results/README.md: read columns by name).
size_t StateColumn(const results::CsvFile& tasks) {
  const auto it = std::find(tasks.header.begin(), tasks.header.end(), "state");
  EXPECT_NE(it, tasks.header.end());
  return static_cast<size_t>(it - tasks.header.begin());
}

TEST(WarningsTest, CleanScenarioHasNoWarningAndRunsEveryTaskToTheEnd) {
  const std::string dir = Write(Case{"clean", {}, {}});
  const std::string file = dir + "/scenario.yaml";
  const CliResult v = RunCli({"validate", file, "--fail-on-warning"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_TRUE(WarningLines(v.err).empty()) << v.err;
  const CliResult r = RunCli({"run", file, "--out", dir + "/out", "--quiet", "--no-progress"}, 60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(WarningLines(r.err).empty()) << r.err;
  const results::CsvFile tasks = results::ReadCsvFile(dir + "/out/tasks.csv");
  ASSERT_EQ(tasks.rows.size(), 12u);
  ASSERT_EQ(tasks.header.back(), "reason");
  const size_t state = StateColumn(tasks);
  for (const auto& row : tasks.rows) {
    EXPECT_EQ(row[state], "FINISHED");
    EXPECT_EQ(row.back(), "");
  }
}

// Tasks still live when the run ends are written last with reason run_ended.
TEST(WarningsTest, LiveTasksAtTheEndHaveReasonRunEnded) {
  const std::string dir = Write(
      Case{"live",
           {{"duration: 1m\n      resources: {cpus: 1", "duration: 1h\n      resources: {cpus: 1"}},
           {}});
  const CliResult r = RunCli(
      {"run", dir + "/scenario.yaml", "--out", dir + "/out", "--quiet", "--no-progress"}, 60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const results::CsvFile tasks = results::ReadCsvFile(dir + "/out/tasks.csv");
  int live = 0;
  const size_t state = StateColumn(tasks);
  for (const auto& row : tasks.rows) {
    if (row[state] == "RUNNING") {
      EXPECT_EQ(row.back(), "run_ended");
      ++live;
    }
  }
  EXPECT_EQ(live, 10);  // batch's 10 tasks run an hour in a 10-minute run
}

// events.binpb's TASK_ENDED events carry the reason too (results/read_events.py prints it).
TEST(WarningsTest, EventLogCarriesTheReason) {
  const std::string dir =
      Write(Case{"events", {{"{cpus: 1, mem: 1GiB}", "{cpus: 32, mem: 1GiB}"}}, {}});
  const CliResult r = RunCli({"run", dir + "/scenario.yaml", "--out", dir + "/out", "--quiet",
                              "--no-progress", "--events"},
                             60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string cmd = "PYTHONPATH=" + std::string(CLUSTERSIM_EVENTS_PY_DIR) +
                          " /usr/bin/python3 " + SourcePath("results/read_events.py") + " " + dir +
                          "/out/events.binpb";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string text;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) text += buf;
  ASSERT_EQ(pclose(p), 0) << text;
  int too_large = 0, ended = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" TASK_ENDED ") == std::string::npos) continue;
    ++ended;
    if (line.find("state=UNSCHEDULABLE reason=too_large") != std::string::npos) ++too_large;
  }
  EXPECT_EQ(too_large, 10) << text;  // batch's 10 tasks
  EXPECT_EQ(ended, 12) << text;      // and web's 2, which finish with no reason
}

// compare and sweep print a scenario's warnings once, however many cells share them.
TEST(WarningsTest, ComparePrintsEachWarningOnce) {
  const std::string dir =
      Write(Case{"compare", {{"preloaded_images: [lin]", "preloaded_images: [lin, win19]"}}, {}});
  const CliResult r = RunCli({"compare", dir + "/scenario.yaml", "--allocators", "drf,random",
                              "--seeds", "1", "--jobs", "1", "--out", dir + "/out"},
                             120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectWarnings(r.err, dir + "/scenario.yaml",
                 {"warning: cluster.groups[0].preloaded_images[1]: image 'win19'"});
}

}  // namespace
}  // namespace clustersim::test
