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

TEST(WritersTest, ValuesRoundTripAndMissingOnesAreEmpty) {
  EXPECT_EQ(FormatValue(0.1), "0.1");
  EXPECT_EQ(FormatValue(1e-7), "1e-07");
  EXPECT_EQ(FormatValue(1969), "1969");
  EXPECT_EQ(FormatValue(NAN), "");
}

TEST(WritersTest, RunsCsvHasOneLinePerRunInCellSeedOrder) {
  EXPECT_EQ(RunsCsv(TwoAxisPlan(), SmallTable()),
            "cell,allocator,agents,seed,tasks.finished,start_latency_s.p99\n"
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

TEST(WritersTest, SummaryCsvHasMeanHalfWidthAndCountPerMetric) {
  const ExperimentPlan plan = TwoAxisPlan();
  const std::string csv = SummaryCsv(plan, MetricStats(plan, SmallTable()));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "cell,allocator,agents,runs,tasks.finished.mean,tasks.finished.ci95_half,"
            "tasks.finished.n,start_latency_s.p99.mean,start_latency_s.p99.ci95_half,"
            "start_latency_s.p99.n");
  // One run: a mean, no interval. No run: nothing but the count.
  EXPECT_NE(csv.find("\n0,drf,1/2,1,3,,1,1.5,,1\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n1,drf,3/4,0,,,0,,,0\n"), std::string::npos) << csv;
  // Two runs of tasks.finished, one of the p99 (the other run lacked it).
  const size_t cell4 = csv.find("\n4,random,3/4,2,15,");
  ASSERT_NE(cell4, std::string::npos) << csv;
  EXPECT_EQ(csv.substr(csv.find('\n', cell4 + 1) - 11, 11), ",2,0.125,,1") << csv;
}

TEST(WritersTest, MarkdownAlignsNumbersRightAndCanEndInASpace) {
  MarkdownTable table;
  table.AddColumn("cell", false);
  table.AddColumn("value", true);
  table.rows.push_back({"a", "1 ± 0"});
  EXPECT_EQ(RenderMarkdown(table, false), "| cell | value |\n|---|---:|\n| a | 1 ± 0 |\n");
  EXPECT_EQ(RenderMarkdown(table, true), "| cell | value | \n|---|---:|\n| a | 1 ± 0 | \n");
}

// A '|' in a label stays in its cell (escaped), not a column of its own (found by a CLI review).
TEST(WritersTest, MarkdownEscapesAPipeInACell) {
  MarkdownTable table;
  table.AddColumn("label", false);
  table.rows.push_back({"a|b"});
  EXPECT_EQ(RenderMarkdown(table, false), "| label |\n|---|\n| a\\|b |\n");
}

TEST(WritersTest, CellStatsTableHasLabelsThenMeans) {
  const ExperimentPlan plan = TwoAxisPlan();
  const MarkdownTable table = CellStatsTable(plan, MetricStats(plan, SmallTable()));
  EXPECT_EQ(table.header, (std::vector<std::string>{"allocator", "agents", "Tasks finished",
                                                    "Start latency, p99 (s)"}));
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
  EXPECT_EQ(j["cells"][4]["metrics"]["tasks.finished"]["mean"], 15);
  EXPECT_EQ(j["cells"][4]["metrics"]["tasks.finished"]["n"], 2);
  // One run: no interval; no run: no mean (null, as NaN is not JSON).
  EXPECT_EQ(j["cells"][4]["metrics"]["start_latency_s.p99"]["mean"], 0.125);
  EXPECT_TRUE(j["cells"][4]["metrics"]["start_latency_s.p99"]["ci95_half"].is_null());
  EXPECT_TRUE(j["cells"][1]["metrics"]["tasks.finished"]["mean"].is_null());
}

}  // namespace
}  // namespace clustersim::apps
