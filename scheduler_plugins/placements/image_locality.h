#pragma once

#include <cstdint>
#include <set>
#include <utility>

#include "scheduler_plugins/api/placement_policy.h"

namespace clustersim::plugins {

// Each pending task, in queue order, goes to the feasible offer whose agent has the least of the
// task's image left to download (ClusterView::image_missing_mib: 0 when every layer is cached or
// already fetched); an agent that was given a task of the same image earlier in this round counts
// as warm, since its pull is shared. Ties go to the earlier offer, so a cold image lands on one
// agent rather than being pulled everywhere. On Windows, where a cold start downloads and extracts
// gigabytes at ~14 MB/s, this decides minutes. Tasks without an image behave as first-fit.
// O(tasks × offers) plus one image lookup per feasible pair.
class ImageLocalityPlacement final : public PlacementPolicy {
 public:
  void Place(PlacementContext& ctx) override;

 private:
  std::set<std::pair<uint32_t, uint32_t>> warmed_;  // scratch: (agent, image) placed this round
};

}  // namespace clustersim::plugins
