#include "models/workload/framework_mapping.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace clustersim::models {
namespace {

using By = FrameworkMapping::By;

}  // namespace

std::string_view MappingRuleName(By by) {
  // In the order of FrameworkMapping::By.
  static constexpr std::string_view kNames[] = {"all", "user", "scheduling_class", "priority_band"};
  return kNames[static_cast<int>(by)];
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

std::string MappingRuleNames(std::initializer_list<By> rules) {
  std::string names;
  for (By r : rules) {
    if (!names.empty()) names += ", ";
    names += MappingRuleName(r);
  }
  return names;
}

sim::Status CheckMappingRules(const TraceSpec& t, std::initializer_list<By> rules,
                              std::string_view lacks) {
  if (std::find(rules.begin(), rules.end(), t.map.by) != rules.end()) return sim::Status::Ok();
  return sim::Status::Error(
      fmt::format("trace format {} cannot map jobs by '{}' ({}); it supports: {}", t.format,
                  MappingRuleName(t.map.by), lacks, MappingRuleNames(rules)));
}

}  // namespace clustersim::models
