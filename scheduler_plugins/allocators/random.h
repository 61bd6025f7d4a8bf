#pragma once

#include <cstdint>
#include <vector>

#include "scheduler_plugins/api/allocator_policy.h"
#include "sim/random.h"

namespace clustersim::plugins {

// Mesos's RandomSorter: every time an agent is offered, a fresh random order — roles in a
// weighted random order (a role of weight w is drawn with probability w / the weights left), then
// each role's frameworks uniformly shuffled. Draws come from the policy's own seeded stream, so a
// run is reproducible; different seeds give different orders.
//
// The order is drawn lazily, role by role, and stops with the framework that takes the offer:
// O(R + k) per VisitInOrder for k frameworks visited (R roles).
class RandomAllocator final : public AllocatorPolicy {
 public:
  explicit RandomAllocator(sim::Rng rng) : rng_(rng) {}

  void FrameworkAdded(const ClusterView& view, FrameworkId id) override;
  void FrameworkRemoved(const ClusterView& view, FrameworkId id) override;
  void AllocationChanged(const ClusterView& view, FrameworkId id) override {}
  void TotalChanged(const ClusterView& view) override {}
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override;

 private:
  struct RoleEntry {
    RoleId role;
    double weight = 1;
    uint32_t first_registration = 0;
    std::vector<FrameworkId> frameworks;  // registration order
  };

  sim::Rng rng_;
  std::vector<RoleEntry> roles_;  // order of the roles' first registration
  // Scratch for a visit.
  std::vector<size_t> role_order_;
  std::vector<FrameworkId> shuffled_;
};

}  // namespace clustersim::plugins
