#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scheduler_plugins/api/cluster_view.h"
#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/resources.h"

namespace clustersim::models {

// Static reservations on one agent at a time: what of each reservation (AgentInfo::reservations,
// by role name) its role leaves unused, given the role's tasks and outstanding offers there — they
// use the reservation first. Only agents with reservations pay for it.
//
// Use: Begin(agent); Use(role, r) for each task and offer on it; Finish(); then Unreserved and
// OfferableTo. A reservation whose role has no registered framework yet stays idle (offered to
// nobody).
class ReservationLedger {
 public:
  // Roles are numbered in the order they are added (the master's RoleId).
  void AddRole(std::string name) { role_names_.push_back(std::move(name)); }

  // O(reservations x roles).
  void Begin(const plugins::AgentInfo& agent);
  void Use(plugins::RoleId role, const plugins::Resources& r) {
    for (size_t i = 0; i < free_.size(); ++i) {
      if (free_[i].first == role.value) used_[i] += r;
    }
  }
  void Finish();
  // After Finish: what of the agent's i-th reservation (AgentInfo::reservations[i]) is unused.
  const plugins::Resources& free(size_t i) const { return free_[i].second; }

  // `available` less every free reservation, floored at zero: what any role may be offered.
  plugins::Resources Unreserved(const plugins::Resources& available) const;
  // What `role` may be offered: the unreserved part plus its own free reservations.
  plugins::Resources OfferableTo(plugins::RoleId role, const plugins::Resources& unreserved) const {
    plugins::Resources offerable = unreserved;
    for (const auto& [r, free] : free_) {
      if (r == role.value) offerable += free;
    }
    return offerable;
  }

 private:
  static constexpr uint32_t kNoRole = UINT32_MAX;
  std::vector<std::string> role_names_;  // by role id
  // Per reservation of the current agent: (role id or kNoRole, what of it is free).
  std::vector<std::pair<uint32_t, plugins::Resources>> free_;
  std::vector<plugins::Resources> used_;
};

}  // namespace clustersim::models
