// The allocation cycle with quotas: Mesos 1.11's __generateOffers
// (src/master/allocator/mesos/hierarchical.cpp:1964-2541, "H" below), run by the master while the
// allocator policy only orders roles and frameworks. The single-pass cycle without quotas is
// Master::Allocate / VisitAgent in allocation_cycle.cc.

#include <algorithm>
#include <optional>
#include <utility>

#include "models/master/master.h"

namespace clustersim::models {

// Stage 1 over the candidate agents in their shuffled order (H:1993), then a reshuffle (H:2393)
// and stage 2 over all of them. Agents a cycle may skip as idle (every framework filtered or
// suppressed, see CellState) are skipped in both stages, as in the single pass.
//
// What the cost model charges (cost_model.h): Mesos walks every agent twice and sorts the roles for
// each agent of stage 1 even once no guarantee is left to meet (H:2124-2126), and all of them again
// in stage 2 (H:2398), so agents_visited counts both stages; frameworks_sorted is the active
// frameworks, as in the single pass (Master::Allocate), charged for every agent of either stage:
// stage 1 sorts roles rather than frameworks, the same count in the calibrating benchmarks (one
// framework per role). Nothing else reads the counts, so without the model stage 1 counts none.
void Master::RunQuotaStages(sim::Time now, CycleWork& work) {
  // No agent to offer: the ledger would be rebuilt for nothing (nothing reads it between cycles).
  if (candidates_.empty()) return;
  SetUpQuotaLedger();
  quota_.CollectUnmetRoles(unmet_roles_);
  stage1_sorts_ = false;
  guarantee_offers_.clear();
  const bool skip_idle = !cost_.enabled();
  if (!skip_idle) work.agents_visited += static_cast<int64_t>(candidates_.size());
  for (const AgentId agent : candidates_) {
    if (quota_.unmet_roles() == 0) break;  // no role left for stage 1
    if (skip_idle && cell_.IsIdle(agent, now)) continue;
    GuaranteeStage(agent, now, work);
  }
  std::sort(guarantee_offers_.begin(), guarantee_offers_.end());
  shuffle_rng_.Shuffle(candidates_.begin(), candidates_.end());
  for (const AgentId agent : candidates_) {
    if (skip_idle && cell_.IsIdle(agent, now)) continue;
    ++work.agents_visited;
    RemainderStage(agent, now, work);
  }
}

void Master::SetUpQuotaLedger() {
  // What the allocator knows: agents not reregistered since a failover, their reservations and
  // the tasks on them are not in it (HideFromAllocator).
  quota_.Begin(cluster_total());
  for (const RoleState& role : roles_) quota_.AddAllocation(role.info.id, role.allocated);
  for (const AgentId agent : reserved_agents_) {
    if (!cell_.active(agent) || agent_unknown_to_allocator(agent)) continue;
    ComputeReservedFree(agent);
    const auto& reservations = cell_.info(agent).reservations;
    for (size_t i = 0; i < reservations.size(); ++i) {
      quota_.AddFreeReservation(reservations[i].first, ledger_.free(i));
    }
  }
  quota_.Finish();
}

// Roles in policy order; only those with their own unmet guarantee take part (H:2126-2165), and
// the walk ends once all of them were seen or the agent is empty (H:2153-2155). Mesos sorts every
// role for every agent. Walking the policy's order costs the roles passed, met ones included;
// sorting the unmet ones costs u log u. Stage 1 sorts when few roles are unmet, and for the rest
// of the cycle once a walk passed many more met roles than there are unmet ones (met roles with
// small shares ahead of the unmet: Mesos's LargeAndSmallQuota). Either way the same order.
void Master::GuaranteeStage(AgentId agent, sim::Time now, CycleWork& work) {
  NotifyAllocationChanges();
  auto offer_to_role = [&](plugins::RoleId role) {
    policy_.VisitRoleInOrder(*this, agent, role, [&](FrameworkId f) {
      // The role's guarantee may be met by the offers of this very walk (H:2172-2174).
      if (!quota_.HasUnmetGuarantee(role)) return true;
      return OfferTowardGuarantee(f, agent, now, work);
    });
  };
  const size_t unmet = quota_.unmet_roles();
  constexpr size_t kSortBelow = 16;  // sort when unmet roles are under 1/16 of all roles
  if (stage1_sorts_ || unmet * kSortBelow < roles_.size()) {
    std::erase_if(unmet_roles_,
                  [&](plugins::RoleId role) { return !quota_.HasUnmetGuarantee(role); });
    policy_.OrderRoles(*this, agent, unmet_roles_);
    for (const plugins::RoleId role : unmet_roles_) {
      if (!cell_.Allocatable(cell_.available(agent))) return;
      if (quota_.HasUnmetGuarantee(role)) offer_to_role(role);
    }
    return;
  }
  // Only an offer changes what the agent has left: it is checked after each.
  if (!cell_.Allocatable(cell_.available(agent))) return;
  size_t seen = 0, passed = 0;
  policy_.VisitRolesInOrder(*this, agent, [&](plugins::RoleId role) {
    if (!quota_.HasUnmetGuarantee(role)) {
      ++passed;
      return false;
    }
    offer_to_role(role);
    return ++seen == unmet || !cell_.Allocatable(cell_.available(agent));
  });
  constexpr size_t kPassedPerUnmet = 4;  // a walk step vs a share of the sort's u log u
  if (passed > kPassedPerUnmet * unmet + 64) stage1_sorts_ = true;
}

bool Master::OfferTowardGuarantee(FrameworkId f, AgentId agent, sim::Time now, CycleWork& work) {
  FrameworkState& fw = frameworks_[f.index()];
  if (!fw.active || fw.suppressed) return false;
  ++work.framework_visits;
  // Offer constraints, then GPU filtering, before anything else (H:2181-2185, H:2203-2205).
  if (Excluded(f, agent)) return false;
  const plugins::RoleId role = fw.info.role;
  const Resources unreserved = Unreserved(agent);
  const Resources available =
      cell_.reserved(agent) ? ledger_.OfferableTo(role, unreserved) : unreserved;
  if (available.IsZero()) return true;            // H:2193-2195
  if (!Allocatable(fw, available)) return false;  // H:2199-2201
  // What moves the role toward its guarantee: its unreserved part, shrunk to what is unmet
  // (H:2264-2272). No progress, no offer — not even of the role's reservations (H:2287-2289).
  const Resources guaranteed = unreserved.Min(quota_.Unsatisfied(role));
  if (guaranteed.IsZero()) return false;
  // The rest of the unreserved resources within the role's limit and the headroom surplus
  // (H:2304-2329); the role's own reservations always (H:2297-2302).
  const Resources additional =
      quota_.CapByHeadroom(quota_.CapByLimit(role, unreserved - guaranteed, guaranteed));
  const Resources offer = guaranteed + (available - unreserved) + additional;
  if (!Allocatable(fw, offer)) return false;                           // H:2334
  if (fw.filters.BlockedUntil(agent, offer, now) > now) return false;  // H:2335
  OfferInCycle(f, agent, offer, work);
  quota_.OfferedInStage1(role, guaranteed, additional);
  guarantee_offers_.emplace_back(agent.value, f.value);
  return false;
}

// Every framework in policy order, the order fixed for the agent (H:2398-2410). The agent is
// idle afterwards only if no framework was offered anything in either stage nor held back by a
// limit or headroom, as in the single pass (SettleUntaken).
void Master::RemainderStage(AgentId agent, sim::Time now, CycleWork& work) {
  cell_.ClearIdle(agent);
  Refusals refusals;
  served_.clear();
  NotifyAllocationChanges();
  policy_.VisitInOrder(*this, agent, [&](FrameworkId f) {
    if (!cell_.Allocatable(cell_.available(agent))) return true;  // H:2401-2403
    OfferRemainder(f, agent, now, refusals, work);
    return false;
  });
  if (!cell_.Allocatable(cell_.available(agent))) return;
  // An agent offered in stage 1 is not idle, like one offered in stage 2 (served_).
  if (OfferedInGuaranteeStage(agent, std::nullopt)) refusals.limited = true;
  SettleUntaken(agent, refusals);
}

bool Master::OfferedInGuaranteeStage(AgentId agent, std::optional<FrameworkId> framework) const {
  if (guarantee_offers_.empty()) return false;
  const std::pair<uint32_t, uint32_t> key{agent.value, framework ? framework->value : 0};
  auto it = std::lower_bound(guarantee_offers_.begin(), guarantee_offers_.end(), key);
  return it != guarantee_offers_.end() && it->first == agent.value &&
         (!framework || it->second == framework->value);
}

void Master::OfferRemainder(FrameworkId f, AgentId agent, sim::Time now, Refusals& refusals,
                            CycleWork& work) {
  FrameworkState& fw = frameworks_[f.index()];
  if (!fw.active || fw.suppressed) return;
  ++work.framework_visits;
  if (Excluded(f, agent)) return;  // H:2416-2420, H:2438-2440
  // One offer per framework and agent a cycle: Mesos merges both stages' resources into one
  // (H:2345, 2501). Stage 1 leaves that framework nothing here in practice — its limit and the
  // headroom surplus cut stage 2 to zero where they cut stage 1 — so a second look is skipped.
  if (OfferedInGuaranteeStage(agent, f)) return;
  const plugins::RoleId role = fw.info.role;
  const Resources unreserved = Unreserved(agent);
  const Resources available =
      cell_.reserved(agent) ? ledger_.OfferableTo(role, unreserved) : unreserved;
  if (!Allocatable(fw, available)) return;  // H:2424-2436
  // Reservations whole and never shrunk (H:2446-2450); unreserved resources within the role's
  // limit and the headroom surplus (H:2456-2486).
  const Resources within_limit = quota_.CapByLimit(role, unreserved, Resources());
  const Resources additional = quota_.CapByHeadroom(within_limit);
  if (additional != unreserved) refusals.limited = true;
  const Resources offer = (available - unreserved) + additional;
  if (!Allocatable(fw, offer)) return;  // H:2491
  const sim::Time until = fw.filters.BlockedUntil(agent, offer, now);
  if (until > now) {  // H:2492
    refusals.blocked_until = std::min(refusals.blocked_until, until);
    return;
  }
  OfferInCycle(f, agent, offer, work);
  served_.push_back(f);
  quota_.OfferedInStage2(role, additional);
}

}  // namespace clustersim::models
