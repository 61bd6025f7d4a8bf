// apps/experiment/cdf_log: each run's CDF points (summary.json "cdf") appended to cdfs.csv as runs
// finish, kept on --resume only for the runs recorded, and rewritten in (cell, seed) order.
#include "apps/experiment/cdf_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "experiment_fixtures.h"

namespace clustersim::apps {
namespace {

using test::Row;
using test::TwoAxisPlan;

class CdfLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("clustersim_cdf_log_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Read() const {
    std::ifstream in(dir_ + "/cdfs.csv");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void Write(const std::string& text) const { std::ofstream(dir_ + "/cdfs.csv") << text; }

  const ExperimentPlan plan_ = TwoAxisPlan();
  std::string dir_;
};

constexpr const char* kHeader = "cell,allocator,agents,seed,series,os,q,value\n";

// Three points per list (q = 0, 0.5, 1) keep the expected text short; runs have 101.
nlohmann::ordered_json Summary(double max) {
  nlohmann::ordered_json s;
  s["tasks"] = nlohmann::ordered_json::object();
  s["cdf"]["start_latency_s"]["linux"] = {1, 2.5, max};
  s["cdf"]["start_latency_s"]["windows"] = nlohmann::ordered_json::array();
  return s;
}

TEST_F(CdfLogTest, AppendsEachRunsPointsAndSortsAtTheEnd) {
  ResultTable table;
  auto log = CdfLog::Open(plan_, dir_, /*resume=*/false, table);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(Read(), kHeader);
  ASSERT_TRUE((*log)->Append(2, 8, Summary(8)).ok());
  ASSERT_TRUE((*log)->Append(0, 7, Summary(4)).ok());
  const std::string cell2 =
      "2,drf,5/6,8,start_latency_s,linux,0,1\n2,drf,5/6,8,start_latency_s,linux,0.5,2.5\n"
      "2,drf,5/6,8,start_latency_s,linux,1,8\n";
  const std::string cell0 =
      "0,drf,1/2,7,start_latency_s,linux,0,1\n0,drf,1/2,7,start_latency_s,linux,0.5,2.5\n"
      "0,drf,1/2,7,start_latency_s,linux,1,4\n";
  EXPECT_EQ(Read(), kHeader + cell2 + cell0);  // as they finished; an empty list adds nothing
  table.Add(Row(2, 8, {1, 2}));
  table.Add(Row(0, 7, {1, 2}));
  ASSERT_TRUE((*log)->Finish(table).ok());
  EXPECT_EQ(Read(), kHeader + cell0 + cell2);
}

TEST_F(CdfLogTest, ResumeKeepsOnlyRecordedRunsAndDropsATornLine) {
  Write(std::string(kHeader) +
        "0,drf,1/2,7,start_latency_s,linux,0,1\n"     // recorded: kept
        "3,random,1/2,7,start_latency_s,linux,0,5\n"  // not in the runs file: redone, dropped
        "0,drf,1/2,8,start_latency_s,linux,0,2\n"     // recorded, but ...
        "0,drf,1/2,8,start_latency_s,linux,0.5,2.");  // ... its last line is torn
  ResultTable table;
  table.Add(Row(0, 7, {1, 2}));
  auto log = CdfLog::Open(plan_, dir_, /*resume=*/true, table);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(Read(), std::string(kHeader) + "0,drf,1/2,7,start_latency_s,linux,0,1\n");
}

TEST_F(CdfLogTest, ASummaryWithoutCdfAddsNothing) {
  ResultTable table;
  auto log = CdfLog::Open(plan_, dir_, /*resume=*/false, table);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Append(0, 7, nlohmann::ordered_json::parse(R"({"tasks": {}})")).ok());
  EXPECT_EQ(Read(), kHeader);
}

}  // namespace
}  // namespace clustersim::apps
