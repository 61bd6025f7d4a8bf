#include "scheduler_plugins/allocators/locality_drf.h"

#include <algorithm>
#include <limits>

namespace clustersim::plugins {

int LocalityDrfAllocator::Tier(const ClusterView& view, AgentId agent, FrameworkId framework) {
  const AgentInfo& a = view.agent(agent);
  const Resources& available = view.agent_available(agent);
  int best = 2;
  for (const PendingDemand& d : view.framework_demand(framework)) {
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

void LocalityDrfAllocator::VisitInOrder(const ClusterView& view, AgentId agent,
                                        FunctionRef<bool(FrameworkId)> visit) {
  order_.clear();
  double poorest = std::numeric_limits<double>::infinity();
  drf_.VisitInOrder(view, agent, [&](FrameworkId f) {
    const double share = drf_.RoleShare(view, view.framework(f).role);
    poorest = std::min(poorest, share);
    order_.emplace_back(0, f);  // tiers are assigned below, once the poorest share is known
    return false;
  });
  for (auto& [tier, f] : order_) {
    const double share = drf_.RoleShare(view, view.framework(f).role);
    tier = share <= poorest + share_slack_ ? Tier(view, agent, f) : 3;
  }
  std::stable_sort(order_.begin(), order_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [tier, f] : order_) {
    if (visit(f)) return;
  }
}

}  // namespace clustersim::plugins
