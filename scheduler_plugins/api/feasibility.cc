#include "scheduler_plugins/api/feasibility.h"

namespace clustersim::plugins {

bool AttributesMatch(std::span<const Attribute> required, std::span<const Attribute> attributes) {
  for (const auto& [key, value] : required) {
    const std::string* have = nullptr;
    for (const auto& [k, v] : attributes) {
      if (k == key) {
        have = &v;
        break;
      }
    }
    if (have == nullptr || *have != value) return false;
  }
  return true;
}

}  // namespace clustersim::plugins
