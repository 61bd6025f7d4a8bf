#pragma once

#include <cstdint>
#include <vector>

#include "scheduler_plugins/api/allocator_policy.h"
#include "sim/random.h"

namespace clustersim::plugins {

// Mesos's RandomSorter: every time an agent is offered, a fresh random order — roles in a
// weighted random order, then each role's frameworks uniformly shuffled (framework sorters have no
// weights). Mesos takes the active leaves of the role tree (the same tree as DrfAllocator's, with
// virtual leaves `eng/.`) with relative weights computed top-down,
//   Rw(node) = Rw(parent) × w(node) / (w(node) + Σ w(active siblings))
// (sorter/random/sorter.cpp:502-547), and shuffles them by weight (random/utils.hpp:42-80,
// Efraimidis–Spirakis: each drawn next with probability Rw / the Rw left). We draw the same
// distribution role by role (a role of weight Rw drawn with probability Rw / the weights left).
// Every role in the role sorter is active (a role is there while it has frameworks), so every
// node counts. We use Rw without the top level's normalisation (a constant factor): with flat role
// names that is the role's weight itself. Draws come from the policy's own seeded stream, so a
// run is reproducible and different seeds give different orders. (Mesos default-constructs one
// std::mt19937 per sorter, sorter/random/sorter.hpp:165: every master starts from the same fixed
// seed, and the order then depends on every sort the master has made before.)
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
  void RoleWeightsChanged(const ClusterView& view) override { ComputeWeights(view); }
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override;

 private:
  // Sets every role's weight to its relative weight in the role tree (above). O(R × depth log R).
  void ComputeWeights(const ClusterView& view);

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
