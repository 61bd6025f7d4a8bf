// apps/experiment/run_log: the per-run files appended as runs finish, read back on --resume, and
// rewritten in (cell, seed) order.
#include "apps/experiment/run_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "experiment_fixtures.h"

namespace clustersim::apps {
namespace {

using test::Row;
using test::TwoAxisPlan;

class RunLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("clustersim_run_log_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Read(const std::string& name) const {
    std::ifstream in(dir_ + "/" + name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ + "/" + name) << text;
  }

  const ExperimentPlan plan_ = TwoAxisPlan();
  std::string dir_;
};

constexpr const char* kHeader = "cell,allocator,agents,seed,tasks.finished,start_latency_s.p99\n";

TEST_F(RunLogTest, AppendsAsRunsFinishAndSortsAtTheEnd) {
  ResultTable table;
  auto log = RunLog::Open(plan_, dir_, "runs.csv", /*resume=*/false, table);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(Read("runs.csv"), kHeader);
  for (const ResultRow& row : {Row(2, 8, {1, 2}), Row(0, 7, {3, NAN})}) {
    ASSERT_TRUE((*log)->Append(row).ok());
    table.Add(row);
  }
  EXPECT_EQ(Read("runs.csv"), std::string(kHeader) + "2,drf,5/6,8,1,2\n0,drf,1/2,7,3,\n");
  ASSERT_TRUE((*log)->Finish(table).ok());
  EXPECT_EQ(Read("runs.csv"), std::string(kHeader) + "0,drf,1/2,7,3,\n2,drf,5/6,8,1,2\n");
  EXPECT_EQ(Read("timing.csv"),
            "cell,allocator,agents,seed,wall_seconds,events_per_second\n"
            "0,drf,1/2,7,0.5,1000\n2,drf,5/6,8,0.5,1000\n");
}

TEST_F(RunLogTest, ResumeReadsFinishedRunsAndDropsALineCutShort) {
  Write("runs.csv", std::string(kHeader) + "3,random,1/2,7,5,0.25\n0,drf,1/2,8,4,\n1,drf,3/4,7,9");
  Write("timing.csv",
        "cell,allocator,agents,seed,wall_seconds,events_per_second\n3,random,1/2,7,2,3\n");
  ResultTable table;
  auto log = RunLog::Open(plan_, dir_, "runs.csv", /*resume=*/true, table);
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(table.size(), 2u);
  EXPECT_FALSE(table.Contains(1, 7));  // cut short: redone
  const ResultRow& zero = table.begin()->second;
  EXPECT_EQ(zero.metrics[0], 4);
  EXPECT_TRUE(std::isnan(zero.metrics[1]));
  EXPECT_FALSE(zero.timing.has_value());  // no timing line: none written back
  const ResultRow& three = std::next(table.begin())->second;
  EXPECT_EQ(*three.timing, (std::vector<double>{2, 3}));
  // The files now hold exactly the table, sorted, ready for appending.
  EXPECT_EQ(Read("runs.csv"), std::string(kHeader) + "0,drf,1/2,8,4,\n3,random,1/2,7,5,0.25\n");
}

// A kill mid-write can cut the last line inside its last value: the field count is right and the
// number parses ("0.25" cut to "0.2"), but with no final newline the line is known torn.
TEST_F(RunLogTest, ResumeDropsALastLineWithoutItsNewline) {
  const std::string whole = std::string(kHeader) + "3,random,1/2,7,5,0.25\n";
  const std::string torn_line = "0,drf,1/2,8,4,0.25\n";
  for (size_t cut = 1; cut < torn_line.size(); ++cut) {
    SCOPED_TRACE("cut after " + std::to_string(cut) + " bytes");
    Write("runs.csv", whole + torn_line.substr(0, cut));
    Write("timing.csv",
          "cell,allocator,agents,seed,wall_seconds,events_per_second\n3,random,1/2,7,2,3\n0,drf,"
          "1/2,8,1,1");
    ResultTable table;
    auto log = RunLog::Open(plan_, dir_, "runs.csv", /*resume=*/true, table);
    ASSERT_TRUE(log.ok()) << log.status().message();
    EXPECT_EQ(table.size(), 1u);
    EXPECT_FALSE(table.Contains(0, 8));
    EXPECT_EQ(Read("runs.csv"), whole);
    // Appending after the resume starts on a line of its own.
    ASSERT_TRUE((*log)->Append(Row(0, 8, {4, 0.25})).ok());
    EXPECT_EQ(Read("runs.csv"), whole + torn_line);
  }
}

TEST_F(RunLogTest, ResumeRefusesARunsFileOfAnotherPlan) {
  Write("runs.csv", "cell,other,agents,seed,tasks.finished,start_latency_s.p99\n0,drf,1/2,7,3,1\n");
  ResultTable table;
  auto log = RunLog::Open(plan_, dir_, "runs.csv", /*resume=*/true, table);
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.status().message().find("different sweep"), std::string::npos);
}

// A folder from before the metric catalogue had other column names: resuming it would redo or
// mix runs, so it is refused with what changed.
TEST_F(RunLogTest, ResumeRefusesAFolderWithTheOldColumnNames) {
  Write("runs.csv",
        "cell,allocator,agents,seed,tasks_finished,start_latency_s_p99\n"
        "0,drf,1/2,7,3,1\n");
  ResultTable table;
  auto log = RunLog::Open(plan_, dir_, "runs.csv", /*resume=*/true, table);
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.status().message().find("older clustersim"), std::string::npos)
      << log.status().message();
  EXPECT_NE(log.status().message().find("CHANGES.md"), std::string::npos);
  EXPECT_EQ(Read("runs.csv"),
            "cell,allocator,agents,seed,tasks_finished,start_latency_s_p99\n0,drf,1/2,7,3,1\n");
}

TEST_F(RunLogTest, WithoutResumeOldRunsAreDropped) {
  Write("runs.csv", std::string(kHeader) + "0,drf,1/2,7,3,1\n");
  ResultTable table;
  ASSERT_TRUE(RunLog::Open(plan_, dir_, "runs.csv", /*resume=*/false, table).ok());
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(Read("runs.csv"), kHeader);
}

}  // namespace
}  // namespace clustersim::apps
