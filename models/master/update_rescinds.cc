// What Mesos's operator endpoints do to outstanding offers when weights or quotas change
// (Mesos 1.11.0: src/master/weights_handler.cpp = W, src/master/quota_handler.cpp = QH). The
// allocator-level calls (Master::UpdateRoleWeights, UpdateRoleQuotas) stay as the allocator's
// updateWeights/updateQuota, which rescind nothing, as Mesos's allocator tests drive them.
#include <algorithm>
#include <utility>
#include <vector>

#include "models/master/master.h"

namespace clustersim::models {
namespace {

bool InSubtree(std::string_view role, std::string_view top) {
  return role == top ||
         (role.size() > top.size() && role.starts_with(top) && role[top.size()] == '/');
}

}  // namespace

// W:263-308: after updating the weights, if an updated role is one the master tracks (a framework
// subscribed to it or resources allocated to it, master.hpp:2274-2278), every outstanding offer is
// rescinded, with no filter and no cycle: the next cycle gives those resources out under the new
// weights.
void Master::RescindAfterWeightsUpdate(const std::map<std::string, double>& weights) {
  const bool tracked = std::any_of(weights.begin(), weights.end(), [&](const auto& w) {
    const auto it = role_ids_.find(w.first);
    if (it == role_ids_.end()) return false;
    if (!roles_[it->second.index()].allocated.IsZero()) return true;
    return std::any_of(frameworks_.begin(), frameworks_.end(),
                       [&](const FrameworkState& f) { return f.info.role == it->second; });
  });
  if (!tracked) return;
  for (size_t s = 0; s < offers_.slot_count(); ++s) {
    const OfferSlot slot(static_cast<uint32_t>(s));
    if (offers_[slot].live) Rescind(slot);
  }
}

// RoleResourceBreakdown's consumedQuota() + offered() for `role`'s subtree (QH:598-602): what is
// allocated to it (tasks and offers, reservations in use included) plus its reservations nothing
// uses.
plugins::Resources Master::SubtreeConsumedAndOffered(const std::string& role) {
  plugins::Resources sum;
  for (const RoleState& r : roles_) {
    if (InSubtree(r.info.name, role)) sum += r.allocated;
  }
  // The master's registered agents: one not reregistered since a failover is not yet among them.
  for (const AgentId agent : reserved_agents_) {
    if (!cell_.active(agent) || agent_unknown_to_allocator(agent)) continue;
    ComputeReservedFree(agent);
    const auto& reservations = cell_.info(agent).reservations;
    for (size_t i = 0; i < reservations.size(); ++i) {
      if (InSubtree(reservations[i].first, role)) sum += ledger_.free(i);
    }
  }
  return sum;
}

// QH:580-690, per updated role, best effort as Mesos: first the subtree's offers, framework by
// framework, until consumed + offered is within the role's limits; then other roles' offers, agent
// by agent, until what was rescinded plus the role's consumed + offered covers its guarantee.
// Mesos walks hashmaps (frameworks, agents) in no set order; here, registration order.
void Master::RescindAfterQuotaUpdate(const plugins::RoleQuotas& changed) {
  for (const auto& [role, quota] : changed) {
    plugins::Resources consumed = SubtreeConsumedAndOffered(role);
    // `quota` is captured by name: clang 14 cannot capture a structured binding (C++20's P1091).
    const auto within_limits = [&, &quota = quota] {
      for (int k = 0; k < plugins::kMaxResourceKinds; ++k) {
        if (quota.HasLimit(k) && consumed.Raw(k) > quota.limit.Raw(k)) return false;
      }
      return true;
    };
    std::vector<std::pair<uint32_t, OfferSlot>> mine;  // (framework, offer), the subtree's
    for (size_t s = 0; s < offers_.slot_count(); ++s) {
      const OfferSlot slot(static_cast<uint32_t>(s));
      const Offer& o = offers_[slot];
      if (!o.live) continue;
      if (InSubtree(SubscriptionRole(o.subscription), role)) {
        mine.emplace_back(o.framework.value, slot);
      }
    }
    std::stable_sort(mine.begin(), mine.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [framework, slot] : mine) {
      if (within_limits()) break;
      consumed -= offers_[slot].resources;
      Rescind(slot);
    }
    plugins::Resources rescinded;
    const auto covers_guarantee = [&, &quota = quota] {
      return (rescinded + consumed).Contains(quota.guarantee);
    };
    for (uint32_t a = 0; a < cell_.agent_count() && !covers_guarantee(); ++a) {
      std::vector<OfferSlot> others;
      for (OfferSlot s = offers_.first_on(AgentId(a)); s != kNoOffer;
           s = offers_[s].next_on_agent) {
        if (!InSubtree(SubscriptionRole(offers_[s].subscription), role)) others.push_back(s);
      }
      for (const OfferSlot slot : others) {
        if (covers_guarantee()) break;
        rescinded += offers_[slot].resources;
        Rescind(slot);
      }
    }
  }
}

}  // namespace clustersim::models
