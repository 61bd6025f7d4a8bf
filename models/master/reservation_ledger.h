#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scheduler_plugins/api/cluster_view.h"
#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/resources.h"

namespace clustersim::models {

// Static reservations on one agent at a time: what of each reservation (AgentInfo::reservations,
// by role path) its role and the roles below it leave unused, given their tasks and outstanding
// offers there. A reservation for `eng` may be offered to frameworks of `eng`, `eng/web`,
// `eng/web/x`, ... (Mesos allocatableTo, hierarchical.cpp:2190/2425; test
// OfferAncestorReservationsToDescendantChild). Resources here are quantities without identity, so
// a role's usage is charged to its own reservation first, then to its nearest ancestor's, and so
// on up, the rest being unreserved (Mesos knows which reservation each resource came from).
// Only agents with reservations pay for it.
//
// Use: Begin(agent); Use(role, r) for each task and offer on it; Finish(); then Unreserved and
// OfferableTo. A reservation whose role and descendants have no registered framework stays idle
// (offered to nobody).
class ReservationLedger {
 public:
  // Roles are numbered in the order they are added (the master's RoleId).
  void AddRole(std::string name) { role_names_.push_back(std::move(name)); }

  // O(reservations x roles).
  void Begin(const plugins::AgentInfo& agent);
  // O(depth × reservations).
  void Use(plugins::RoleId role, const plugins::Resources& r);
  void Finish();
  // After Finish: what of the agent's i-th reservation (AgentInfo::reservations[i]) is unused.
  const plugins::Resources& free(size_t i) const { return free_[i].second; }

  // `available` less every free reservation, floored at zero: what any role may be offered.
  plugins::Resources Unreserved(const plugins::Resources& available) const;
  // What `role` may be offered: the unreserved part plus its own free reservations.
  // What `role` may be offered: the unreserved part plus the free reservations of the role and
  // its ancestors. O(reservations).
  plugins::Resources OfferableTo(plugins::RoleId role, const plugins::Resources& unreserved) const;

  // Whether `reserved_for` is `role` or one of its ancestors (`eng` for `eng/web`).
  static bool Covers(std::string_view reserved_for, std::string_view role);

 private:
  std::vector<std::string> role_names_;  // by role id
  // Per reservation of the current agent: (its role path, what of it is free).
  std::vector<std::pair<std::string_view, plugins::Resources>> free_;
  std::vector<plugins::Resources> used_;
};

}  // namespace clustersim::models
