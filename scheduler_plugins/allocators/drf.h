#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "scheduler_plugins/api/allocator_policy.h"

namespace clustersim::plugins {

// Hierarchical weighted Dominant Resource Fairness (Ghodsi et al., NSDI'11), as Mesos's DRFSorter
// applies it at two levels: roles by dominant share divided by weight, then the role's frameworks
// by their own dominant share; ties by registration order. Shares count offered resources too.
//
// Orders are kept in balanced trees updated on every allocation change (O(log F) each), so a
// cycle costs O(agents × log F) rather than a sort of all frameworks per agent.
class DrfAllocator final : public AllocatorPolicy {
 public:
  void FrameworkAdded(const ClusterView& view, FrameworkId id) override;
  void FrameworkRemoved(const ClusterView& view, FrameworkId id) override;
  void AllocationChanged(const ClusterView& view, FrameworkId id) override;
  void TotalChanged(const ClusterView& view) override;
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override;

 private:
  struct Key {
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

  std::set<Key> roles_;
  std::vector<RoleState> role_state_;
  std::vector<Key> framework_key_;
  std::vector<uint8_t> framework_present_;
};

}  // namespace clustersim::plugins
