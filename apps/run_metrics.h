#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/status.h"

namespace clustersim::apps {

// A deterministic figure of a run, as a path into summary.json
// ("start_latency_s.by_os.windows.p99").
struct MetricPath {
  std::string name;  // column name in CSV files
  std::vector<std::string> keys;
  // Shown in the Markdown tables (compare.md, a sweep's summary.md), not only in the CSV files.
  bool headline = true;
};

// The metrics compare and sweeps report unless told otherwise. Their Markdown tables show the
// headline ones, the questions a policy comparison asks first: how much work got done (tasks
// finished), how long tasks waited for resources (queue delay mean and p99), the Windows start
// tail this simulator exists for (p99, image pull included), how busy the cluster was (cpus
// utilization) and how fairly it was shared (Jain). The others (p50s, Linux start tail, job
// completion, mem utilization, declined offers) stay in every CSV file at full precision.
// Metrics a sweep file lists are all headline: someone chose them.
const std::vector<MetricPath>& DefaultMetrics();
// Parses "a.b.c" (named "a_b_c"); fails on an empty key or on a path into the "run" object, which
// is not deterministic.
sim::Result<MetricPath> ParseMetricPath(std::string_view dotted);
// The number at `m` in `summary`, or NaN if absent or not a number.
double LookupMetric(const nlohmann::ordered_json& summary, const MetricPath& m);

// The non-deterministic figures of the summary's "run" object, in its order: wall time, events
// per second and the policies' own CPU time.
const std::vector<std::string>& TimingColumns();
// The number `name` of the summary's "run" object, or NaN if absent or not a number.
double LookupTiming(const nlohmann::ordered_json& summary, std::string_view name);

}  // namespace clustersim::apps
