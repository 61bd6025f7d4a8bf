#include "scheduler_plugins/api/cluster_view.h"

namespace clustersim::plugins {

const std::string* AgentInfo::Attribute(std::string_view key) const {
  for (const auto& [k, v] : attributes) {
    if (k == key) return &v;
  }
  return nullptr;
}

}  // namespace clustersim::plugins
