#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "scheduler_plugins/api/ids.h"
#include "sim/time.h"

namespace clustersim::models {

using plugins::AgentId;
using plugins::FrameworkId;

// Mesos's Unavailability (mesos.proto:165-171): a window that starts at `start` and lasts
// `duration` (unset: for ever). Here an unset start means "no maintenance scheduled".
struct Unavailability {
  sim::Time start = sim::Time::Max();     // Max: none scheduled
  sim::Time duration = sim::Time::Max();  // Max: infinite
  bool scheduled() const { return !start.IsMax(); }
  sim::Time end() const { return start + duration; }  // saturates to Max when infinite
  bool operator==(const Unavailability&) const = default;
};

// A machine's maintenance mode (mesos.proto:197-212, docs/maintenance.md): UP normal; DRAINING
// scheduled for maintenance (offers carry the unavailability, frameworks get inverse offers);
// DOWN in maintenance (no agent, no offers, registration refused).
enum class MachineMode : uint8_t { kUp, kDraining, kDown };

// DRAIN_AGENT's DrainState (mesos.proto:3949-3959), plus none.
enum class DrainState : uint8_t { kNone, kDraining, kDrained };

// One inverse offer: the framework is asked to give back everything it holds on the agent (Mesos
// sends empty resources, meaning the whole agent, H:2605-2612) before the unavailability.
struct InverseOffer {
  AgentId agent;
  Unavailability unavailability;
};

// Per framework: inverse offers received and how it answered (summary.json
// frameworks[].inverse_offers).
struct InverseOfferCounts {
  uint64_t received = 0;
  uint64_t accepted = 0;
  uint64_t declined = 0;
};

// The allocator's maintenance bookkeeping (hierarchical.cpp's Slave::maintenance, H:997-1001,
// 1462-1492): each agent's unavailability and machine mode, and per (framework, agent) whether an
// inverse offer is outstanding and until when the framework's inverse-offer filter holds
// (RefusedInverseOfferFilter, H:153-175). Frameworks are the drivers' ids (not subscriptions):
// Mesos sends inverse offers per framework. Agents with maintenance are few, so their entries are
// small vectors searched linearly.
class InverseOfferBook {
 public:
  const Unavailability& unavailability(AgentId agent) const {
    return agent.index() < agents_.size() ? agents_[agent.index()].unavailability : kNone;
  }
  MachineMode mode(AgentId agent) const {
    return agent.index() < agents_.size() ? agents_[agent.index()].mode : MachineMode::kUp;
  }
  void SetMode(AgentId agent, MachineMode mode) { At(agent).mode = mode; }
  // Sets (or with an unscheduled window, clears) the agent's unavailability; every framework's
  // inverse-offer filter for the agent is erased (H:1478-1480).
  void SetUnavailability(AgentId agent, const Unavailability& window);
  // Agents with an unavailability, by increasing id (a deterministic order). A set: a window over
  // a million agents adds and removes a million of them.
  const std::set<AgentId>& scheduled() const { return scheduled_; }

  bool outstanding(FrameworkId framework, AgentId agent) const;
  // Whether the framework's inverse-offer filter for the agent still holds at `now`.
  bool filtered(FrameworkId framework, AgentId agent, sim::Time now) const;
  // The allocator made an inverse offer: outstanding until answered or rescinded. `delivered`:
  // the master sent it (counted as received); not when it dropped it for a deactivated agent.
  void MarkSent(FrameworkId framework, AgentId agent, bool delivered = true);
  // The framework answered: the offer is no longer outstanding; with `refuse` > 0 a filter holds
  // until now + refuse (H:1494-1591).
  void Answer(FrameworkId framework, AgentId agent, bool accept, sim::Time until);
  // Rescinds every outstanding inverse offer on the agent (Master::updateUnavailability,
  // deactivate) without filters (H:1538-1541: a rescind carries no filter).
  void RescindAll(AgentId agent);
  // Every framework's inverse-offer filter for the agent goes; outstanding inverse offers stay
  // (removeFilters on an attribute change, H:1134-1137, 1217-1233).
  void ClearAgentFilters(AgentId agent);
  // The framework's inverse-offer filters go (reviveRoles H:1802, deactivateFramework H:900).
  // O(agents under maintenance).
  void ClearFilters(FrameworkId framework);
  // The allocator forgets the agent (removeSlave): outstanding offers and filters go; its
  // unavailability and mode are the master's (machines outlive agents) and stay.
  void ForgetAgent(AgentId agent);

  const InverseOfferCounts& counts(FrameworkId framework) const {
    return framework.index() < counts_.size() ? counts_[framework.index()] : kNoCounts;
  }

 private:
  struct Entry {
    FrameworkId framework;
    bool outstanding = false;
    sim::Time filtered_until = sim::Time::Zero();
  };
  struct AgentState {
    Unavailability unavailability;
    MachineMode mode = MachineMode::kUp;
    std::vector<Entry> entries;
  };
  AgentState& At(AgentId agent) {
    if (agent.index() >= agents_.size()) agents_.resize(agent.index() + 1);
    return agents_[agent.index()];
  }
  Entry& EntryFor(FrameworkId framework, AgentId agent);
  const Entry* Find(FrameworkId framework, AgentId agent) const;
  InverseOfferCounts& CountsFor(FrameworkId framework) {
    if (framework.index() >= counts_.size()) counts_.resize(framework.index() + 1);
    return counts_[framework.index()];
  }

  static inline const Unavailability kNone{};
  static inline const InverseOfferCounts kNoCounts{};
  std::vector<AgentState> agents_;  // by agent id, grown on first use
  std::set<AgentId> scheduled_;
  std::vector<InverseOfferCounts> counts_;  // by framework id
};

}  // namespace clustersim::models
