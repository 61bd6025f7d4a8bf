// apps/experiment/result_table: rows in (cell, seed) order whatever order runs finish in, and
// per-cell means over the runs that have a metric.
#include "apps/experiment/result_table.h"

#include <gtest/gtest.h>

#include <cmath>

#include "experiment_fixtures.h"

namespace clustersim::apps {
namespace {

using test::Row;
using test::TwoAxisPlan;

TEST(ResultTableTest, RowsComeOutInCellSeedOrderAndALaterRowReplaces) {
  ResultTable table;
  table.Add(Row(3, 8, {1, 1}));
  table.Add(Row(0, 8, {2, 2}));
  table.Add(Row(3, 7, {3, 3}));
  table.Add(Row(3, 8, {4, 4}));
  std::vector<std::pair<size_t, uint64_t>> keys;
  for (const auto& [key, row] : table) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::pair<size_t, uint64_t>>{{0, 8}, {3, 7}, {3, 8}}));
  EXPECT_TRUE(table.Contains(3, 8));
  EXPECT_FALSE(table.Contains(1, 7));
  EXPECT_EQ(table.begin()->second.metrics[0], 2);
  EXPECT_EQ(std::prev(table.end())->second.metrics[0], 4);
}

TEST(ResultTableTest, RowsReadMetricsAndTimingFromTheSummary) {
  const auto summary = nlohmann::ordered_json::parse(
      R"({"tasks": {"finished": 12}, "run": {"wall_seconds": 0.25, "events_per_second": 4e6}})");
  const ResultRow row = MakeResultRow(TwoAxisPlan(), 2, 9, summary);
  EXPECT_EQ(row.metrics[0], 12);
  EXPECT_TRUE(std::isnan(row.metrics[1]));  // start_latency_s.p99 is absent
  ASSERT_TRUE(row.timing.has_value());
  EXPECT_EQ(*row.timing, (std::vector<double>{0.25, 4e6}));
}

TEST(ResultTableTest, MeansPerCellSkipMissingValues) {
  const ExperimentPlan plan = TwoAxisPlan();
  ResultTable table;
  table.Add(Row(0, 7, {10, 1}));
  table.Add(Row(0, 8, {20, NAN}));
  table.Add(Row(5, 7, {5, NAN}));
  const auto stats = MetricStats(plan, table);
  ASSERT_EQ(stats.size(), 6u);
  EXPECT_EQ(stats[0][0].mean, 15);
  EXPECT_EQ(stats[0][0].n, 2);
  EXPECT_NEAR(stats[0][0].half_width, 12.7062047361747 * 5,
              1e-9);               // sd 7.07, n 2: t * sd / sqrt(2)
  EXPECT_EQ(stats[0][1].mean, 1);  // the missing seed is skipped
  EXPECT_EQ(stats[0][1].n, 1);
  EXPECT_EQ(stats[1][0].n, 0);  // a cell without runs
  EXPECT_EQ(stats[5][1].n, 0);  // only missing values
}

// Paired differences against cell 0, over the seeds both cells have the metric for: cell 3 is
// 10 more on seed 7 and 12 more on seed 8 (seed 9 has no baseline run): mean 11, sd 1.414, n 2.
// Cell 5's only common seed has its metric missing: no difference at all.
TEST(ResultTableTest, PairedDifferencesAreTakenSeedBySeedAgainstTheBaseline) {
  const ExperimentPlan plan = TwoAxisPlan();
  ResultTable table;
  table.Add(Row(0, 7, {100, 1}));
  table.Add(Row(0, 8, {200, 2}));
  table.Add(Row(3, 7, {110, 1}));
  table.Add(Row(3, 8, {212, 2}));
  table.Add(Row(3, 9, {999, 9}));
  table.Add(Row(5, 7, {NAN, 4}));
  const auto paired = PairedStats(plan, table, 0);
  ASSERT_EQ(paired.size(), 6u);
  EXPECT_EQ(paired[0][0].n, 0);  // the baseline itself
  EXPECT_EQ(paired[3][0].n, 2);
  EXPECT_DOUBLE_EQ(paired[3][0].mean, 11);
  EXPECT_NEAR(paired[3][0].half_width, 12.7062047361747, 1e-9);  // t(1) x sd 1.414 / sqrt(2)
  EXPECT_EQ(paired[3][1].mean, 0);                               // equal on both seeds
  EXPECT_EQ(paired[3][1].half_width, 0);
  EXPECT_EQ(paired[5][0].n, 0);
  EXPECT_EQ(paired[5][1].n, 1);
  EXPECT_DOUBLE_EQ(paired[5][1].mean, 3);
}

TEST(ResultTableTest, TimingMeansLeaveOutRunsWithoutTiming) {
  const ExperimentPlan plan = TwoAxisPlan();
  ResultTable table;
  table.Add(Row(1, 7, {1, 1}));
  table.Add(ResultRow{1, 8, {1, 1}, std::nullopt});
  const auto wall = TimingStats(plan, table, "wall_seconds");
  EXPECT_EQ(wall[1].n, 1);
  EXPECT_EQ(wall[1].mean, 0.5);
  EXPECT_EQ(TimingStats(plan, table, "not_a_column")[1].n, 0);
}

}  // namespace
}  // namespace clustersim::apps
