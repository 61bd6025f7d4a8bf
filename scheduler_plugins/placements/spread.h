#pragma once

#include <cstdint>
#include <vector>

#include "scheduler_plugins/api/placement_policy.h"

namespace clustersim::plugins {

// Worst fit: each pending task, in queue order, goes to the feasible offer that stays the emptiest
// — the largest dominant leftover max_k (remaining_k - demand_k) / capacity_k — and among equally
// empty ones to the one given the fewest tasks this round, then the earlier offer. Spreads load
// (and image pulls) over agents, at the cost of fragmentation. O(tasks × offers).
class SpreadPlacement final : public PlacementPolicy {
 public:
  void Place(PlacementContext& ctx) override;

 private:
  std::vector<uint32_t> placed_;  // scratch: tasks per offer this round
};

}  // namespace clustersim::plugins
