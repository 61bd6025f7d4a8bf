#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
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
// Every agent's reservations are copied here at AddAgent into one flat table, their role paths as
// small numbers: a visit reads one contiguous run of it, not the agent's record and the strings
// it points to (a million reserved agents each visited every few seconds made those cache misses
// a third of the run, mutated seed 125888).
//
// Use: Begin(agent); Use(role, r) for each task and offer on it; Finish(); then Unreserved and
// OfferableTo. A reservation whose role and descendants have no registered framework stays idle
// (offered to nobody).
class ReservationLedger {
 public:
  // Roles are numbered in the order they are added (the master's RoleId).
  void AddRole(std::string name);
  // Agents are numbered in the order they are added (the cell's AgentId, from 0).
  void AddAgent(plugins::AgentId id, const plugins::AgentInfo& agent);

  // O(the agent's reservations).
  void Begin(plugins::AgentId agent);
  // O(depth × reservations).
  void Use(plugins::RoleId role, const plugins::Resources& r);
  void Finish();
  // After Finish: what of the agent's i-th reservation (AgentInfo::reservations[i]) is unused.
  const plugins::Resources& free(size_t i) const { return free_[i].amount; }

  // `available` less every free reservation, floored at zero: what any role may be offered.
  plugins::Resources Unreserved(const plugins::Resources& available) const;
  // What `role` may be offered: the unreserved part plus the free reservations of the role and
  // its ancestors. O(reservations × depth).
  plugins::Resources OfferableTo(plugins::RoleId role, const plugins::Resources& unreserved);

  // Whether `reserved_for` is `role` or one of its ancestors (`eng` for `eng/web`).
  static bool Covers(std::string_view reserved_for, std::string_view role);

 private:
  struct Reservation {
    uint32_t path;  // index in paths_
    plugins::Resources amount;
  };
  uint32_t InternPath(const std::string& path);
  // The reserved paths covering `role` (Covers), its own first, then its nearest ancestor's, and
  // so on up: the order Use charges them in.
  const std::vector<uint32_t>& Chain(plugins::RoleId role);

  std::vector<std::string> role_names_;  // by role id
  std::vector<std::string> paths_;       // every role path an agent reserves for
  std::unordered_map<std::string, uint32_t> path_ids_;
  // By role: Chain, and the number of paths when it was computed (a new path may cover it).
  std::vector<std::pair<std::vector<uint32_t>, size_t>> chains_;
  std::vector<Reservation> table_;     // every agent's reservations, agent after agent
  std::vector<uint32_t> first_ = {0};  // by agent: its first entry in table_; one past the end
  // The current agent's reservations (what of each is free) and what their roles use of them.
  std::vector<Reservation> free_;
  std::vector<plugins::Resources> used_;
};

}  // namespace clustersim::models
