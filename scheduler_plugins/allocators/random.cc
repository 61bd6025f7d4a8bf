#include "scheduler_plugins/allocators/random.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace clustersim::plugins {

void RandomAllocator::FrameworkAdded(const ClusterView& view, FrameworkId id) {
  const FrameworkInfo& info = view.framework(id);
  auto it = std::find_if(roles_.begin(), roles_.end(),
                         [&](const RoleEntry& r) { return r.role == info.role; });
  if (it == roles_.end()) {
    roles_.push_back(
        RoleEntry{info.role, view.role(info.role).weight, info.registration_order, {}});
    ComputeWeights(view);
    it = roles_.end() - 1;
  }
  auto& fws = it->frameworks;
  if (std::find(fws.begin(), fws.end(), id) != fws.end()) return;
  auto pos = std::upper_bound(fws.begin(), fws.end(), id, [&](FrameworkId a, FrameworkId b) {
    return view.framework(a).registration_order < view.framework(b).registration_order;
  });
  fws.insert(pos, id);
}

// The parent of a node path: "eng/web" -> "eng", "eng/." -> "eng", "eng" -> "" (the root).
static std::string ParentPath(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

void RandomAllocator::ComputeWeights(const ClusterView& view) {
  std::set<std::string> names;
  for (const RoleEntry& role : roles_) names.insert(view.role(role.role).name);
  const bool flat = std::none_of(names.begin(), names.end(),
                                 [](const std::string& n) { return n.find('/') != n.npos; });
  if (flat) {  // every role a leaf under the root: Rw is proportional to the role's weight
    for (RoleEntry& role : roles_) role.weight = view.role(role.role).weight;
    return;
  }
  // Each role's leaf path: `eng/.` when a role below `eng` exists too (sorter.cpp:78-129).
  std::map<std::string, double> node_weight;  // every node of the tree but the root
  std::vector<std::string> leaf_path(roles_.size());
  for (size_t r = 0; r < roles_.size(); ++r) {
    const std::string& name = view.role(roles_[r].role).name;
    auto below = names.lower_bound(name + "/");
    const bool has_subroles = below != names.end() && below->starts_with(name + "/");
    leaf_path[r] = has_subroles ? name + "/." : name;
    for (std::string p = leaf_path[r]; !p.empty(); p = ParentPath(p)) node_weight.emplace(p, 0);
  }
  std::map<std::string, double> children_weight;  // parent path -> Σ w(children)
  for (auto& [path, weight] : node_weight) {
    weight = view.role_weight(path);
    children_weight[ParentPath(path)] += weight;
  }
  for (size_t r = 0; r < roles_.size(); ++r) {
    double relative = 1;
    for (std::string p = leaf_path[r]; !p.empty(); p = ParentPath(p)) {
      const std::string parent = ParentPath(p);
      relative *= parent.empty() ? node_weight[p] : node_weight[p] / children_weight[parent];
    }
    roles_[r].weight = relative;
  }
}

void RandomAllocator::FrameworkRemoved(const ClusterView& view, FrameworkId id) {
  for (size_t r = 0; r < roles_.size(); ++r) {
    auto& fws = roles_[r].frameworks;
    auto it = std::find(fws.begin(), fws.end(), id);
    if (it == fws.end()) continue;
    fws.erase(it);
    if (fws.empty()) {
      roles_.erase(roles_.begin() + static_cast<ptrdiff_t>(r));
      ComputeWeights(view);
    }
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
