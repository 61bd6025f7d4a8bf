#include "scheduler_plugins/allocators/drf.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace clustersim::plugins {

sim::Result<DrfTieBreak> ParseDrfTieBreak(PolicyParams& params) {
  SIM_ASSIGN_OR_RETURN(const std::string value, params.String("tie_break", "mesos"));
  if (value == "mesos") return DrfTieBreak::kMesos;
  if (value == "registration") return DrfTieBreak::kRegistration;
  return params.Error("tie_break", "mesos or registration");
}

DrfAllocator::DrfAllocator(std::map<std::string, double> role_priority, double default_priority,
                           DrfTieBreak tie_break)
    : tie_break_(tie_break),
      role_priority_(std::move(role_priority)),
      default_priority_(default_priority) {}

DrfAllocator::RoleState& DrfAllocator::Role(RoleId id) {
  if (role_state_.size() <= id.index()) role_state_.resize(id.index() + 1);
  return role_state_[id.index()];
}

uint64_t DrfAllocator::NameRank(const std::string& name) {
  constexpr uint64_t kNameGap = uint64_t{1} << 32;
  auto next = name_rank_.lower_bound(name);
  if (next != name_rank_.end() && next->first == name) return next->second;
  const uint64_t below = next == name_rank_.begin() ? 0 : std::prev(next)->second;
  const uint64_t above = next == name_rank_.end() ? below + 2 * kNameGap : next->second;
  if (above - below >= 2) {
    return name_rank_.emplace_hint(next, name, below + (above - below) / 2)->second;
  }
  name_rank_.emplace_hint(next, name, 0);
  uint64_t rank = 0;
  for (auto& [n, r] : name_rank_) r = rank += kNameGap;
  roles_.clear();
  for (RoleState& role : role_state_) {
    if (!role.in_order) continue;
    role.key.tiebreak = name_rank_.at(role.name);
    roles_.insert(role.key);
  }
  return name_rank_.at(name);
}

// Moves an element to its new key reusing the tree node, so that re-keying allocates nothing.
void DrfAllocator::Rekey(std::set<Key>& set, Key& stored, Key fresh) {
  if (stored == fresh) return;
  auto node = set.extract(stored);
  stored = fresh;
  if (node.empty()) {
    set.insert(fresh);
  } else {
    node.value() = fresh;
    set.insert(std::move(node));
  }
}

void DrfAllocator::FrameworkAdded(const ClusterView& view, FrameworkId id) {
  if (framework_key_.size() <= id.index()) {
    framework_key_.resize(id.index() + 1);
    framework_present_.resize(id.index() + 1, 0);
  }
  const FrameworkInfo& info = view.framework(id);
  Key key{0, view.framework_allocated(id).DominantShare(view.cluster_total()), 0,
          info.registration_order, id.value};
  if (tie_break_ == DrfTieBreak::kMesos) key.count = view.framework_offer_count(id);
  framework_key_[id.index()] = key;
  framework_present_[id.index()] = 1;
  RoleState& role = Role(info.role);
  role.frameworks.insert(key);
  if (!role.in_order) {
    // With kRegistration, a role's tie-breaker is the registration order of its first framework.
    double priority = default_priority_;
    if (!role_priority_.empty()) {
      auto it = role_priority_.find(view.role(info.role).name);
      if (it != role_priority_.end()) priority = it->second;
    }
    role.key = Key{-priority, 0, 0, info.registration_order, info.role.value};
    if (tie_break_ == DrfTieBreak::kMesos) {
      // Mesos orders equal roles by their path, the role name (sorter.hpp:431).
      role.name = view.role(info.role).name;
      role.key.tiebreak = NameRank(role.name);
    }
    role.count_base = view.role_offer_count(info.role);
    role.in_order = true;
    roles_.insert(role.key);
  }
  UpdateRole(view, info.role);
}

void DrfAllocator::FrameworkRemoved(const ClusterView& view, FrameworkId id) {
  if (id.index() >= framework_present_.size() || !framework_present_[id.index()]) return;
  const RoleId role_id = view.framework(id).role;
  RoleState& role = Role(role_id);
  role.frameworks.erase(framework_key_[id.index()]);
  framework_present_[id.index()] = 0;
  if (role.frameworks.empty()) {
    roles_.erase(role.key);
    role.in_order = false;
  } else {
    UpdateRole(view, role_id);
  }
}

void DrfAllocator::UpdateFramework(const ClusterView& view, FrameworkId id) {
  Key& stored = framework_key_[id.index()];
  Key fresh = stored;
  fresh.share = view.framework_allocated(id).DominantShare(view.cluster_total());
  if (tie_break_ == DrfTieBreak::kMesos) fresh.count = view.framework_offer_count(id);
  Rekey(Role(view.framework(id).role).frameworks, stored, fresh);
}

void DrfAllocator::UpdateRole(const ClusterView& view, RoleId id) {
  RoleState& role = Role(id);
  if (!role.in_order) return;
  Key fresh = role.key;
  fresh.share = view.role_allocated(id).DominantShare(view.cluster_total()) / view.role(id).weight;
  if (tie_break_ == DrfTieBreak::kMesos) fresh.count = view.role_offer_count(id) - role.count_base;
  Rekey(roles_, role.key, fresh);
}

void DrfAllocator::AllocationChanged(const ClusterView& view, FrameworkId id) {
  if (id.index() >= framework_present_.size() || !framework_present_[id.index()]) return;
  UpdateFramework(view, id);
  UpdateRole(view, view.framework(id).role);
}

void DrfAllocator::TotalChanged(const ClusterView& view) {
  for (size_t f = 0; f < framework_present_.size(); ++f) {
    if (framework_present_[f]) UpdateFramework(view, FrameworkId(static_cast<uint32_t>(f)));
  }
  for (size_t r = 0; r < role_state_.size(); ++r)
    UpdateRole(view, RoleId(static_cast<uint32_t>(r)));
}

void DrfAllocator::VisitInOrder(const ClusterView& view, AgentId agent,
                                FunctionRef<bool(FrameworkId)> visit) {
  for (const Key& role_key : roles_) {
    for (const Key& fw : role_state_[role_key.id].frameworks) {
      if (visit(FrameworkId(fw.id))) return;
    }
  }
}

void DrfAllocator::VisitRolesInOrder(const ClusterView& view, AgentId agent,
                                     FunctionRef<bool(RoleId)> visit) {
  for (const Key& role_key : roles_) {
    if (visit(RoleId(role_key.id))) return;
  }
}

void DrfAllocator::OrderRoles(const ClusterView& view, AgentId agent, std::vector<RoleId>& roles) {
  // Roles out of the order (no framework) last, as VisitRolesInOrder never reaches them.
  auto key = [&](RoleId r) {
    const bool listed = r.index() < role_state_.size() && role_state_[r.index()].in_order;
    return std::pair(!listed, listed ? role_state_[r.index()].key : Key{});
  };
  std::sort(roles.begin(), roles.end(), [&](RoleId a, RoleId b) { return key(a) < key(b); });
}

bool DrfAllocator::VisitRole(RoleId role, FunctionRef<bool(FrameworkId)> visit) const {
  if (role.index() >= role_state_.size()) return false;
  for (const Key& fw : role_state_[role.index()].frameworks) {
    if (visit(FrameworkId(fw.id))) return true;
  }
  return false;
}

bool DrfAllocator::HasRole(RoleId role) const {
  return role.index() < role_state_.size() && role_state_[role.index()].in_order;
}

}  // namespace clustersim::plugins
