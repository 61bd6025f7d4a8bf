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

}  // namespace

DrfQuotaAllocator::DrfQuotaAllocator(std::map<std::string, RoleQuota> quotas)
    : quotas_(std::move(quotas)) {}

void DrfQuotaAllocator::Resolve(const ClusterView& view) {
  while (role_quota_.size() < view.role_count()) {
    const RoleId id(static_cast<uint32_t>(role_quota_.size()));
    auto it = quotas_.find(view.role(id).name);
    role_quota_.push_back(it == quotas_.end() ? nullptr : &it->second);
  }
}

const RoleQuota* DrfQuotaAllocator::QuotaOf(const ClusterView& view, RoleId role) {
  if (role.index() >= role_quota_.size()) Resolve(view);
  return role.index() < role_quota_.size() ? role_quota_[role.index()] : nullptr;
}

void DrfQuotaAllocator::FrameworkAdded(const ClusterView& view, FrameworkId id) {
  Resolve(view);
  drf_.FrameworkAdded(view, id);
  if (visited_.size() <= id.index()) visited_.resize(id.index() + 1, 0);
}

void DrfQuotaAllocator::FrameworkRemoved(const ClusterView& view, FrameworkId id) {
  drf_.FrameworkRemoved(view, id);
}

void DrfQuotaAllocator::AllocationChanged(const ClusterView& view, FrameworkId id) {
  drf_.AllocationChanged(view, id);
}

void DrfQuotaAllocator::TotalChanged(const ClusterView& view) { drf_.TotalChanged(view); }

void DrfQuotaAllocator::VisitInOrder(const ClusterView& view, AgentId agent,
                                     FunctionRef<bool(FrameworkId)> visit) {
  Resolve(view);
  // Stage 1: quota roles below their guarantee, least satisfied first (ties: role id, which is
  // the order roles appeared in).
  stage1_.clear();
  for (size_t r = 0; r < role_quota_.size(); ++r) {
    const RoleQuota* q = role_quota_[r];
    const RoleId role(static_cast<uint32_t>(r));
    if (q == nullptr || !drf_.HasRole(role)) continue;
    const Resources& allocated = view.role_allocated(role);
    if (GuaranteeMet(allocated, q->guarantee)) continue;
    stage1_.emplace_back(Satisfaction(allocated, q->guarantee), role);
  }
  std::sort(stage1_.begin(), stage1_.end());
  marked_.clear();
  bool taken = false;
  auto mark_and_visit = [&](FrameworkId f) {
    visited_[f.index()] = 1;
    marked_.push_back(f);
    return visit(f);
  };
  for (const auto& [satisfaction, role] : stage1_) {
    if (drf_.VisitRole(role, mark_and_visit)) {
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
  Resources unallocated = view.cluster_total();
  for (size_t r = 0; r < view.role_count(); ++r) {
    unallocated -= view.role_allocated(RoleId(static_cast<uint32_t>(r)));
  }
  Resources required;
  for (const auto& [name, quota] : quotas_) {
    Resources allocated;
    for (size_t r = 0; r < role_quota_.size(); ++r) {
      if (role_quota_[r] == &quota)
        allocated = view.role_allocated(RoleId(static_cast<uint32_t>(r)));
    }
    required += (quota.guarantee - quota.guarantee.Min(allocated));
  }

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
