#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/status.h"

namespace clustersim::apps {

// One step of a metric path: an object key, and for a list of named objects the element's name
// (`frameworks[name=web]` is key "frameworks", element "web").
struct MetricStep {
  std::string key;
  std::optional<std::string> element;
};

// A deterministic figure of a run, as a path into summary.json
// ("start_latency_s.by_os.windows.p99", "frameworks[name=web].tasks_finished"): an entry of the
// metric catalogue (results/metric_catalogue.h).
struct MetricPath {
  std::string name;  // the dotted path as written: the column name in CSV files
  // The catalogue's title, with the list element's name and " (s)" for seconds: the column
  // header of the Markdown tables ("Windows start latency, p99 (s)").
  std::string title;
  std::vector<MetricStep> steps;
  // Shown in the Markdown tables (compare.md, a sweep's summary.md), not only in the CSV files.
  bool headline = true;
  // A sparse catalogue entry summary.json always has when it is not 0 (pulls.prepulled_images,
  // tasks.by_reason.*): absent means 0, not "no value".
  bool zero_when_absent = false;
};

// The metrics compare and sweeps report unless told otherwise. Their Markdown tables show the
// headline ones, the questions a policy comparison asks first: how much work got done (tasks
// finished), how long tasks waited for resources (queue delay mean and p99), the Windows start
// tail this simulator exists for (p99, image pull included), how busy the cluster was (cpus
// utilization) and how fairly it was shared (Jain). The others (p50s, Linux start tail, job
// completion, mem utilization, declined offers) stay in every CSV file at full precision.
// Metrics a sweep file lists are all headline: someone chose them.
const std::vector<MetricPath>& DefaultMetrics();
// Parses a dotted path (list elements as `key[name=NAME]`) and checks it against the metric
// catalogue. Fails on a malformed path, on a path into the "run" object (not deterministic), on
// a label (not a number) and on a path the catalogue does not list, naming the closest ones.
sim::Result<MetricPath> ParseMetricPath(std::string_view dotted);
// The number at `m` in `summary`, or NaN if absent (0 for `zero_when_absent`), null (an empty
// statistic) or not a number.
double LookupMetric(const nlohmann::ordered_json& summary, const MetricPath& m);
// The column names `m` had before the catalogue (schema 1): the path's keys joined by '_' (a
// sweep's metric), and for a default metric its own name too ("start_p99_windows_s": compare,
// and a sweep without a metrics list). Only to recognise an old folder on --resume.
std::vector<std::string> LegacyColumnNames(const MetricPath& m);

// The non-deterministic figures of the summary's "run" object, in its order: wall time, events
// per second and the policies' own CPU time.
const std::vector<std::string>& TimingColumns();
// The number `name` of the summary's "run" object, or NaN if absent or not a number.
double LookupTiming(const nlohmann::ordered_json& summary, std::string_view name);

}  // namespace clustersim::apps
