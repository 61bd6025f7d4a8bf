#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scheduler_plugins/api/allocator_policy.h"

namespace clustersim::plugins {

// Hierarchical weighted Dominant Resource Fairness (Ghodsi et al., NSDI'11), as Mesos's DRFSorter
// applies it at two levels: roles by dominant share divided by weight, then the role's frameworks
// by their own dominant share; ties by registration order. Shares count offered resources too.
//
// With role priorities (the `priority` policy) roles are ordered by priority first, highest first,
// and by weighted share within a priority level; roles not listed have `default_priority`.
//
// Orders are kept in balanced trees updated on every allocation change (O(log F) each), so a
// cycle costs O(agents × log F) rather than a sort of all frameworks per agent.
class DrfAllocator final : public AllocatorPolicy {
 public:
  DrfAllocator() = default;
  // Role name -> priority (higher goes first).
  explicit DrfAllocator(std::map<std::string, double> role_priority, double default_priority = 0);

  void FrameworkAdded(const ClusterView& view, FrameworkId id) override;
  void FrameworkRemoved(const ClusterView& view, FrameworkId id) override;
  void AllocationChanged(const ClusterView& view, FrameworkId id) override;
  void TotalChanged(const ClusterView& view) override;
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override;

  // For policies built on this order (drf-quota, locality-drf): visits the frameworks of one role
  // in their DRF order until `visit` returns true; returns whether it did. O(k) for k visited.
  bool VisitRole(RoleId role, FunctionRef<bool(FrameworkId)> visit) const;
  // Whether the role has registered (and not removed) frameworks.
  bool HasRole(RoleId role) const;

 private:
  struct Key {
    double rank = 0;  // -priority: higher priorities sort first
    double share = 0;
    uint32_t tiebreak = 0;  // registration order
    uint32_t id = 0;
    auto operator<=>(const Key&) const = default;
  };
  struct RoleState {
    std::set<Key> frameworks;
    Key key;
    bool in_order = false;
  };

  RoleState& Role(RoleId id);
  void UpdateFramework(const ClusterView& view, FrameworkId id);
  void UpdateRole(const ClusterView& view, RoleId id);
  static void Rekey(std::set<Key>& set, Key& stored, Key fresh);

  std::map<std::string, double> role_priority_;
  double default_priority_ = 0;
  std::set<Key> roles_;
  std::vector<RoleState> role_state_;
  std::vector<Key> framework_key_;
  std::vector<uint8_t> framework_present_;
};

}  // namespace clustersim::plugins
