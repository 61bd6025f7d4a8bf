#include "apps/experiment/writers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "results/csv.h"
#include "results/output_file.h"

namespace clustersim::apps {
namespace {

// summary.csv's columns per metric, after the metric's path.
constexpr const char* kSummaryColumns[] = {".mean", ".ci95_half", ".n"};

// cell, the axis labels, seed.
std::vector<std::string> RowPrefix(const ExperimentPlan& plan, const ResultRow& row) {
  std::vector<std::string> fields = {std::to_string(row.cell)};
  for (std::string& label : CellLabels(plan, row.cell)) fields.push_back(std::move(label));
  fields.push_back(std::to_string(row.seed));
  return fields;
}

std::string ValuesLine(const ExperimentPlan& plan, const ResultRow& row,
                       const std::vector<double>& values) {
  std::vector<std::string> fields = RowPrefix(plan, row);
  for (double v : values) fields.push_back(FormatValue(v));
  return results::CsvLine(fields);
}

// A cell's mean, missing without a run that has the metric; its interval's half-width, missing
// below two such runs (one run has no interval, rather than an interval of 0).
double Mean(const MeanCi& ci) { return ci.n > 0 ? ci.mean : NAN; }
double HalfWidth(const MeanCi& ci) { return ci.n > 1 ? ci.half_width : NAN; }

nlohmann::ordered_json JsonNumber(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

}  // namespace

std::string FormatValue(double v) {
  if (std::isnan(v)) return "";
  return fmt::format("{}", v);
}

std::vector<std::string> RunColumns(const ExperimentPlan& plan,
                                    const std::vector<std::string>& tail) {
  std::vector<std::string> columns = {"cell"};
  for (const Axis& a : plan.axes) columns.push_back(a.name);
  columns.push_back("seed");
  columns.insert(columns.end(), tail.begin(), tail.end());
  return columns;
}

std::vector<std::string> MetricNames(const ExperimentPlan& plan) {
  std::vector<std::string> names;
  for (const MetricPath& m : plan.metrics) names.push_back(m.name);
  return names;
}

std::string RunsCsvLine(const ExperimentPlan& plan, const ResultRow& row) {
  return ValuesLine(plan, row, row.metrics);
}

std::string TimingCsvLine(const ExperimentPlan& plan, const ResultRow& row) {
  return ValuesLine(plan, row, *row.timing);
}

std::string RunsCsv(const ExperimentPlan& plan, const ResultTable& table) {
  std::string csv = results::CsvLine(RunColumns(plan, MetricNames(plan)));
  for (const auto& [key, row] : table) csv += RunsCsvLine(plan, row);
  return csv;
}

std::string TimingCsv(const ExperimentPlan& plan, const ResultTable& table) {
  std::string csv = results::CsvLine(RunColumns(plan, plan.timing));
  for (const auto& [key, row] : table) {
    if (row.timing) csv += TimingCsvLine(plan, row);
  }
  return csv;
}

std::string SummaryCsv(const ExperimentPlan& plan, const std::vector<std::vector<MeanCi>>& stats) {
  std::vector<std::string> header = {"cell"};
  for (const Axis& a : plan.axes) header.push_back(a.name);
  header.push_back("runs");
  for (const MetricPath& m : plan.metrics) {
    for (const char* column : kSummaryColumns) header.push_back(m.name + column);
  }
  std::string csv = results::CsvLine(header);
  for (size_t c = 0; c < stats.size(); ++c) {
    std::vector<std::string> fields = {std::to_string(c)};
    for (std::string& label : CellLabels(plan, c)) fields.push_back(std::move(label));
    int runs = 0;
    for (const MeanCi& ci : stats[c]) runs = std::max(runs, ci.n);
    fields.push_back(std::to_string(runs));
    for (const MeanCi& ci : stats[c]) {
      fields.push_back(FormatValue(Mean(ci)));
      fields.push_back(FormatValue(HalfWidth(ci)));
      fields.push_back(std::to_string(ci.n));
    }
    csv += results::CsvLine(fields);
  }
  return csv;
}

void MarkdownTable::AddColumn(std::string name, bool is_numeric) {
  header.push_back(std::move(name));
  numeric.push_back(is_numeric);
}

std::string RenderMarkdown(const MarkdownTable& table, bool trailing_space) {
  const std::string end = trailing_space ? " \n" : "\n";
  // A '|' in a label would end its cell: escaped as Markdown (GFM) reads it.
  auto escaped = [](const std::string& cell) {
    std::string out;
    for (char c : cell) {
      if (c == '|') out += '\\';
      out += c;
    }
    return out;
  };
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const std::string& cell : cells) out += " " + escaped(cell) + " |";
    return out + end;
  };
  std::string md = line(table.header) + "|";
  for (bool n : table.numeric) md += n ? "---:|" : "---|";
  md += "\n";
  for (const auto& row : table.rows) md += line(row);
  return md;
}

MarkdownTable CellStatsTable(const ExperimentPlan& plan,
                             const std::vector<std::vector<MeanCi>>& stats) {
  MarkdownTable table;
  for (const Axis& a : plan.axes) table.AddColumn(a.name, false);
  for (const MetricPath& m : plan.metrics) {
    if (m.headline) table.AddColumn(m.title, true);
  }
  for (size_t c = 0; c < stats.size(); ++c) {
    std::vector<std::string> row = CellLabels(plan, c);
    for (size_t m = 0; m < stats[c].size() && m < plan.metrics.size(); ++m) {
      if (plan.metrics[m].headline) row.push_back(FormatMeanCi(stats[c][m], plan.seeds));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::string CellStatsNote(const ExperimentPlan& plan, std::string_view csv_files) {
  std::string note =
      plan.seeds < 2
          ? "One seed per cell: values of single runs, marked (n=1); a confidence interval "
            "needs at least 2 seeds."
          : "Mean ± half-width of the 95% Student-t confidence interval over seeds (half-width "
            "to 2 significant digits, mean to the same digit); (n=k): only k of the cell's runs "
            "had the value; n/a: none.";
  const auto shown = std::count_if(plan.metrics.begin(), plan.metrics.end(),
                                   [](const MetricPath& m) { return m.headline; });
  if (static_cast<size_t>(shown) < plan.metrics.size()) {
    note += fmt::format(" Headline metrics only: all {} at full precision in {}.",
                        plan.metrics.size(), csv_files);
  }
  return note;
}

nlohmann::ordered_json CellsJson(const ExperimentPlan& plan,
                                 const std::vector<std::vector<MeanCi>>& stats) {
  nlohmann::ordered_json j;
  j["name"] = plan.name;
  j["seeds"] = {{"first", plan.base_seed}, {"count", plan.seeds}};
  j["axes"] = nlohmann::ordered_json::array();
  for (const Axis& a : plan.axes) j["axes"].push_back({{"name", a.name}, {"values", a.labels}});
  j["metrics"] = MetricNames(plan);
  // The few metrics the Markdown table and report.html lead with (MetricPath::headline).
  j["headline"] = nlohmann::ordered_json::array();
  for (const MetricPath& m : plan.metrics) {
    if (m.headline) j["headline"].push_back(m.name);
  }
  j["cells"] = nlohmann::ordered_json::array();
  for (size_t c = 0; c < stats.size(); ++c) {
    nlohmann::ordered_json cell = {{"cell", c}, {"labels", CellLabels(plan, c)}};
    nlohmann::ordered_json& metrics = cell["metrics"];
    for (size_t m = 0; m < stats[c].size(); ++m) {
      metrics[plan.metrics[m].name] = {{"n", stats[c][m].n},
                                       {"mean", JsonNumber(Mean(stats[c][m]))},
                                       {"ci95_half", JsonNumber(HalfWidth(stats[c][m]))}};
    }
    j["cells"].push_back(std::move(cell));
  }
  return j;
}

void AddPairedToCellsJson(const ExperimentPlan& plan,
                          const std::vector<std::vector<MeanCi>>& paired,
                          nlohmann::ordered_json& cells) {
  for (size_t c = 1; c < paired.size() && c < cells["cells"].size(); ++c) {
    nlohmann::ordered_json& vs = cells["cells"][c]["vs_first"];
    for (size_t m = 0; m < paired[c].size(); ++m) {
      vs[plan.metrics[m].name] = {{"n", paired[c][m].n},
                                  {"mean", JsonNumber(Mean(paired[c][m]))},
                                  {"ci95_half", JsonNumber(HalfWidth(paired[c][m]))}};
    }
  }
}

sim::Status WriteTextFile(const std::string& path, const std::string& text) {
  return results::WriteFileAtomically(path, text);
}

}  // namespace clustersim::apps
