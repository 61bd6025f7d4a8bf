#include "models/master/master.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/check.h"

namespace clustersim::models {

Master::Master(sim::Simulator& sim, const MasterSpec& spec, TaskTable& tasks,
               ContainerRuntime& runtime, plugins::AllocatorPolicy& policy, ClusterSignals& signals,
               Callbacks callbacks)
    : sim_(sim),
      spec_(spec),
      tasks_(tasks),
      runtime_(runtime),
      policy_(policy),
      signals_(signals),
      callbacks_(std::move(callbacks)),
      shuffle_rng_(sim.random().Stream("master.agent_order")),
      cost_(spec.cost) {}

AgentId Master::AddAgent(plugins::AgentInfo info) {
  const AgentId id(static_cast<uint32_t>(agents_.size()));
  info.id = id;
  AgentState state;
  state.info = std::move(info);
  AgentHot hot;
  hot.reserved = !state.info.reservations.empty();
  agents_.push_back(std::move(state));
  hot_.push_back(hot);
  AgentUp(id);
  return id;
}

FrameworkId Master::AddFramework(std::string name, std::string role, double role_weight) {
  plugins::RoleId role_id(static_cast<uint32_t>(roles_.size()));
  auto it = std::find_if(roles_.begin(), roles_.end(),
                         [&](const RoleState& r) { return r.info.name == role; });
  if (it != roles_.end()) {
    role_id = it->info.id;
  } else {
    roles_.push_back(RoleState{plugins::RoleInfo{role_id, role, role_weight}, {}});
  }
  const FrameworkId id(static_cast<uint32_t>(frameworks_.size()));
  FrameworkState state;
  state.info = plugins::FrameworkInfo{id, std::move(name), role_id, id.value};
  frameworks_.push_back(std::move(state));
  new_offers_.emplace_back();
  ++eligibility_epoch_;
  scan_all_ = true;
  NotifyAllocationChanges();
  policy_.FrameworkAdded(*this, id);
  TriggerAllocation();
  return id;
}

void Master::Start() {
  started_ = true;
  if (spec_.allocation_interval > sim::Time::Zero()) ScheduleNextPeriodicCycle();
}

// The next periodic cycle falls due an interval after the last one ended (with the cost model, a
// cycle ends after its simulated cost; otherwise when it starts).
void Master::ScheduleNextPeriodicCycle() {
  sim_.Schedule(std::max(sim_.Now(), cost_.busy_until()) + spec_.allocation_interval, [this] {
    if (cycle_due_ > sim_.Now()) cycle_due_ = sim_.Now();
    RunCycleWhenFree(/*periodic=*/true);
  });
}

// Without the cost model the master is never busy and the cycle runs now.
void Master::RunCycleWhenFree(bool periodic) {
  if (cost_.busy_until() > sim_.Now()) {
    sim_.Schedule(cost_.busy_until(), [this, periodic] { RunCycleWhenFree(periodic); });
    return;
  }
  if (!periodic) cycle_requested_ = false;
  Allocate();
  if (periodic) ScheduleNextPeriodicCycle();
}

// Mesos coalesces the allocate() requests of one turn into one batch; we coalesce those of one
// simulated instant and run the cycle once the instant's other events are done.
void Master::TriggerAllocation() {
  if (cycle_requested_) return;
  cycle_requested_ = true;
  if (cycle_due_ > sim_.Now()) cycle_due_ = sim_.Now();
  sim_.AtEndOfInstant([this] { RunCycleWhenFree(/*periodic=*/false); });
}

bool Master::Offerable(const Resources& available) const {
  for (const Resources& min : spec_.min_allocatable) {
    if (available.Contains(min)) return true;
  }
  return false;
}

void Master::CollectCandidates(sim::Time now) {
  candidates_.clear();
  // Idle marks lapsing by now: their agents are due a visit.
  idle_expiry_.PopDue(now, [this](uint32_t agent) { MarkDirty(AgentId(agent)); });
  if (scan_all_ || cost_.enabled()) {
    scan_all_ = false;
    for (AgentId id : dirty_) hot_[id.index()].dirty = false;
    dirty_.clear();
    for (uint32_t i = 0; i < hot_.size(); ++i) {
      if (hot_[i].active && Offerable(hot_[i].available)) candidates_.push_back(AgentId(i));
    }
  } else {
    for (AgentId id : dirty_) {
      AgentHot& a = hot_[id.index()];
      a.dirty = false;
      if (a.active && Offerable(a.available)) candidates_.push_back(id);
    }
    dirty_.clear();
    if (SIM_SWEEP_CHECKS_ENABLED || cycle_checks_) CheckSkippedAgentsAreIdle(now);
  }
  shuffle_rng_.Shuffle(candidates_.begin(), candidates_.end());
}

// The claim that makes cycles O(changed): every offerable agent left out is one the full scan's
// idle test would skip too. A whole-cluster sweep (tests and debug builds).
void Master::CheckSkippedAgentsAreIdle(sim::Time now) const {
  std::vector<uint8_t> listed(hot_.size(), 0);
  for (AgentId id : candidates_) listed[id.index()] = 1;
  for (uint32_t i = 0; i < hot_.size(); ++i) {
    const AgentHot& a = hot_[i];
    if (listed[i] || !a.active || !Offerable(a.available)) continue;
    const bool idle = a.idle_epoch == eligibility_epoch_ && now < a.idle_until &&
                      a.available == agents_[i].idle_available && !a.reserved;
    if (!idle) {
      sim::internal::CheckFailed(
          "CheckSkippedAgentsAreIdle", __FILE__, __LINE__,
          fmt::format("offerable agent {} left out of a cycle but not idle", agents_[i].info.name)
              .c_str());
    }
  }
}

int Master::Allocate() {
  ++cycles_;
  NotifyAllocationChanges();
  policy_.BeginCycle(*this);
  const sim::Time now = sim_.Now();
  CollectCandidates(now);
  int offers_made = 0;
  int64_t agents_visited = 0, framework_visits = 0;  // for the cost model
  // Visits go in shuffled order, so each is a cache miss, and a visit that offers also writes the
  // agent's full record: fetching a few visits ahead overlaps the misses.
  // With few frameworks, their filters for the agent are worth fetching too (with many, a visit
  // asks only the first few in policy order, unknown here).
  constexpr size_t kPrefetchAhead = 6;
  const bool prefetch_filters = frameworks_.size() <= 4;
  for (size_t c = 0; c < candidates_.size(); ++c) {
    if (prefetch_filters && c + 2 * kPrefetchAhead < candidates_.size()) {
      for (const FrameworkState& fw : frameworks_) {
        fw.filters.PrefetchHead(candidates_[c + 2 * kPrefetchAhead]);
      }
    }
    if (c + kPrefetchAhead < candidates_.size()) {
      if (prefetch_filters) {
        for (const FrameworkState& fw : frameworks_) {
          fw.filters.PrefetchFilters(candidates_[c + kPrefetchAhead]);
        }
      }
      const uint32_t ahead = candidates_[c + kPrefetchAhead].index();
      __builtin_prefetch(&hot_[ahead]);
      __builtin_prefetch(reinterpret_cast<const char*>(&hot_[ahead]) + 64);
      __builtin_prefetch(&agents_[ahead], 1);
      __builtin_prefetch(reinterpret_cast<const char*>(&agents_[ahead]) + 64, 1);
    }
    const AgentId agent_id = candidates_[c];
    AgentHot& agent = hot_[agent_id.index()];
    // An agent no framework would take when last visited is skipped until something that could
    // change that happens. Only a full scan meets such agents (CollectCandidates leaves them out
    // otherwise); skipping them there too keeps a full-scan cycle O(changed) in visits.
    if (agent.idle_epoch == eligibility_epoch_ && now < agent.idle_until &&
        agent.available == agents_[agent_id.index()].idle_available && !cost_.enabled()) {
      continue;
    }
    ++agents_visited;
    agent.idle_epoch = 0;
    sim::Time blocked_until = sim::Time::Max();  // while no framework takes it
    bool limited = false;                        // a framework was held back by LimitOffer
    // Each framework is offered an agent at most once a cycle. Without reservations or a policy's
    // LimitOffer the first one takes everything and the loop ends after one offer; otherwise what
    // is left (another role's reservation, held-back headroom) goes to the next in order.
    served_.clear();
    while (Offerable(agent.available)) {
      const bool reserved = agent.reserved;
      Resources unreserved = agent.available;
      if (reserved) {
        ComputeReservedFree(agents_[agent_id.index()]);
        for (const auto& [role, free] : reserved_free_) unreserved -= free;
        unreserved = unreserved.Max(Resources());
      }
      FrameworkId chosen;
      Resources offered;
      bool found = false;
      NotifyAllocationChanges();
      policy_.VisitInOrder(*this, agent_id, [&](FrameworkId f) {
        ++framework_visits;
        FrameworkState& fw = frameworks_[f.index()];
        if (!fw.active || fw.suppressed) return false;
        if (std::find(served_.begin(), served_.end(), f) != served_.end()) return false;
        Resources offerable = unreserved;
        if (reserved) {
          for (const auto& [role, free] : reserved_free_) {
            if (role == fw.info.role.value) offerable += free;
          }
        }
        const Resources limit = policy_.LimitOffer(*this, agent_id, f, offerable);
        if (!limit.Contains(offerable)) limited = true;
        const Resources amount = limit.Min(offerable).Max(Resources());
        if (!Offerable(amount)) return false;
        const sim::Time until = fw.filters.BlockedUntil(agent_id, amount, now);
        if (until > now) {
          blocked_until = std::min(blocked_until, until);
          return false;
        }
        chosen = f;
        offered = amount;
        found = true;
        return true;
      });
      if (!found) {
        // Reservations move with the role mix of the agent's tasks, not only its available
        // resources: agents with reservations are always visited.
        if (served_.empty() && !limited && !agent.reserved) {
          agent.idle_epoch = eligibility_epoch_;
          agent.idle_until = blocked_until;
          agents_[agent_id.index()].idle_available = agent.available;
          if (!blocked_until.IsMax()) {
            idle_expiry_.Push(blocked_until, agent_id.value);
          }
        } else {
          MarkDirty(agent_id);  // offerable and not idle: the next cycle tries again
        }
        break;
      }
      served_.push_back(chosen);
      const OfferSlot slot = MakeOffer(chosen, agent_id, offered);
      if (new_offers_[chosen.index()].empty()) frameworks_with_offers_.push_back(chosen);
      new_offers_[chosen.index()].push_back(slot);
      ++offers_made;
    }
  }
  signals_.allocation_cycle.Emit(now, offers_made);
#if SIM_SWEEP_CHECKS_ENABLED
  CheckInvariants();
#endif

  // One message per framework, in registration order, as Mesos sends them.
  std::sort(frameworks_with_offers_.begin(), frameworks_with_offers_.end());
  std::vector<FrameworkId> receivers;
  receivers.swap(frameworks_with_offers_);
  const sim::Time due = std::min(cycle_due_, now);
  cycle_due_ = sim::Time::Max();
  if (cost_.enabled()) {
    // The offers leave when the cycle's work is done; cycles end in the order they start.
    const sim::Time done =
        cost_.Occupy(now, cost_.CycleUs(agents_visited, framework_visits, offers_made));
    PendingDelivery& d = pending_deliveries_.emplace_back();
    d.due = due;
    d.offers = offers_made;
    for (FrameworkId f : receivers) {
      auto& batch =
          d.batches.emplace_back(f, std::vector<std::pair<OfferSlot, plugins::OfferId>>()).second;
      for (OfferSlot s : new_offers_[f.index()]) {
        batch.emplace_back(s, offers_[s].id);
        if (undelivered_.size() <= s) undelivered_.resize(offers_.size(), 0);
        undelivered_[s] = 1;
      }
      new_offers_[f.index()].clear();
    }
    sim_.Schedule(done, [this] { DeliverPending(); });
    return offers_made;
  }
  for (FrameworkId f : receivers) {
    std::vector<OfferSlot> batch;
    batch.swap(new_offers_[f.index()]);
    // An earlier framework's answer cannot touch these offers, but an offer timeout of zero could
    // have; deliver only what is still outstanding.
    std::erase_if(batch, [&](OfferSlot s) { return !offers_[s].live; });
    if (!batch.empty()) callbacks_.offers(f, batch);
  }
  return offers_made;
}

void Master::DeliverPending() {
  PendingDelivery d = std::move(pending_deliveries_.front());
  pending_deliveries_.pop_front();
  cost_.RecordDelivery(d.due, sim_.Now(), d.offers);
  std::vector<OfferSlot> live;
  for (const auto& [f, batch] : d.batches) {
    // Offers may have gone meanwhile (timeout, agent lost, capacity change).
    live.clear();
    for (const auto& [slot, id] : batch) {
      if (!IsOfferValid(slot, id)) continue;
      undelivered_[slot] = 0;
      live.push_back(slot);
    }
    if (!live.empty()) callbacks_.offers(f, live);
  }
}

// O(reservations × roles + tasks and offers on the agent): only agents with reservations pay it.
void Master::ComputeReservedFree(const AgentState& agent) {
  reserved_free_.clear();
  for (const auto& [name, amount] : agent.info.reservations) {
    uint32_t role = UINT32_MAX;  // no framework of this role yet: offered to nobody
    for (const RoleState& r : roles_) {
      if (r.info.name == name) role = r.info.id.value;
    }
    reserved_free_.emplace_back(role, amount);
  }
  // The role's tasks and outstanding offers on this agent use its reservation first.
  reserved_used_.assign(reserved_free_.size(), Resources());
  auto charge = [&](FrameworkId f, const Resources& r) {
    const uint32_t role = frameworks_[f.index()].info.role.value;
    for (size_t i = 0; i < reserved_free_.size(); ++i) {
      if (reserved_free_[i].first == role) reserved_used_[i] += r;
    }
  };
  for (TaskSlot t : agent.tasks) charge(tasks_[t].framework, tasks_[t].allocated);
  for (OfferSlot o = agent.first_offer; o != kNoOffer; o = offers_[o].next_on_agent) {
    charge(offers_[o].framework, offers_[o].resources);
  }
  for (size_t i = 0; i < reserved_free_.size(); ++i) {
    Resources& amount = reserved_free_[i].second;
    amount -= amount.Min(reserved_used_[i]);
  }
}

OfferSlot Master::MakeOffer(FrameworkId framework, AgentId agent_id, const Resources& resources) {
  OfferSlot slot;
  if (!free_offers_.empty()) {
    slot = free_offers_.back();
    free_offers_.pop_back();
  } else {
    slot = static_cast<OfferSlot>(offers_.size());
    offers_.emplace_back();
  }
  Offer& offer = offers_[slot];
  offer = Offer{plugins::OfferId(next_offer_id_++),
                framework,
                agent_id,
                resources,
                sim_.Now(),
                {},
                true,
                kNoOffer,
                kNoOffer};
  ++live_offers_;
  AgentState& agent = agents_[agent_id.index()];
  Resources& available = hot_[agent_id.index()].available;
  available -= resources;
  SIM_CHECK_MSG(!available.AnyNegative(), "offered more than an agent has (over-allocation)");
  agent.offered += resources;
  offer.next_on_agent = agent.first_offer;
  if (agent.first_offer != kNoOffer) offers_[agent.first_offer].prev_on_agent = slot;
  agent.first_offer = slot;
  ChargeFramework(framework, resources, true);
  if (spec_.offer_timeout) {
    const plugins::OfferId id = offer.id;
    offer.timeout = sim_.ScheduleAfter(*spec_.offer_timeout, [this, slot, id] {
      if (IsOfferValid(slot, id)) Rescind(slot);
    });
  }
  signals_.offer_sent.Emit(offer);
  return slot;
}

// A framework that declines a hundred offers between cycles is re-sorted once, not a hundred times.
void Master::NotifyAllocationChanges() {
  for (FrameworkId f : allocation_unnotified_) {
    frameworks_[f.index()].allocation_unnotified = false;
    policy_.AllocationChanged(*this, f);
  }
  allocation_unnotified_.clear();
}

bool Master::IsOfferValid(OfferSlot slot, plugins::OfferId id) const {
  return slot < offers_.size() && offers_[slot].live && offers_[slot].id == id;
}

void Master::ChargeFramework(FrameworkId framework, const Resources& delta, bool add) {
  FrameworkState& fw = frameworks_[framework.index()];
  RoleState& role = roles_[fw.info.role.index()];
  if (add) {
    fw.allocated += delta;
    role.allocated += delta;
  } else {
    fw.allocated -= delta;
    role.allocated -= delta;
  }
  SIM_CHECK_MSG(!fw.allocated.AnyNegative(), "framework allocation went negative");
  if (!fw.allocation_unnotified) {
    fw.allocation_unnotified = true;
    allocation_unnotified_.push_back(framework);
  }
}

void Master::RemoveOffer(OfferSlot slot) {
  Offer& offer = offers_[slot];
  SIM_CHECK(offer.live);
  AgentState& agent = agents_[offer.agent.index()];
  agent.offered -= offer.resources;
  Return(offer.agent, offer.resources);
  if (offer.prev_on_agent != kNoOffer) {
    offers_[offer.prev_on_agent].next_on_agent = offer.next_on_agent;
  } else {
    SIM_CHECK(agent.first_offer == slot);
    agent.first_offer = offer.next_on_agent;
  }
  if (offer.next_on_agent != kNoOffer)
    offers_[offer.next_on_agent].prev_on_agent = offer.prev_on_agent;
  SIM_CHECK_MSG(!agent.offered.AnyNegative(), "an agent's offered resources went negative");
  ChargeFramework(offer.framework, offer.resources, false);
  sim_.Cancel(offer.timeout);
  offer.live = false;
  --live_offers_;
  free_offers_.push_back(slot);
}

void Master::Rescind(OfferSlot slot) {
  const Offer copy = offers_[slot];
  // An offer still inside a cycle's simulated cost (cost model) never reached its framework.
  const bool delivered = slot >= undelivered_.size() || !undelivered_[slot];
  if (!delivered) undelivered_[slot] = 0;
  RemoveOffer(slot);
  signals_.offer_rescinded.Emit(copy);
  if (delivered) callbacks_.rescinded(copy.framework, slot);
}

void Master::Accept(OfferSlot slot, std::span<const TaskSlot> launch, sim::Time refuse) {
  SIM_CHECK_MSG(offers_[slot].live, "accept of an offer that is gone");
  const Offer offer = offers_[slot];
  Resources used;
  for (TaskSlot t : launch) used += tasks_[t].allocated;
  SIM_CHECK_MSG(offer.resources.Contains(used), "tasks launched beyond the offered resources");

  RemoveOffer(slot);  // everything back to available, then charge what the tasks take
  AgentState& agent = agents_[offer.agent.index()];
  for (TaskSlot t : launch) {
    Task& task = tasks_[t];
    SIM_CHECK(task.state == TaskState::kPending);
    // A recorded launch may have taken part of the offer's room meanwhile (overcommit).
    Take(offer.agent, task.allocated);
    task.agent = offer.agent;
    task.state = TaskState::kStaging;
    task.launched = sim_.Now();
    if (task.first_launch.IsMax()) task.first_launch = task.launched;
    ++task.attempts;
    task.agent_pos = static_cast<uint32_t>(agent.tasks.size());
    agent.tasks.push_back(t);
  }
  CheckAgent(offer.agent);
  if (!used.IsZero()) ChargeFramework(offer.framework, used, true);
  const Resources remainder = offer.resources - used;
  if (refuse > sim::Time::Zero() && !remainder.IsZero()) {
    frameworks_[offer.framework.index()].filters.Add(
        offer.agent, remainder, sim_.Now() + std::max(refuse, spec_.allocation_interval));
  }
  // The accept, and the status update each task's launch brings.
  cost_.Occupy(sim_.Now(), cost_.spec().per_accept_us + cost_.spec().per_status_update_us *
                                                            static_cast<double>(launch.size()));
  signals_.offer_accepted.Emit(offer, static_cast<int>(launch.size()));
  for (TaskSlot t : launch) {
    signals_.task_launched.Emit(tasks_[t]);
    runtime_.Launch(t, offer.agent, agent.info.isolation);
  }
}

void Master::Decline(OfferSlot slot, sim::Time refuse) {
  SIM_CHECK_MSG(offers_[slot].live, "decline of an offer that is gone");
  const Offer offer = offers_[slot];
  RemoveOffer(slot);
  if (refuse > sim::Time::Zero()) {
    frameworks_[offer.framework.index()].filters.Add(
        offer.agent, offer.resources, sim_.Now() + std::max(refuse, spec_.allocation_interval));
  }
  cost_.Occupy(sim_.Now(), cost_.spec().per_decline_us);
  signals_.offer_declined.Emit(offer);
}

void Master::Suppress(FrameworkId framework) { frameworks_[framework.index()].suppressed = true; }

void Master::Revive(FrameworkId framework) {
  FrameworkState& fw = frameworks_[framework.index()];
  fw.suppressed = false;
  fw.filters.Clear();
  ++eligibility_epoch_;
  scan_all_ = true;
  TriggerAllocation();
}

void Master::DemandAppeared(FrameworkId framework) {
  if (spec_.allocation_interval == sim::Time::Zero()) TriggerAllocation();
}

void Master::DetachTask(TaskSlot slot) {
  Task& task = tasks_[slot];
  AgentState& agent = agents_[task.agent.index()];
  SIM_CHECK(task.agent_pos < agent.tasks.size() && agent.tasks[task.agent_pos] == slot);
  const TaskSlot moved = agent.tasks.back();
  agent.tasks[task.agent_pos] = moved;
  tasks_[moved].agent_pos = task.agent_pos;
  agent.tasks.pop_back();
  agent.allocated -= task.allocated;
  Return(task.agent, task.allocated);
  CheckAgent(task.agent);
  ChargeFramework(task.framework, task.allocated, false);
}

void Master::OnTaskEnded(TaskSlot slot, TaskState state) {
  Task& task = tasks_[slot];
  SIM_CHECK_MSG(IsActive(task.state), "a task ended twice");
  DetachTask(slot);
  task.state = state;
  task.ended = sim_.Now();
  cost_.Occupy(sim_.Now(), cost_.spec().per_status_update_us);  // the terminal status update
  if (spec_.allocation_interval == sim::Time::Zero()) TriggerAllocation();
  callbacks_.task_ended(task.framework, slot);
}

void Master::AgentDown(AgentId id) {
  AgentState& agent = agents_[id.index()];
  AgentHot& hot = hot_[id.index()];
  if (!hot.active) return;
  while (agent.first_offer != kNoOffer) Rescind(agent.first_offer);
  // Copy: task_ended callbacks may relaunch elsewhere and must not see this list change under us.
  const std::vector<TaskSlot> lost = agent.tasks;
  for (TaskSlot t : lost) runtime_.Stop(t);
  runtime_.AgentDown(id);
  hot.active = false;
  total_ -= agent.info.capacity;
  for (TaskSlot t : lost) {
    DetachTask(t);
    Task& task = tasks_[t];
    task.state = TaskState::kLost;
    task.ended = sim_.Now();
  }
  hot.available = Resources();
  NotifyAllocationChanges();
  policy_.TotalChanged(*this);
  signals_.agent_down.Emit(id);
  for (TaskSlot t : lost) callbacks_.task_ended(tasks_[t].framework, t);
}

void Master::AgentUp(AgentId id) {
  AgentState& agent = agents_[id.index()];
  AgentHot& hot = hot_[id.index()];
  if (hot.active) return;
  SIM_CHECK(agent.tasks.empty() && agent.first_offer == kNoOffer && agent.allocated.IsZero());
  hot.active = true;
  hot.available = agent.info.capacity;
  MarkDirty(id);
  total_ += agent.info.capacity;
  NotifyAllocationChanges();
  policy_.TotalChanged(*this);
  signals_.agent_up.Emit(id);
  TriggerAllocation();
}

void Master::UpdateAgentCapacity(AgentId id, const Resources& capacity) {
  AgentState& agent = agents_[id.index()];
  if (!hot_[id.index()].active) {
    agent.info.capacity = capacity;
    return;
  }
  while (agent.first_offer != kNoOffer) Rescind(agent.first_offer);
  const Resources old = agent.info.capacity;
  total_ -= old;
  total_ += capacity;
  agent.info.capacity = capacity;
  const Resources zero;
  hot_[id.index()].available = (capacity - agent.allocated).Max(zero);
  MarkDirty(id);
  SetOvercommitted(agent, (agent.allocated - capacity).Max(zero));
  CheckAgent(id);
  NotifyAllocationChanges();
  policy_.TotalChanged(*this);
  signals_.agent_resized.Emit(id, old);
  TriggerAllocation();
}

void Master::LaunchRecorded(TaskSlot slot, AgentId agent_id) {
  AgentState& agent = agents_[agent_id.index()];
  SIM_CHECK_MSG(hot_[agent_id.index()].active, "recorded launch on an inactive agent");
  Task& task = tasks_[slot];
  SIM_CHECK(task.state == TaskState::kPending);
  Take(agent_id, task.allocated);
  task.agent = agent_id;
  task.state = TaskState::kStaging;
  task.launched = sim_.Now();
  if (task.first_launch.IsMax()) task.first_launch = task.launched;
  ++task.attempts;
  task.agent_pos = static_cast<uint32_t>(agent.tasks.size());
  agent.tasks.push_back(slot);
  CheckAgent(agent_id);
  ChargeFramework(task.framework, task.allocated, true);
  signals_.task_launched.Emit(task);
  runtime_.LaunchRecorded(slot, agent.info.isolation);
}

void Master::EndTask(TaskSlot slot, TaskState state) {
  runtime_.Stop(slot);
  OnTaskEnded(slot, state);
}

void Master::Take(AgentId id, const Resources& r) {
  MarkDirty(id);
  AgentState& agent = agents_[id.index()];
  Resources& available = hot_[id.index()].available;
  const Resources from_pool = available.Min(r);
  available -= from_pool;
  agent.allocated += r;
  if (from_pool != r) SetOvercommitted(agent, agent.overcommitted + (r - from_pool));
}

void Master::Return(AgentId id, const Resources& r) {
  MarkDirty(id);
  AgentState& agent = agents_[id.index()];
  Resources& available = hot_[id.index()].available;
  if (!agent.overcommitted_any) {
    available += r;
    return;
  }
  const Resources paid = agent.overcommitted.Min(r);
  SetOvercommitted(agent, agent.overcommitted - paid);
  available += r - paid;
}

void Master::SetOvercommitted(AgentState& agent, const Resources& overcommitted) {
  const bool was = !agent.overcommitted.IsZero();
  const bool is = !overcommitted.IsZero();
  agent.overcommitted = overcommitted;
  agent.overcommitted_any = is;
  if (was == is) return;
  const sim::Time now = sim_.Now();
  overcommit_agent_us_ += overcommitted_agents_ * (now - overcommit_since_).micros();
  overcommit_since_ = now;
  overcommitted_agents_ += is ? 1 : -1;
}

double Master::overcommit_machine_seconds() const {
  const int64_t open = overcommitted_agents_ * (sim_.Now() - overcommit_since_).micros();
  return static_cast<double>(overcommit_agent_us_ + open) * 1e-6;
}

void Master::CheckAgent(AgentId id) const {
  const AgentState& agent = agents_[id.index()];
  SIM_CHECK_MSG(!hot_[id.index()].available.AnyNegative() && !agent.offered.AnyNegative() &&
                    !agent.allocated.AnyNegative() && !agent.overcommitted.AnyNegative(),
                "agent resources went negative (over-allocation)");
}

void Master::CheckInvariants() const {
  auto fail = [](const std::string& what) {
    sim::internal::CheckFailed("CheckInvariants", __FILE__, __LINE__, what.c_str());
  };
  std::vector<Resources> fw_sum(frameworks_.size());
  Resources total;
  for (const AgentState& a : agents_) {
    const AgentHot& hot = hot_[a.info.id.index()];
    if (hot.available.AnyNegative() || a.offered.AnyNegative() || a.allocated.AnyNegative()) {
      fail(fmt::format("agent {} has negative resources", a.info.name));
    }
    Resources tasks_sum;
    for (TaskSlot t : a.tasks) {
      const Task& task = tasks_[t];
      if (!IsActive(task.state) || task.agent != a.info.id) {
        fail(fmt::format("agent {} lists task {} in state {}", a.info.name, task.id,
                         TaskStateName(task.state)));
      }
      tasks_sum += task.allocated;
      fw_sum[task.framework.index()] += task.allocated;
    }
    Resources offered_sum;
    for (OfferSlot s = a.first_offer; s != kNoOffer; s = offers_[s].next_on_agent) {
      offered_sum += offers_[s].resources;
      fw_sum[offers_[s].framework.index()] += offers_[s].resources;
    }
    if (tasks_sum != a.allocated)
      fail(fmt::format("agent {}: allocated != sum of its tasks", a.info.name));
    if (offered_sum != a.offered)
      fail(fmt::format("agent {}: offered != sum of its offers", a.info.name));
    if (!a.allocated.Contains(a.overcommitted) || a.overcommitted.AnyNegative()) {
      fail(fmt::format("agent {}: overcommit {} outside [0, allocated {}]", a.info.name,
                       a.overcommitted.ToString(), a.allocated.ToString()));
    }
    if (hot.active) {
      if (hot.available + a.offered + a.allocated - a.overcommitted != a.info.capacity) {
        fail(fmt::format(
            "agent {}: available + offered + allocated - overcommitted != capacity "
            "({} + {} + {} - {} vs {})",
            a.info.name, hot.available.ToString(), a.offered.ToString(), a.allocated.ToString(),
            a.overcommitted.ToString(), a.info.capacity.ToString()));
      }
      total += a.info.capacity;
    } else if (!a.allocated.IsZero() || !a.offered.IsZero()) {
      fail(fmt::format("inactive agent {} holds resources", a.info.name));
    }
  }
  if (total != total_) fail("cluster total != sum of active agents' capacities");
  std::vector<Resources> role_sum(roles_.size());
  for (size_t f = 0; f < frameworks_.size(); ++f) {
    if (fw_sum[f] != frameworks_[f].allocated) {
      fail(fmt::format("framework {}: allocated {} != tasks + offers {}", frameworks_[f].info.name,
                       frameworks_[f].allocated.ToString(), fw_sum[f].ToString()));
    }
    role_sum[frameworks_[f].info.role.index()] += fw_sum[f];
  }
  for (size_t r = 0; r < roles_.size(); ++r) {
    if (role_sum[r] != roles_[r].allocated)
      fail(fmt::format("role {}: allocation mismatch", roles_[r].info.name));
  }
  size_t live = 0;
  for (const Offer& o : offers_) live += o.live ? 1 : 0;
  if (live != live_offers_) fail("outstanding offer count mismatch");
}

}  // namespace clustersim::models
