#pragma once

#include "scheduler_plugins/api/placement_policy.h"

namespace clustersim::plugins {

// Bin packing: each pending task, in queue order, goes to the feasible offer that it leaves the
// fullest — the smallest dominant leftover max_k (remaining_k - demand_k) / capacity_k, measured
// against the agent's capacity; ties to the earlier offer. Keeps whole agents free for big tasks
// and lets idle agents drain. O(tasks × offers).
class BestFitPlacement final : public PlacementPolicy {
 public:
  void Place(PlacementContext& ctx) override;
};

}  // namespace clustersim::plugins
