#pragma once

// Writers of an experiment's result table: CSV (one row per run, one row per cell), Markdown
// tables and JSON. The commands (compare, sweep) choose which files to write and add their own
// titles; everything that formats a number or a row is here, once.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "apps/experiment/plan.h"
#include "apps/experiment/result_table.h"

namespace clustersim::apps {

// A number as the CSV files show it: shortest round-trip text; a missing value (NaN: absent or
// null in the run's summary) as an empty field, in every CSV file.
std::string FormatValue(double v);

// The column names of a per-run file: cell, one per axis, seed, then `tail`.
std::vector<std::string> RunColumns(const ExperimentPlan& plan,
                                    const std::vector<std::string>& tail);
std::vector<std::string> MetricNames(const ExperimentPlan& plan);

// One run's line of the runs file (metrics) and of timing.csv (requires row.timing).
std::string RunsCsvLine(const ExperimentPlan& plan, const ResultRow& row);
std::string TimingCsvLine(const ExperimentPlan& plan, const ResultRow& row);
// Whole files: header and one line per row in (cell, seed) order; timing.csv leaves out rows
// without timing.
std::string RunsCsv(const ExperimentPlan& plan, const ResultTable& table);
std::string TimingCsv(const ExperimentPlan& plan, const ResultTable& table);

// summary.csv: per cell its axis labels, `runs` (the most runs any metric has), and per metric
// `<metric>.mean`, `<metric>.ci95_half` (half-width of the 95% Student-t interval; empty below two
// runs) and `<metric>.n` (runs that had the metric).
std::string SummaryCsv(const ExperimentPlan& plan, const std::vector<std::vector<MeanCi>>& stats);

// A Markdown table. Numeric columns are right-aligned. With `trailing_space` every header and
// body line ends in "| " rather than "|" (the sweep's summary.md has always looked so).
struct MarkdownTable {
  std::vector<std::string> header;
  std::vector<bool> numeric;
  std::vector<std::vector<std::string>> rows;
  void AddColumn(std::string name, bool is_numeric);
};
std::string RenderMarkdown(const MarkdownTable& table, bool trailing_space);
// One row per cell: its axis labels, then "mean ± half-width" (FormatMeanCi) of each headline
// metric (MetricPath::headline); the CSV files keep every metric.
MarkdownTable CellStatsTable(const ExperimentPlan& plan,
                             const std::vector<std::vector<MeanCi>>& stats);
// The paragraph under a table's title: what its cells are, and where the metrics the table leaves
// out are (`csv_files`, e.g. "summary.csv and runs.csv").
std::string CellStatsNote(const ExperimentPlan& plan, std::string_view csv_files);

// cells.json: the plan (name, axes, seeds, metrics) and per cell its labels, runs and each
// metric's mean and interval half-width (null where undefined).
nlohmann::ordered_json CellsJson(const ExperimentPlan& plan,
                                 const std::vector<std::vector<MeanCi>>& stats);
// Adds to each cell of `cells` (CellsJson) but the first its `vs_first` (PairedStats against cell
// 0): per metric the n, mean and interval half-width of its differences from cell 0, seed by seed.
void AddPairedToCellsJson(const ExperimentPlan& plan,
                          const std::vector<std::vector<MeanCi>>& paired,
                          nlohmann::ordered_json& cells);

// Writes `text` to the file at `path`, replacing it; through `<path>.tmp` and a rename, so `path`
// is never seen half-written (results/output_file.h).
sim::Status WriteTextFile(const std::string& path, const std::string& text);

}  // namespace clustersim::apps
