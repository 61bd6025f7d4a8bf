// apps/experiment/writers: the exact text of the experiment files (their format is what plot.py,
// --resume and users' scripts read).
#include "apps/experiment/writers.h"

#include <gtest/gtest.h>

#include <cmath>

#include "experiment_fixtures.h"

namespace clustersim::apps {
namespace {

using test::Row;
using test::TwoAxisPlan;

ResultTable SmallTable() {
  ResultTable table;
  table.Add(Row(4, 8, {20, NAN}));
  table.Add(Row(4, 7, {10, 0.125}));
  table.Add(ResultRow{0, 7, {3, 1.5}, std::nullopt});
  return table;
}

TEST(WritersTest, ValuesRoundTripAndMissingOnesFollowThePlan) {
  EXPECT_EQ(FormatValue(0.1, MissingValues::kSkip), "0.1");
  EXPECT_EQ(FormatValue(1e-7, MissingValues::kSkip), "1e-07");
  EXPECT_EQ(FormatValue(1969, MissingValues::kSkip), "1969");
  EXPECT_EQ(FormatValue(NAN, MissingValues::kSkip), "");
  EXPECT_EQ(FormatValue(NAN, MissingValues::kPropagate), "nan");
}

TEST(WritersTest, RunsCsvHasOneLinePerRunInCellSeedOrder) {
  EXPECT_EQ(RunsCsv(TwoAxisPlan(), SmallTable()),
            "cell,allocator,agents,seed,tasks_finished,p99\n"
            "0,drf,1/2,7,3,1.5\n"
            "4,random,3/4,7,10,0.125\n"
            "4,random,3/4,8,20,\n");
}

TEST(WritersTest, TimingCsvLeavesOutRunsWithoutTiming) {
  EXPECT_EQ(TimingCsv(TwoAxisPlan(), SmallTable()),
            "cell,allocator,agents,seed,wall_seconds,events_per_second\n"
            "4,random,3/4,7,0.5,1000\n"
            "4,random,3/4,8,0.5,1000\n");
}

TEST(WritersTest, LabelsWithCommasAreQuoted) {
  ExperimentPlan plan = TwoAxisPlan();
  plan.axes[1].labels[0] = "[1, 2]";
  EXPECT_EQ(RunsCsvLine(plan, Row(0, 7, {1, 2})), "0,drf,\"[1, 2]\",7,1,2\n");
}

TEST(WritersTest, SummaryCsvHasMeanAndHalfWidthPerMetric) {
  const ExperimentPlan plan = TwoAxisPlan();
  const std::string csv = SummaryCsv(plan, MetricStats(plan, SmallTable()));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "cell,allocator,agents,runs,tasks_finished_mean,tasks_finished_ci95,p99_mean,p99_ci95");
  EXPECT_NE(csv.find("\n0,drf,1/2,1,3,0,1.5,0\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n1,drf,3/4,0,0,0,0,0\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n4,random,3/4,2,15,"), std::string::npos) << csv;
}

TEST(WritersTest, MarkdownAlignsNumbersRightAndCanEndInASpace) {
  MarkdownTable table;
  table.AddColumn("cell", false);
  table.AddColumn("value", true);
  table.rows.push_back({"a", "1 ± 0"});
  EXPECT_EQ(RenderMarkdown(table, false), "| cell | value |\n|---|---:|\n| a | 1 ± 0 |\n");
  EXPECT_EQ(RenderMarkdown(table, true), "| cell | value | \n|---|---:|\n| a | 1 ± 0 | \n");
}

TEST(WritersTest, CellStatsTableHasLabelsThenMeans) {
  const ExperimentPlan plan = TwoAxisPlan();
  const MarkdownTable table = CellStatsTable(plan, MetricStats(plan, SmallTable()));
  EXPECT_EQ(table.header,
            (std::vector<std::string>{"allocator", "agents", "tasks_finished", "p99"}));
  EXPECT_EQ(table.numeric, (std::vector<bool>{false, false, true, true}));
  ASSERT_EQ(table.rows.size(), 6u);
  EXPECT_EQ(table.rows[4], (std::vector<std::string>{"random", "3/4", "15 ± 64", "0.125 (n=1)"}));
}

TEST(WritersTest, CellsJsonHasThePlanAndEveryCell) {
  const ExperimentPlan plan = TwoAxisPlan();
  const auto j = CellsJson(plan, MetricStats(plan, SmallTable()));
  EXPECT_EQ(j["name"], "tiny");
  EXPECT_EQ(j["seeds"]["first"], 7);
  EXPECT_EQ(j["axes"][1]["values"][2], "5/6");
  ASSERT_EQ(j["cells"].size(), 6u);
  EXPECT_EQ(j["cells"][4]["labels"][0], "random");
  EXPECT_EQ(j["cells"][4]["metrics"]["tasks_finished"]["mean"], 15);
  EXPECT_EQ(j["cells"][4]["metrics"]["tasks_finished"]["n"], 2);
  ExperimentPlan propagating = TwoAxisPlan();
  propagating.missing = MissingValues::kPropagate;
  const auto k = CellsJson(propagating, MetricStats(propagating, SmallTable()));
  EXPECT_TRUE(k["cells"][4]["metrics"]["p99"]["mean"].is_null());  // NaN is not JSON
}

}  // namespace
}  // namespace clustersim::apps
