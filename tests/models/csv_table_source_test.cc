// The generic CSV task table: column mapping, CloudSimPy's jobs.csv (counts from
// shared/traces/README.md, job order checked against an independent reading of the file), unsorted
// files, malformed rows, the TimeOrderedTable underneath.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "models/workload/csv/csv_table_replay.h"
#include "models/workload/trace_factory.h"
#include "models/workload/trace_io/line_reader.h"
#include "tests/models/csv_table_fake_host.h"

namespace clustersim::models {
namespace {

using test::FakeTraceHost;
using test::SharedTrace;
using test::TempFiles;

// The spec's csv options, to set in a test.
models::CsvOptions& CsvOf(ScenarioSpec& spec) {
  auto options = std::make_shared<models::CsvOptions>(spec.trace.Options<models::CsvOptions>());
  spec.trace.options = options;
  return *options;
}

// CloudSimPy's jobs.csv: ,submit_time,duration,cpu,memory,job_id,task_id,instances_num,disk
ScenarioSpec CloudSimPySpec(std::string path) {
  ScenarioSpec spec;
  spec.trace.enabled = true;
  spec.trace.format = "csv";
  spec.trace.paths.emplace_back("jobs", std::vector<std::string>{std::move(path)});
  CsvOf(spec).columns = {{"submit_time", 1}, {"duration", 2}, {"cpus", 3},      {"mem", 4},
                         {"job_id", 5},      {"task_id", 6},  {"instances", 7}, {"disk", 8}};
  CsvOf(spec).normalised = {"mem", "disk"};
  spec.trace.machine_size = Resources::Of(64, 256 * 1024, 1024 * 1024);
  return spec;
}

struct Replay {
  explicit Replay(ScenarioSpec s) : spec(std::move(s)), host(spec), source(spec) {
    source.Start(host);
    host.simulator().RunUntil(sim::Time::Seconds(10'000'000));
  }
  std::map<std::string, double> Report() const {
    std::map<std::string, double> out;
    for (const auto& [k, v] : source.Report()) out[k] = v;
    return out;
  }
  // (submit second, instances) per job, in submission order.
  std::vector<std::pair<double, uint64_t>> Jobs() const {
    std::vector<std::pair<double, uint64_t>> out;
    for (uint64_t job : host.job_order) {
      const auto& seen = host.jobs.at(job);
      out.emplace_back(seen.first_submit.seconds(), seen.instances);
    }
    return out;
  }
  ScenarioSpec spec;
  FakeTraceHost host;
  CsvTableReplay source;
};

// CloudSimPy's CSVReader, independently: jobs are runs of rows with one job_id, submitted at the
// last row's submit_time, stable-sorted by it; the first n, rebased to the first one's time.
// `first_row` gets the first job's first row.
std::vector<std::pair<double, uint64_t>> CloudSimPyOrder(
    const std::string& path, size_t n, std::vector<std::string>* first_row = nullptr) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  struct Job {
    std::string id;
    double submit = 0;
    uint64_t instances = 0;
    std::vector<std::string> first;
  };
  std::vector<Job> jobs;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    if (jobs.empty() || jobs.back().id != f[5]) jobs.push_back(Job{f[5], 0, 0, f});
    jobs.back().submit = std::stod(f[1]);
    jobs.back().instances += std::stoull(f[7]);
  }
  std::stable_sort(jobs.begin(), jobs.end(),
                   [](const Job& a, const Job& b) { return a.submit < b.submit; });
  jobs.resize(std::min(n, jobs.size()));
  if (first_row != nullptr) *first_row = jobs.front().first;
  std::vector<std::pair<double, uint64_t>> out;
  for (const Job& j : jobs) out.emplace_back(j.submit - jobs.front().submit, j.instances);
  return out;
}

TEST(CsvTableTest, ParsesACloudSimPyRow) {
  CsvTableReplay source(CloudSimPySpec("unused"));
  CsvTableReplay::Row row;
  ASSERT_FALSE(source.Parse("1,7448,73.59701492537313,0.5,0.007863743431781119,9,23,67,0", row));
  EXPECT_EQ(row.submit_time, 7448);
  EXPECT_DOUBLE_EQ(row.duration, 73.59701492537313);
  EXPECT_EQ(row.job_id, "9");
  EXPECT_EQ(row.instances, 67);
  EXPECT_DOUBLE_EQ(row.resources.cpus(), 0.5);
  EXPECT_NEAR(row.resources.mem(), 0.007863743431781119 * 256 * 1024, 1e-3);
  EXPECT_EQ(row.resources.disk(), 0);
  auto error = [&](std::string_view line) {
    CsvTableReplay::Row r;
    return source.Parse(line, r).value_or("");
  };
  EXPECT_EQ(error("1,7448,73.5,0.5,0.007,9,23"),
            "expected at least 9 comma-separated fields, found 7");
  EXPECT_EQ(error("1,soon,73.5,0.5,0.007,9,23,67,0"),
            "submit_time (column 1) 'soon' is not a number");
  EXPECT_EQ(error("1,7448,-2,0.5,0.007,9,23,67,0"), "duration (column 2) is negative: -2");
  EXPECT_EQ(error("1,7448,73.5,0.5,0.007,9,23,0,0"),
            "instances (column 7) '0' is not a positive integer");
  EXPECT_EQ(error("1,7448,73.5,0.5,0.007,,23,1,0"), "empty job_id");
}

// shared/traces/README.md: 31,756 task rows, 5,216 jobs, 2,551,075 task instances; the first 1,000
// jobs (by last-row submit time) hold 6,702 tasks and 334,831 instances.
TEST(CsvTableTest, CloudSimPyJobsMatchTheReadmeAndCloudSimPysOrder) {
  const std::string path = SharedTrace("cloudsimpy/jobs.csv");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no shared trace at " << path;
  {
    ScenarioSpec spec = CloudSimPySpec(path);
    CsvOf(spec).first_jobs = 1000;
    Replay r(std::move(spec));
    ASSERT_TRUE(r.host.failure.ok()) << r.host.failure.message();
    const auto report = r.Report();
    EXPECT_EQ(report.at("jobs"), 1000);
    EXPECT_EQ(report.at("tasks"), 6702);
    EXPECT_EQ(report.at("instances"), 334831);
    EXPECT_EQ(report.at("skipped_rows"), 0);
    EXPECT_EQ(r.host.submitted, 334831u);
    std::vector<std::string> row;
    EXPECT_EQ(r.Jobs(), CloudSimPyOrder(path, 1000, &row));
    // The first job's first task: its cpus, memory (a fraction of 256 GiB) and duration.
    const auto first = r.host.jobs.at(r.host.job_order.front()).sample;
    EXPECT_EQ(first.resources.cpus(), std::stod(row[3]));
    EXPECT_NEAR(first.resources.mem(), std::stod(row[4]) * 256 * 1024, 1e-3);
    EXPECT_EQ(first.duration, sim::Time::FromSeconds(std::stod(row[2])));
  }
  {
    Replay r(CloudSimPySpec(path));
    const auto report = r.Report();
    EXPECT_EQ(report.at("rows"), 31756);
    EXPECT_EQ(report.at("jobs"), 5216);
    EXPECT_EQ(report.at("tasks"), 31756);
    EXPECT_EQ(report.at("instances"), 2551075);
    EXPECT_EQ(r.Jobs(), CloudSimPyOrder(path, 1u << 30));
  }
}

TEST(CsvTableTest, JobsGoInOrderOfTheirLastRowFileOrderOnTies) {
  TempFiles tmp;
  const std::string path =
      tmp.Write("jobs.csv",
                ",submit_time,duration,cpu,memory,job_id,task_id,instances_num,disk\n"
                "0,100,10,1,0.1,a,1,2,0\n"
                "1,150,10,1,0.1,a,2,1,0\n"  // a: submitted at 150
                "2,120,10,1,0.1,b,3,1,0\n"  // b: 120
                "3,150,10,1,0.1,c,4,3,0\n"  // c: 150, after a (file order)
                "4,90,10,1,0.1,d,5,4,0\n"   // d: 90, the first job
                "5,300,10,1,0.1,e,6,5,0\n");
  {
    Replay r(CloudSimPySpec(path));
    const std::vector<std::pair<double, uint64_t>> want = {
        {0, 4}, {30, 1}, {60, 3}, {60, 3}, {210, 5}};
    EXPECT_EQ(r.Jobs(), want);  // d, b, a (2 + 1 instances), c, e
  }
  {
    ScenarioSpec spec = CloudSimPySpec(path);
    CsvOf(spec).first_jobs = 2;
    CsvOf(spec).rebase_time = false;
    Replay r(std::move(spec));
    const std::vector<std::pair<double, uint64_t>> want = {{90, 4}, {120, 1}};
    EXPECT_EQ(r.Jobs(), want);
  }
}

TEST(CsvTableTest, WithoutJobIdsEveryRowIsAJobAndOsAndImageColumnsApply) {
  TempFiles tmp;
  const std::string path = tmp.Write("tasks.csv",
                                     "5,2,30,4096,linux,\n"
                                     "1,1,60,1024,,win\n"
                                     "3,3,10,2048,windows,\n");
  ScenarioSpec spec;
  spec.images.images.push_back(ImageSpec{"win", Os::kWindows, OsVersion::kLtsc2019, {}});
  spec.trace.enabled = true;
  spec.trace.format = "csv";
  CsvOf(spec).header = false;
  spec.trace.paths.emplace_back("jobs", std::vector<std::string>{path});
  CsvOf(spec).columns = {{"submit_time", 0}, {"cpus", 1}, {"duration", 2},
                         {"mem", 3},         {"os", 4},   {"image", 5}};
  Replay r(std::move(spec));
  ASSERT_TRUE(r.host.failure.ok()) << r.host.failure.message();
  ASSERT_EQ(r.host.job_order.size(), 3u);
  const Task& a = r.host.jobs.at(r.host.job_order[0]).sample;  // t = 0 (rebased from 1)
  const Task& b = r.host.jobs.at(r.host.job_order[1]).sample;
  const Task& c = r.host.jobs.at(r.host.job_order[2]).sample;
  EXPECT_EQ(a.resources, Resources::Of(1, 1024));
  EXPECT_EQ(a.os, Os::kWindows);
  EXPECT_TRUE(a.has_image);
  EXPECT_EQ(a.image_version, OsVersion::kLtsc2019);
  EXPECT_EQ(b.os, Os::kWindows);
  EXPECT_FALSE(b.has_image);
  EXPECT_EQ(c.os, Os::kLinux);
  EXPECT_EQ(c.duration, sim::Time::Seconds(30));
  EXPECT_EQ(r.host.jobs.at(r.host.job_order[2]).first_submit, sim::Time::Seconds(4));
}

// Five jobs (rows of one job_id) with user, scheduling class and priority columns; a job goes
// where its first row says, so j1's second row (bob, class 3, priority 11) does not split it.
constexpr const char* kMappedJobs =
    "t,job,user,class,prio,cpus,dur\n"
    "0,j1,a,0,0,1,10\n"
    "0,j1,bob,3,11,1,10\n"
    "1,j2,foobar,3,11,1,10\n"
    "2,j3,,1,2,1,10\n"
    "3,j4,a,,,1,10\n"
    "4,j5,foobar,2,8,1,10\n";

ScenarioSpec MappedSpec(const std::string& path, FrameworkMapping::By by) {
  ScenarioSpec spec;
  spec.frameworks.resize(3);
  spec.trace.enabled = true;
  spec.trace.format = "csv";
  spec.trace.paths.emplace_back("jobs", std::vector<std::string>{path});
  CsvOf(spec).columns = {{"submit_time", 0}, {"job_id", 1}, {"user", 2},    {"scheduling_class", 3},
                         {"priority", 4},    {"cpus", 5},   {"duration", 6}};
  spec.trace.map.by = by;
  spec.trace.map.priority_edges = {2, 9};
  return spec;
}

std::vector<size_t> Frameworks(const Replay& r) {
  std::vector<size_t> out;
  for (uint64_t job : r.host.job_order) out.push_back(r.host.jobs.at(job).framework);
  return out;
}

TEST(CsvTableTest, JobsMapOntoFrameworksByUserClassOrPriorityBand) {
  TempFiles tmp;
  const std::string path = tmp.Write("mapped.csv", kMappedJobs);
  using By = FrameworkMapping::By;
  {
    Replay r(MappedSpec(path, By::kAll));
    ASSERT_TRUE(r.host.failure.ok()) << r.host.failure.message();
    EXPECT_EQ(Frameworks(r), (std::vector<size_t>{0, 0, 0, 0, 0}));
    EXPECT_EQ(r.host.jobs.at(r.host.job_order[0]).instances, 2u);
  }
  {
    // FNV-1a modulo 3: "a" -> 1, "foobar" -> 0, "" -> 2.
    Replay r(MappedSpec(path, By::kUser));
    EXPECT_EQ(Frameworks(r), (std::vector<size_t>{1, 0, 2, 1, 0}));
  }
  {
    Replay r(MappedSpec(path, By::kSchedulingClass));  // an empty class is class 0
    EXPECT_EQ(Frameworks(r), (std::vector<size_t>{0, 2, 1, 0, 2}));
  }
  {
    Replay r(MappedSpec(path, By::kPriorityBand));  // bands [0, 2), [2, 9), [9, ...)
    EXPECT_EQ(Frameworks(r), (std::vector<size_t>{0, 2, 1, 0, 1}));
  }
}

TEST(CsvTableTest, ABadSchedulingClassOrPriorityIsAMalformedRow) {
  TempFiles tmp;
  const std::string path = tmp.Write("mapped.csv",
                                     "t,job,user,class,prio,cpus,dur\n"
                                     "0,j1,a,high,0,1,10\n"
                                     "1,j2,a,0,-3,1,10\n"
                                     "2,j3,a,0,3,1,10\n");
  ScenarioSpec spec = MappedSpec(path, FrameworkMapping::By::kPriorityBand);
  {
    Replay r(spec);
    EXPECT_EQ(r.Report().at("skipped_rows"), 2);
    EXPECT_EQ(Frameworks(r), (std::vector<size_t>{1}));
  }
  spec.trace.strict = true;
  Replay r(std::move(spec));
  EXPECT_EQ(r.host.failure.message(),
            path + ":2: scheduling_class (column 3) 'high' is not an integer in [0, 1000000]");
}

TEST(CsvTableTest, MappingByAColumnTheTableLacksIsRejectedOnOpen) {
  TempFiles tmp;
  ScenarioSpec spec = MappedSpec(tmp.Write("mapped.csv", kMappedJobs), FrameworkMapping::By::kUser);
  CsvOf(spec).columns = {{"submit_time", 0}, {"cpus", 5}, {"duration", 6}};
  const auto source = models::MakeTraceSource(spec);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error(),
            "trace format csv maps jobs by 'user' only with a 'user' column in trace.columns; with "
            "these columns it supports: all");
}

TEST(CsvTableTest, MalformedRowsAreCountedOrStopAStrictRun) {
  TempFiles tmp;
  const std::string path =
      tmp.Write("jobs.csv",
                ",submit_time,duration,cpu,memory,job_id,task_id,instances_num,disk\n"
                "0,100,10,1,0.1,a,1,2,0\n"
                "1,100,10,1,0.1,a,2\n"            // line 3: short
                "2,120,ten,1,0.1,b,3,1,0\n"       // line 4: not a number
                "3,150,10,1,0.1,c,4,3,0,extra\n"  // line 5: long
                "4,90,10,1,0.1,a,5,4,0\n");       // a again: a new job
  {
    Replay r(CloudSimPySpec(path));
    ASSERT_TRUE(r.host.failure.ok());
    const auto report = r.Report();
    EXPECT_EQ(report.at("rows"), 5);
    EXPECT_EQ(report.at("skipped_rows"), 3);
    // Line 6 is 'a' again but not next to line 2 (bad rows between are not part of any job, yet
    // the job is a run of *valid* rows): a is one job of 2 + 4 instances submitted at 90.
    EXPECT_EQ(report.at("jobs"), 1);
    EXPECT_EQ(report.at("instances"), 6);
  }
  {
    ScenarioSpec spec = CloudSimPySpec(path);
    spec.trace.strict = true;
    Replay r(std::move(spec));
    EXPECT_EQ(r.host.failure.message(),
              path + ":3: expected 9 comma-separated fields (as the header), found 7");
    EXPECT_EQ(r.host.submitted, 0u);
  }
}

TEST(CsvTableTest, TimeOrderedTableMergesRunsAndReportsThem) {
  TempFiles tmp;
  // Three runs: 1 2 5 | 3 4 | 0.
  const std::string path = tmp.Write("t.csv", "1\n2\n5\n3\n4\n0\n");
  TimeOrderedTable table;
  RowErrors errors(false);
  auto classify = [](std::string_view line, std::string_view&, double& time, std::string& e) {
    if (ParseDouble(line, time)) return true;
    e = "not a number";
    return false;
  };
  ASSERT_TRUE(table.Scan({path}, {}, classify, errors).ok());
  EXPECT_EQ(table.runs(), 3u);
  EXPECT_EQ(table.units(), 6u);
  std::vector<double> times;
  std::vector<uint64_t> lines;
  TableUnit unit;
  while (table.Next(unit)) {
    times.push_back(unit.time);
    lines.push_back(unit.line);
    ASSERT_TRUE(table
                    .ForEachRow(unit,
                                [&](uint64_t line, std::string_view text) {
                                  EXPECT_EQ(line, unit.line);
                                  EXPECT_EQ(text, std::to_string(static_cast<int>(unit.time)));
                                })
                    .ok());
  }
  EXPECT_EQ(times, std::vector<double>({0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(lines, std::vector<uint64_t>({6, 1, 2, 4, 5, 3}));
}

// Ctrl-C during the pre-pass over a big table: the scan ends at the next 4,096-row poll with the
// units read so far, in order, instead of reading the whole file first.
TEST(CsvTableTest, TimeOrderedTableScanStopsWhenAsked) {
  TempFiles tmp;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += std::to_string(i) + "\n";
  const std::string path = tmp.Write("long.csv", text);
  auto classify = [](std::string_view line, std::string_view&, double& time, std::string&) {
    return ParseDouble(line, time);
  };
  RowErrors errors(false);
  TimeOrderedTable table;
  TimeOrderedTable::Options options;
  options.stop = [&table] { return table.rows() >= 5000; };  // Ctrl-C after 5,000 rows
  ASSERT_TRUE(table.Scan({path}, options, classify, errors).ok());
  EXPECT_EQ(table.units(), 8192u);  // the first poll after that
  TableUnit unit;
  double last = -1;
  uint64_t units = 0;
  while (table.Next(unit)) {
    EXPECT_GT(unit.time, last);
    last = unit.time;
    ++units;
  }
  EXPECT_EQ(units, 8192u);
  EXPECT_EQ(last, 8191);

  TimeOrderedTable whole;  // never asked to stop: every row
  options.stop = [] { return false; };
  ASSERT_TRUE(whole.Scan({path}, options, classify, errors).ok());
  EXPECT_EQ(whole.units(), 20000u);
}

}  // namespace
}  // namespace clustersim::models
