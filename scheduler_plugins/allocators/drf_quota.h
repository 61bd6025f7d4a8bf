#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/api/allocator_policy.h"
#include "scheduler_plugins/api/policy_params.h"
#include "sim/status.h"

namespace clustersim::plugins {

// One role's quota. A kind missing from `limit_kinds` has no limit.
struct RoleQuota {
  Resources guarantee;
  Resources limit;
  uint32_t limit_kinds = 0;  // bit k: limit[k] applies

  bool HasLimit(int kind) const { return (limit_kinds >> kind) & 1u; }
};

// drf-quota's parameters `quotas: {role: {guarantee: {cpus: 10, mem: 20GiB}, limit: {...}}}`:
// role name -> quota; a limit below its guarantee in some kind is an error. Shared by the policy's
// factory and the runner (summary.json's roles[].quota reports what was configured).
sim::Result<std::map<std::string, RoleQuota>> ParseRoleQuotas(PolicyParams& params);

// Mesos's two-stage quota allocation (HierarchicalAllocatorProcess::__allocate, Mesos >= 1.9)
// on top of hierarchical weighted DRF:
//   stage 1 — roles whose guarantee is not yet met come first, least satisfied first (the
//     dominant share of their allocation over their guarantee), each role's frameworks in DRF
//     order;
//   stage 2 — every framework not visited in stage 1, in plain DRF order.
// Headroom: what any framework is offered beyond its own role's unmet guarantee must leave the
// cluster's unallocated resources at or above the sum of every quota role's unmet guarantee (roles
// with no framework registered yet included), so guarantees can always be satisfied later.
// Limits: a role is never offered beyond its limit. Both are applied per resource kind through
// LimitOffer, which shrinks the offer (the rest of the agent stays available for the next
// framework or cycle).
//
// Simplifications, documented: headroom counts all unallocated resources, including resources
// reserved for other roles; offers shrink per kind, so an offer may carry, say, cpus but little
// memory (Mesos has the same effect).
//
// Costs: VisitInOrder O(k) for the k frameworks visited (stage 1 is a set of the unmet quota
// roles, kept in order as allocations change); LimitOffer O(resource kinds) (the cluster's
// allocated sum and the sum of unmet guarantees are kept up to date); AllocationChanged
// O(log F + log Q).
class DrfQuotaAllocator final : public AllocatorPolicy {
 public:
  // Role name -> quota.
  explicit DrfQuotaAllocator(std::map<std::string, RoleQuota> quotas,
                             DrfTieBreak tie_break = DrfTieBreak::kMesos);

  void FrameworkAdded(const ClusterView& view, FrameworkId id) override;
  void FrameworkRemoved(const ClusterView& view, FrameworkId id) override;
  void AllocationChanged(const ClusterView& view, FrameworkId id) override;
  void TotalChanged(const ClusterView& view) override;
  void RoleWeightsChanged(const ClusterView& view) override { drf_.RoleWeightsChanged(view); }
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override;
  Resources LimitOffer(const ClusterView& view, AgentId agent, FrameworkId framework,
                       const Resources& offerable) override;

 private:
  // The quota of a role id, or nullptr. Resolves names against the view's roles as they appear.
  const RoleQuota* QuotaOf(const ClusterView& view, RoleId role);
  void Resolve(const ClusterView& view);
  // Re-reads the role's allocation into the sums below and its place in stage 1.
  void Refresh(const ClusterView& view, RoleId role);

  std::map<std::string, RoleQuota> quotas_;
  DrfAllocator drf_;
  std::vector<const RoleQuota*> role_quota_;  // by role id, as far as resolved
  std::vector<uint8_t> visited_;              // by framework id, scratch for a visit
  std::vector<FrameworkId> marked_;
  // Kept up to date by Refresh (every change of a role's allocation reaches AllocationChanged for
  // one of its frameworks): each role's allocation as last read, their sum, the sum over quotas of
  // the unmet guarantee (a quota whose role has not appeared counts in full), and stage 1 — the
  // quota roles with frameworks below their guarantee, as (satisfaction, role id).
  std::vector<Resources> role_allocated_;
  Resources allocated_sum_;
  Resources required_;
  std::set<std::pair<double, uint32_t>> stage1_;
  std::vector<double> stage1_key_;  // by role id; < 0: not in stage1_
};

}  // namespace clustersim::plugins
