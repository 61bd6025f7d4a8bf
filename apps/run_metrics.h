#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/status.h"

namespace clustersim::apps {

// A deterministic figure of a run, as a path into summary.json
// ("start_latency_s.by_os.windows.p99").
struct MetricPath {
  std::string name;  // column name in CSV files
  std::vector<std::string> keys;
};

// The metrics compare and sweeps report unless told otherwise.
const std::vector<MetricPath>& DefaultMetrics();
// Parses "a.b.c" (named "a_b_c"); fails on an empty key or on a path into the "run" object, which
// is not deterministic.
sim::Result<MetricPath> ParseMetricPath(std::string_view dotted);
// The number at `m` in `summary`, or NaN if absent or not a number.
double LookupMetric(const nlohmann::ordered_json& summary, const MetricPath& m);

// Non-deterministic figures from the "run" object: wall time and the policies' own CPU time.
std::vector<std::pair<std::string, double>> TimingFields(const nlohmann::ordered_json& summary);

// Quotes a CSV field if it needs it.
std::string CsvField(std::string_view s);

}  // namespace clustersim::apps
