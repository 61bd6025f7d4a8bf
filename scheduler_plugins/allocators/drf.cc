#include "scheduler_plugins/allocators/drf.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string_view>
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
  if (role_state_.size() <= id.index()) {
    role_state_.resize(id.index() + 1);
    role_seen_.resize(id.index() + 1);
  }
  return role_state_[id.index()];
}

// The rank of a path among those seen, in byte order, spaced kNameGap apart so that a new path
// usually takes the midpoint of its neighbours; when none is left, every path is renumbered and
// the nodes are rekeyed (O(N log N), rare: nodes appear with a role's first framework).
uint64_t DrfAllocator::NameRank(const std::string& path) {
  constexpr uint64_t kNameGap = uint64_t{1} << 32;
  auto next = name_rank_.lower_bound(path);
  if (next != name_rank_.end() && next->first == path) return next->second;
  const uint64_t below = next == name_rank_.begin() ? 0 : std::prev(next)->second;
  const uint64_t above = next == name_rank_.end() ? below + 2 * kNameGap : next->second;
  if (above - below >= 2) {
    return name_rank_.emplace_hint(next, path, below + (above - below) / 2)->second;
  }
  name_rank_.emplace_hint(next, path, 0);
  uint64_t rank = 0;
  for (auto& [n, r] : name_rank_) r = rank += kNameGap;
  for (Node& node : nodes_) node.children.clear();
  for (uint32_t n = 0; n < nodes_.size(); ++n) {
    Node& node = nodes_[n];
    if (!node.live || node.parent == kNone) continue;
    node.key.tiebreak = name_rank_.at(node.path);
    node_pos_[n] = nodes_[node.parent].children.insert(node.key).first;
  }
  return name_rank_.at(path);
}

// A virtual leaf `eng/.` holds the frameworks of role `eng`: it goes with that role's priority.
double DrfAllocator::Priority(const std::string& path) const {
  if (role_priority_.empty()) return default_priority_;
  std::string_view role = path;
  if (role.ends_with("/.")) role.remove_suffix(2);
  auto it = role_priority_.find(std::string(role));
  return it == role_priority_.end() ? default_priority_ : it->second;
}

// Moves an element to its new key reusing the tree node, so that re-keying allocates nothing,
// and from its kept position, so that taking it out searches nothing. Put back with end() as the
// hint: a share that grew usually sorts last among siblings (the client just offered goes behind
// its peers), and then the insertion is one comparison with the last element instead of a walk
// down the tree; otherwise std::set falls back to the plain search.
void DrfAllocator::Rekey(std::set<Key>& set, Key& stored, Key fresh, std::set<Key>::iterator& pos) {
  if (stored == fresh) return;
  auto node = set.extract(pos);
  stored = fresh;
  node.value() = fresh;
  pos = set.insert(set.end(), std::move(node));
}

void DrfAllocator::RefreshShareTotal(const ClusterView& view) {
  share_total_ = view.cluster_total();
  const uint32_t excluded = view.fairness_excluded_kinds();
  if (excluded == 0) return;
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    if (excluded & (uint32_t{1} << k)) share_total_.SetRaw(k, 0);
  }
}

// `order` is the registration order of the framework whose arrival creates the node: the
// node's tie-breaker with kRegistration.
uint32_t DrfAllocator::NewNode(const ClusterView& view, uint32_t parent, std::string path,
                               uint32_t order) {
  uint32_t index;
  if (free_nodes_.empty()) {
    index = static_cast<uint32_t>(nodes_.size());
    nodes_.emplace_back();
  } else {
    index = free_nodes_.back();
    free_nodes_.pop_back();
  }
  const uint64_t tiebreak = tie_break_ == DrfTieBreak::kMesos ? NameRank(path) : order;
  if (leaf_view_.size() < nodes_.size()) {
    leaf_view_.resize(nodes_.size());
    node_weight_.resize(nodes_.size(), 1.0);
    node_pos_.resize(nodes_.size());
  }
  Node& node = nodes_[index];
  node = Node{};
  leaf_view_[index] = LeafView{};
  node.live = true;
  node.parent = parent;
  node_weight_[index] = view.role_weight(path);
  node.key = Key{-Priority(path), 0, 0, tiebreak, index};
  node.path = std::move(path);
  node_by_path_.emplace(node.path, index);
  std::set<Key>& siblings = nodes_[parent].children;
  if (siblings.size() == 1) RekeyNodeNow(view, siblings.begin()->id);  // stale while alone
  node_pos_[index] = siblings.insert(nodes_[index].key).first;
  return index;
}

uint32_t DrfAllocator::AddRoleLeaf(const ClusterView& view, RoleId role, uint32_t order) {
  ForgetRoleShares();  // a role moving to a virtual leaf `eng/.` takes that leaf's weight
  const std::string& name = view.role(role).name;
  uint32_t leaf;
  if (auto it = node_by_path_.find(name); it != node_by_path_.end()) {
    // Mesos case (a), sorter.cpp:103-110: the path ends on an internal node (`eng` while
    // `eng/web` exists): the role's frameworks go to a new virtual leaf `eng/.`, count 0.
    leaf = NewNode(view, it->second, name + "/.", order);
  } else {
    uint32_t current = kRoot;
    for (size_t end = 0; end != std::string::npos;) {
      end = name.find('/', end + 1);
      const std::string prefix = name.substr(0, end);
      auto found = node_by_path_.find(prefix);
      if (found == node_by_path_.end()) {
        current = NewNode(view, current, prefix, order);  // Mesos phase 2, sorter.cpp:144-153
        continue;
      }
      current = found->second;
      if (!nodes_[current].leaf) continue;
      // Mesos case (b), sorter.cpp:113-129: the walk meets the leaf of role `eng`: it becomes an
      // internal node (keeping its weight, count and allocation) and a virtual leaf `eng/.`
      // takes over the role's frameworks, allocation and count.
      const RoleId moved = nodes_[current].role;
      const uint32_t virt = NewNode(view, current, prefix + "/.",
                                    static_cast<uint32_t>(nodes_[current].key.tiebreak));
      Node& internal = nodes_[current];
      Node& v = nodes_[virt];
      v.leaf = true;
      v.role = moved;
      v.frameworks = std::move(internal.frameworks);
      internal.frameworks.clear();
      v.count = internal.count;
      internal.leaf = false;
      SyncLeafView(current);
      SyncLeafView(virt);
      RoleState& moved_state = Role(moved);
      moved_state.node = virt;
      if (internal.parent == kRoot) role_seen_[moved.index()] = view.role_allocated(moved);
      internal.allocation = role_seen_[moved.index()];
      RekeyNode(view, virt);
    }
    leaf = current;
  }
  Node& node = nodes_[leaf];
  node.leaf = true;
  node.role = role;
  SyncLeafView(leaf);
  RoleState& state = Role(role);
  state.node = leaf;
  state.seen_count = view.role_offer_count(role);
  Resources& seen = role_seen_[role.index()];
  seen = node.parent == kRoot ? Resources() : view.role_allocated(role);
  for (uint32_t p = node.parent; p != kRoot; p = nodes_[p].parent) nodes_[p].allocation += seen;
  return leaf;
}

void DrfAllocator::RemoveRoleLeaf(const ClusterView& view, RoleId role) {
  ForgetRoleShares();  // a collapse moves a role back to its node, and its weight
  RoleState& state = Role(role);
  auto free_node = [&](uint32_t index) {
    Node& n = nodes_[index];
    nodes_[n.parent].children.erase(node_pos_[index]);
    node_by_path_.erase(n.path);
    n = Node{};
    leaf_view_[index] = LeafView{};
    free_nodes_.push_back(index);
  };
  const uint32_t parent = nodes_[state.node].parent;
  Resources& seen = role_seen_[role.index()];
  for (uint32_t p = parent; p != kRoot; p = nodes_[p].parent) nodes_[p].allocation -= seen;
  free_node(state.node);
  state = RoleState{};
  seen = Resources();
  // Walk up removing empty internal nodes and collapsing one left with only its virtual leaf
  // back into a leaf, which keeps the internal node's count (sorter.cpp:214-246).
  for (uint32_t current = parent; current != kRoot;) {
    const uint32_t next = nodes_[current].parent;
    Node& c = nodes_[current];
    if (c.children.empty()) {
      free_node(current);
    } else if (c.children.size() == 1 && nodes_[c.children.begin()->id].path.ends_with("/.")) {
      const uint32_t virt = c.children.begin()->id;
      const RoleId moved = nodes_[virt].role;
      c.frameworks = std::move(nodes_[virt].frameworks);
      free_node(virt);
      c.leaf = true;
      c.role = moved;
      SyncLeafView(current);
      c.allocation = Resources();
      RoleState& moved_state = Role(moved);
      moved_state.node = current;
      if (next == kRoot) role_seen_[moved.index()] = Resources();  // no ancestors hold it
      RekeyNode(view, current);
    } else {
      RekeyNode(view, current);
    }
    current = next;
  }
}

void DrfAllocator::FrameworkAdded(const ClusterView& view, FrameworkId id) {
  if (framework_key_.size() <= id.index()) {
    framework_key_.resize(id.index() + 1);
    framework_present_.resize(id.index() + 1, 0);
    framework_role_.resize(id.index() + 1);
    framework_pos_.resize(id.index() + 1);
  }
  RefreshShareTotal(view);
  const FrameworkInfo& info = view.framework(id);
  Key key{0, view.framework_allocated(id).DominantShare(share_total_), 0, info.registration_order,
          id.value};
  if (tie_break_ == DrfTieBreak::kMesos) key.count = view.framework_offer_count(id);
  framework_key_[id.index()] = key;
  framework_present_[id.index()] = 1;
  framework_role_[id.index()] = info.role;
  uint32_t leaf = Role(info.role).node;
  if (leaf == kNone) leaf = AddRoleLeaf(view, info.role, info.registration_order);
  if (leaf_view_[leaf].size == 1) {  // stale while alone (UpdateFramework)
    UpdateFrameworkNow(view, FrameworkId(leaf_view_[leaf].first), leaf);
  }
  framework_pos_[id.index()] = nodes_[leaf].frameworks.insert(key).first;
  SyncLeafView(leaf);
  UpdateRole(view, info.role);
}

void DrfAllocator::FrameworkRemoved(const ClusterView& view, FrameworkId id) {
  if (id.index() >= framework_present_.size() || !framework_present_[id.index()]) return;
  const RoleId role = framework_role_[id.index()];
  const uint32_t leaf_index = Role(role).node;
  Node& leaf = nodes_[leaf_index];
  leaf.frameworks.erase(framework_pos_[id.index()]);
  SyncLeafView(leaf_index);
  framework_present_[id.index()] = 0;
  if (leaf.frameworks.empty()) {
    RemoveRoleLeaf(view, role);
  } else {
    UpdateRole(view, role);
  }
}

// Like a node's (RekeyNode), a framework's key orders it among its role's other frameworks only:
// one alone in its role (every framework, when each has its own role) keeps a stale key until a
// second arrives (FrameworkAdded). The leaf's size is read from the compact view, not the Node.
void DrfAllocator::UpdateFramework(const ClusterView& view, FrameworkId id) {
  const uint32_t leaf = Role(framework_role_[id.index()]).node;
  if (leaf_view_[leaf].size == 1) return;
  UpdateFrameworkNow(view, id, leaf);
}

void DrfAllocator::UpdateFrameworkNow(const ClusterView& view, FrameworkId id, uint32_t leaf) {
  Key& stored = framework_key_[id.index()];
  Key fresh = stored;
  fresh.share = view.framework_allocated(id).DominantShare(share_total_);
  if (tie_break_ == DrfTieBreak::kMesos) fresh.count = view.framework_offer_count(id);
  Rekey(nodes_[leaf].frameworks, stored, fresh, framework_pos_[id.index()]);
  SyncLeafView(leaf);
}

void DrfAllocator::SyncLeafView(uint32_t index) {
  const Node& node = nodes_[index];
  LeafView& view = leaf_view_[index];
  view.size = node.leaf ? static_cast<uint32_t>(node.frameworks.size()) : 0;
  view.first = view.size > 0 ? node.frameworks.begin()->id : kNone;
}

// Keys order siblings and nothing else, so a node without siblings (every role's when all share
// one, as in Mesos's DeclineOffers) keeps a stale key until one arrives (NewNode): one
// DominantShare and one set update fewer per allocation change.
void DrfAllocator::RekeyNode(const ClusterView& view, uint32_t index) {
  if (nodes_[nodes_[index].parent].children.size() == 1) return;
  RekeyNodeNow(view, index);
}

void DrfAllocator::RekeyNodeNow(const ClusterView& view, uint32_t index) {
  Node& node = nodes_[index];
  Key fresh = node.key;
  const Resources& allocation = node.leaf ? view.role_allocated(node.role) : node.allocation;
  fresh.share = allocation.DominantShare(share_total_) / node_weight_[index];
  if (tie_break_ == DrfTieBreak::kMesos) fresh.count = node.count;
  Rekey(nodes_[node.parent].children, node.key, fresh, node_pos_[index]);
}

// Every offer counts once for the role's leaf and each ancestor (sorter.cpp:319-367).
void DrfAllocator::UpdateRole(const ClusterView& view, RoleId id) {
  if (id.index() < role_share_.size()) role_share_[id.index()] = kUnknownShare;
  RoleState& state = Role(id);
  if (state.node == kNone) return;
  const uint64_t offers = view.role_offer_count(id);
  const uint64_t new_offers = offers - state.seen_count;
  state.seen_count = offers;
  Node& leaf = nodes_[state.node];
  leaf.count += new_offers;
  RekeyNode(view, state.node);
  if (leaf.parent == kRoot) return;
  const Resources& allocated = view.role_allocated(id);
  Resources& seen = role_seen_[id.index()];
  const Resources delta = allocated - seen;
  seen = allocated;
  for (uint32_t p = leaf.parent; p != kRoot; p = nodes_[p].parent) {
    nodes_[p].allocation += delta;
    nodes_[p].count += new_offers;
    RekeyNode(view, p);
  }
}

void DrfAllocator::AllocationChanged(const ClusterView& view, FrameworkId id) {
  if (id.index() >= framework_present_.size() || !framework_present_[id.index()]) return;
  UpdateFramework(view, id);
  UpdateRole(view, framework_role_[id.index()]);
}

void DrfAllocator::TotalChanged(const ClusterView& view) {
  RefreshShareTotal(view);
  ForgetRoleShares();
  for (size_t f = 0; f < framework_present_.size(); ++f) {
    if (framework_present_[f]) UpdateFramework(view, FrameworkId(static_cast<uint32_t>(f)));
  }
  for (size_t r = 0; r < role_state_.size(); ++r)
    UpdateRole(view, RoleId(static_cast<uint32_t>(r)));
  for (uint32_t n = 0; n < nodes_.size(); ++n) {
    if (nodes_[n].live && !nodes_[n].leaf && n != kRoot) RekeyNode(view, n);
  }
}

// Mesos DRFSorter::updateWeight (sorter.cpp:292-316) marks the tree dirty; the next sort()
// recomputes every share with the new weights.
void DrfAllocator::RoleWeightsChanged(const ClusterView& view) {
  ForgetRoleShares();
  for (uint32_t n = 0; n < nodes_.size(); ++n) {
    if (!nodes_[n].live || n == kRoot) continue;
    node_weight_[n] = view.role_weight(nodes_[n].path);
    RekeyNode(view, n);
  }
}

// Mesos's new leader builds its sorters afresh as the frameworks resubscribe: the same tree, every
// allocation count from zero (sorter/drf/sorter.hpp:398-405). Built again from the frameworks
// present rather than zeroed node by node, so that every key, subtree sum and seen count is the
// view's as in FrameworkAdded.
void DrfAllocator::AllocatorRestarted(const ClusterView& view) {
  std::vector<FrameworkId> present;
  for (uint32_t f = 0; f < framework_present_.size(); ++f) {
    if (framework_present_[f]) present.push_back(FrameworkId(f));
  }
  *this = DrfAllocator(std::move(role_priority_), default_priority_, tie_break_);
  for (FrameworkId f : present) FrameworkAdded(view, f);
}

bool DrfAllocator::VisitNode(const Node& node, FunctionRef<bool(FrameworkId)> visit) const {
  for (const Key& child_key : node.children) {
    const LeafView leaf = leaf_view_[child_key.id];
    if (leaf.size == 0) {
      if (VisitNode(nodes_[child_key.id], visit)) return true;
      continue;
    }
    if (visit(FrameworkId(leaf.first))) return true;
    if (leaf.size == 1) continue;
    const std::set<Key>& frameworks = nodes_[child_key.id].frameworks;
    for (auto fw = std::next(frameworks.begin()); fw != frameworks.end(); ++fw) {
      if (visit(FrameworkId(fw->id))) return true;
    }
  }
  return false;
}

// A pre-order walk of the tree, siblings in compareDRF order (sorter.cpp:520-551).
void DrfAllocator::VisitInOrder(const ClusterView& view, AgentId agent,
                                FunctionRef<bool(FrameworkId)> visit) {
  VisitNode(nodes_[kRoot], visit);
}

bool DrfAllocator::VisitLeafRoles(const Node& node, FunctionRef<bool(RoleId)> visit) const {
  for (const Key& child_key : node.children) {
    const Node& child = nodes_[child_key.id];
    if (child.leaf ? visit(child.role) : VisitLeafRoles(child, visit)) return true;
  }
  return false;
}

void DrfAllocator::VisitRolesInOrder(const ClusterView& view, AgentId agent,
                                     FunctionRef<bool(RoleId)> visit) {
  VisitLeafRoles(nodes_[kRoot], visit);
}

uint32_t DrfAllocator::Depth(uint32_t node) const {
  uint32_t depth = 0;
  for (; node != kRoot; node = nodes_[node].parent) ++depth;
  return depth;
}

// Siblings are walked in key order, so the pre-order of two distinct leaves is that of their
// ancestors just below the lowest common one. Leaves are never ancestors of each other.
bool DrfAllocator::Precedes(uint32_t a, uint32_t b) const {
  if (nodes_[a].parent != nodes_[b].parent) {
    uint32_t depth_a = Depth(a);
    uint32_t depth_b = Depth(b);
    for (; depth_a > depth_b; --depth_a) a = nodes_[a].parent;
    for (; depth_b > depth_a; --depth_b) b = nodes_[b].parent;
    while (nodes_[a].parent != nodes_[b].parent) {
      a = nodes_[a].parent;
      b = nodes_[b].parent;
    }
  }
  return nodes_[a].key < nodes_[b].key;
}

void DrfAllocator::OrderRoles(const ClusterView& view, AgentId agent, std::vector<RoleId>& roles) {
  // Roles out of the tree (no framework) last, as VisitRolesInOrder never reaches them.
  std::sort(roles.begin(), roles.end(), [&](RoleId a, RoleId b) {
    const bool has_a = HasRole(a);
    const bool has_b = HasRole(b);
    if (!has_a || !has_b) return has_a && !has_b;
    const uint32_t leaf_a = role_state_[a.index()].node;
    const uint32_t leaf_b = role_state_[b.index()].node;
    return leaf_a != leaf_b && Precedes(leaf_a, leaf_b);
  });
}

bool DrfAllocator::VisitRole(RoleId role, FunctionRef<bool(FrameworkId)> visit) const {
  if (!HasRole(role)) return false;
  for (const Key& fw : nodes_[role_state_[role.index()].node].frameworks) {
    if (visit(FrameworkId(fw.id))) return true;
  }
  return false;
}

bool DrfAllocator::HasRole(RoleId role) const {
  return role.index() < role_state_.size() && role_state_[role.index()].node != kNone;
}

double DrfAllocator::RoleShare(const ClusterView& view, RoleId role) {
  if (!HasRole(role)) return 0;
  if (role_share_.size() <= role.index()) role_share_.resize(role_state_.size(), kUnknownShare);
  double& share = role_share_[role.index()];
  if (std::isnan(share)) {
    share = view.role_allocated(role).DominantShare(share_total_) /
            node_weight_[role_state_[role.index()].node];
  }
  return share;
}

void DrfAllocator::ForgetRoleShares() {
  std::fill(role_share_.begin(), role_share_.end(), kUnknownShare);
}

}  // namespace clustersim::plugins
