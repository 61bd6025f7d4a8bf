#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scheduler_plugins/api/allocator_policy.h"
#include "scheduler_plugins/api/policy_params.h"
#include "sim/status.h"

namespace clustersim::plugins {

// How DRF orders clients (roles, frameworks) whose weighted shares are equal.
enum class DrfTieBreak {
  // As Mesos's DRF sorter (sorter/drf/sorter.hpp:421-432 compareDRF): fewer offers received first
  // (the allocation count, ClusterView::*_offer_count), then the client's path — role names as
  // strings; for frameworks, registration order, which stands in for Mesos's sequential framework
  // ids. Two frameworks at the same share that keep declining one agent get it in turn.
  kMesos,
  // clustersim before issue 14, not Mesos: registration order only (a role by its first
  // framework's), so the first of them gets every such offer.
  kRegistration,
};

// The `tie_break` parameter of the DRF-based allocators: `mesos` (default) or `registration`.
sim::Result<DrfTieBreak> ParseDrfTieBreak(PolicyParams& params);

// Hierarchical weighted Dominant Resource Fairness (Ghodsi et al., NSDI'11), as Mesos's DRFSorter
// applies it at two levels: roles by dominant share divided by weight, then the role's frameworks
// by their own dominant share; ties as DrfTieBreak says. Shares count offered resources too.
//
// With role priorities (the `priority` policy) roles are ordered by priority first, highest first,
// and by weighted share within a priority level; roles not listed have `default_priority`.
//
// Orders are kept in balanced trees updated on every allocation change (O(log F) each; the
// offer count is part of the key), so a cycle costs O(agents × log F) rather than a sort of all
// frameworks per agent.
class DrfAllocator final : public AllocatorPolicy {
 public:
  explicit DrfAllocator(DrfTieBreak tie_break = DrfTieBreak::kMesos) : tie_break_(tie_break) {}
  // Role name -> priority (higher goes first).
  DrfAllocator(std::map<std::string, double> role_priority, double default_priority = 0,
               DrfTieBreak tie_break = DrfTieBreak::kMesos);

  void FrameworkAdded(const ClusterView& view, FrameworkId id) override;
  void FrameworkRemoved(const ClusterView& view, FrameworkId id) override;
  void AllocationChanged(const ClusterView& view, FrameworkId id) override;
  void TotalChanged(const ClusterView& view) override;
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override;
  // Roles by weighted share (Mesos's role sorter), and one role's frameworks: O(k) for k visited.
  void VisitRolesInOrder(const ClusterView& view, AgentId agent,
                         FunctionRef<bool(RoleId)> visit) override;
  // O(k log k) for k roles.
  void OrderRoles(const ClusterView& view, AgentId agent, std::vector<RoleId>& roles) override;
  void VisitRoleInOrder(const ClusterView& view, AgentId agent, RoleId role,
                        FunctionRef<bool(FrameworkId)> visit) override {
    VisitRole(role, visit);
  }

  // For policies built on this order (locality-drf): visits the frameworks of one role
  // in their DRF order until `visit` returns true; returns whether it did. O(k) for k visited.
  bool VisitRole(RoleId role, FunctionRef<bool(FrameworkId)> visit) const;
  // Whether the role has registered (and not removed) frameworks.
  bool HasRole(RoleId role) const;

 private:
  // Mesos's compareDRF (sorter/drf/sorter.hpp:421-432): share (already divided by the weight,
  // sorter.cpp:593), then the allocation count, then the path. The path is, for a role with
  // kMesos, the rank of its name in byte order (NameRank); for a framework, or with
  // kRegistration, the registration order. Plain numbers, so a comparison never reads a string.
  struct Key {
    double rank = 0;  // -priority: higher priorities sort first
    double share = 0;
    uint64_t count = 0;     // offers received (0 with kRegistration)
    uint64_t tiebreak = 0;  // name rank or registration order, above
    uint32_t id = 0;
    auto operator<=>(const Key&) const = default;
  };
  struct RoleState {
    std::set<Key> frameworks;
    Key key;
    bool in_order = false;
    // The role's offer count when it (re)entered the order: Mesos drops a role from its sorter
    // with its last framework (hierarchical.cpp:3012-3016), and a re-added one starts at 0.
    uint64_t count_base = 0;
    std::string name;  // with kMesos, for NameRank
  };

  RoleState& Role(RoleId id);
  // The rank of a role name among those seen, in byte order, spaced kNameGap apart so that a new
  // name usually takes the midpoint of its neighbours; when none is left, every name is renumbered
  // and the roles in order are rekeyed (O(R log R), rare: roles appear with their first framework).
  uint64_t NameRank(const std::string& name);
  void UpdateFramework(const ClusterView& view, FrameworkId id);
  void UpdateRole(const ClusterView& view, RoleId id);
  static void Rekey(std::set<Key>& set, Key& stored, Key fresh);

  DrfTieBreak tie_break_;
  std::map<std::string, double> role_priority_;
  double default_priority_ = 0;
  std::set<Key> roles_;
  std::vector<RoleState> role_state_;
  std::map<std::string, uint64_t> name_rank_;
  std::vector<Key> framework_key_;
  std::vector<uint8_t> framework_present_;
};

}  // namespace clustersim::plugins
