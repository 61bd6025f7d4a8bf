#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/cluster.h"

namespace clustersim::results {

// A role's quota as configured (master.quotas: {ROLE: {guarantee, limit}}, or drf-quota's alias);
// the runner reads it from the scenario, since results/ cannot see the allocator.
struct QuotaConfig {
  plugins::Resources guarantee;
  plugins::Resources limit;
  uint32_t limit_kinds = 0;  // bit k: limit[k] applies (a kind not named has no limit)
  bool HasLimit(int kind) const { return (limit_kinds >> kind) & 1u; }
};
using QuotaConfigs = std::map<std::string, QuotaConfig>;

// summary.json's `roles`: per role, integrated over simulated time, what its tasks hold
// (allocated only: outstanding offers are not use), the static reservations of its name on active
// agents and the part of them its tasks use (a role's tasks on an agent use its reservation there
// first, as the master's ReservationLedger offers it), and against its quota the time its
// guarantee was met and the time it was at its limit. Roles are those of the frameworks, plus any
// named only by a quota or a reservation. Documented in results/README.md.
//
// Costs: O(1) per allocation change (O(reservations of the agent) on an agent with reservations),
// O(reservations) per agent up or down; memory O(roles + agents with reservations).
class RoleUsage {
 public:
  RoleUsage(const models::Cluster& cluster, QuotaConfigs quotas);

  // A task's allocation was added to (`add`) or removed from its agent at `now`.
  void OnAllocation(const models::Task& task, bool add, sim::Time now);
  // An agent came up or went down at `now`.
  void OnAgent(const plugins::AgentInfo& agent, bool up, sim::Time now);
  // Closes the integrals at `now`, the end of the run.
  void Finish(sim::Time now);
  // Starts the integrals again from `now` (results.warmup), with what is held and reserved now.
  void Restart(sim::Time now);
  // The "roles" array, averaged over `span_s` (the measured simulated seconds). After Finish.
  nlohmann::ordered_json ToJson(double span_s) const;

 private:
  using Areas = std::array<double, plugins::kMaxResourceKinds>;  // amount x seconds, per kind
  struct Role {
    std::string name;
    std::optional<QuotaConfig> quota;
    plugins::Resources allocated, reserved, reserved_used;
    plugins::Resources smallest_charge;  // per kind, the smallest positive task charge seen
    bool has_reservation = false;        // some agent ever reserved for it
    sim::Time since = sim::Time::Zero();
    Areas allocated_area{}, reserved_area{}, used_area{};
    double at_limit_s = 0, guarantee_met_s = 0;
  };
  // One reservation on one agent, with what the role's tasks there hold.
  struct AgentReservation {
    uint32_t role;
    plugins::Resources reserved, held;
    bool active = false;
  };

  uint32_t Index(const std::string& name);
  uint32_t IndexOf(plugins::RoleId id);
  void Advance(Role& r, sim::Time now);
  bool AtLimit(const Role& r) const;
  nlohmann::ordered_json RoleJson(const Role& r, double span_s) const;

  const models::Cluster& cluster_;
  QuotaConfigs quotas_;
  int kinds_;  // resource kinds in use (fixed once the scenario is loaded)
  std::vector<Role> roles_;
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<uint32_t> by_role_id_;                   // master RoleId -> index into roles_
  std::vector<std::vector<AgentReservation>> agents_;  // by agent id; empty: no reservation
};

}  // namespace clustersim::results
