#pragma once

#include <memory>
#include <vector>

#include "models/master/master.h"
#include "models/spec.h"
#include "sim/random.h"
#include "sim/simulator.h"

namespace clustersim::models {

// The scenario's `faults:` (FaultSpec): each entry fires at its time, or as a seeded process,
// over its agents — named, a group's, a rack's (the rack attribute's value, the same rack across
// groups), or every agent — all of them or a random part chosen afresh each time, and reaches
// the master as crashes, partitions or a failover. Each entry draws from its own stream
// ("faults.<index>"), so its times and choices do not depend on anything the policies do.
class FaultInjector {
 public:
  // `agent_group`: each agent's index in spec.groups (~0u for an agent a trace added).
  FaultInjector(sim::Simulator& sim, const ScenarioSpec& spec, Master& master,
                const std::vector<uint32_t>& agent_group);
  // Schedules every entry's first fault. Call once the scenario's agents are registered.
  void Start();

 private:
  struct Entry {
    const FaultSpec* spec;
    std::unique_ptr<sim::Rng> rng;
  };
  // The agents the entry names, as registered now (a trace may have added some). O(agents).
  std::vector<AgentId> Targets(const FaultSpec& f) const;
  void Fire(Entry& entry);
  // The scheduler of the framework `f` names disconnects, and reconnects `f.duration` later.
  void DisconnectFramework(const FaultSpec& f);
  void ScheduleNext(Entry& entry, sim::Time after);
  // The agents hit this time: all targets, or `count` / `fraction` of them, in id order.
  std::vector<AgentId> Choose(Entry& entry);

  sim::Simulator& sim_;
  const ScenarioSpec& spec_;
  Master& master_;
  const std::vector<uint32_t>& agent_group_;  // grows as a trace adds agents
  std::vector<Entry> entries_;
};

}  // namespace clustersim::models
