#pragma once

#include "scheduler_plugins/api/placement_policy.h"

namespace clustersim::plugins {

// Each pending task, in queue order, goes to the first offer (in the order the offers arrived)
// that can take it. O(tasks × offers) in the worst case; stops once every offer is full.
class FirstFitPlacement final : public PlacementPolicy {
 public:
  void Place(PlacementContext& ctx) override;
};

}  // namespace clustersim::plugins
