#include "models/workload/framework_mapping.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace clustersim::models {
namespace {

using By = FrameworkMapping::By;

std::string_view FormatName(TraceFormat format) {
  switch (format) {
    case TraceFormat::kGoogle2011:
      return "google2011";
    case TraceFormat::kAlibaba2018:
      return "alibaba2018";
    case TraceFormat::kAlibaba2017:
      return "alibaba2017";
    case TraceFormat::kSwf:
      return "swf";
    case TraceFormat::kCsv:
      return "csv";
  }
  return "?";
}

bool HasColumn(const TraceSpec& t, std::string_view role) {
  return std::any_of(t.csv_columns.begin(), t.csv_columns.end(),
                     [&](const auto& c) { return c.first == role; });
}

}  // namespace

std::string_view MappingRuleName(By by) {
  switch (by) {
    case By::kAll:
      return "all";
    case By::kUser:
      return "user";
    case By::kSchedulingClass:
      return "scheduling_class";
    case By::kPriorityBand:
      return "priority_band";
  }
  return "?";
}

uint32_t MapToFramework(const FrameworkMapping& map, size_t frameworks, const TraceJobKeys& keys) {
  const size_t n = std::max<size_t>(frameworks, 1);
  switch (map.by) {
    case By::kAll:
      return 0;
    case By::kUser: {
      if (keys.user_id) {
        return *keys.user_id > 0 ? static_cast<uint32_t>(static_cast<uint64_t>(*keys.user_id) % n)
                                 : 0;
      }
      // FNV-1a: stable across builds and platforms (std::hash is neither), so a user lands on
      // the same framework everywhere.
      uint64_t h = 0xcbf29ce484222325ULL;
      for (const char c : keys.user) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
      }
      return static_cast<uint32_t>(h % n);
    }
    case By::kSchedulingClass:
      return static_cast<uint32_t>(std::min<size_t>(std::max(keys.scheduling_class, 0), n - 1));
    case By::kPriorityBand: {
      const int priority = std::max(keys.priority, 0);
      const std::vector<int>& edges = map.priority_edges;
      size_t band = 0;
      while (band < edges.size() && priority >= edges[band]) ++band;
      return static_cast<uint32_t>(std::min(band, n - 1));
    }
  }
  return 0;
}

sim::Status CheckMappingFits(const TraceSpec& t) {
  std::vector<By> rules = {By::kAll};
  std::string_view lacks;
  switch (t.format) {
    case TraceFormat::kGoogle2011:
      rules = {By::kAll, By::kUser, By::kSchedulingClass, By::kPriorityBand};
      break;
    case TraceFormat::kSwf:
      rules = {By::kAll, By::kUser};
      lacks = "SWF logs have a user id (field 12) but no scheduling class or priority";
      break;
    case TraceFormat::kAlibaba2018:
      lacks =
          "batch_task rows give a job name and a task type but no user, scheduling class or "
          "priority";
      break;
    case TraceFormat::kAlibaba2017:
      lacks = "server_event rows are machine events, with no jobs";
      break;
    case TraceFormat::kCsv:
      if (HasColumn(t, "user")) rules.push_back(By::kUser);
      if (HasColumn(t, "scheduling_class")) rules.push_back(By::kSchedulingClass);
      if (HasColumn(t, "priority")) rules.push_back(By::kPriorityBand);
      break;
  }
  if (std::find(rules.begin(), rules.end(), t.map.by) != rules.end()) return sim::Status::Ok();
  std::string names;
  for (By r : rules) {
    if (!names.empty()) names += ", ";
    names += MappingRuleName(r);
  }
  if (t.format == TraceFormat::kCsv) {
    const std::string_view role = t.map.by == By::kUser              ? "user"
                                  : t.map.by == By::kSchedulingClass ? "scheduling_class"
                                                                     : "priority";
    return sim::Status::Error(fmt::format(
        "trace format csv maps jobs by '{}' only with a '{}' column in trace.columns; with "
        "these columns it supports: {}",
        MappingRuleName(t.map.by), role, names));
  }
  return sim::Status::Error(
      fmt::format("trace format {} cannot map jobs by '{}' ({}); it supports: {}",
                  FormatName(t.format), MappingRuleName(t.map.by), lacks, names));
}

}  // namespace clustersim::models
