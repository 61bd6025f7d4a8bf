#include "scheduler_plugins/allocators/drf_quota.h"

#include <algorithm>
#include <utility>

namespace clustersim::plugins {
namespace {

// max over the kinds the guarantee has of allocated / guarantee: 1 or more once met.
double Satisfaction(const Resources& allocated, const Resources& guarantee) {
  double s = 0;
  bool any = false;
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    if (guarantee.Raw(k) <= 0) continue;
    any = true;
    s = std::max(s, static_cast<double>(allocated.Raw(k)) / static_cast<double>(guarantee.Raw(k)));
  }
  return any ? s : 1.0;
}

bool GuaranteeMet(const Resources& allocated, const Resources& guarantee) {
  return allocated.Contains(guarantee);
}

Resources Unmet(const Resources& guarantee, const Resources& allocated) {
  return guarantee - guarantee.Min(allocated);
}

}  // namespace

sim::Result<std::map<std::string, RoleQuota>> ParseRoleQuotas(PolicyParams& params) {
  std::map<std::string, RoleQuota> quotas;
  SIM_ASSIGN_OR_RETURN(PolicyParams * map, params.Map("quotas"));
  if (map != nullptr) {
    for (const std::string& role : map->Keys()) {
      SIM_ASSIGN_OR_RETURN(PolicyParams * q, map->Map(role));
      if (q == nullptr) return map->Error(role, "a mapping with 'guarantee' and/or 'limit'");
      RoleQuota quota;
      SIM_ASSIGN_OR_RETURN(quota.guarantee, q->ResourceVector("guarantee", Resources()));
      SIM_ASSIGN_OR_RETURN(quota.limit, q->ResourceVector("limit", Resources()));
      quota.limit_kinds = q->ResourceKindsNamed("limit");
      for (int k = 0; k < kMaxResourceKinds; ++k) {
        if (quota.HasLimit(k) && quota.limit.Raw(k) < quota.guarantee.Raw(k)) {
          return q->Error("limit", "a limit at least the guarantee in every resource");
        }
      }
      quotas.emplace(role, quota);
    }
  }
  return quotas;
}

DrfQuotaAllocator::DrfQuotaAllocator(std::map<std::string, RoleQuota> quotas, DrfTieBreak tie_break)
    : quotas_(std::move(quotas)), drf_(tie_break) {
  for (const auto& [name, quota] : quotas_) required_ += quota.guarantee;  // nothing allocated yet
}

void DrfQuotaAllocator::Resolve(const ClusterView& view) {
  while (role_quota_.size() < view.role_count()) {
    const RoleId id(static_cast<uint32_t>(role_quota_.size()));
    auto it = quotas_.find(view.role(id).name);
    role_quota_.push_back(it == quotas_.end() ? nullptr : &it->second);
    role_allocated_.emplace_back();  // a new role holds nothing
    stage1_key_.push_back(-1);
  }
}

void DrfQuotaAllocator::Refresh(const ClusterView& view, RoleId role) {
  Resolve(view);
  const size_t r = role.index();
  const RoleQuota* q = role_quota_[r];
  const Resources& now = view.role_allocated(role);
  Resources& old = role_allocated_[r];
  if (now != old) {
    if (q != nullptr) {
      required_ -= Unmet(q->guarantee, old);
      required_ += Unmet(q->guarantee, now);
    }
    allocated_sum_ -= old;
    allocated_sum_ += now;
    old = now;
  }
  const bool unmet = q != nullptr && drf_.HasRole(role) && !GuaranteeMet(now, q->guarantee);
  const double key = unmet ? Satisfaction(now, q->guarantee) : -1;
  if (key == stage1_key_[r]) return;
  if (stage1_key_[r] >= 0) stage1_.erase({stage1_key_[r], role.value});
  if (unmet) stage1_.insert({key, role.value});
  stage1_key_[r] = key;
}

const RoleQuota* DrfQuotaAllocator::QuotaOf(const ClusterView& view, RoleId role) {
  if (role.index() >= role_quota_.size()) Resolve(view);
  return role.index() < role_quota_.size() ? role_quota_[role.index()] : nullptr;
}

void DrfQuotaAllocator::FrameworkAdded(const ClusterView& view, FrameworkId id) {
  Resolve(view);
  drf_.FrameworkAdded(view, id);
  if (visited_.size() <= id.index()) visited_.resize(id.index() + 1, 0);
  Refresh(view, view.framework(id).role);
}

void DrfQuotaAllocator::FrameworkRemoved(const ClusterView& view, FrameworkId id) {
  drf_.FrameworkRemoved(view, id);
  Refresh(view, view.framework(id).role);
}

void DrfQuotaAllocator::AllocationChanged(const ClusterView& view, FrameworkId id) {
  drf_.AllocationChanged(view, id);
  Refresh(view, view.framework(id).role);
}

void DrfQuotaAllocator::TotalChanged(const ClusterView& view) { drf_.TotalChanged(view); }

void DrfQuotaAllocator::VisitInOrder(const ClusterView& view, AgentId agent,
                                     FunctionRef<bool(FrameworkId)> visit) {
  Resolve(view);
  // Stage 1: quota roles below their guarantee, least satisfied first (ties: role id, which is
  // the order roles appeared in).
  marked_.clear();
  bool taken = false;
  auto mark_and_visit = [&](FrameworkId f) {
    visited_[f.index()] = 1;
    marked_.push_back(f);
    return visit(f);
  };
  for (const auto& [satisfaction, role] : stage1_) {
    if (drf_.VisitRole(RoleId(role), mark_and_visit)) {
      taken = true;
      break;
    }
  }
  // Stage 2: everyone else in DRF order.
  if (!taken) {
    drf_.VisitInOrder(view, agent, [&](FrameworkId f) {
      if (visited_[f.index()]) return false;
      return visit(f);
    });
  }
  for (FrameworkId f : marked_) visited_[f.index()] = 0;
}

Resources DrfQuotaAllocator::LimitOffer(const ClusterView& view, AgentId agent,
                                        FrameworkId framework, const Resources& offerable) {
  Resolve(view);
  const RoleId role = view.framework(framework).role;
  const RoleQuota* own = QuotaOf(view, role);
  const Resources& own_allocated = view.role_allocated(role);

  // Unallocated resources of the cluster, and the sum of the unmet guarantees (the headroom).
  const Resources unallocated = view.cluster_total() - allocated_sum_;
  const Resources& required = required_;

  Resources cap = offerable;
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    const int64_t own_unmet =
        own == nullptr ? 0 : std::max<int64_t>(0, own->guarantee.Raw(k) - own_allocated.Raw(k));
    const int64_t surplus = std::max<int64_t>(0, unallocated.Raw(k) - required.Raw(k));
    int64_t allowed = own_unmet + surplus;
    if (own != nullptr && own->HasLimit(k)) {
      allowed = std::min(allowed, std::max<int64_t>(0, own->limit.Raw(k) - own_allocated.Raw(k)));
    }
    cap.SetRaw(k, std::clamp<int64_t>(allowed, 0, offerable.Raw(k)));
  }
  return cap;
}

}  // namespace clustersim::plugins
