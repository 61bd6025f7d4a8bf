#include "scheduler_plugins/allocators/random.h"

#include <algorithm>

namespace clustersim::plugins {

void RandomAllocator::FrameworkAdded(const ClusterView& view, FrameworkId id) {
  const FrameworkInfo& info = view.framework(id);
  auto it = std::find_if(roles_.begin(), roles_.end(),
                         [&](const RoleEntry& r) { return r.role == info.role; });
  if (it == roles_.end()) {
    roles_.push_back(
        RoleEntry{info.role, view.role(info.role).weight, info.registration_order, {}});
    it = roles_.end() - 1;
  }
  auto& fws = it->frameworks;
  if (std::find(fws.begin(), fws.end(), id) != fws.end()) return;
  auto pos = std::upper_bound(fws.begin(), fws.end(), id, [&](FrameworkId a, FrameworkId b) {
    return view.framework(a).registration_order < view.framework(b).registration_order;
  });
  fws.insert(pos, id);
}

void RandomAllocator::FrameworkRemoved(const ClusterView& view, FrameworkId id) {
  for (size_t r = 0; r < roles_.size(); ++r) {
    auto& fws = roles_[r].frameworks;
    auto it = std::find(fws.begin(), fws.end(), id);
    if (it == fws.end()) continue;
    fws.erase(it);
    if (fws.empty()) roles_.erase(roles_.begin() + static_cast<ptrdiff_t>(r));
    return;
  }
}

void RandomAllocator::VisitInOrder(const ClusterView& view, AgentId agent,
                                   FunctionRef<bool(FrameworkId)> visit) {
  role_order_.resize(roles_.size());
  double weight_left = 0;
  for (size_t r = 0; r < roles_.size(); ++r) {
    role_order_[r] = r;
    weight_left += roles_[r].weight;
  }
  // Weighted sampling without replacement: draw one role among those left, visit its frameworks.
  for (size_t left = roles_.size(); left > 0; --left) {
    size_t pick = left - 1;
    double x = rng_.Uniform01() * weight_left;
    for (size_t i = 0; i < left; ++i) {
      x -= roles_[role_order_[i]].weight;
      if (x < 0) {
        pick = i;
        break;
      }
    }
    const RoleEntry& role = roles_[role_order_[pick]];
    weight_left -= role.weight;
    // Keep the undrawn roles in their registration order (for a reproducible draw).
    std::rotate(role_order_.begin() + static_cast<ptrdiff_t>(pick),
                role_order_.begin() + static_cast<ptrdiff_t>(pick) + 1,
                role_order_.begin() + static_cast<ptrdiff_t>(left));
    shuffled_.assign(role.frameworks.begin(), role.frameworks.end());
    rng_.Shuffle(shuffled_.begin(), shuffled_.end());
    for (FrameworkId f : shuffled_) {
      if (visit(f)) return;
    }
  }
}

}  // namespace clustersim::plugins
