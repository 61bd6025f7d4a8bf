#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/api/allocator_policy.h"

namespace clustersim::plugins {

// DRF that sends each agent first to the frameworks that can use it well. On a mixed cluster, plain
// DRF offers a Windows agent to whichever framework is poorest, even one with only Linux work,
// which declines it (and filters the agent for refuse_seconds) while Windows work waits; and it
// offers an agent whose store holds image X to a framework that will make it pull image Y for
// minutes. Here, for each agent, the frameworks within `share_slack` of the poorest role's
// weighted dominant share (of its own leaf in DrfAllocator's role tree, DrfAllocator::RoleShare)
// are taken in tiers, each tier in DRF order:
//   tier 0 — it has pending work that runs on this agent's OS and version (same Windows base,
//            so no Hyper-V penalty) and whose image is already in the agent's store;
//   tier 1 — it has pending work that can run here, but cold or on an older base;
//   tier 2 — nothing it waits for runs here (or its demand is unknown);
// and the frameworks richer than that follow in DRF order. share_slack = 0 is plain DRF among the
// poorest; a large slack ranks by locality alone. Work "runs here" when the OS rules allow it and
// the average pending task of that image fits in the agent's available resources.
//
// Reads ClusterView::framework_demand (pending tasks per image) and image_missing_mib. Costs
// O(F × images) per VisitInOrder: the order is rebuilt for each agent.
class LocalityDrfAllocator final : public AllocatorPolicy {
 public:
  explicit LocalityDrfAllocator(double share_slack, DrfTieBreak tie_break = DrfTieBreak::kMesos)
      : share_slack_(share_slack), drf_(tie_break) {}

  void FrameworkAdded(const ClusterView& view, FrameworkId id) override {
    drf_.FrameworkAdded(view, id);
  }
  void FrameworkRemoved(const ClusterView& view, FrameworkId id) override {
    drf_.FrameworkRemoved(view, id);
  }
  void AllocationChanged(const ClusterView& view, FrameworkId id) override {
    drf_.AllocationChanged(view, id);
  }
  void TotalChanged(const ClusterView& view) override { drf_.TotalChanged(view); }
  void RoleWeightsChanged(const ClusterView& view) override { drf_.RoleWeightsChanged(view); }
  void AllocatorRestarted(const ClusterView& view) override { drf_.AllocatorRestarted(view); }
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override;

  // The tier (0, 1 or 2, above) of `framework` for `agent`.
  static int Tier(const ClusterView& view, AgentId agent, FrameworkId framework);

 private:
  double share_slack_;
  DrfAllocator drf_;
  // Scratch for VisitInOrder: (role share, framework) in DRF order; the frameworks by tier.
  std::vector<std::pair<double, FrameworkId>> drf_order_;
  std::array<std::vector<FrameworkId>, 4> tiers_;
};

}  // namespace clustersim::plugins
