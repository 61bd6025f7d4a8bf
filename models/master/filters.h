#pragma once

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/resources.h"
#include "sim/time.h"

namespace clustersim::models {

// One framework's decline filters, as Mesos keeps them: after refusing resources R on an agent for
// d > 0, the framework is not offered a subset of R on that agent until the filter expires.
// Like Mesos (a set of filters per agent), every unexpired filter counts: a later refusal on the
// same agent adds a filter rather than replacing the earlier one. A revive clears them all.
class OfferFilters {
 public:
  void Add(plugins::AgentId agent, const plugins::Resources& refused, sim::Time expires) {
    filters_[agent.value].push_back(Filter{refused, expires});
  }
  // True if an unexpired filter on `agent` covers `offered`. Drops the expired filters it meets.
  // O(filters on the agent): few, since a filter is added only when an offer passed the existing
  // ones, i.e. when the agent's available resources grew beyond every refused set.
  bool Blocks(plugins::AgentId agent, const plugins::Resources& offered, sim::Time now) {
    auto it = filters_.find(agent.value);
    if (it == filters_.end()) return false;
    std::vector<Filter>& list = it->second;
    std::erase_if(list, [&](const Filter& f) { return now >= f.expires; });
    if (list.empty()) {
      filters_.erase(it);
      return false;
    }
    for (const Filter& f : list) {
      if (f.refused.Contains(offered)) return true;
    }
    return false;
  }
  // Until when `offered` on `agent` stays blocked: the latest expiry among the unexpired filters
  // covering it, or `now` when none does (not blocked). Drops the expired filters it meets, like
  // Blocks, of which it is the timed form: Blocks(a, r, now) == (BlockedUntil(a, r, now) > now).
  sim::Time BlockedUntil(plugins::AgentId agent, const plugins::Resources& offered, sim::Time now) {
    auto it = filters_.find(agent.value);
    if (it == filters_.end()) return now;
    std::vector<Filter>& list = it->second;
    std::erase_if(list, [&](const Filter& f) { return now >= f.expires; });
    if (list.empty()) {
      filters_.erase(it);
      return now;
    }
    sim::Time until = now;
    for (const Filter& f : list) {
      if (f.refused.Contains(offered)) until = std::max(until, f.expires);
    }
    return until;
  }
  void Clear() { filters_.clear(); }
  // Agents with at least one filter (expired ones are dropped lazily).
  size_t size() const { return filters_.size(); }

 private:
  struct Filter {
    plugins::Resources refused;
    sim::Time expires;
  };
  std::unordered_map<uint32_t, std::vector<Filter>> filters_;
};

}  // namespace clustersim::models
