#include "apps/experiment/result_table.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace clustersim::apps {
namespace {

// Samples of `value` per cell, then their mean and interval.
// A missing value (NaN: absent or null in the run's summary) is left out: the cell's mean is
// over the runs that have the metric, and its n says how many.
std::vector<MeanCi> PerCell(const ExperimentPlan& plan, const ResultTable& table,
                            const std::function<double(const ResultRow&)>& value) {
  std::vector<std::vector<double>> samples(CellCount(plan));
  for (const auto& [key, row] : table) {
    const double v = value(row);
    if (std::isnan(v)) continue;
    samples[row.cell].push_back(v);
  }
  std::vector<MeanCi> stats;
  for (const auto& s : samples) stats.push_back(MeanWithCi(s));
  return stats;
}

}  // namespace

std::vector<std::vector<MeanCi>> PairedStats(const ExperimentPlan& plan, const ResultTable& table,
                                             size_t baseline) {
  const size_t cells = CellCount(plan), metrics = plan.metrics.size();
  // [cell][metric]: the differences over the seeds both runs have the metric for.
  std::vector<std::vector<std::vector<double>>> diffs(cells,
                                                      std::vector<std::vector<double>>(metrics));
  for (const auto& [key, row] : table) {
    if (row.cell == baseline) continue;
    const ResultRow* base = table.Find(baseline, row.seed);
    if (base == nullptr) continue;
    for (size_t m = 0; m < metrics; ++m) {
      const double d = row.metrics[m] - base->metrics[m];
      if (!std::isnan(d)) diffs[row.cell][m].push_back(d);
    }
  }
  std::vector<std::vector<MeanCi>> stats(cells);
  for (size_t c = 0; c < cells; ++c) {
    for (size_t m = 0; m < metrics; ++m) stats[c].push_back(MeanWithCi(diffs[c][m]));
  }
  return stats;
}

ResultRow MakeResultRow(const ExperimentPlan& plan, size_t cell, uint64_t seed,
                        const nlohmann::ordered_json& summary) {
  ResultRow row{cell, seed, {}, std::vector<double>{}};
  for (const MetricPath& m : plan.metrics) row.metrics.push_back(LookupMetric(summary, m));
  for (const std::string& t : plan.timing) row.timing->push_back(LookupTiming(summary, t));
  return row;
}

void ResultTable::Add(ResultRow row) {
  const Key key{row.cell, row.seed};
  rows_.insert_or_assign(key, std::move(row));
}

std::vector<std::vector<MeanCi>> MetricStats(const ExperimentPlan& plan, const ResultTable& table) {
  std::vector<std::vector<MeanCi>> stats(CellCount(plan));
  for (size_t m = 0; m < plan.metrics.size(); ++m) {
    const auto column = PerCell(plan, table, [m](const ResultRow& row) { return row.metrics[m]; });
    for (size_t c = 0; c < column.size(); ++c) stats[c].push_back(column[c]);
  }
  return stats;
}

std::vector<MeanCi> TimingStats(const ExperimentPlan& plan, const ResultTable& table,
                                std::string_view column) {
  const auto it = std::find(plan.timing.begin(), plan.timing.end(), column);
  const size_t t = static_cast<size_t>(it - plan.timing.begin());
  return PerCell(plan, table, [&](const ResultRow& row) {
    return row.timing && t < row.timing->size() ? (*row.timing)[t] : NAN;
  });
}

}  // namespace clustersim::apps
