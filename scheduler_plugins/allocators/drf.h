#pragma once

#include <cstdint>
#include <deque>
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

  // For policies built on this order (drf-quota, locality-drf): visits the frameworks of one role
  // in their DRF order until `visit` returns true; returns whether it did. O(k) for k visited.
  bool VisitRole(RoleId role, FunctionRef<bool(FrameworkId)> visit) const;
  // Whether the role has registered (and not removed) frameworks.
  bool HasRole(RoleId role) const;

 private:
  struct Key {
    double rank = 0;  // -priority: higher priorities sort first
    double share = 0;
    uint64_t count = 0;              // offers received (0 with kRegistration)
    const std::string* name = nullptr;  // a role's name (kMesos), else nullptr
    uint32_t tiebreak = 0;           // registration order
    uint32_t id = 0;
    bool operator==(const Key&) const = default;
    bool operator<(const Key& o) const;
  };
  struct RoleState {
    std::set<Key> frameworks;
    Key key;
    bool in_order = false;
    // The role's offer count when it (re)entered the order: Mesos drops a role from its sorter
    // with its last framework (hierarchical.cpp:3012-3016), and a re-added one starts at 0.
    uint64_t count_base = 0;
  };

  RoleState& Role(RoleId id);
  void UpdateFramework(const ClusterView& view, FrameworkId id);
  void UpdateRole(const ClusterView& view, RoleId id);
  static void Rekey(std::set<Key>& set, Key& stored, Key fresh);

  DrfTieBreak tie_break_;
  std::map<std::string, double> role_priority_;
  double default_priority_ = 0;
  std::set<Key> roles_;
  std::vector<RoleState> role_state_;
  // By role id; a deque so that the keys' pointers to the names stay valid as roles appear.
  std::deque<std::string> role_name_;
  std::vector<Key> framework_key_;
  std::vector<uint8_t> framework_present_;
};

}  // namespace clustersim::plugins
