#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "apps/experiment/plan.h"
#include "apps/stats.h"

namespace clustersim::apps {

// One finished run of an experiment: its deterministic metrics and its wall-clock figures.
struct ResultRow {
  size_t cell = 0;
  uint64_t seed = 0;
  std::vector<double> metrics;                // plan.metrics order; NaN: absent from the summary
  std::optional<std::vector<double>> timing;  // plan.timing order; nullopt: not recorded
};

// The row of a run from its summary.json content.
ResultRow MakeResultRow(const ExperimentPlan& plan, size_t cell, uint64_t seed,
                        const nlohmann::ordered_json& summary);

// The finished runs of an experiment, one per (cell, seed), in (cell, seed) order whatever order
// they finished in — so every file written from it is independent of threads, ranks and resumes.
class ResultTable {
 public:
  using Key = std::pair<size_t, uint64_t>;  // (cell, seed)

  void Add(ResultRow row);  // replaces the row of the same (cell, seed), if any
  bool Contains(size_t cell, uint64_t seed) const { return rows_.count({cell, seed}) > 0; }
  // The row of (cell, seed), or null.
  const ResultRow* Find(size_t cell, uint64_t seed) const {
    const auto it = rows_.find({cell, seed});
    return it == rows_.end() ? nullptr : &it->second;
  }
  size_t size() const { return rows_.size(); }
  auto begin() const { return rows_.begin(); }
  auto end() const { return rows_.end(); }

 private:
  std::map<Key, ResultRow> rows_;
};

// Mean and 95% interval over seeds of each cell: [cell][metric] for the plan's metrics (missing
// values skipped or propagated as plan.missing says), and [cell] for one timing column (missing
// values always skipped: a run may not have measured it).
std::vector<std::vector<MeanCi>> MetricStats(const ExperimentPlan& plan, const ResultTable& table);
std::vector<MeanCi> TimingStats(const ExperimentPlan& plan, const ResultTable& table,
                                std::string_view column);
// Every cell against `baseline`, seed by seed: [cell][metric] is the mean and 95% interval of
// (cell − baseline) over the seeds where both runs have the metric. Cells see the same workloads
// and failures for a seed (common random numbers), so these intervals are far tighter than the
// per-cell ones, and an interval that excludes 0 is a difference where overlapping per-cell
// intervals say nothing. The baseline's own entries have n = 0.
std::vector<std::vector<MeanCi>> PairedStats(const ExperimentPlan& plan, const ResultTable& table,
                                             size_t baseline);

}  // namespace clustersim::apps
