// Trace replays of CSV task tables and Alibaba machine tables through the real binary: the shipped
// cloudsimpy-w-large and alibaba2018-machines scenarios, malformed rows (counted, or exit 2 with
// file:line in strict mode), and validation that does not need the trace files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using nlohmann::json;

std::string Shared(const std::string& relative) {
  return std::filesystem::path(SourcePath("")).parent_path().parent_path().string() +
         "/shared/traces/" + relative;
}

json Summary(const std::string& out) { return json::parse(ReadFile(out + "/summary.json")); }

// A small cluster replaying a CSV table at `path` (CloudSimPy's column layout).
std::string CsvScenario(const std::string& path, bool strict) {
  return std::string(R"(name: csv
duration: 1h
runtime:
  docker: {start_latency: 0}
cluster:
  groups:
    - {name: m, count: 4, os: linux, resources: {cpus: 64, mem: 256GiB, disk: 1TiB}}
frameworks:
  - name: jobs
trace:
  format: csv
  paths: {jobs: )") +
         path + R"(}
  strict: )" +
         (strict ? "true" : "false") + R"(
  columns: {submit_time: 1, duration: 2, cpus: 3, mem: 4, job_id: 5, task_id: 6, instances: 7,
            disk: 8}
  normalised: [mem, disk]
  machine_size: {cpus: 64, mem: 256GiB, disk: 1TiB}
)";
}

TEST(CsvReplayTest, CloudSimPyWorkloadRunsToCompletion) {
  if (!std::filesystem::exists(Shared("cloudsimpy/jobs.csv"))) GTEST_SKIP() << "no shared trace";
  const std::string out = TempDir("cloudsimpy");
  const CliResult r =
      RunCli({"run", SourcePath("scenarios/cloudsimpy-w-large.yaml"), "--out", out, "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = Summary(out);
  EXPECT_EQ(s["trace"]["jobs"].get<double>(), 1000);
  EXPECT_EQ(s["trace"]["tasks"].get<double>(), 6702);
  EXPECT_EQ(s["trace"]["instances"].get<double>(), 334831);
  EXPECT_EQ(s["trace"]["skipped_rows"].get<double>(), 0);
  const json& t = s["tasks"];
  EXPECT_EQ(t["submitted"].get<uint64_t>(), 334831u);
  // Every instance fits a 64-cpu machine, and the 200 machines keep up: all finish.
  EXPECT_EQ(t["finished"].get<uint64_t>(), 334831u);
  EXPECT_EQ(t["unschedulable"].get<uint64_t>(), 0u);
}

// A CSV job is submitted whole, so its size is known and its completion measured (it was never:
// job_completion_s stayed empty in every CSV replay). Job 7: rows of 2 and 1 instances submitted
// at 10 s (its last row's time), lasting 30 s and 50 s: done at 60 s, 50 s after submission. Job 8
// has a task that never fits: it does not complete.
TEST(CsvReplayTest, AJobsCompletionIsMeasuredFromItsSubmissionToItsLastTask) {
  const std::string dir = TempDir("csv-job-completion");
  WriteFile(dir + "/jobs.csv",
            ",submit_time,duration,cpu,memory,job_id,task_id,instances_num,disk\n"
            "0,5,30,1,0.01,7,1,2,0\n"
            "1,10,50,1,0.01,7,2,1,0\n"
            "2,20,10,1,0.01,8,1,1,0\n"
            "3,20,10,999,0.01,8,2,1,0\n");
  WriteFile(dir + "/s.yaml", CsvScenario(dir + "/jobs.csv", false) + "  header: true\n");
  const CliResult r = RunCli({"run", dir + "/s.yaml", "--out", dir + "/out", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = Summary(dir + "/out");
  EXPECT_EQ(s["tasks"]["finished"].get<int>(), 4);
  EXPECT_EQ(s["job_completion_s"]["count"].get<int>(), 1);
  EXPECT_DOUBLE_EQ(s["job_completion_s"]["max"].get<double>(), 50.0);
}

TEST(CsvReplayTest, MalformedRowsAreCountedOrStopAStrictRunWithTheirLine) {
  const std::string dir = TempDir("csv_bad");
  const std::string table = dir + "/jobs.csv";
  WriteFile(table,
            ",submit_time,duration,cpu,memory,job_id,task_id,instances_num,disk\n"
            "0,10,30,1,0.01,1,1,4,0\n"
            "1,20,thirty,1,0.01,2,2,4,0\n"
            "2,25,30,2,0.01,3,3,2,0\n");
  {
    WriteFile(dir + "/lenient.yaml", CsvScenario(table, false));
    const CliResult r = RunCli({"run", dir + "/lenient.yaml", "--out", dir + "/a", "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("jobs.csv:3: duration (column 2) 'thirty' is not a number"),
              std::string::npos)
        << r.err;
    const json s = Summary(dir + "/a");
    EXPECT_EQ(s["trace"]["skipped_rows"].get<double>(), 1);
    EXPECT_EQ(s["trace"]["jobs"].get<double>(), 2);
    EXPECT_EQ(s["tasks"]["finished"].get<uint64_t>(), 6u);
  }
  {
    WriteFile(dir + "/strict.yaml", CsvScenario(table, true));
    const CliResult r = RunCli({"run", dir + "/strict.yaml", "--out", dir + "/b", "--quiet"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(table + ":3: duration (column 2) 'thirty' is not a number"),
              std::string::npos)
        << r.err;
    // What ran is written, and summary.json says what stopped it (found by a CLI review: it
    // read as a normal, uninterrupted run).
    const json s = Summary(dir + "/b");
    EXPECT_FALSE(s["run"]["interrupted"].get<bool>());
    EXPECT_NE(s["run"]["error"].get<std::string>().find(":3: duration (column 2) 'thirty'"),
              std::string::npos);
  }
  {
    const json s = Summary(dir + "/a");
    EXPECT_TRUE(s["run"]["error"].is_null());
  }
}

// Validation opens the trace files (it does not read them) and names the one it cannot open at
// its entry; the run stops on the same line before it starts.
TEST(CsvReplayTest, AMissingTraceFileIsFoundByValidateAtItsEntry) {
  const std::string dir = TempDir("csv_missing");
  WriteFile(dir + "/missing.yaml", CsvScenario(dir + "/no-such.csv", false));
  const std::string expected = dir + "/missing.yaml:12:";
  for (const char* command : {"validate", "run"}) {
    std::vector<std::string> args = {command, dir + "/missing.yaml"};
    if (command == std::string("run")) args.insert(args.end(), {"--out", dir + "/out"});
    const CliResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("trace.paths.jobs: cannot open trace file " + dir + "/no-such.csv"),
              std::string::npos)
        << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/out"));
  // A relative path is read from the scenario's folder, and the error says so.
  WriteFile(dir + "/relative.yaml", CsvScenario("traces/no-such.csv", false));
  const CliResult relative = RunCli({"validate", dir + "/relative.yaml"});
  EXPECT_EQ(relative.exit_code, 2);
  EXPECT_NE(relative.err.find("cannot open trace file " + dir +
                              "/traces/no-such.csv: No such file or directory (written "
                              "'traces/no-such.csv': a relative path is from the scenario "
                              "file's folder)"),
            std::string::npos)
      << relative.err;
  // The block's other mistakes come first: a csv trace must name its key columns.
  WriteFile(dir + "/no-columns.yaml",
            "name: x\ncluster: {groups: [{name: m, count: 1, os: linux, resources: {cpus: 1, "
            "mem: 1GiB}}]}\nframeworks: [{name: f}]\ntrace: {format: csv, paths: {jobs: x.csv}, "
            "columns: {submit_time: 0, cpus: 1}}\n");
  const CliResult bad = RunCli({"validate", dir + "/no-columns.yaml"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("missing 'duration'"), std::string::npos) << bad.err;
}

// The CSV and Alibaba readers re-read rows by their offsets, which a gzip stream cannot give:
// a compressed table is refused at its entry, by `validate` too, with what to do about it (it was
// read as one malformed row per line of binary data).
TEST(CsvReplayTest, AGzippedTableIsRefusedAtItsEntryWithWhatToDo) {
  const std::string dir = TempDir("csv_gzip");
  WriteFile(dir + "/jobs.csv", "0,10,1,0.01,1,1,1,0.01\n");
  ASSERT_EQ(std::system(("gzip -k '" + dir + "/jobs.csv'").c_str()), 0);
  WriteFile(dir + "/gz.yaml", CsvScenario(dir + "/jobs.csv.gz", false));
  WriteFile(dir + "/plain.yaml", CsvScenario(dir + "/jobs.csv", false));
  EXPECT_EQ(RunCli({"validate", dir + "/plain.yaml"}).exit_code, 0);
  for (const char* command : {"validate", "run"}) {
    std::vector<std::string> args = {command, dir + "/gz.yaml"};
    if (command == std::string("run")) args.insert(args.end(), {"--out", dir + "/out"});
    const CliResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find(dir + "/gz.yaml:12:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("jobs.csv.gz is gzip-compressed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("gunzip -k"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/out"));
}

TEST(CsvReplayTest, JobsMapOntoFrameworksByTheirUserColumn) {
  const std::string dir = TempDir("csv_users");
  // FNV-1a("a") % 2 = 0, FNV-1a("alice") % 2 = 1: 3 + 2 tasks to framework 0, 4 to framework 1.
  WriteFile(dir + "/jobs.csv",
            "t,job,user,cpus,dur,n\n"
            "0,1,a,1,30,3\n"
            "5,2,alice,1,30,4\n"
            "9,3,a,1,30,2\n");
  WriteFile(dir + "/s.yaml", R"(name: users
duration: 1h
cluster:
  groups:
    - {name: m, count: 2, os: linux, resources: {cpus: 8, mem: 8GiB}}
frameworks:
  - name: even
  - name: odd
trace:
  format: csv
  paths: {jobs: jobs.csv}
  columns: {submit_time: 0, job_id: 1, user: 2, cpus: 3, duration: 4, instances: 5}
  map_to_frameworks: user
)");
  const CliResult r = RunCli({"run", dir + "/s.yaml", "--out", dir + "/out", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = Summary(dir + "/out");
  EXPECT_EQ(s["frameworks"][0]["tasks_finished"].get<uint64_t>(), 5u);
  EXPECT_EQ(s["frameworks"][1]["tasks_finished"].get<uint64_t>(), 4u);
}

// A rule the format has no field for is a scenario error at map_to_frameworks' line and column,
// listing the rules the format supports; the trace files are not needed to tell.
TEST(CsvReplayTest, MappingByAFieldTheFormatLacksIsAnErrorAtItsYamlPosition) {
  const std::string dir = TempDir("map_lacks");
  const std::string head = "name: x\nframeworks: [{name: a}, {name: b}]\ntrace:\n  format: ";
  struct Case {
    std::string yaml, where, message;
  };
  const Case cases[] = {
      {head + "alibaba2018\n  paths: {batch_task: t.csv}\n  map_to_frameworks: user\n", ":6:22:",
       "trace format alibaba2018 cannot map jobs by 'user' (batch_task rows give a job name and a "
       "task type but no user, scheduling class or priority); it supports: all"},
      {head + "alibaba2017\n  paths: [server_event.csv]\n  map_to_frameworks: scheduling_class\n",
       ":6:22:",
       "trace format alibaba2017 cannot map jobs by 'scheduling_class' (server_event rows are "
       "machine events, with no jobs); it supports: all"},
      {head + "swf\n  paths: [log.swf]\n  map_to_frameworks: scheduling_class\n",
       ":6:22:", "it supports: all, user"},
      {head +
           "csv\n  paths: {jobs: j.csv}\n  columns: {submit_time: 0, duration: 1, cpus: 2, user: "
           "3}\n  map_to_frameworks: {by: priority_band, priority_edges: [5]}\n",
       ":7:3:",
       "trace format csv maps jobs by 'priority_band' only with a 'priority' column in "
       "trace.columns; with these columns it supports: all, user"},
      // Not a mapping, but the same kind of check: only two formats record placements.
      {head + "swf\n  paths: [log.swf]\n  mode: recorded\n", ":6:9:",
       "trace.mode: mode 'recorded' needs recorded placements: formats google2011 (task_events) "
       "and alibaba2018 (batch_instance)"},
  };
  int i = 0;
  for (const Case& c : cases) {
    const std::string file = dir + "/s" + std::to_string(i++) + ".yaml";
    WriteFile(file, c.yaml);
    const CliResult r = RunCli({"validate", file});
    EXPECT_EQ(r.exit_code, 2) << c.yaml;
    EXPECT_NE(r.err.find(file + c.where), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
}

TEST(CsvReplayTest, AlibabaMachinesJoinAtTheirTraceTimes) {
  if (!std::filesystem::exists(Shared("alibaba2018/machine_meta.csv"))) {
    GTEST_SKIP() << "no shared trace";
  }
  const std::string out = TempDir("alibaba2018");
  const CliResult r =
      RunCli({"run", SourcePath("scenarios/alibaba2018-machines.yaml"), "--out", out, "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = Summary(out);
  EXPECT_EQ(s["trace"]["machine_rows"].get<double>(), 17592);
  EXPECT_EQ(s["trace"]["machines"].get<double>(), 4034);
  EXPECT_EQ(s["trace"]["skipped_rows"].get<double>(), 0);
  EXPECT_EQ(s["trace"]["machine_down_events"].get<double>(), 1);
  EXPECT_GT(s["tasks"]["finished"].get<uint64_t>(), 0u);
  EXPECT_EQ(s["tasks"]["unschedulable"].get<uint64_t>(), 0u);
}

// Recorded Alibaba 2018 instances through the binary: placed where and when the trace says, with
// overcommit reported and the run ending with the table.
TEST(CsvReplayTest, AlibabaRecordedInstancesRunWhereAndWhenTheTraceSays) {
  const std::string dir = TempDir("alibaba-recorded");
  WriteFile(dir + "/machine_meta.csv", "m_1,0,1,1,8,100,USING\nm_2,0,1,1,8,100,USING\n");
  WriteFile(dir + "/batch_task.csv",
            "M1,3,j_1,1,Terminated,10,100,600,10\n"  // 6 cores each
            "R2_1,1,j_1,1,Failed,100,130,100,10\n");
  WriteFile(dir + "/batch_instance.csv",
            "i1,M1,j_1,1,Terminated,10,100,m_1,1,1,,,,\n"
            "i2,M1,j_1,1,Terminated,40,70,m_1,1,1,,,,\n"  // 12 cores on 8 from 40 s to 70 s
            "i3,M1,j_1,1,Terminated,10,50,m_2,1,1,,,,\n"
            "i4,R2_1,j_1,1,Failed,100,130,m_2,1,1,,,,\n");
  WriteFile(dir + "/s.yaml", R"(name: alibaba-recorded
frameworks:
  - name: alibaba
trace:
  format: alibaba2018
  mode: recorded
  paths: [machine_meta.csv, batch_task.csv, batch_instance.csv]
)");
  const CliResult r = RunCli({"run", dir + "/s.yaml", "--out", dir + "/out", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = Summary(dir + "/out");
  EXPECT_EQ(s["sim_seconds"].get<double>(), 130);
  EXPECT_EQ(s["trace"]["instances_launched"].get<double>(), 4);
  EXPECT_EQ(s["trace"]["machines"].get<double>(), 2);
  EXPECT_DOUBLE_EQ(s["trace"]["overcommit_machine_seconds"].get<double>(), 30);
  EXPECT_EQ(s["tasks"]["finished"].get<uint64_t>(), 3u);
  EXPECT_EQ(s["tasks"]["failed"].get<uint64_t>(), 1u);
  EXPECT_EQ(s["start_latency_s"]["max"].get<double>(), 0);
}

TEST(CsvReplayTest, AlibabaServerEventsTakeMachinesOutAndBack) {
  const std::string events = Shared("alibaba2017/server_event.csv");
  if (!std::filesystem::exists(events)) GTEST_SKIP() << "no shared trace";
  const std::string dir = TempDir("alibaba2017");
  WriteFile(dir + "/s.yaml",
            "name: a17\nduration: 1d\nmaster: {allocation_interval: 10m}\n"
            "frameworks: [{name: f}]\ntrace:\n"
            "  format: alibaba2017\n  paths: [" +
                events + "]\n  soft_error_downtime: 10m\n");
  const CliResult r = RunCli({"run", dir + "/s.yaml", "--out", dir + "/out", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = Summary(dir + "/out");
  EXPECT_EQ(s["trace"]["machine_rows"].get<double>(), 1352);
  EXPECT_EQ(s["trace"]["machines"].get<double>(), 1313);
  EXPECT_EQ(s["trace"]["machine_down_events"].get<double>(), 35);
  EXPECT_EQ(s["trace"]["machine_up_events"].get<double>(), 35);
}

}  // namespace
}  // namespace clustersim::test
