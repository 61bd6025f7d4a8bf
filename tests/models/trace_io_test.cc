// The trace row parsers and each format's trace-info as their own library: this test links
// clustersim_trace_io (and sim/) only, so a parser or a trace-info that reached into the cluster
// model would not link. Each format's parser is here with a valid row and a malformed one, and
// each format's trace-info on a small table written here.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "models/workload/alibaba/alibaba_info.h"
#include "models/workload/alibaba/alibaba_reader.h"
#include "models/workload/csv/csv_info.h"
#include "models/workload/csv/csv_reader.h"
#include "models/workload/google2011/google2011_info.h"
#include "models/workload/google2011/google2011_reader.h"
#include "models/workload/swf/swf_info.h"
#include "models/workload/swf/swf_reader.h"
#include "models/workload/trace_io/row_ranges.h"
#include "models/workload/trace_io/trace_info.h"

namespace clustersim::models {
namespace {

// A file of `text` in a fresh folder of the test's own, named `name` (trace-info tells a table by
// its file name).
std::string WriteTable(const std::string& name, const std::string& text) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

void ExpectLines(const sim::Result<std::string>& text, const std::vector<std::string>& lines) {
  ASSERT_TRUE(text.ok()) << text.status().message();
  for (const std::string& line : lines) {
    EXPECT_NE(text->find(line + "\n"), std::string::npos) << "missing '" << line << "' in:\n"
                                                          << *text;
  }
}

TEST(TraceIoTest, EachFormatsRowParserLinksWithoutTheModel) {
  SwfJob job;
  EXPECT_FALSE(ParseSwfRow("1 0 5 100 4 -1 -1 4 200 -1 1 3 1 -1 1 -1 -1 -1", job).has_value());
  EXPECT_TRUE(ParseSwfRow("1 0 5", job).has_value());

  AlibabaTaskRow task;
  EXPECT_FALSE(ParseAlibabaTaskRow("M1,2,j_1,1,Terminated,100,200,50,0.5", task).has_value());
  EXPECT_EQ(task.cpus, 0.5);
  EXPECT_TRUE(ParseAlibabaTaskRow("M1,2", task).has_value());
  AlibabaMachineRow machine;
  EXPECT_FALSE(
      ParseAlibabaMachineRow(AlibabaMachineTable::kServerEvent2017, "0,m1,add,,32,0.5,0.5", machine)
          .has_value());
  EXPECT_EQ(ParseDagTaskName("R2_1").parents, std::vector<int64_t>{1});

  google2011::TaskEvent event;
  EXPECT_TRUE(google2011::ParseRow("600000000,,10,0,,0,u,0,0,0.01,0.01,,0", event).empty());
  EXPECT_FALSE(google2011::ParseRow("x", event).empty());
}

// The range checks every row parser applies (trace_io/row_ranges.h), at their bounds: a time of
// 2^61 us is the last accepted, a resource amount of 2^32, a row of 10^6 instances.
TEST(TraceIoTest, RowParsersApplyTheInputRanges) {
  EXPECT_TRUE(TraceMicrosInRange(int64_t{1} << 61));
  EXPECT_FALSE(TraceMicrosInRange((int64_t{1} << 61) + 1));
  EXPECT_TRUE(TraceSecondsInRange(-1));
  EXPECT_FALSE(TraceSecondsInRange(1e300));
  EXPECT_FALSE(TraceSecondsInRange(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_TRUE(TraceAmountInRange(4294967296.0));
  EXPECT_FALSE(TraceAmountInRange(4294967297.0));
  EXPECT_FALSE(TraceAmountInRange(-0.5));
  EXPECT_TRUE(TraceTasksInRange(1'000'000));
  EXPECT_FALSE(TraceTasksInRange(1'000'001));

  SwfJob job;
  const auto swf = ParseSwfRow("1 1e300 5 100 4 -1 -1 4 200 -1 1 3 1 -1 1 -1 -1 -1", job);
  ASSERT_TRUE(swf.has_value());
  EXPECT_EQ(*swf,
            "field 2 (submit time): 1e+300 s is out of range (a trace time is at most "
            "2305843009214 s, 2^61 us)");
  EXPECT_TRUE(
      SwfSkipped(SwfJob{.submit_s = 0, .run_s = 1, .requested_procs = 1'000'001}, 2'000'000));

  google2011::TaskEvent event;
  EXPECT_EQ(google2011::ParseRow("4611686018427387904,,10,0,,0,u,0,0,0.01,0.01,,0", event),
            "timestamp (field 1) 4611686018427387904 us is out of range (a trace time is at most "
            "2305843009213693952 us, 2^61)");
  // 2^63 - 1 is "after the window": a valid row (the reader counts it apart).
  EXPECT_EQ(google2011::ParseRow("9223372036854775807,,10,0,,0,u,0,0,0.01,0.01,,0", event), "");
  EXPECT_NE(google2011::ParseRow("600000000,,10,0,,0,u,0,0,1e300,0.01,,0", event), "");

  AlibabaTaskRow task;
  EXPECT_EQ(ParseAlibabaTaskRow("M1,16777216,j_1,1,Terminated,100,200,50,0.5", task),
            "instance_num 16777216 is more than the 1000000 tasks a job may have");
  EXPECT_TRUE(
      ParseAlibabaTaskRow("M1,2,j_1,1,Terminated,10000000000000,0,50,0.5", task).has_value());
  AlibabaMachineRow machine;
  EXPECT_TRUE(ParseAlibabaMachineRow(AlibabaMachineTable::kMachineMeta2018,
                                     "m_1,10000000000000,1,2,96,100,USING", machine)
                  .has_value());

  CsvRow row;
  const CsvRowParser csv({{"submit_time", 0}, {"duration", 1}, {"cpus", 2}, {"instances", 3}});
  EXPECT_FALSE(csv.Parse("0,10,1,1000000", row).has_value());
  EXPECT_EQ(*csv.Parse("0,10,1,2147483648", row),
            "instances (column 3) 2147483648 is more than the 1000000 tasks a job may have");
  EXPECT_EQ(*csv.Parse("0,10,1e300,1", row),
            "cpus (column 2) 1e+300 is out of range (a resource amount is in [0, 4294967296], "
            "2^32)");
  // A column past the fields a row may have is an error for every row, never a read past them.
  const CsvRowParser far({{"submit_time", 300}, {"duration", 1}, {"cpus", 2}});
  EXPECT_EQ(*far.Parse("0,10,1", row), "column 300 is past the 256 columns a row may have");
}

TEST(TraceIoTest, CsvRowParserTypesTheFieldsByRole) {
  CsvRowParser parser({{"submit_time", 0},
                       {"duration", 1},
                       {"cpus", 2},
                       {"mem", 3},
                       {"os", 4},
                       {"image", 5},
                       {"job_id", 6},
                       {"instances", 7},
                       {"priority", 8}},
                      {1, 1024, 1});
  CsvRow row;
  ASSERT_FALSE(parser.Parse("5,60,0.5,0.25,windows,iis,j1,3,", row).has_value());
  EXPECT_EQ(row.submit_time, 5);
  EXPECT_EQ(row.duration, 60);
  EXPECT_EQ(row.cpus, 0.5);
  EXPECT_EQ(row.mem, 256);  // x the scale of mem
  EXPECT_EQ(row.os, "windows");
  EXPECT_EQ(row.image, "iis");  // looked up in a catalog by the replay, not here
  EXPECT_EQ(row.job_id, "j1");
  EXPECT_EQ(row.instances, 3);
  EXPECT_EQ(row.priority, -1);
  EXPECT_EQ(parser.Parse("5,60,0.5,0.25,solaris,,j1,1,", row).value_or(""),
            "os (column 4) 'solaris' is not linux or windows");
  EXPECT_EQ(parser.Parse("5,60,-1,0.25,,,j1,1,", row).value_or(""),
            "cpus (column 2) is negative: -1");
  EXPECT_EQ(parser.Parse("5,60", row).value_or(""),
            "expected at least 9 comma-separated fields, found 2");
  parser.set_header_fields(10);
  EXPECT_EQ(parser.Parse("5,60,0.5,0.25,,,j1,1,", row).value_or(""),
            "expected 10 comma-separated fields (as the header), found 9");
}

// A row is split into 256 fields: a column past them is refused by the parser itself, not read
// past the array (a fuzz finding, tests/fuzz/regressions/csv), even where the scenario check
// (trace.columns: 0..255) is bypassed.
TEST(TraceIoTest, CsvRowParserRefusesAColumnPastTheFieldsItReads) {
  const CsvRowParser parser({{"submit_time", 0}, {"duration", 1}, {"cpus", 300}});
  std::string line = "1,2";
  for (int i = 2; i <= 300; ++i) line += ",3";
  CsvRow row;
  EXPECT_EQ(parser.Parse(line, row).value_or(""),
            "column 300 is past the 256 columns a row may have");
  const CsvRowParser last({{"submit_time", 0}, {"duration", 1}, {"cpus", 255}});
  EXPECT_FALSE(last.Parse(line, row).has_value());
  EXPECT_EQ(row.cpus, 3);
}

// Every role of kCsvColumnRoles reaches its own column slot (the slots are listed beside the
// names in the parser; this is the independent check of that pairing).
TEST(TraceIoTest, CsvRowParserMapsEveryRoleToItsSlot) {
  using C = CsvRowParser::Columns;
  const std::vector<std::pair<std::string, int C::*>> expected = {
      {"submit_time", &C::submit_time},
      {"job_id", &C::job_id},
      {"task_id", &C::task_id},
      {"instances", &C::instances},
      {"duration", &C::duration},
      {"cpus", &C::cpus},
      {"mem", &C::mem},
      {"disk", &C::disk},
      {"os", &C::os},
      {"image", &C::image},
      {"scheduling_class", &C::scheduling_class},
      {"user", &C::user},
      {"priority", &C::priority}};
  ASSERT_EQ(expected.size(), std::size(kCsvColumnRoles));
  for (const auto& [role, slot] : expected) {
    const CsvRowParser parser({{role, 7}});
    EXPECT_EQ(parser.columns().*slot, 7) << role;
    EXPECT_EQ(parser.columns().max, 7) << role;
  }
  EXPECT_EQ(CsvRowParser({{"no_such_role", 3}}).columns().max, -1);
}

TEST(TraceIoTest, Google2011TraceInfoCountsEventsAndCapacity) {
  const std::string machines = WriteTable("machine_events-part-00000-of-00001.csv",
                                          "0,1,0,p,0.5,0.25\n0,2,0,p,0.5,0.25\n"
                                          "600000000,2,1,p,,\n900000000,3,0,p,1,1\n");
  const std::string tasks =
      WriteTable("task_events-part-00000-of-00500.csv",
                 "600000000,,10,0,,0,u,2,9,0.01,0.02,,1\n700000000,,10,1,,0,u,2,9,0.01,0.02,,0\n"
                 "x\n");
  ExpectLines(Google2011TraceInfo({tasks, machines}, {}),
              {"machine_events", "  events           ADD 3, REMOVE 1, UPDATE 0",
               "  machines         3 distinct; rows with a missing capacity: 1",
               "         2 machines  0.5, 0.25 -> 32 cores, 64 GiB", "task_events",
               "  rows             2 (0.0 MB), malformed rows skipped: 1",
               "  jobs             1 distinct", "  SUBMIT priority   9: 2"});
}

TEST(TraceIoTest, SwfTraceInfoCountsJobsAndSkips) {
  const std::string log = WriteTable("log.swf",
                                     "; MaxProcs: 8\n"
                                     "1 0 5 100 4 -1 -1 4 50 -1 1 3 1 -1 1 -1 -1 -1\n"
                                     "2 10 5 100 16 -1 -1 16 200 -1 0 3 1 -1 1 -1 -1 -1\n");
  ExpectLines(SwfTraceInfo({log}, {}),
              {"swf " + log, "  header           MaxProcs 8, MaxNodes not given",
               "  status           0 (failed) 1, 1 (completed) 1",
               "  jobs             2; replayed 1, skipped 1 (run time < 0: 0, width <= 0: 0, width "
               "> MaxProcs: 1, unknown submit: 0)",
               "  killed at estimate (run time > requested time): 1",
               // Nearest rank of 50 and 200 s: p50 the first, p90 the second; exact.
               "  requested time   p50 50  p90 200  p99 200  max 200 s"});
  // An empty log: nothing invented for what it does not give.
  const std::string empty = WriteTable("empty.swf", "");
  ExpectLines(
      SwfTraceInfo({empty}, {}),
      {"  header           MaxProcs not given, MaxNodes not given", "  recorded wait    -"});
}

TEST(TraceIoTest, TraceInfoQuantilesAreExactUntilTooManyDistinctValues) {
  trace_info::ValueSketch widths;
  for (int i = 0; i < 100; ++i) widths.Add(i % 10 == 0 ? 16 : 3);
  EXPECT_TRUE(widths.exact());
  EXPECT_EQ(trace_info::Quantiles(widths, 1, ""), "p50 3  p90 3  p99 16  max 16");

  // Past kMaxExactValues distinct values: the sketch's answer, marked, whole numbers rounded
  // (1..20000: the exact p50 is 10000).
  trace_info::ValueSketch many;
  for (int i = 1; i <= 20'000; ++i) many.Add(i);
  EXPECT_FALSE(many.exact());
  EXPECT_NEAR(many.Quantile(0.5), 10'000, 50);
  EXPECT_EQ(many.Quantile(0.5), std::round(many.Quantile(0.5)));
  EXPECT_EQ(trace_info::Quantiles(many, 1, "s").substr(0, 5), "p50 ~");
  EXPECT_EQ(many.Max(), 20'000);
}

TEST(TraceIoTest, AlibabaTraceInfoFollowsMachinesInService) {
  const std::string meta = WriteTable("machine_meta.csv",
                                      "m_1,0,1,a,96,100,USING\nm_2,0,2,a,96,100,USING\n"
                                      "m_2,100,2,a,96,100,IMPORT_INSTALLING\n");
  ExpectLines(Alibaba2018TraceInfo({meta}, {}),
              {"machine_meta", "  status           USING 2, IMPORT_INSTALLING 1",
               "  machines         2 distinct; failure_domain_1 values: 2",
               "    t =       100 s       1 up  cores        96  mem      1.0"});
  const std::string events = WriteTable("server_event.csv", "0,m1,add,,32,0.5,0.5\n");
  ExpectLines(Alibaba2017TraceInfo({events}, {}),
              {"server_event", "  events           add 1",
               "  machines         1 distinct; error events: 0"});
  EXPECT_FALSE(Alibaba2018TraceInfo({events}, {}).ok());  // not a 2018 table name
}

TEST(TraceIoTest, CsvTraceInfoShowsColumnsAndWhatAReplaySees) {
  const std::string table =
      WriteTable("jobs.csv", "submit,run,cores,job\n0,10,1,a\n5,20,2,a\n9,30,x,b\n");
  TraceInfoOptions options;
  options.csv_columns = {{"submit_time", 0}, {"duration", 1}, {"cpus", 2}, {"job_id", 3}};
  ExpectLines(CsvTraceInfo({table}, options),
              {"  rows             3 (0.0 MB), malformed rows skipped: 1",
               "  first malformed  " + table + ":4: cpus (column 2) 'x' is not a number",
               "  columns          4 (named by the header)",
               "  as replayed      jobs 1 (runs of rows with one job_id), tasks 2, instances 2"});
  options.csv_columns.emplace_back("image", 4);
  EXPECT_FALSE(CsvTraceInfo({table}, options).ok());  // an image needs a scenario's catalog

  const auto columns = ParseCsvColumns("submit_time=1,cpus=3");
  ASSERT_TRUE(columns.ok());
  EXPECT_EQ(columns->size(), 2u);
  EXPECT_FALSE(ParseCsvColumns("cores=1").ok());
  EXPECT_EQ(ParseCsvColumns("submit_time=1,submit_time=2,cpus=3").status().message(),
            "--columns: role 'submit_time' given twice (columns 1 and 2); give each role one "
            "column");
}

}  // namespace
}  // namespace clustersim::models
