// The master's allocation cycles: when they run (periodic, triggered, after the cost model's busy
// time), which agents they visit, and the offers each visit makes (HierarchicalAllocatorProcess's
// generateOffers and __generateOffers, H:1894-2542; quota's two stages are in quota_stages.cc).
#include <fmt/format.h>

#include <algorithm>

#include "models/master/master.h"
#include "sim/check.h"

namespace clustersim::models {

// The next periodic cycle falls due an interval after the last one ended (with the cost model, a
// cycle ends after its simulated cost; otherwise when it starts).
void Master::ScheduleNextPeriodicCycle() {
  next_periodic_ = std::max(sim_.Now(), cost_.allocator().busy_until()) + spec_.allocation_interval;
  sim_.Schedule(next_periodic_, [this] {
    if (cycle_due_ > sim_.Now()) cycle_due_ = sim_.Now();
    RunCycleWhenFree(/*periodic=*/true);
  });
}

// Without the cost model the master is never busy and the cycle runs now.
void Master::RunCycleWhenFree(bool periodic) {
  if (allocation_paused()) {
    // No leader, or the new allocator waits for agents (H:1932-1935): nothing runs, the
    // requests are dropped, and ResumeAllocation runs a cycle over all agents.
    if (periodic) {
      ScheduleNextPeriodicCycle();
    } else {
      cycle_requested_ = false;
      cycle_full_ = false;
      cycle_agents_.clear();
    }
    cycle_due_ = sim::Time::Max();
    return;
  }
  const sim::Time allocator_free = cost_.allocator().busy_until();
  if (allocator_free > sim_.Now()) {
    sim_.Schedule(allocator_free, [this, periodic] { RunCycleWhenFree(periodic); });
    return;
  }
  if (periodic) {
    Allocate(CycleScope::kAll);
    ScheduleNextPeriodicCycle();
    return;
  }
  // The requests since the last triggered cycle, as one batch: Mesos's allocationCandidates,
  // cleared once the cycle has run (hierarchical.cpp:1908-1961).
  cycle_requested_ = false;
  const CycleScope scope = cycle_full_ ? CycleScope::kAll : CycleScope::kListed;
  cycle_full_ = false;
  listed_.swap(cycle_agents_);
  cycle_agents_.clear();
  Allocate(scope);
}

// Mesos coalesces the generateOffers() requests that arrive while one is pending into one batch
// over the union of their agents (H:1908-1925); we coalesce those of one simulated instant (and,
// with the cost model, those that arrive while the allocator is busy) and run the cycle once the
// instant's other events are done.
void Master::RequestCycle() {
  if (cycle_requested_) return;
  cycle_requested_ = true;
  if (cycle_due_ > sim_.Now()) cycle_due_ = sim_.Now();
  sim_.AtEndOfInstant([this] { RunCycleWhenFree(/*periodic=*/false); });
}

// Framework registration, activation and revive: a cycle over all agents (H:792, 874, 1836).
void Master::TriggerAllocation() {
  cycle_full_ = true;
  RequestCycle();
}

// Agent (re)registration and update: a cycle over that agent only (H:1064, 1172), unless a
// request for all agents joins the same batch.
void Master::TriggerAgentAllocation(AgentId agent) {
  cycle_agents_.push_back(agent);
  RequestCycle();
}

// Visits go in shuffled order, so each is a cache miss, and a visit that offers also writes the
// agent's full record: fetching a few visits ahead overlaps the misses. With few frameworks, their
// filters for the agent are worth fetching too (with many, a visit asks only the first few in
// policy order, unknown here).
void Master::PrefetchVisit(size_t c) const {
  constexpr size_t kAhead = 6;
  const bool prefetch_filters = frameworks_.size() <= 4;
  if (prefetch_filters && c + 2 * kAhead < candidates_.size()) {
    for (const FrameworkState& fw : frameworks_)
      fw.filters.PrefetchHead(candidates_[c + 2 * kAhead]);
  }
  if (c + kAhead >= candidates_.size()) return;
  const AgentId ahead = candidates_[c + kAhead];
  if (prefetch_filters) {
    for (const FrameworkState& fw : frameworks_) fw.filters.PrefetchFilters(ahead);
  }
  cell_.PrefetchForVisit(ahead);
}

// One allocation cycle, as AllocatorPolicy describes it: over all agents, the agents that changed
// since the last cycle (every allocatable agent after an eligibility change, or always with the
// cost model, as Mesos does); over listed agents, those (Mesos's generateOffers(slaveId)); in a
// seeded shuffled order, each offered to frameworks in policy order.
int Master::Allocate(CycleScope scope) {
  ++cycles_;
  NotifyAllocationChanges();
  policy_.BeginCycle(*this);
  const sim::Time now = sim_.Now();
  CollectCandidates(now, scope);
  if (cycle_checks_) CheckIdleAgentsHaveNoTaker(now);
  CycleWork work;
  if (plans_cycles_) work.policy_charge = PlanCycle(now);
  if (quota_.active()) {
    RunQuotaStages(now, work);
    candidates_.clear();  // the loop below is the single pass without quotas
  }
  if (spec_.offer_whole_cell) {
    OfferWholeCell(now, work);
    candidates_.clear();
  }
  for (size_t c = 0; c < candidates_.size(); ++c) {
    PrefetchVisit(c);
    const AgentId agent = candidates_[c];
    // Only a full scan meets idle agents (CollectCandidates leaves them out otherwise); skipping
    // them there too keeps a full-scan cycle O(changed) in visits. The cost model charges for a
    // visit of every agent, as Mesos makes.
    if (!cost_.enabled() && cell_.IsIdle(agent, now)) continue;
    ++work.agents_visited;
    VisitAgent(agent, now, work);
  }
  if (cost_.enabled()) {
    // The allocator sorts the active frameworks for every agent it visits (cost_model.h).
    work.frameworks_sorted = std::count_if(frameworks_.begin(), frameworks_.end(),
                                           [](const FrameworkState& fw) { return fw.active; });
  }
  signals_.allocation_cycle.Emit(now, work.offers);
#if SIM_SWEEP_CHECKS_ENABLED
  CheckInvariants();
#endif
  delivery_.Send(TakeCycleDue(now), work);
  GenerateInverseOffers(scope);  // maintenance_ops.cc
  return work.offers;
}

void Master::CollectCandidates(sim::Time now, CycleScope scope) {
  if (scope == CycleScope::kListed) {
    cell_.CollectListed(now, listed_, candidates_);
  } else {
    cell_.CollectCandidates(now, /*full_scan=*/cost_.enabled(), candidates_);
  }
  shuffle_rng_.Shuffle(candidates_.begin(), candidates_.end());
}

// Each framework is offered an agent at most once a cycle. Without reservations or a policy's
// LimitOffer the first one takes everything and the loop ends after one offer; otherwise what is
// left (another role's reservation, held-back headroom) goes to the next in order.
void Master::VisitAgent(AgentId agent, sim::Time now, CycleWork& work) {
  cell_.ClearIdle(agent);
  Refusals refusals;
  served_.clear();
  while (cell_.Allocatable(cell_.available(agent))) {
    const Resources unreserved = Unreserved(agent);
    const std::optional<Pick> pick = PickFramework(agent, unreserved, now, refusals, work);
    if (!pick) {
      SettleUntaken(agent, refusals);
      return;
    }
    served_.push_back(pick->framework);
    OfferInCycle(pick->framework, agent, pick->amount, work);
  }
}

// offer_granularity: cell, as the released Omega simulator's Mesos allocator makes its batched
// offer rounds (MesosSimulation.scala:406-490, buildAndSendOffer): the framework first in the
// allocator's order for the first candidate it would take is offered every candidate it may be
// offered (its filters, exclusions and min_allocatable apply, as each agent's offer would), and
// no one else anything this cycle. What is offered stays locked until answered; what frees up
// meanwhile goes to the next cycle's first framework.
void Master::OfferWholeCell(sim::Time now, CycleWork& work) {
  std::optional<FrameworkId> owner;
  for (AgentId agent : candidates_) {
    if (!cell_.Allocatable(cell_.available(agent))) continue;
    ++work.agents_visited;
    cell_.ClearIdle(agent);
    Refusals refusals;
    served_.clear();
    const Resources unreserved = Unreserved(agent);
    std::optional<Pick> pick;
    if (!owner) {
      pick = PickFramework(agent, unreserved, now, refusals, work);
      if (pick) owner = pick->framework;
    } else {
      pick = OwnerPick(*owner, agent, unreserved, now);
    }
    if (pick) {
      OfferInCycle(pick->framework, agent, pick->amount, work);
    } else {
      cell_.MarkDirty(agent);  // another framework may take it once the cell is free
    }
  }
}

std::optional<Master::Pick> Master::OwnerPick(FrameworkId owner, AgentId agent,
                                              const Resources& unreserved, sim::Time now) {
  Refusals refusals;  // the owner's refusal leaves the agent to the next cycle anyway
  const std::optional<Resources> amount = OfferableAmount(
      owner, frameworks_[owner.index()], agent, unreserved, cell_.reserved(agent), now, refusals);
  if (!amount) return std::nullopt;
  return Pick{owner, *amount};
}

std::optional<Resources> Master::OfferableAmount(FrameworkId f, FrameworkState& fw, AgentId agent,
                                                 const Resources& unreserved, bool reserved,
                                                 sim::Time now, Refusals& refusals) {
  // Never a taker, so no refusal either: an agent every framework excludes settles idle until
  // its resources change or new takers appear, like one nobody wants.
  if (Excluded(f, agent)) return std::nullopt;
  const Resources offerable = reserved ? ledger_.OfferableTo(fw.info.role, unreserved) : unreserved;
  const Resources limit = policy_.LimitOffer(*this, agent, f, offerable);
  if (!limit.Contains(offerable)) refusals.limited = true;
  const Resources amount = limit.Min(offerable).Max(Resources());
  if (!Allocatable(fw, amount)) return std::nullopt;
  const sim::Time until = fw.filters.BlockedUntil(agent, amount, now);
  if (until > now) {
    refusals.blocked_until = std::min(refusals.blocked_until, until);
    return std::nullopt;
  }
  return amount;
}

Resources Master::Unreserved(AgentId agent) {
  if (!cell_.reserved(agent)) return cell_.available(agent);
  ComputeReservedFree(agent);
  return ledger_.Unreserved(cell_.available(agent));
}

std::optional<Master::Pick> Master::PickFramework(AgentId agent, const Resources& unreserved,
                                                  sim::Time now, Refusals& refusals,
                                                  CycleWork& work) {
  const bool reserved = cell_.reserved(agent);
  std::optional<Pick> pick;
  NotifyAllocationChanges();
  policy_.VisitInOrder(*this, agent, [&](FrameworkId f) {
    ++work.framework_visits;
    FrameworkState& fw = frameworks_[f.index()];
    if (!fw.active || fw.suppressed) return false;
    if (std::find(served_.begin(), served_.end(), f) != served_.end()) return false;
    const std::optional<Resources> amount =
        OfferableAmount(f, fw, agent, unreserved, reserved, now, refusals);
    if (!amount) return false;
    pick = Pick{f, *amount};
    return true;
  });
  return pick;
}

// For a policy that decides a cycle in one piece (AllocatorPolicy::PlanCycle: an external
// allocator answers one message per cycle, not one per agent): the agents the cycle's loop will
// visit, in its order, each with the subscriptions PickFramework would accept for its whole
// offerable amount — active, not suppressed, and OfferableAmount's tests (offer constraints,
// min_allocatable, filters). Agents no one may take are left out of the plan; the refusals met on
// every agent are kept for SettleUntaken, since the policy's walk visits only the frameworks it
// lists. O(agents x subscriptions): only such policies pay it.
sim::Time Master::PlanCycle(sim::Time now) {
  plan_.Clear();
  if (planned_refusals_.size() < cell_.agent_count()) {
    planned_refusals_.resize(cell_.agent_count());
  }
  for (const AgentId agent : candidates_) {
    if ((!cost_.enabled() && cell_.IsIdle(agent, now)) ||
        !cell_.Allocatable(cell_.available(agent))) {
      continue;
    }
    const Resources unreserved = Unreserved(agent);
    const bool reserved = cell_.reserved(agent);
    const uint32_t first = static_cast<uint32_t>(plan_.eligible.size());
    Refusals& refusals = planned_refusals_[agent.index()];
    refusals = Refusals();
    for (size_t f = 0; f < frameworks_.size(); ++f) {
      FrameworkState& fw = frameworks_[f];
      if (!fw.active || fw.suppressed) continue;
      const FrameworkId id(static_cast<uint32_t>(f));
      if (OfferableAmount(id, fw, agent, unreserved, reserved, now, refusals)) {
        plan_.eligible.push_back(id);
      }
    }
    const uint32_t count = static_cast<uint32_t>(plan_.eligible.size()) - first;
    if (count == 0) continue;
    // A taker the policy leaves off its list keeps the agent due, as one held back by a limit.
    refusals.limited = true;
    plan_.agents.push_back({agent, cell_.available(agent), first, count});
  }
  return policy_.PlanCycle(*this, plan_);
}

// Idle means only the events that dirty an agent or forget idle marks can find it a taker: every
// framework inactive, suppressed, excluded or filtered for it, none limited by LimitOffer. What an
// agent's reservations leave free moves with the role mix of its tasks, not only its available
// resources: CellState lets the idle mark of such an agent lapse when a task comes or goes.
void Master::SettleUntaken(AgentId agent, Refusals refusals) {
  if (plans_cycles_) {
    const Refusals& planned = planned_refusals_[agent.index()];
    refusals.blocked_until = std::min(refusals.blocked_until, planned.blocked_until);
    refusals.limited |= planned.limited;
  }
  if (served_.empty() && !refusals.limited) {
    cell_.MarkIdle(agent, refusals.blocked_until);
  } else {
    cell_.MarkDirty(agent);  // offerable and not idle: the next cycle tries again
  }
}

// An agent a cycle skips as idle must have no taker: every active, unsuppressed framework
// excluded, below its minimum allocatable or filtered for what it would be offered, and none held
// back by a limit. What the idle marks promise (SettleUntaken, CellState::MarkIdle), tried
// against the frameworks themselves, not the policy's order, so that checking draws nothing from
// a policy's random stream. O(idle agents x frameworks).
void Master::CheckIdleAgentsHaveNoTaker(sim::Time now) {
  for (uint32_t i = 0; i < cell_.agent_count(); ++i) {
    const AgentId agent(i);
    if (!cell_.schedulable(agent) || !cell_.IsIdle(agent, now) ||
        !cell_.Allocatable(cell_.available(agent))) {
      continue;
    }
    const Resources unreserved = Unreserved(agent);
    for (size_t f = 0; f < frameworks_.size(); ++f) {
      FrameworkState& fw = frameworks_[f];
      if (!fw.active || fw.suppressed) continue;
      Refusals refusals;
      const FrameworkId id(static_cast<uint32_t>(f));
      const bool taker =
          OfferableAmount(id, fw, agent, unreserved, cell_.reserved(agent), now, refusals)
              .has_value();
      // LimitOffer is the single pass's: the quota stages cap by quota instead (RemainderStage),
      // and a cap only shrinks what a framework could take.
      if (!taker && !(refusals.limited && !quota_.active())) continue;
      sim::internal::CheckFailed(
          "CheckIdleAgentsHaveNoTaker", __FILE__, __LINE__,
          fmt::format("agent {} skipped as idle at {}s though framework {} may take it",
                      cell_.info(agent).name, now.seconds(), fw.info.name)
              .c_str());
    }
  }
}

sim::Time Master::TakeCycleDue(sim::Time now) {
  const sim::Time due = std::min(cycle_due_, now);
  cycle_due_ = sim::Time::Max();
  return due;
}

// O(reservations × roles + tasks and offers on the agent): only agents with reservations pay it.
void Master::ComputeReservedFree(AgentId agent) {
  ledger_.Begin(agent);
  for (TaskSlot t : cell_.tasks(agent)) {
    ledger_.Use(frameworks_[tasks_[t].subscription.index()].info.role, tasks_[t].allocated);
  }
  offers_.ForEachOnAgent(agent, [&](const Offer& o) {
    ledger_.Use(frameworks_[o.subscription.index()].info.role, o.resources);
  });
  ledger_.Finish();
}

// `framework` is the subscription: the offer is for its role, delivered to its owner.
OfferSlot Master::MakeOffer(FrameworkId framework, AgentId agent, const Resources& resources) {
  cell_.Hold(agent, resources);
  FrameworkState& fw = frameworks_[framework.index()];
  const OfferSlot slot =
      offers_.Add(fw.info.owner, framework, agent, resources, /*arm_timeout=*/!cost_.enabled());
  // The machine's window goes into each offer made while it is known (M:9503-9509).
  offers_.SetUnavailability(slot, maintenance_.unavailability(agent));
  // Mesos counts each offer piece as one allocation of the framework and of its role, the DRF
  // sorter's tie-breaker (hierarchical.cpp:3180-3182 -> sorter/drf/sorter.hpp:332). The policy
  // reads the counts with the allocation, in AllocationChanged.
  ++fw.offer_count;
  ++roles_[fw.info.role.index()].offer_count;
  ChargeFramework(framework, resources, true);
  signals_.offer_sent.Emit(offers_[slot]);
  return slot;
}

void Master::OfferInCycle(FrameworkId framework, AgentId agent, const Resources& resources,
                          CycleWork& work) {
  const OfferSlot slot = MakeOffer(framework, agent, resources);
  delivery_.Add(frameworks_[framework.index()].info.owner, slot);
  ++work.offers;
}

}  // namespace clustersim::models
