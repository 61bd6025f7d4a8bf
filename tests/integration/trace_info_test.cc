// `clustersim trace-info` for swf, alibaba2018, alibaba2017 and csv, run by the real binary on the
// shared samples (counts from ../shared/traces/README.md, or computed here from the files
// independently of the simulator) and on small hand-written tables.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

std::string Shared(const std::string& relative) {
  const std::filesystem::path p =
      std::filesystem::path(CLUSTERSIM_SOURCE_DIR) / ".." / "shared" / "traces" / relative;
  return std::filesystem::exists(p) ? std::filesystem::canonical(p).string() : std::string();
}

#define REQUIRE_SHARED(var, relative)                                        \
  const std::string var = Shared(relative);                                  \
  if (var.empty()) {                                                         \
    GTEST_SKIP() << "no shared trace " << relative << " (../shared/traces)"; \
  }

void ExpectAll(const std::string& out, const std::vector<std::string>& wants) {
  for (const std::string& want : wants) {
    EXPECT_NE(out.find(want), std::string::npos) << "missing '" << want << "' in:\n" << out;
  }
}

// An SWF log read here on its own: status counts (field 11), and the jobs a replay would kill at
// their estimate (not skipped: run >= 0, 0 < width <= MaxProcs; requested time > 0 and < run).
struct SwfFacts {
  long long jobs = 0, killed = 0, max_procs = -1;
  std::map<long long, long long> status;
};
SwfFacts ReadSwf(const std::string& path) {
  SwfFacts f;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(";", 0) == 0) {
      const auto at = line.find("MaxProcs:");
      if (at != std::string::npos) f.max_procs = std::stoll(line.substr(at + 9));
      continue;
    }
    std::istringstream fields(line);
    std::vector<double> v;
    double x = 0;
    while (fields >> x) v.push_back(x);
    if (v.size() != 18) continue;
    ++f.jobs;
    ++f.status[static_cast<long long>(v[10])];
    const double width = v[7] > 0 ? v[7] : v[4];
    if (v[3] >= 0 && width > 0 && width <= f.max_procs && v[1] >= 0 && v[8] > 0 && v[3] > v[8]) {
      ++f.killed;
    }
  }
  return f;
}

TEST(TraceInfoTest, SwfLogsMatchTheReadmeAndAnIndependentReading) {
  REQUIRE_SHARED(kth, "swf/KTH-SP2-1996-2.1-cln.swf");
  REQUIRE_SHARED(nasa, "swf/NASA-iPSC-1993-3.1-cln.swf");
  REQUIRE_SHARED(hpc2n, "swf/HPC2N-2002-2.1-cln.first60029lines.swf");
  const CliResult r = RunCli({"trace-info", kth, nasa, hpc2n, "--format", "swf"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // README: 27,992, 18,239 and 60,000 jobs; MaxProcs 100, 128 and 240.
  ExpectAll(r.out,
            {"swf " + kth, "MaxProcs 100, MaxNodes 100", "rows             27992 (2.6 MB)",
             "jobs             27992; replayed 27992, skipped 0", "MaxProcs 128, MaxNodes 128",
             "rows             18239 (1.7 MB)", "MaxProcs 240, MaxNodes 240",
             "rows             60000 (5.7 MB)", "malformed rows skipped: 0"});
  for (const std::string& log : {kth, nasa, hpc2n}) {
    const SwfFacts f = ReadSwf(log);
    const std::string section = r.out.substr(r.out.find("swf " + log));
    std::string status;
    // Counts() lists the most frequent first; these logs have at most two codes.
    std::vector<std::pair<long long, long long>> by_count;
    for (const auto& [code, n] : f.status) by_count.emplace_back(n, code);
    std::sort(by_count.rbegin(), by_count.rend());
    for (const auto& [n, code] : by_count) {
      const std::string name = code == 1    ? "1 (completed)"
                               : code == 0  ? "0 (failed)"
                               : code == -1 ? "-1 (unknown)"
                                            : std::to_string(code);
      status += (status.empty() ? "" : ", ") + name + " " + std::to_string(n);
    }
    ExpectAll(
        section,
        {"status           " + status + "\n",
         "killed at estimate (run time > requested time): " + std::to_string(f.killed) + "\n"});
  }
  // Figures of this reading, pinned: KTH 20,483 completed and 7,509 failed; 6,233 HPC2N jobs run
  // past their estimate.
  ExpectAll(r.out, {"1 (completed) 20483, 0 (failed) 7509", "-1 (unknown) 18239",
                    "killed at estimate (run time > requested time): 6233"});
}

TEST(TraceInfoTest, AlibabaMachineMetaMatchesTheReadme) {
  REQUIRE_SHARED(meta, "alibaba2018/machine_meta.csv");
  const CliResult r = RunCli({"trace-info", meta, "--format", "alibaba2018"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // README: 17,592 rows, 4,034 machines, t = 0 ... 696,633 s, cpu_num 96 and mem_size 100
  // everywhere, 17,587 USING and 5 IMPORT_INSTALLING.
  ExpectAll(r.out, {"rows             17592 (0.6 MB), malformed rows skipped: 0",
                    "time span        0 s .. 696633 s",
                    "status           USING 17587, "
                    "IMPORT_INSTALLING 5\n",
                    "machines         4034 distinct", "   4034 machines  96 cores, mem 1\n",
                    "t =    696633 s"});
}

TEST(TraceInfoTest, AlibabaServerEventsMatchTheReadme) {
  REQUIRE_SHARED(events, "alibaba2017/server_event.csv");
  const CliResult r = RunCli({"trace-info", events, "--format", "alibaba2017"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // README: 1,352 rows; 1,313 add events for 1,313 machines and 39 softerror events.
  ExpectAll(r.out, {"rows             1352 (0.0 MB), malformed rows skipped: 0",
                    "events           add 1313, softerror (agent_check) 19",
                    "machines         1313 distinct; error events: 39"});
}

TEST(TraceInfoTest, CloudSimPyJobsMatchTheReadme) {
  REQUIRE_SHARED(jobs, "cloudsimpy/jobs.csv");
  CliResult r = RunCli({"trace-info", jobs, "--format", "csv", "--columns",
                        "submit_time=1,duration=2,cpus=3,mem=4,job_id=5,task_id=6,instances=7,"
                        "disk=8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // README: 31,756 task rows, 5,216 jobs, 2,551,075 task instances.
  ExpectAll(r.out, {"rows             31756 (1.9 MB), malformed rows skipped: 0",
                    "columns          9 (named by the header)", "1 submit_time      -> submit_time",
                    "as replayed      jobs 5216 (runs of rows with one job_id), tasks 31756, "
                    "instances 2551075\n"});
  // Without roles: only the columns' own statistics.
  r = RunCli({"trace-info", jobs, "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("as replayed"), std::string::npos) << r.out;
  ExpectAll(r.out, {"7 instances_num", "numbers 31756, empty 0, text 0"});
}

TEST(TraceInfoTest, HandWrittenCsvCountsRowsJobsAndMalformedRows) {
  const std::string dir = TempDir("info_csv");
  WriteFile(dir + "/t.csv",
            "10,a,2,5,u1,3\n"
            "12,a,1,5,u2,x\n"  // line 2: priority not an integer
            "15,b,4,60,u1,\n"
            "15,b,4,60\n"  // line 4: short
            "20,a,1,1,u3,9\n");
  const CliResult r =
      RunCli({"trace-info", dir + "/t.csv", "--format", "csv", "--no-header", "--columns",
              "submit_time=0,job_id=1,cpus=2,duration=3,user=4,priority=5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectAll(r.out, {"rows             5 (0.0 MB), malformed rows skipped: 2",
                    "first malformed  " + dir +
                        "/t.csv:2: priority (column 5) 'x' is not an "
                        "integer in [0, 1000000]",
                    "jobs 3 (runs of rows with one job_id), tasks 3, instances 3",
                    "submit span      10 s .. 20 s", "users            2 distinct",
                    "priority         3 1, 9 1\n"});
}

TEST(TraceInfoTest, HandWrittenAlibabaBatchTables) {
  const std::string dir = TempDir("info_batch");
  // task_name, instance_num, job_name, task_type, status, start_time, end_time, plan_cpu, plan_mem
  WriteFile(dir + "/batch_task.csv",
            "M1,2,j_1,1,Terminated,100,160,100,0.5\n"
            "R2_1,3,j_1,1,Terminated,170,200,50,1\n"
            "J3_1_2,1,j_1,12,Failed,210,215,200,2\n"
            "task_x,1,j_2,12,Terminated,300,400,100,0.5\n"
            "M1,one,j_3,1,Terminated,10,20,100,1\n");  // line 5: instance_num
  // instance_name, task_name, job_name, task_type, status, start_time, end_time, machine_id,
  // seq_no, total_seq_no, cpu_avg, cpu_max, mem_avg, mem_max
  WriteFile(dir + "/batch_instance.csv",
            "i1,M1,j_1,1,Terminated,100,150,m_1,1,1,,,,\n"
            "i2,M1,j_1,1,Terminated,101,160,m_2,1,1,,,,\n"
            "i3,R2_1,j_1,1,Failed,170,180,m_1,1,1,,,,\n"
            "i4,R2_1,j_1,1\n");  // line 4: short
  const CliResult r = RunCli({"trace-info", dir + "/batch_task.csv", dir + "/batch_instance.csv",
                              "--format", "alibaba2018"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectAll(r.out,
            {"batch_task\n  rows             5 (0.0 MB), malformed rows skipped: 1",
             "batch_task.csv:5: instance_num 'one' is not a non-negative integer",
             "start .. end     100 s .. 400 s", "status           Terminated 3, Failed 1\n",
             "task_type        1 2, 12 2\n",
             "jobs             2 distinct; tasks 4 (3 with DAG names, 3 parent links); "
             "instances 7\n",
             "batch_instance\n  rows             4 (0.0 MB), malformed rows skipped: 1",
             "batch_instance.csv:4: expected 14 comma-separated fields, found 4",
             "status           Terminated 2, Failed 1\n",
             "jobs             1 distinct; machines 2 distinct", "(Terminated, 2 instances)"});
}

TEST(TraceInfoTest, BadArgumentsAreInputErrors) {
  const std::string dir = TempDir("info_bad");
  WriteFile(dir + "/x.csv", "1,2\n");
  CliResult r = RunCli({"trace-info", dir + "/x.csv", "--format", "alibaba2018"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot tell the table from the file name (alibaba2018 file names contain "
                       "machine_meta, batch_task or batch_instance)"),
            std::string::npos)
      << r.err;
  r = RunCli({"trace-info", dir + "/x.csv", "--format", "swf", "--columns", "cpus=1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--columns and --no-header are for --format csv"), std::string::npos)
      << r.err;
  r = RunCli({"trace-info", dir + "/x.csv", "--format", "csv", "--columns", "cores=1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown column role 'cores'"), std::string::npos) << r.err;
  r = RunCli({"trace-info", dir + "/x.csv", "--format", "csv", "--columns", "cpus=1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing 'submit_time'"), std::string::npos) << r.err;
  r = RunCli({"trace-info", dir + "/missing.swf", "--format", "swf"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.swf"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace clustersim::test
