#include "apps/run_metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "results/metric_catalogue.h"
#include "sim/check.h"

namespace clustersim::apps {
namespace {

sim::Status BadPath(std::string_view dotted, std::string_view why) {
  return sim::Status::Error(
      fmt::format("metric '{}': {}; expected a dotted path into summary.json like "
                  "start_latency_s.by_os.windows.p99 or frameworks[name=web].tasks_finished",
                  dotted, why));
}

// Splits `dotted` into steps; a `[name=...]` selector may hold dots.
sim::Result<std::vector<MetricStep>> SplitPath(std::string_view dotted) {
  std::vector<MetricStep> steps;
  size_t i = 0;
  while (true) {
    MetricStep step;
    while (i < dotted.size() && dotted[i] != '.' && dotted[i] != '[') step.key += dotted[i++];
    if (step.key.empty()) return BadPath(dotted, "empty key");
    if (i < dotted.size() && dotted[i] == '[') {
      constexpr std::string_view kOpen = "[name=";
      const size_t close = dotted.find(']', i);
      if (dotted.substr(i, kOpen.size()) != kOpen || close == std::string_view::npos ||
          close == i + kOpen.size()) {
        return BadPath(dotted, "a list element is selected as [name=NAME]");
      }
      step.element = std::string(dotted.substr(i + kOpen.size(), close - i - kOpen.size()));
      i = close + 1;
    }
    steps.push_back(std::move(step));
    if (i == dotted.size()) return steps;
    if (dotted[i] != '.') return BadPath(dotted, "expected '.' after ']'");
    ++i;
  }
}

std::string HeaderTitle(const results::CatalogueEntry& entry, std::string_view dotted) {
  return results::DisplayTitle(entry, dotted) + (entry.unit == "s" ? " (s)" : "");
}

MetricPath Default(std::string_view dotted, bool headline = true) {
  auto m = ParseMetricPath(dotted);
  SIM_CHECK_MSG(m.ok(), m.status().message().c_str());
  m->headline = headline;
  return std::move(*m);
}

// The names compare.csv and runs.csv used for the default metrics before the catalogue.
const std::vector<std::pair<std::string_view, std::string_view>>& LegacyDefaultNames() {
  static const std::vector<std::pair<std::string_view, std::string_view>> kNames = {
      {"tasks.finished", "tasks_finished"},
      {"queue_delay_s.mean", "queue_delay_mean_s"},
      {"queue_delay_s.p99", "queue_delay_p99_s"},
      {"start_latency_s.by_os.linux.p50", "start_p50_linux_s"},
      {"start_latency_s.by_os.linux.p99", "start_p99_linux_s"},
      {"start_latency_s.by_os.windows.p50", "start_p50_windows_s"},
      {"start_latency_s.by_os.windows.p99", "start_p99_windows_s"},
      {"job_completion_s.mean", "job_completion_mean_s"},
      {"utilization.cpus", "utilization_cpus"},
      {"utilization.mem", "utilization_mem"},
      {"fairness_jain", "fairness_jain"},
      {"offers.declined", "offers_declined"},
  };
  return kNames;
}

}  // namespace

const std::vector<MetricPath>& DefaultMetrics() {
  static const std::vector<MetricPath> kMetrics = {
      Default("tasks.finished"),
      Default("queue_delay_s.mean"),
      Default("queue_delay_s.p99"),
      Default("start_latency_s.by_os.linux.p50", false),
      Default("start_latency_s.by_os.linux.p99", false),
      Default("start_latency_s.by_os.windows.p50", false),
      Default("start_latency_s.by_os.windows.p99"),
      Default("job_completion_s.mean", false),
      Default("utilization.cpus"),
      Default("utilization.mem", false),
      Default("fairness_jain"),
      Default("offers.declined", false),
  };
  return kMetrics;
}

sim::Result<MetricPath> ParseMetricPath(std::string_view dotted) {
  SIM_ASSIGN_OR_RETURN(std::vector<MetricStep> steps, SplitPath(dotted));
  if (steps.front().key == "run") {
    return sim::Status::Error(
        fmt::format("metric '{}': the run object is not deterministic (wall time goes to "
                    "timing.csv)",
                    dotted));
  }
  const results::CatalogueEntry* entry = results::FindCatalogueEntry(dotted);
  if (entry == nullptr) {
    std::string closest;
    for (const std::string& path : results::ClosestCataloguePaths(dotted, 3)) {
      closest += (closest.empty() ? "" : ", ") + path;
    }
    return sim::Status::Error(
        fmt::format("metric '{}' is not in the metric catalogue (`clustersim metrics` lists it); "
                    "closest: {}",
                    dotted, closest));
  }
  if (entry->kind == results::FieldKind::kLabel) {
    return sim::Status::Error(
        fmt::format("metric '{}' is a label ({}), not a number", dotted, entry->title));
  }
  if (entry->kind == results::FieldKind::kSeries) {
    return sim::Status::Error(
        fmt::format("metric '{}' is a list of numbers ({}), not one number", dotted, entry->title));
  }
  const bool element = std::any_of(steps.begin(), steps.end(),
                                   [](const MetricStep& s) { return s.element.has_value(); });
  const bool zero_when_absent =
      entry->sparse && !element && entry->when == std::vector{results::Presence::kAlways};
  return MetricPath{std::string(dotted), HeaderTitle(*entry, dotted), std::move(steps), true,
                    zero_when_absent};
}

double LookupMetric(const nlohmann::ordered_json& summary, const MetricPath& m) {
  const double kMissing = m.zero_when_absent ? 0.0 : std::numeric_limits<double>::quiet_NaN();
  const nlohmann::ordered_json* node = &summary;
  for (const MetricStep& step : m.steps) {
    if (!node->is_object() || !node->contains(step.key)) return kMissing;
    node = &(*node)[step.key];
    if (!step.element) continue;
    if (!node->is_array()) return kMissing;
    const nlohmann::ordered_json* found = nullptr;
    for (const auto& element : *node) {
      if (element.is_object() && element.value("name", std::string()) == *step.element) {
        found = &element;
        break;
      }
    }
    if (found == nullptr) return kMissing;
    node = found;
  }
  return node->is_number() ? node->get<double>() : kMissing;
}

std::vector<std::string> LegacyColumnNames(const MetricPath& m) {
  std::string joined;
  for (const MetricStep& step : m.steps) joined += (joined.empty() ? "" : "_") + step.key;
  std::vector<std::string> names = {joined};
  for (const auto& [path, old] : LegacyDefaultNames()) {
    if (path == m.name && old != joined) names.emplace_back(old);
  }
  return names;
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
  const nlohmann::ordered_json* run = summary.contains("run") ? &summary["run"] : nullptr;
  if (run == nullptr || !run->is_object() || !run->contains(name)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const auto& v = (*run)[std::string(name)];
  return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace clustersim::apps
