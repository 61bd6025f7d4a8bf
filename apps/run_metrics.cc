#include "apps/run_metrics.h"

#include <cmath>
#include <limits>

namespace clustersim::apps {

const std::vector<MetricPath>& DefaultMetrics() {
  static const std::vector<MetricPath> kMetrics = {
      {"tasks_finished", {"tasks", "finished"}},
      {"queue_delay_mean_s", {"queue_delay_s", "mean"}},
      {"queue_delay_p99_s", {"queue_delay_s", "p99"}},
      {"start_p50_linux_s", {"start_latency_s", "by_os", "linux", "p50"}},
      {"start_p99_linux_s", {"start_latency_s", "by_os", "linux", "p99"}},
      {"start_p50_windows_s", {"start_latency_s", "by_os", "windows", "p50"}},
      {"start_p99_windows_s", {"start_latency_s", "by_os", "windows", "p99"}},
      {"job_completion_mean_s", {"job_completion_s", "mean"}},
      {"utilization_cpus", {"utilization", "cpus"}},
      {"utilization_mem", {"utilization", "mem"}},
      {"fairness_jain", {"fairness_jain"}},
      {"offers_declined", {"offers", "declined"}},
  };
  return kMetrics;
}

sim::Result<MetricPath> ParseMetricPath(std::string_view dotted) {
  MetricPath m;
  size_t start = 0;
  while (start <= dotted.size()) {
    const size_t dot = dotted.find('.', start);
    const std::string_view key =
        dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (key.empty()) {
      return sim::Status::Error("metric '" + std::string(dotted) +
                                "': expected a dotted path into summary.json like "
                                "start_latency_s.by_os.windows.p99");
    }
    m.keys.emplace_back(key);
    if (!m.name.empty()) m.name += '_';
    m.name += key;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (m.keys.front() == "run") {
    return sim::Status::Error(
        "metric '" + std::string(dotted) +
        "': the run object is not deterministic (wall time goes to timing.csv)");
  }
  return m;
}

double LookupMetric(const nlohmann::ordered_json& summary, const MetricPath& m) {
  const nlohmann::ordered_json* node = &summary;
  for (const std::string& key : m.keys) {
    if (!node->is_object() || !node->contains(key)) return std::numeric_limits<double>::quiet_NaN();
    node = &(*node)[key];
  }
  return node->is_number() ? node->get<double>() : std::numeric_limits<double>::quiet_NaN();
}

std::vector<std::pair<std::string, double>> TimingFields(const nlohmann::ordered_json& summary) {
  std::vector<std::pair<std::string, double>> out;
  if (!summary.contains("run")) return out;
  for (const auto& [key, value] : summary["run"].items()) {
    if (value.is_number() &&
        (key == "wall_seconds" || key == "events_per_second" || key.rfind("policy_", 0) == 0)) {
      out.emplace_back(key, value.get<double>());
    }
  }
  return out;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace clustersim::apps
