#include "scheduler_plugins/allocators/locality_drf.h"

#include <algorithm>
#include <limits>
#include <span>

namespace clustersim::plugins {

int LocalityDrfAllocator::Tier(const ClusterView& view, AgentId agent, FrameworkId framework) {
  const std::span<const PendingDemand> demand = view.framework_demand(framework);
  if (demand.empty()) return 2;
  const AgentInfo& a = view.agent(agent);
  const Resources& available = view.agent_available(agent);
  int best = 2;
  for (const PendingDemand& d : demand) {
    if (d.tasks == 0) continue;
    if (!CanRun(a.os, a.os_version, a.isolation, d.os, d.image_version)) continue;
    if (!available.Contains(d.resources * (1.0 / d.tasks))) continue;
    const bool exact = a.os == Os::kLinux || d.image_version == OsVersion::kNone ||
                       d.image_version == a.os_version;
    const bool warm = !d.has_image || view.image_missing_mib(agent, d.image) <= 0;
    best = std::min(best, exact && warm ? 0 : 1);
    if (best == 0) break;
  }
  return best;
}

// One walk of the DRF order records each framework's role share (DrfAllocator keeps them between
// allocation changes, so an agent's visit computes only the shares that changed since the last);
// then the frameworks go into their tiers' lists in that order: the stable sort by tier, unsorted.
void LocalityDrfAllocator::VisitInOrder(const ClusterView& view, AgentId agent,
                                        FunctionRef<bool(FrameworkId)> visit) {
  drf_order_.clear();
  double poorest = std::numeric_limits<double>::infinity();
  drf_.VisitInOrder(view, agent, [&](FrameworkId f) {
    const double share = drf_.RoleShare(view, view.framework(f).role);
    poorest = std::min(poorest, share);
    drf_order_.emplace_back(share, f);
    return false;
  });
  for (std::vector<FrameworkId>& tier : tiers_) tier.clear();
  for (const auto& [share, f] : drf_order_) {
    tiers_[share <= poorest + share_slack_ ? Tier(view, agent, f) : 3].push_back(f);
  }
  for (const std::vector<FrameworkId>& tier : tiers_) {
    for (const FrameworkId f : tier) {
      if (visit(f)) return;
    }
  }
}

}  // namespace clustersim::plugins
