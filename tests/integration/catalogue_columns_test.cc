// Issue 13, acceptance 2: the columns of compare.csv, runs.csv and summary.csv are metric
// catalogue names, besides the columns that say which run or cell a row is (cell, the axes named
// in cells.json, seed or runs). Checked against the catalogue itself, not a list of names.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "results/csv.h"
#include "results/metric_catalogue.h"

namespace clustersim::test {
namespace {

std::vector<std::string> Header(const std::string& path) {
  return results::ReadCsvFile(path).header;
}

std::vector<std::string> AxisNames(const std::string& dir) {
  const auto cells = nlohmann::json::parse(ReadFile(dir + "/cells.json"));
  std::vector<std::string> names;
  for (const auto& axis : cells["axes"]) names.push_back(axis["name"].get<std::string>());
  return names;
}

void ExpectMetric(const std::string& column) {
  const results::CatalogueEntry* e = results::FindCatalogueEntry(column);
  ASSERT_NE(e, nullptr) << column << " is not a catalogue name";
  EXPECT_EQ(e->kind, results::FieldKind::kMetric) << column;
}

// cell, the axes, then `id` ("seed" or "runs"); returns the columns after those.
std::vector<std::string> MetricColumns(const std::vector<std::string>& header,
                                       const std::vector<std::string>& axes,
                                       const std::string& id) {
  EXPECT_GE(header.size(), axes.size() + 2);
  if (header.size() < axes.size() + 2) return {};
  EXPECT_EQ(header[0], "cell");
  for (size_t a = 0; a < axes.size(); ++a) EXPECT_EQ(header[1 + a], axes[a]);
  EXPECT_EQ(header[1 + axes.size()], id);
  return {header.begin() + 2 + static_cast<std::ptrdiff_t>(axes.size()), header.end()};
}

TEST(CatalogueColumnsTest, CompareCsv) {
  const std::string dir = TempDir("columns-compare");
  const CliResult r = RunCli({"compare", SourcePath("scenarios/drf-paper.yaml"), "--allocators",
                              "drf,fifo", "--seeds", "2", "--out", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto metrics = MetricColumns(Header(dir + "/compare.csv"), AxisNames(dir), "seed");
  EXPECT_EQ(metrics.size(), 12u);
  for (const std::string& column : metrics) ExpectMetric(column);
}

TEST(CatalogueColumnsTest, SweepRunsCsvAndSummaryCsv) {
  const std::string dir = TempDir("columns-sweep");
  WriteFile(dir + "/sweep.yaml", "name: columns\nbase: " + SourcePath("scenarios/drf-paper.yaml") +
                                     "\nseeds: 2\naxes:\n  - path: master.allocator\n"
                                     "    values: [drf, fifo]\nmetrics:\n  - tasks.finished\n"
                                     "  - frameworks[name=A].dominant_share_at_end\n"
                                     "  - start_latency_s.by_os.windows.p99\n");
  const CliResult r = RunCli({"sweep", dir + "/sweep.yaml", "--out", dir + "/out"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto axes = AxisNames(dir + "/out");
  const auto runs = MetricColumns(Header(dir + "/out/runs.csv"), axes, "seed");
  EXPECT_EQ(runs.size(), 3u);
  for (const std::string& column : runs) ExpectMetric(column);
  const auto summary = MetricColumns(Header(dir + "/out/summary.csv"), axes, "runs");
  ASSERT_EQ(summary.size(), 3 * runs.size());
  for (size_t i = 0; i < summary.size(); ++i) {
    const std::string suffix[] = {".mean", ".ci95_half", ".n"};
    const std::string& column = summary[i];
    ASSERT_TRUE(column.ends_with(suffix[i % 3])) << column;
    const std::string metric = column.substr(0, column.size() - suffix[i % 3].size());
    EXPECT_EQ(metric, runs[i / 3]);
    ExpectMetric(metric);
  }
}

}  // namespace
}  // namespace clustersim::test
