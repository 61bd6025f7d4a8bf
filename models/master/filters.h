#pragma once

#include <unordered_map>

#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/resources.h"
#include "sim/time.h"

namespace clustersim::models {

// One framework's decline filters, as Mesos keeps them: after refusing resources R on an agent for
// d > 0, the framework is not offered a subset of R on that agent until the filter expires.
// A revive clears them all.
class OfferFilters {
 public:
  void Add(plugins::AgentId agent, const plugins::Resources& refused, sim::Time expires) {
    filters_[agent.value] = Filter{refused, expires};
  }
  // True if an unexpired filter on `agent` covers `offered`. Drops an expired filter it meets.
  bool Blocks(plugins::AgentId agent, const plugins::Resources& offered, sim::Time now) {
    auto it = filters_.find(agent.value);
    if (it == filters_.end()) return false;
    if (now >= it->second.expires) {
      filters_.erase(it);
      return false;
    }
    return it->second.refused.Contains(offered);
  }
  void Clear() { filters_.clear(); }
  size_t size() const { return filters_.size(); }

 private:
  struct Filter {
    plugins::Resources refused;
    sim::Time expires;
  };
  std::unordered_map<uint32_t, Filter> filters_;
};

}  // namespace clustersim::models
