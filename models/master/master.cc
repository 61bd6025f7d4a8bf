#include "models/master/master.h"

#include <algorithm>

#include "sim/check.h"

namespace clustersim::models {

Master::Master(sim::Simulator& sim, const MasterSpec& spec, TaskTable& tasks,
               ContainerRuntime& runtime, plugins::AllocatorPolicy& policy, ClusterSignals& signals,
               Callbacks callbacks)
    : sim_(sim),
      spec_(spec),
      min_allocatable_(NormalizedMinAllocatable(spec.min_allocatable)),
      tasks_(tasks),
      runtime_(runtime),
      policy_(policy),
      signals_(signals),
      callbacks_(std::move(callbacks)),
      shuffle_rng_(sim.random().Stream("master.agent_order")),
      reregistration_rng_(sim.random().Stream("master.agent_reregistration")),
      cost_(spec.cost),
      cell_(sim, tasks, spec.min_allocatable),
      offers_(sim, spec.offer_timeout, [this](OfferSlot slot) { Rescind(slot); }),
      delivery_(sim, cost_, offers_,
                [this](FrameworkId framework, std::span<const OfferSlot> slots) {
                  // Mesos arms an offer's timeout as the master builds it, just before sending
                  // it (master.cpp:9515-9522, Master::offer): with the cost model that is after
                  // the allocator's cycle and the hop to the master, not when the allocator
                  // made it.
                  if (cost_.enabled()) {
                    for (const OfferSlot slot : slots) offers_.ArmTimeout(slot);
                  }
                  callbacks_.offers(framework, slots);
                }),
      failover_rng_(sim.random().Stream("master.failover")),
      role_weights_(spec.role_weights.begin(), spec.role_weights.end()) {
  quota_.SetQuotas(spec.quotas);
  plans_cycles_ = policy_.WantsCyclePlan();
  for (const std::string& name : spec.fair_sharing_excluded_resource_names) {
    const int kind = plugins::ResourceKinds::Find(name);
    if (kind >= 0) fairness_excluded_kinds_ |= uint32_t{1} << kind;
  }
}

AgentId Master::AddAgent(plugins::AgentInfo info) {
  const bool reserved = !info.reservations.empty();
  const AgentId id = cell_.AddAgent(std::move(info));
  ledger_.AddAgent(id, cell_.info(id));
  if (reserved) reserved_agents_.push_back(id);
  NoteGpus(cell_.info(id).capacity);
  offers_.AddAgent();
  deactivations_.push_back(0);
  unknown_to_allocator_.push_back(false);
  health_.emplace_back();
  for (FrameworkState& fw : frameworks_) UpdateExcluded(fw, id);
  AgentUp(id);
  return id;
}

// Mesos asks both in every stage of every cycle, constraints first (hierarchical.cpp:2181-2185,
// 2416-2420), GPU filtering after the min-allocatable check (H:2203, 2438); either way the
// framework is passed over with no offer and no filter, so the order does not matter here. GPU
// filtering looks at the agent's total (HH:360 hasGpu) and takes the whole agent, not only its
// GPUs (H:3095-3105).
bool Master::ComputeExcluded(const FrameworkState& fw, AgentId agent) const {
  const plugins::AgentInfo& info = cell_.info(agent);
  if (spec_.filter_gpu_resources && !fw.access.gpu_resources &&
      info.capacity.Raw(plugins::kGpus) > 0) {
    return true;
  }
  return fw.access.constraints.IsAgentExcluded(RoleName(fw.info.role), info);
}

// Registration and agent changes ask every framework about every agent; most frameworks can
// exclude none, and asking them would make registering F frameworks on A agents O(F x A).
bool Master::MayExcludeAny(const FrameworkState& fw) const {
  if (!fw.access.constraints.empty()) return true;
  return spec_.filter_gpu_resources && !fw.access.gpu_resources && any_gpu_agent_;
}

void Master::NoteGpus(const Resources& capacity) {
  if (capacity.Raw(plugins::kGpus) > 0) any_gpu_agent_ = true;
}

void Master::UpdateExcluded(FrameworkState& fw, AgentId agent) {
  if (fw.excluded.empty() && !MayExcludeAny(fw)) return;
  const bool excluded = ComputeExcluded(fw, agent);
  if (!excluded && fw.excluded.empty()) return;
  if (fw.excluded.size() < cell_.agent_count()) fw.excluded.resize(cell_.agent_count(), false);
  const size_t s = fw.info.id.index();
  if (has_exclusions_.size() <= s) has_exclusions_.resize(s + 1, 0);
  has_exclusions_[s] = 1;
  fw.excluded[agent.index()] = excluded;
}

FrameworkId Master::AddFramework(std::string name, std::string role, double role_weight,
                                 AgentAccess access) {
  FrameworkRegistration registration;
  registration.name = std::move(name);
  registration.roles = {std::move(role)};
  registration.role_weight = role_weight;
  registration.access = std::move(access);
  return AddFramework(std::move(registration));
}

FrameworkId Master::AddFramework(FrameworkRegistration registration) {
  SIM_CHECK_MSG(!registration.roles.empty(), "a framework needs a role");
  const FrameworkId owner(static_cast<uint32_t>(owners_.size()));
  owners_.emplace_back();
  owners_.back().partition_aware = registration.partition_aware;
  owners_.back().checkpoint = registration.checkpoint;
  owners_.back().sigterm_exit = registration.sigterm_exit;
  owners_.back().failover_timeout = registration.failover_timeout;
  delivery_.AddFramework();
  EligibilityChanged();
  for (const std::string& role : registration.roles) {
    owners_.back().subscriptions.push_back(AddSubscription(owner, registration, role));
  }
  if (!registration.min_allocatable.empty()) UpdateCellMinAllocatable();
  TriggerAllocation();
  return owner;
}

plugins::RoleId Master::RoleFor(const std::string& role, double role_weight) {
  const auto [it, added] =
      role_ids_.try_emplace(role, plugins::RoleId(static_cast<uint32_t>(roles_.size())));
  if (!added) return it->second;
  const plugins::RoleId id = it->second;
  if (role_weight != 1.0) role_weights_.try_emplace(role, role_weight);
  ledger_.AddRole(role);
  quota_.AddRole(role);
  roles_.push_back(RoleState{plugins::RoleInfo{id, role, this->role_weight(role)}, {}, {}, 0});
  return id;
}

// The framework's registration order stands in for Mesos's framework id in every tie-break; its
// subscriptions share it and its name, as one Mesos framework sits in several role sorters.
FrameworkId Master::AddSubscription(FrameworkId owner, const FrameworkRegistration& registration,
                                    const std::string& role) {
  const plugins::RoleId role_id = RoleFor(role, registration.role_weight);
  const FrameworkId id(static_cast<uint32_t>(frameworks_.size()));
  FrameworkState state;
  state.info = plugins::FrameworkInfo{id, registration.name, role_id, owner.value, owner};
  state.access = registration.access;
  if (auto it = registration.min_allocatable.find(role); it != registration.min_allocatable.end())
    state.min_allocatable = NormalizedMinAllocatable(it->second);
  if (MayExcludeAny(state)) {
    for (uint32_t a = 0; a < cell_.agent_count(); ++a) UpdateExcluded(state, AgentId(a));
  }
  frameworks_.push_back(std::move(state));
  NotifyAllocationChanges();
  policy_.FrameworkAdded(*this, id);
  return id;
}

std::optional<FrameworkId> Master::SubscriptionFor(FrameworkId framework,
                                                   std::string_view role) const {
  for (FrameworkId s : owners_[framework.index()].subscriptions) {
    if (SubscriptionRole(s) == role) return s;
  }
  return std::nullopt;
}

void Master::SetMinAllocatable(FrameworkId framework, std::optional<std::string_view> role,
                               std::optional<std::vector<Resources>> any_of) {
  for (FrameworkId s : owners_[framework.index()].subscriptions) {
    FrameworkState& fw = frameworks_[s.index()];
    if (role && RoleName(fw.info.role) != *role) continue;
    if (any_of) {
      fw.min_allocatable = NormalizedMinAllocatable(*any_of);
    } else {
      fw.min_allocatable.reset();
    }
  }
  UpdateCellMinAllocatable();
}

// An agent below the master's minimum may still suit a framework with a smaller one: the cell
// looks at it while any list is met. Agents it ignored before may now be candidates, hence the
// forgotten idle marks (a full scan next cycle). Registration-time cost only.
void Master::UpdateCellMinAllocatable() {
  // The union of normalized lists is met exactly when one of them is (NormalizedMinAllocatable).
  std::vector<Resources> any_of = min_allocatable_;
  per_framework_min_allocatable_ = false;
  for (const FrameworkState& fw : frameworks_) {
    if (!fw.min_allocatable) continue;
    per_framework_min_allocatable_ = true;
    for (const Resources& min : *fw.min_allocatable) {
      if (std::find(any_of.begin(), any_of.end(), min) == any_of.end()) any_of.push_back(min);
    }
  }
  cell_.SetMinAllocatable(std::move(any_of));
  EligibilityChanged();
}

void Master::Start() {
  started_ = true;
  if (spec_.allocation_interval > sim::Time::Zero()) ScheduleNextPeriodicCycle();
  for (const MasterUpdateSpec& update : spec_.updates) {
    sim_.Schedule(std::max(update.at, sim_.Now()), [this, &update] { ApplyUpdate(update); });
  }
}

// An operator's /quota or /weights call (a scheduled `master.updates` entry).
void Master::ApplyUpdate(const MasterUpdateSpec& update) {
  if (WaitForLeader([this, &update] { ApplyUpdate(update); })) return;
  // As the operator endpoints: the allocator's update first, then the offers it rescinds
  // (weights_handler.cpp:257-277, quota_handler.cpp:578-583).
  if (!update.role_weights.empty()) {
    UpdateRoleWeights(update.role_weights);
    RescindAfterWeightsUpdate(update.role_weights);
  }
  if (!update.quotas.empty()) {
    UpdateRoleQuotas(update.quotas);
    RescindAfterQuotaUpdate(update.quotas);
  }
}

void Master::UpdateRoleQuotas(const plugins::RoleQuotas& changed) {
  plugins::RoleQuotas quotas = quota_.quotas();
  for (const auto& [role, quota] : changed) {
    if (quota == plugins::RoleQuota{}) {
      quotas.erase(role);
    } else {
      quotas.insert_or_assign(role, quota);
    }
  }
  UpdateQuotas(std::move(quotas));
}

void Master::UpdateRoleWeights(const std::map<std::string, double>& weights) {
  for (const auto& [path, weight] : weights) {
    SIM_CHECK_MSG(weight > 0, "role weights must be positive");
    role_weights_.insert_or_assign(path, weight);
  }
  for (RoleState& role : roles_) role.info.weight = role_weight(role.info.name);
  NotifyAllocationChanges();
  policy_.RoleWeightsChanged(*this);
}

// A framework that declines a hundred offers between cycles is re-sorted once, not a hundred times.
void Master::NotifyAllocationChanges() {
  for (FrameworkId f : allocation_unnotified_) {
    frameworks_[f.index()].allocation_unnotified = false;
    policy_.AllocationChanged(*this, f);
  }
  allocation_unnotified_.clear();
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
  QueueAllocationNotice(framework);
}

void Master::QueueAllocationNotice(FrameworkId framework) {
  FrameworkState& fw = frameworks_[framework.index()];
  if (fw.allocation_unnotified) return;
  fw.allocation_unnotified = true;
  allocation_unnotified_.push_back(framework);
}

void Master::RemoveOffer(OfferSlot slot) {
  const Offer& offer = offers_[slot];
  SIM_CHECK(offer.live);
  cell_.Release(offer.agent, offer.resources);
  ChargeFramework(offer.subscription, offer.resources, false);
  offers_.Remove(slot);
}

void Master::Rescind(OfferSlot slot) {
  const Offer copy = offers_[slot];
  // An offer still inside a cycle's simulated cost (cost model) never reached its framework.
  const bool delivered = !delivery_.TakeUndelivered(slot);
  RemoveOffer(slot);
  signals_.offer_rescinded.Emit(copy);
  if (delivered) callbacks_.rescinded(copy.framework, slot);
}

void Master::AddFilter(FrameworkId framework, AgentId agent, const Resources& resources,
                       sim::Time refuse) {
  if (refuse <= sim::Time::Zero()) return;
  // Longer than 365 days is 365 days (H:1699-1703), `refuse_seconds: inf` included.
  refuse = std::min(refuse, sim::Time::Seconds(int64_t{365} * 24 * 3600));
  sim::Time expires = sim_.Now() + std::max(refuse, spec_.allocation_interval);  // H:1740
  // Mesos expires a filter by a timer and the periodic cycle runs by another: when both fall due
  // at once, the one armed first acts first (H:1729-1736, MESOS-4302). A periodic cycle already
  // scheduled for the very instant the filter lapses was armed first, so the filter still holds
  // for it (T SmallOfferFilterTimeout, T:1004-1018) — which here means: held one microsecond on.
  if (expires == next_periodic_) expires += sim::Time::Micros(1);
  frameworks_[framework.index()].filters.Add(agent, resources, expires);
}

void Master::Accept(OfferSlot slot, std::span<const TaskSlot> launch, sim::Time refuse) {
  SIM_CHECK_MSG(offers_[slot].live, "accept of an offer that is gone");
  const Offer offer = offers_[slot];
  Resources used;
  for (TaskSlot t : launch) used += tasks_[t].allocated;
  SIM_CHECK_MSG(offer.resources.Contains(used), "tasks launched beyond the offered resources");

  RemoveOffer(slot);  // everything back to available, then charge what the tasks take
  // A recorded launch may have taken part of the offer's room meanwhile (overcommit).
  for (TaskSlot t : launch) {
    tasks_[t].subscription = offer.subscription;  // allocated to the offer's role
    AttachTask(t, offer.agent);
    tasks_[t].offer = offer.id;
  }
  const Resources remainder = offer.resources - used;
  if (!remainder.IsZero()) AddFilter(offer.subscription, offer.agent, remainder, refuse);
  // The accept, the status update each task's launch brings, and the unused part recovered.
  cost_.Accept(sim_.Now(), static_cast<int64_t>(launch.size()), !remainder.IsZero());
  signals_.offer_accepted.Emit(offer, static_cast<int>(launch.size()));
  const bool held = SilentToTheMaster(offer.agent);
  for (TaskSlot t : launch) {
    signals_.task_launched.Emit(tasks_[t]);
    if (held) {
      // The launch waits in TCP's buffers (HealPartition).
      health_[offer.agent.index()].undelivered.push_back({t, tasks_[t].id, tasks_[t].attempts});
    } else {
      runtime_.Launch(t, offer.agent, cell_.info(offer.agent).isolation);
    }
  }
}

void Master::Decline(OfferSlot slot, sim::Time refuse) {
  SIM_CHECK_MSG(offers_[slot].live, "decline of an offer that is gone");
  const Offer offer = offers_[slot];
  RemoveOffer(slot);
  AddFilter(offer.subscription, offer.agent, offer.resources, refuse);
  cost_.Decline(sim_.Now());
  signals_.offer_declined.Emit(offer);
}

void Master::SetSuppressed(FrameworkState& fw, bool suppressed) {
  if (fw.suppressed == suppressed) return;
  fw.suppressed = suppressed;
  OwnerState& owner = owners_[fw.info.owner.index()];
  if (suppressed) {
    ++owner.suppressed_roles;
  } else {
    --owner.suppressed_roles;
  }
}

void Master::Suppress(FrameworkId framework) {
  for (FrameworkId s : owners_[framework.index()].subscriptions)
    SetSuppressed(frameworks_[s.index()], true);
}

// A role the framework is not subscribed to: the call does nothing, as Mesos's master drops such a
// SUPPRESS before the allocator sees it (master.cpp:3579-3585).
void Master::Suppress(FrameworkId framework, std::string_view role) {
  if (const std::optional<FrameworkId> s = SubscriptionFor(framework, role))
    SetSuppressed(frameworks_[s->index()], true);
}

bool Master::suppressed(FrameworkId framework, std::string_view role) const {
  const std::optional<FrameworkId> s = SubscriptionFor(framework, role);
  return s && frameworks_[s->index()].suppressed;
}

// Revive clears only the revived roles' offer filters (hierarchical.cpp:1804-1806).
void Master::ReviveSubscription(FrameworkState& fw) {
  SetSuppressed(fw, false);
  fw.filters.Clear();
}

// Mesos: the master rescinds the framework's offers (master.cpp:3423-3441) and the allocator
// clears its filters and stops offering to it, keeping its allocation (H:878-903). No cycle.
// O(offer slots): a framework's offers are not indexed, and deactivations are rare.
void Master::DeactivateFramework(FrameworkId framework) {
  bool was_active = false;
  for (FrameworkId s : owners_[framework.index()].subscriptions) {
    FrameworkState& fw = frameworks_[s.index()];
    was_active |= fw.active;
    fw.active = false;
    fw.filters.Clear();
  }
  maintenance_.ClearFilters(framework);  // H:899-900
  if (!was_active) return;
  for (size_t s = 0; s < offers_.slot_count(); ++s) {
    const OfferSlot slot(static_cast<uint32_t>(s));
    if (offers_[slot].live && offers_[slot].framework == framework) Rescind(slot);
  }
}

// Offers resume unless suppressed (a revive lifts that, H:850-875); a cycle over all agents.
void Master::ActivateFramework(FrameworkId framework) {
  bool was_inactive = false;
  for (FrameworkId s : owners_[framework.index()].subscriptions) {
    FrameworkState& fw = frameworks_[s.index()];
    was_inactive |= !fw.active;
    fw.active = true;
  }
  if (!was_inactive) return;
  EligibilityChanged();
  TriggerAllocation();
}

// reviveRoles (H:1797-1837) also clears every inverse-offer filter of the framework (H:1802),
// whichever roles it revives.
void Master::Revive(FrameworkId framework) {
  for (FrameworkId s : owners_[framework.index()].subscriptions)
    ReviveSubscription(frameworks_[s.index()]);
  maintenance_.ClearFilters(framework);
  if (!scheduler_connected(framework)) return;  // no cycle: see DemandAppeared
  EligibilityChanged();
  TriggerAllocation();
}

// A role the framework is not subscribed to: no revive and no cycle, as Mesos's master drops such a
// REVIVE (master.cpp:5641-5646).
void Master::Revive(FrameworkId framework, std::string_view role) {
  const std::optional<FrameworkId> s = SubscriptionFor(framework, role);
  if (!s) return;
  ReviveSubscription(frameworks_[s->index()]);
  maintenance_.ClearFilters(framework);
  if (!scheduler_connected(framework)) return;
  EligibilityChanged();
  TriggerAllocation();
}

// A disconnected scheduler's REVIVE reaches no master (the driver drops it, sched.cpp:1455; the
// master refuses it, master.cpp:2399-2413): no cycle. Its suppression state is kept as the
// scheduler now wants it, since it resubscribes with that state (ActivateFramework runs the
// cycle then); a removed framework is never offered anything either way.
void Master::DemandAppeared(FrameworkId framework) {
  if (!scheduler_connected(framework)) return;
  if (spec_.allocation_interval == sim::Time::Zero()) TriggerAllocation();
}

// A removal the master learns of at once (a trace's REMOVE: Borg's own removal, after its
// detection): the fault and the removal are the same instant.
//
// An agent not registered (unreachable, shut down, waiting to register) is forgotten with what
// would bring it back — its try to register, the heal or repair of its host, the end of a fault
// of a host the master shut down — so only the machine's next ADD registers one there. No
// event: the master had lost it already.
void Master::AgentDown(AgentId id, TaskReason reason) {
  const bool registered = cell_.active(id);
  ForgetHealth(id);                       // the try's event, the stranded containers, a refusal
  health_[id.index()].host_down = false;  // the machine left the cluster: its fault is moot
  if (!registered) {
    ForgetDrainAndDeactivations(id);  // an unreachable agent keeps them until now
    return;
  }
  signals_.agent_down.Emit(id);
  while (offers_.first_on(id) != kNoOffer) Rescind(offers_.first_on(id));
  for (TaskSlot t : cell_.tasks(id)) runtime_.Stop(t);
  runtime_.AgentDown(id);
  const std::vector<TaskSlot> lost = EndAgentTasks(id, reason, AgentTasks::kAll);
  ForgetDrainAndDeactivations(id);
  Unregister(id);
  ReportEnded(lost);
}

// _removeSlave erases the agent's drain and deactivation, which an unreachable agent keeps
// (M:10932-10937): the machine's next registration is a new agent's, not draining.
void Master::ForgetDrainAndDeactivations(AgentId id) {
  if (drain_state(id) == DrainState::kDraining) --draining_agents_;
  if (id.index() < drains_.size()) drains_[id.index()] = DrainRecord{};
  deactivations_[id.index()] = 0;
}

void Master::Unregister(AgentId id) {
  SIM_CHECK(offers_.first_on(id) == kNoOffer && cell_.tasks(id).empty());
  // The new allocator's removeSlave (H:1103): one agent fewer toward the count it waits for
  // (slaves.size(), H:1049-1051), if it had added this one.
  if (recovery_paused_ && !agent_unknown_to_allocator(id) && recovery_back_ > 0) --recovery_back_;
  if (agent_unknown_to_allocator(id)) {  // removed before it reregistered: never known
    unknown_to_allocator_[id.index()] = false;
    --unknown_agents_;
    unknown_capacity_ -= cell_.info(id).capacity;
  }
  cell_.Deactivate(id);
  // A removed agent that comes back has a new connection, and registers with the leader of then
  // (an agent removed before reregistering after a failover is no longer waited for); a drain or
  // an operator's deactivation outlives the removal (master.cpp:7134-7157 re-applies them on
  // reregistration).
  deactivations_[id.index()] &=
      static_cast<uint8_t>(~(static_cast<uint8_t>(Deactivation::kDisconnected) |
                             static_cast<uint8_t>(Deactivation::kRecovering)));
  // Mesos's removeSlave forgets every framework's filters for the agent (H:1106): they do not
  // outlive the agent's registration. O(frameworks).
  for (FrameworkState& fw : frameworks_) fw.filters.ClearAgent(id);
  maintenance_.ForgetAgent(id);  // and its inverse offers and their filters
  NotifyAllocationChanges();
  policy_.TotalChanged(*this);
  signals_.agent_removed.Emit(id);
}

void Master::AgentUp(AgentId id) {
  if (cell_.active(id)) return;
  if (!MayRegister(id)) return;  // a DOWN machine, a gone agent (maintenance_ops.cc)
  if (!leader_) {
    // No leader to register with (slave.cpp:1466-1469, 1955-1958): it registers after the
    // election, with the agents that reregister then (RegisterAgentsThatWaitedForALeader).
    AgentHealthState& health = health_[id.index()];
    health.host_down = false;
    if (health.awaiting_leader == AwaitingLeader::kNo)
      health.awaiting_leader = AwaitingLeader::kRegister;
    return;
  }
  SIM_CHECK(offers_.first_on(id) == kNoOffer);
  ForgetHealth(id);                       // a trace may bring back an agent it never saw fail
  health_[id.index()].host_down = false;  // it registers: the host is up
  cell_.Activate(id);
  if (deactivations_[id.index()] != 0) cell_.SetSchedulable(id, false);
  health_[id.index()].admitted = sim_.Now();  // addSlave: a new ping phase (master.cpp:10644)
  NotifyAllocationChanges();
  policy_.TotalChanged(*this);
  signals_.agent_up.Emit(id);
  CountAgentAdded();  // master_failover.cc
  TriggerAgentAllocation(id);
}

// Mesos's updateSlave with a new total (H:1115-1175): nothing happens unless the total changed;
// outstanding offers stay and a cycle over the agent offers what was added (T:3044-3054). When
// the agent shrinks in some kind its offers are rescinded first, a deliberate deviation: Mesos's
// allocator keeps them, the allocation then exceeding the total (T:3056-3061), and an accept
// would launch on resources that are gone.
void Master::UpdateAgentCapacity(AgentId id, const Resources& capacity) {
  const Resources old = cell_.info(id).capacity;
  if (capacity == old) return;
  NoteGpus(capacity);
  if (!cell_.active(id)) {
    cell_.Resize(id, capacity);
    for (FrameworkState& fw : frameworks_) UpdateExcluded(fw, id);  // GPUs may come or go
    return;
  }
  if (!capacity.Contains(old)) {
    while (offers_.first_on(id) != kNoOffer) Rescind(offers_.first_on(id));
  }
  if (agent_unknown_to_allocator(id)) {  // the allocator learns the new total at addSlave
    unknown_capacity_ += capacity;
    unknown_capacity_ -= old;
  }
  cell_.Resize(id, capacity);
  for (FrameworkState& fw : frameworks_) UpdateExcluded(fw, id);
  NotifyAllocationChanges();
  policy_.TotalChanged(*this);
  signals_.agent_resized.Emit(id, old);
  TriggerAgentAllocation(id);
}

// Changed attributes remove every filter on the agent (schedulers may have refused it for lacking
// an attribute, H:1125-1137) and trigger a cycle over it (H:1171-1173); offer constraints are
// evaluated again.
void Master::UpdateAgentAttributes(AgentId id,
                                   std::vector<std::pair<std::string, std::string>> attributes) {
  if (attributes == cell_.info(id).attributes) return;
  cell_.SetAttributes(id, std::move(attributes));
  // Mesos's removeFilters drops the agent's offer and inverse-offer filters alike
  // (hierarchical.cpp:1134-1137, 1217-1233).
  for (FrameworkState& fw : frameworks_) {
    fw.filters.ClearAgent(id);
    UpdateExcluded(fw, id);
  }
  maintenance_.ClearAgentFilters(id);
  if (!cell_.active(id)) return;
  cell_.ClearIdle(id);
  cell_.MarkDirty(id);  // also when a cycle over all agents joins the batch
  TriggerAgentAllocation(id);
}

}  // namespace clustersim::models
