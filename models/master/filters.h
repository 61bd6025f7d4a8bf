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
//
// A revive does not free anything: it starts a new generation, and entries of older generations
// count as empty and are reused in place. Frameworks with continuous arrivals suppress and revive
// all the time, and freeing and reallocating every agent's entry at each revive was a third of a
// 12.5k-agent run's time in malloc.
class OfferFilters {
 public:
  void Add(plugins::AgentId agent, const plugins::Resources& refused, sim::Time expires) {
    std::vector<Filter>& list = Current(filters_[agent.value]);
    if (list.empty()) ++live_;
    list.push_back(Filter{refused, expires});
  }
  // True if an unexpired filter on `agent` covers `offered`. Drops the expired filters it meets.
  // O(filters on the agent): few, since a filter is added only when an offer passed the existing
  // ones, i.e. when the agent's available resources grew beyond every refused set.
  bool Blocks(plugins::AgentId agent, const plugins::Resources& offered, sim::Time now) {
    return BlockedUntil(agent, offered, now) > now;
  }
  // Until when `offered` on `agent` stays blocked: the latest expiry among the unexpired filters
  // covering it, or `now` when none does (not blocked). Drops the expired filters it meets, like
  // Blocks, of which it is the timed form: Blocks(a, r, now) == (BlockedUntil(a, r, now) > now).
  sim::Time BlockedUntil(plugins::AgentId agent, const plugins::Resources& offered, sim::Time now) {
    auto it = filters_.find(agent.value);
    if (it == filters_.end() || it->second.generation != generation_) return now;
    std::vector<Filter>& list = it->second.list;
    if (list.empty()) return now;
    std::erase_if(list, [&](const Filter& f) { return now >= f.expires; });
    if (list.empty()) {
      --live_;
      return now;
    }
    sim::Time until = now;
    for (const Filter& f : list) {
      if (f.refused.Contains(offered)) until = std::max(until, f.expires);
    }
    return until;
  }
  void Clear() {
    ++generation_;
    live_ = 0;
  }
  // Agents with at least one filter (expired ones are dropped lazily).
  size_t size() const { return live_; }

 private:
  struct Filter {
    plugins::Resources refused;
    sim::Time expires;
  };
  struct Entry {
    uint64_t generation = 0;
    std::vector<Filter> list;
  };
  std::vector<Filter>& Current(Entry& e) {
    if (e.generation != generation_) {
      e.list.clear();  // keeps its capacity
      e.generation = generation_;
    }
    return e.list;
  }

  std::unordered_map<uint32_t, Entry> filters_;
  uint64_t generation_ = 1;
  size_t live_ = 0;
};

}  // namespace clustersim::models
