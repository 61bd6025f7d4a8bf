#include "apps/run_metrics.h"

#include <cmath>
#include <limits>

namespace clustersim::apps {

const std::vector<MetricPath>& DefaultMetrics() {
  static const std::vector<MetricPath> kMetrics = {
      {"tasks_finished", {"tasks", "finished"}},
      {"queue_delay_mean_s", {"queue_delay_s", "mean"}},
      {"queue_delay_p99_s", {"queue_delay_s", "p99"}},
      {"start_p50_linux_s", {"start_latency_s", "by_os", "linux", "p50"}, false},
      {"start_p99_linux_s", {"start_latency_s", "by_os", "linux", "p99"}, false},
      {"start_p50_windows_s", {"start_latency_s", "by_os", "windows", "p50"}, false},
      {"start_p99_windows_s", {"start_latency_s", "by_os", "windows", "p99"}},
      {"job_completion_mean_s", {"job_completion_s", "mean"}, false},
      {"utilization_cpus", {"utilization", "cpus"}},
      {"utilization_mem", {"utilization", "mem"}, false},
      {"fairness_jain", {"fairness_jain"}},
      {"offers_declined", {"offers", "declined"}, false},
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

const std::vector<std::string>& TimingColumns() {
  static const std::vector<std::string> kColumns = {"wall_seconds",
                                                    "events_per_second",
                                                    "policy_cpu_us_per_cycle",
                                                    "policy_cpu_us_per_round",
                                                    "policy_cpu_s_allocator",
                                                    "policy_cpu_s_placement"};
  return kColumns;
}

double LookupTiming(const nlohmann::ordered_json& summary, std::string_view name) {
  return LookupMetric(summary, MetricPath{std::string(name), {"run", std::string(name)}});
}

}  // namespace clustersim::apps
