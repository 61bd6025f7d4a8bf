#include "models/workload/google2011/google2011_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <unordered_set>
#include <vector>

namespace clustersim::models::google2011 {
namespace {

namespace fs = std::filesystem;

// The shared samples (../shared/traces/README.md), or "" when they are not there.
std::string SampleDir() {
  const fs::path dir = fs::path(CLUSTERSIM_SOURCE_DIR) / ".." / "shared" / "traces" / "google2011";
  return fs::exists(dir) ? dir.string() : std::string();
}

#define REQUIRE_SAMPLES(dir)                                           \
  const std::string dir = SampleDir();                                 \
  if (dir.empty())                                                     \
  GTEST_SKIP() << "shared trace samples not found next to the source " \
                  "tree (../shared/traces/google2011)"

constexpr const char* kTaskSlice = "task_events-part-00000-of-00500.lines277322-377321.csv";
constexpr const char* kTaskStart = "task_events-part-00000-of-00500.lines000001-040000.csv";
constexpr const char* kMachines = "machine_events-part-00000-of-00001.csv";
constexpr const char* kJobs = "job_events-part-00000-of-00500.csv";

TEST(Google2011SampleTest, TaskEventsSliceCountsMatchTheReadme) {
  REQUIRE_SAMPLES(dir);
  TaskEventReader reader(/*strict=*/true);
  ASSERT_TRUE(reader.Open({dir + "/" + kTaskSlice}).ok());
  std::array<uint64_t, kEventTypes> by_type{};
  int64_t first = -1, last = -1;
  TaskEvent row;
  while (reader.Next(row)) {
    ++by_type[static_cast<int>(row.type)];
    if (first < 0) first = row.time;
    last = row.time;
  }
  ASSERT_TRUE(reader.status().ok()) << reader.status().message();
  EXPECT_EQ(reader.rows(), 100'000u);
  EXPECT_EQ(reader.skipped(), 0u);
  EXPECT_EQ(by_type[0], 35'585u);  // SUBMIT
  EXPECT_EQ(by_type[1], 34'670u);  // SCHEDULE
  EXPECT_EQ(by_type[4], 21'289u);  // FINISH
  EXPECT_EQ(by_type[5], 4'379u);   // KILL
  EXPECT_EQ(by_type[2], 3'744u);   // EVICT
  EXPECT_EQ(by_type[3], 333u);     // FAIL
  // "They run from t = 600.03 s to t = 2,852.99 s."
  EXPECT_NEAR(first * 1e-6, 600.03, 0.005);
  EXPECT_NEAR(last * 1e-6, 2852.99, 0.005);
  EXPECT_EQ(reader.bytes_consumed(), 11'196'430u);
}

TEST(Google2011SampleTest, TaskEventsStartBlockIsAllBeforeTheWindow) {
  REQUIRE_SAMPLES(dir);
  TaskEventReader reader(/*strict=*/true);
  ASSERT_TRUE(reader.Open({dir + "/" + kTaskStart, dir + "/" + kTaskSlice}).ok());
  uint64_t at_zero = 0, missing_cpu = 0;
  TaskEvent row;
  while (reader.Next(row)) {
    at_zero += row.time == kBeforeWindow;
    missing_cpu += std::isnan(row.cpus);
  }
  ASSERT_TRUE(reader.status().ok()) << reader.status().message();
  EXPECT_EQ(reader.rows(), 140'000u);
  EXPECT_EQ(at_zero, 40'000u);
  EXPECT_EQ(missing_cpu, 208u);  // rows with the missing-info flag and empty requests
}

TEST(Google2011SampleTest, MachineEventsCountsMatchTheReadme) {
  REQUIRE_SAMPLES(dir);
  MachineEventReader reader(/*strict=*/true);
  ASSERT_TRUE(reader.Open({dir + "/" + kMachines}).ok());
  std::array<uint64_t, kMachineEventTypes> by_type{};
  std::unordered_set<uint64_t> machines;
  uint64_t missing_capacity = 0;
  int64_t last = 0;
  MachineEvent row;
  while (reader.Next(row)) {
    ++by_type[static_cast<int>(row.type)];
    machines.insert(row.machine);
    missing_capacity += std::isnan(row.cpus);
    last = row.time;
  }
  ASSERT_TRUE(reader.status().ok()) << reader.status().message();
  EXPECT_EQ(reader.rows(), 37'780u);
  EXPECT_EQ(by_type[0], 21'443u);
  EXPECT_EQ(by_type[1], 8'957u);
  EXPECT_EQ(by_type[2], 7'380u);
  EXPECT_EQ(machines.size(), 12'583u);
  EXPECT_EQ(missing_capacity, 32u);
  EXPECT_NEAR(last * 1e-12, 2.506, 0.001);  // "t up to 2.506e12 µs"
}

TEST(Google2011SampleTest, JobEventsCountsMatchTheReadme) {
  REQUIRE_SAMPLES(dir);
  JobEventReader reader(/*strict=*/true);
  ASSERT_TRUE(reader.Open({dir + "/" + kJobs}).ok());
  std::array<uint64_t, kEventTypes> by_type{};
  int64_t last = 0;
  JobEvent row;
  while (reader.Next(row)) {
    ++by_type[static_cast<int>(row.type)];
    last = row.time;
  }
  ASSERT_TRUE(reader.status().ok()) << reader.status().message();
  EXPECT_EQ(reader.rows(), 10'704u);
  EXPECT_EQ(by_type[0], 4'900u);
  EXPECT_EQ(by_type[1], 4'892u);
  EXPECT_EQ(by_type[4], 636u);
  EXPECT_EQ(by_type[5], 268u);
  EXPECT_EQ(by_type[3], 8u);
  EXPECT_NEAR(last * 1e-6, 5598.9, 0.05);
}

// --- Hand-made rows ------------------------------------------------------------------------------

TEST(Google2011ParseTest, MissingFieldsAndWindowEdges) {
  TaskEvent t;
  ASSERT_EQ(ParseRow("0,,3418309,0,,0,user,3,9,,,,", t), "");
  EXPECT_EQ(t.time, kBeforeWindow);
  EXPECT_EQ(t.missing_info, -1);
  EXPECT_EQ(t.job, 3418309u);
  EXPECT_FALSE(t.has_machine);
  EXPECT_EQ(t.type, EventType::kSubmit);
  EXPECT_EQ(t.user, "user");
  EXPECT_EQ(t.scheduling_class, 3);
  EXPECT_EQ(t.priority, 9);
  EXPECT_TRUE(std::isnan(t.cpus));
  EXPECT_TRUE(std::isnan(t.mem));
  EXPECT_TRUE(std::isnan(t.disk));
  EXPECT_EQ(t.different_machine, -1);

  ASSERT_EQ(ParseRow("9223372036854775807,2,6251537638,1832,4304051942,4,u,0,2,0.02499,0.07959,"
                     "1.526e-05,1",
                     t),
            "");
  EXPECT_EQ(t.time, kAfterWindow);
  EXPECT_EQ(t.missing_info, 2);
  EXPECT_EQ(t.index, 1832u);
  EXPECT_TRUE(t.has_machine);
  EXPECT_EQ(t.machine, 4304051942u);
  EXPECT_EQ(t.type, EventType::kFinish);
  EXPECT_DOUBLE_EQ(t.cpus, 0.02499);
  EXPECT_DOUBLE_EQ(t.disk, 1.526e-05);
  EXPECT_EQ(t.different_machine, 1);

  MachineEvent m;
  ASSERT_EQ(ParseRow("113019603442,6264344062,0,JQ1tVQ=,,", m), "");
  EXPECT_EQ(m.type, MachineEventType::kAdd);
  EXPECT_TRUE(std::isnan(m.cpus));
  EXPECT_EQ(m.platform, "JQ1tVQ=");
  JobEvent j;
  ASSERT_EQ(ParseRow("0,,3418309,0,user,3,name,logical", j), "");
  EXPECT_EQ(j.scheduling_class, 3);
  EXPECT_EQ(j.logical_job_name, "logical");
}

TEST(Google2011ParseTest, WhatIsWrongWithARow) {
  TaskEvent t;
  MachineEvent m;
  JobEvent j;
  EXPECT_EQ(ParseRow("1,,2,3,4,0,u,0,0,0.1,0.1,0.1", t),
            "task_events row has 12 fields, expected 13");
  EXPECT_EQ(ParseRow("1,,2,3,4,0,u,0,0,0.1,0.1,0.1,0,9", t),
            "task_events row has 14 fields, expected 13");
  EXPECT_EQ(ParseRow("abc,,2,3,4,0,u,0,0,0.1,0.1,0.1,0", t),
            "timestamp (field 1) is not a non-negative integer: 'abc'");
  EXPECT_EQ(ParseRow(",,2,3,4,0,u,0,0,0.1,0.1,0.1,0", t), "missing timestamp (field 1)");
  EXPECT_EQ(ParseRow("1,,2,3,4,9,u,0,0,0.1,0.1,0.1,0", t),
            "unknown task event type 9 (known: 0..8)");
  EXPECT_EQ(ParseRow("1,,2,3,4,0,u,0,12,0.1,0.1,0.1,0", t),
            "priority (field 9) is 12, outside 0..11");
  EXPECT_EQ(ParseRow("1,,2,3,4,0,u,0,0,half,0.1,0.1,0", t),
            "CPU request (field 10) is not a number: 'half'");
  EXPECT_EQ(ParseRow("1,,2,3,4,0,u,0,0,-0.1,0.1,0.1,0", t),
            "CPU request (field 10) is negative: '-0.1'");
  EXPECT_EQ(ParseRow("1,,2,-3,4,0,u,0,0,0.1,0.1,0.1,0", t),
            "task index (field 4) is not a non-negative integer: '-3'");
  EXPECT_EQ(ParseRow("1,,2,3,x4,0,u,0,0,0.1,0.1,0.1,0", t),
            "machine ID (field 5) is not a non-negative integer: 'x4'");
  EXPECT_EQ(ParseRow("1,5,3,x", m), "machine_events row has 4 fields, expected 6");
  EXPECT_EQ(ParseRow("1,5,3,p,0.5,0.5", m), "unknown machine event type 3 (known: 0..2)");
  EXPECT_EQ(ParseRow("1,,2,0,u,7,n,l", j), "scheduling class (field 6) is 7, outside 0..3");
}

class Google2011MalformedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("google2011_reader_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  fs::path dir_;
};

// Line 2: 12 fields; line 3: not a number; line 5: back in time; line 6: unknown event code;
// line 7: blank (not a row); line 8: fine.
constexpr const char* kBadTasks =
    "600000000,,1,0,,0,u,0,0,0.1,0.1,0.001,0\n"
    "600000001,,1,1,,0,u,0,0,0.1,0.1,0.001\n"
    "600000002,,one,2,,0,u,0,0,0.1,0.1,0.001,0\n"
    "600000010,,1,0,7,1,u,0,0,0.1,0.1,0.001,0\n"
    "600000005,,1,3,,0,u,0,0,0.1,0.1,0.001,0\n"
    "600000011,,1,0,7,12,u,0,0,0.1,0.1,0.001,0\n"
    "\n"
    "600000012,,1,0,7,4,u,0,0,0.1,0.1,0.001,0\n";

TEST_F(Google2011MalformedTest, StrictStopsAtTheFirstBadRowWithItsLine) {
  const std::string path = Write("task_events-bad.csv", kBadTasks);
  TaskEventReader reader(/*strict=*/true);
  ASSERT_TRUE(reader.Open({path}).ok());
  TaskEvent row;
  ASSERT_TRUE(reader.Next(row));
  EXPECT_FALSE(reader.Next(row));
  EXPECT_EQ(reader.status().message(), path + ":2: task_events row has 12 fields, expected 13");
  EXPECT_FALSE(reader.Next(row));  // stays stopped
}

TEST_F(Google2011MalformedTest, LenientSkipsAndCountsEveryBadRow) {
  const std::string path = Write("task_events-bad.csv", kBadTasks);
  TaskEventReader reader(/*strict=*/false);
  ASSERT_TRUE(reader.Open({path}).ok());
  std::vector<int64_t> times;
  TaskEvent row;
  while (reader.Next(row)) times.push_back(row.time);
  EXPECT_TRUE(reader.status().ok());
  EXPECT_EQ(times, (std::vector<int64_t>{600000000, 600000010, 600000012}));
  EXPECT_EQ(reader.rows(), 3u);
  EXPECT_EQ(reader.skipped(), 4u);
  EXPECT_EQ(reader.first_error(), path + ":2: task_events row has 12 fields, expected 13");
}

TEST_F(Google2011MalformedTest, EachKindOfErrorNamesItsLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"600000002,,one,2,,0,u,0,0,0.1,0.1,0.001,0",
       ":2: job ID (field 3) is not a non-negative integer: 'one'"},
      {"5,,1,3,,0,u,0,0,0.1,0.1,0.001,0",
       ":2: time 5 is before the previous row's 600000000 (rows must be in time order)"},
      {"600000011,,1,0,7,12,u,0,0,0.1,0.1,0.001,0", ":2: unknown task event type 12 (known: 0..8)"},
  };
  for (const auto& [line, want] : cases) {
    const std::string path =
        Write("task_events-one.csv", "600000000,,1,0,,0,u,0,0,0.1,0.1,0.001,0\n" + line + "\n");
    TaskEventReader reader(/*strict=*/true);
    ASSERT_TRUE(reader.Open({path}).ok());
    TaskEvent row;
    while (reader.Next(row)) {
    }
    EXPECT_EQ(reader.status().message(), path + want);
  }
}

TEST_F(Google2011MalformedTest, TimeOrderCarriesAcrossFilesAndLinesCountPerFile) {
  const std::string a = Write("machine_events-a.csv", "0,1,0,p,0.5,0.5\n10,2,0,p,0.5,0.5\n");
  const std::string b = Write("machine_events-b.csv", "20,1,2,p,0.25,0.5\n5,3,0,p,1,1\n");
  MachineEventReader reader(/*strict=*/true);
  ASSERT_TRUE(reader.Open({a, b}).ok());
  MachineEvent row;
  int n = 0;
  while (reader.Next(row)) ++n;
  EXPECT_EQ(n, 3);
  EXPECT_EQ(reader.status().message(),
            b + ":2: time 5 is before the previous row's 20 (rows must be in time order)");
}

// A row at 2^63 - 1 (after the window) used to end a table's replay, so every later row was
// never read nor counted. It is counted apart and takes no part in the time order; rows after it
// are read (and one before the last in-window time is still out of order). Values times the
// reader's scale (trace.machine_size) past 2^32 are malformed.
TEST_F(Google2011MalformedTest, AfterWindowRowsAreCountedAndReadingGoesOn) {
  const std::string path = Write("machine_events-aw.csv",
                                 "10,1,0,p,0.5,0.5\n"
                                 "9223372036854775807,2,0,p,0.5,0.5\n"
                                 "20,3,0,p,0.5,0.5\n"
                                 "9223372036854775807,4,0,p,0.5,0.5\n"
                                 "15,5,0,p,0.5,0.5\n"
                                 "30,6,0,p,100,0.5\n"
                                 "40,7,0,p,0.5,0.5\n");
  MachineEventReader reader;
  reader.set_scale(64e6, 1, 1);  // 100 x 64e6 cpus passes 2^32; 0.5 x 64e6 does not
  ASSERT_TRUE(reader.Open({path}).ok());
  MachineEvent row;
  std::vector<uint64_t> machines;
  while (reader.Next(row)) machines.push_back(row.machine);
  EXPECT_TRUE(reader.status().ok()) << reader.status().message();
  EXPECT_EQ(machines, (std::vector<uint64_t>{1, 3, 7}));
  EXPECT_EQ(reader.after_window(), 2u);
  EXPECT_EQ(reader.skipped(), 2u);
  EXPECT_EQ(reader.rows(), 3u);
  EXPECT_EQ(reader.first_error(),
            path + ":5: time 15 is before the previous row's 20 (rows must be in time order)");
  MachineEventReader strict(/*strict=*/true);
  strict.set_scale(64e6, 1, 1);
  ASSERT_TRUE(strict.Open({path}).ok());
  while (strict.Next(row)) {
  }
  EXPECT_EQ(strict.after_window(), 2u);  // not errors, even when strict
  EXPECT_NE(strict.status().message().find(":5: time 15"), std::string::npos);
}

TEST(Google2011TableTest, FromPath) {
  EXPECT_EQ(TableFromPath("/x/task_events-part-00000-of-00500.csv"), Table::kTaskEvents);
  EXPECT_EQ(TableFromPath("clusterdata/machine_events/part-00000-of-00001.csv"),
            Table::kMachineEvents);
  EXPECT_EQ(TableFromPath("clusterdata/part-00000-of-00001.csv"), std::nullopt);
  EXPECT_EQ(TableFromPath("a/machine_events-part-00000-of-00001.csv"), Table::kMachineEvents);
  EXPECT_EQ(TableFromPath("job_events.csv"), Table::kJobEvents);
}

}  // namespace
}  // namespace clustersim::models::google2011
