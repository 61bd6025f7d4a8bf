#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "scheduler_plugins/api/allocator_policy.h"
#include "scheduler_plugins/api/policy_params.h"
#include "sim/status.h"

namespace clustersim::plugins {

// How DRF orders clients (roles, frameworks) whose weighted shares are equal.
enum class DrfTieBreak {
  // As Mesos's DRF sorter (sorter/drf/sorter.hpp:421-432 compareDRF): fewer offers received first
  // (the allocation count, ClusterView::*_offer_count), then the client's path — role names as
  // strings; for frameworks, registration order, which stands in for Mesos's sequential framework
  // ids. Two frameworks at the same share that keep declining one agent get it in turn.
  kMesos,
  // clustersim before issue 14, not Mesos: registration order only (a role by its first
  // framework's), so the first of them gets every such offer.
  kRegistration,
};

// The `tie_break` parameter of the DRF-based allocators: `mesos` (default) or `registration`.
sim::Result<DrfTieBreak> ParseDrfTieBreak(PolicyParams& params);

// Weighted Dominant Resource Fairness (Ghodsi et al., NSDI'11) over a role tree, as Mesos's
// DRFSorter orders it (sorter/drf/sorter.{hpp,cpp}); then each role's frameworks by their own
// dominant share, as Mesos's per-role framework sorters (hierarchical.hpp:857-865).
//
// The tree: role names are paths split on `/` (sorter.cpp:94); `eng/web` and `eng/batch` are
// children of the internal node `eng`, created with the first role below it (`mkdir -p`). A node's
// allocation is its subtree's (sorter.cpp:319-367 adds to every ancestor), its share that
// allocation's dominant share of the cluster, divided by the weight of the node's own path
// (sorter.cpp:567-604; ClusterView::role_weight). Siblings are ordered by compareDRF
// (sorter.hpp:421-432): weighted share, then allocation count (offers to the subtree: every offer
// counts once for its role and each ancestor, sorter.hpp:316-333), then path; a pre-order walk
// gives the roles (sorter.cpp:520-551). A role that has frameworks and subroles (`eng` and
// `eng/web`) has its frameworks in a virtual leaf `eng/.` under the internal node `eng`
// (sorter.cpp:78-129): the leaf weighs role_weight("eng/.") (1 unless set for that literal path),
// the node `eng` weighs role_weight("eng"), and `eng/.` sorts before `eng/<name>` on a tie, `.`
// being below letters and digits. When `eng` becomes internal the leaf copies its allocation and
// count; when only `eng/.` is left the node collapses back into a leaf keeping the node's count
// (sorter.cpp:226-246). A role is in the tree while it has frameworks (hierarchical.cpp:2956-3019).
// Shares skip ClusterView::fairness_excluded_kinds (sorter.cpp:577-581). Shares count offered
// resources too.
//
// With role priorities (the `priority` policy) siblings are ordered by the priority of their path
// first, highest first (a virtual leaf `eng/.` by that of `eng`), and by weighted share within a
// priority level; paths not listed have `default_priority`.
//
// Orders are kept in balanced trees updated on every allocation change: O(depth × log F) each (the
// node and its ancestors are rekeyed; the offer count is part of the key), so a cycle costs
// O(agents × depth × log F) rather than a sort of all frameworks per agent — O(depth) amortized
// when the client just offered sorts last among its siblings, the usual case (Rekey). With flat
// role names the depth is 1 and no subtree sums are kept; a client alone among its siblings is
// not rekeyed at all.
class DrfAllocator final : public AllocatorPolicy {
 public:
  explicit DrfAllocator(DrfTieBreak tie_break = DrfTieBreak::kMesos) : tie_break_(tie_break) {}
  // Role path -> priority (higher goes first).
  DrfAllocator(std::map<std::string, double> role_priority, double default_priority = 0,
               DrfTieBreak tie_break = DrfTieBreak::kMesos);

  void FrameworkAdded(const ClusterView& view, FrameworkId id) override;
  void FrameworkRemoved(const ClusterView& view, FrameworkId id) override;
  void AllocationChanged(const ClusterView& view, FrameworkId id) override;
  void TotalChanged(const ClusterView& view) override;
  void RoleWeightsChanged(const ClusterView& view) override;
  // The tree built again from the frameworks present, every count from the view's (zero at the
  // election): the fresh sorters of Mesos's new allocator.
  void AllocatorRestarted(const ClusterView& view) override;
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override;
  // The roles with frameworks (the tree's leaves, virtual `eng/.` as `eng`) in the pre-order of
  // VisitInOrder, as Mesos's roleSorter->sort() returns its clients (sorter.cpp:520-551), and one
  // role's frameworks: O(k) for k visited.
  void VisitRolesInOrder(const ClusterView& view, AgentId agent,
                         FunctionRef<bool(RoleId)> visit) override;
  // O(k log k × depth) for k roles: two leaves compare by their ancestors' keys below their lowest
  // common ancestor, so with flat role names it is a sort by the leaves' keys.
  void OrderRoles(const ClusterView& view, AgentId agent, std::vector<RoleId>& roles) override;
  void VisitRoleInOrder(const ClusterView& view, AgentId agent, RoleId role,
                        FunctionRef<bool(FrameworkId)> visit) override {
    VisitRole(role, visit);
  }

  // For policies built on this order (locality-drf): visits the frameworks of one role
  // in their DRF order until `visit` returns true; returns whether it did. O(k) for k visited.
  bool VisitRole(RoleId role, FunctionRef<bool(FrameworkId)> visit) const;
  // Whether the role has registered (and not removed) frameworks.
  bool HasRole(RoleId role) const;
  // The share by which the role's own leaf is ordered among its siblings: its allocation's
  // dominant share (fairness exclusions applied) over its leaf's weight. 0 for an absent role.
  // As of the last allocation change the policy was told of (AllocationChanged): kept until the
  // role's allocation, the cluster total, the weights or the tree change.
  double RoleShare(const ClusterView& view, RoleId role);

 private:
  // Mesos's compareDRF (sorter/drf/sorter.hpp:421-432): share (already divided by the weight,
  // sorter.cpp:593), then the allocation count, then the path. The path is, for a node with
  // kMesos, the rank of its path in byte order (NameRank; siblings share their parent's prefix,
  // so this is the order of their names); for a framework, or with kRegistration, the
  // registration order. Plain numbers, so a comparison never reads a string.
  struct Key {
    double rank = 0;  // -priority: higher priorities sort first
    double share = 0;
    uint64_t count = 0;     // offers received (0 with kRegistration)
    uint64_t tiebreak = 0;  // name rank or registration order, above
    uint32_t id = 0;        // framework id, or node index
    auto operator<=>(const Key&) const = default;
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr uint32_t kRoot = 0;
  // A node of the role tree (Mesos DRFSorter::Node). A leaf holds one role's frameworks; an
  // internal node holds child nodes and its subtree's allocation.
  // Aligned, with what an allocation change reads and writes first, so that rekeying a node
  // touches one cache line (its weight is in node_weight_ for that).
  struct alignas(64) Node {
    Key key;  // in the parent's `children`
    uint32_t parent = kNone;
    RoleId role;         // leaf: whose frameworks
    uint64_t count = 0;  // offers to the subtree while the node existed
    bool live = false;
    bool leaf = false;
    std::set<Key> frameworks;  // leaf: the role's frameworks
    std::set<Key> children;    // internal: child nodes (Key::id = node index)
    std::string path;          // "eng", "eng/web", or "eng/." for a virtual leaf
    Resources allocation;      // internal: the subtree's allocation (leaves read the view)
  };
  // node_pos_ and framework_pos_ point into Nodes' sets: nodes_ growing must move them, not copy.
  static_assert(std::is_nothrow_move_constructible_v<Node>);
  // What the cycle's walk needs of a node, by node index, apart from the big Node records: a
  // visit that stops at a leaf's first framework then reads 8 bytes, not a Node.
  struct LeafView {
    uint32_t first = kNone;  // the leaf's first framework in order; kNone if none or internal
    uint32_t size = 0;       // frameworks in the leaf (0 for an internal node)
  };
  // Small, so that the roles an allocation change reads one after the other share cache lines
  // (what only role trees need is in role_seen_).
  struct RoleState {
    uint32_t node = kNone;    // its leaf
    uint64_t seen_count = 0;  // role_offer_count when last told
  };

  RoleState& Role(RoleId id);
  uint64_t NameRank(const std::string& path);
  double Priority(const std::string& path) const;
  uint32_t NewNode(const ClusterView& view, uint32_t parent, std::string path, uint32_t order);
  // Adds the role's leaf (Mesos DRFSorter::add, sorter.cpp:73-169) and returns it.
  uint32_t AddRoleLeaf(const ClusterView& view, RoleId role, uint32_t order);
  // Mesos DRFSorter::remove (sorter.cpp:172-248).
  void RemoveRoleLeaf(const ClusterView& view, RoleId role);
  void UpdateFramework(const ClusterView& view, FrameworkId id);
  void UpdateFrameworkNow(const ClusterView& view, FrameworkId id, uint32_t leaf);
  // Brings the role's leaf and its ancestors up to the view's allocation and offer count.
  void UpdateRole(const ClusterView& view, RoleId id);
  void RekeyNode(const ClusterView& view, uint32_t node);
  void RekeyNodeNow(const ClusterView& view, uint32_t node);
  bool VisitNode(const Node& node, FunctionRef<bool(FrameworkId)> visit) const;
  // Brings leaf_view_[node] up to nodes_[node] after its frameworks or leaf flag changed.
  void SyncLeafView(uint32_t node);
  bool VisitLeafRoles(const Node& node, FunctionRef<bool(RoleId)> visit) const;
  uint32_t Depth(uint32_t node) const;
  // Whether leaf `a` comes before leaf `b` in the pre-order walk (a != b).
  bool Precedes(uint32_t a, uint32_t b) const;
  void RefreshShareTotal(const ClusterView& view);
  void ForgetRoleShares();
  static void Rekey(std::set<Key>& set, Key& stored, Key fresh, std::set<Key>::iterator& pos);

  DrfTieBreak tie_break_;
  std::map<std::string, double> role_priority_;
  double default_priority_ = 0;
  std::vector<Node> nodes_ = std::vector<Node>(1);  // nodes_[kRoot] is the root
  std::vector<uint32_t> free_nodes_;
  std::map<std::string, uint32_t, std::less<>> node_by_path_;
  std::vector<RoleState> role_state_;
  // By role: role_allocated when last told, what the leaf's ancestors hold of it. Kept only while
  // the leaf is below an internal node, so that the flat case pays nothing for subtree sums.
  std::vector<Resources> role_seen_;
  std::vector<double> node_weight_ = std::vector<double>(1, 1.0);  // by node: role_weight(path)
  // By role: RoleShare as last computed, kUnknownShare once stale.
  static constexpr double kUnknownShare = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> role_share_;
  // By node: its element in its parent's `children`; by framework: its element in its leaf's
  // `frameworks`. Rekeying moves the tree node, so positions stay valid, and so they do when a
  // leaf's set moves to another Node (C++20 [container.reqmts]: a move keeps iterators).
  std::vector<std::set<Key>::iterator> node_pos_ = std::vector<std::set<Key>::iterator>(1);
  std::vector<std::set<Key>::iterator> framework_pos_;
  std::map<std::string, uint64_t> name_rank_;
  std::vector<LeafView> leaf_view_ = std::vector<LeafView>(1);
  std::vector<Key> framework_key_;
  std::vector<RoleId> framework_role_;  // the view's, kept here: read on every allocation change
  std::vector<uint8_t> framework_present_;
  Resources share_total_;  // cluster_total without the fairness-excluded kinds
};

}  // namespace clustersim::plugins
