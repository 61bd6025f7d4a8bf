#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/agent/container_runtime.h"
#include "models/cell/cell_state.h"
#include "models/master/cost_model.h"
#include "models/master/filters.h"
#include "models/master/maintenance.h"
#include "models/master/offer.h"
#include "models/master/offer_book.h"
#include "models/master/offer_constraints.h"
#include "models/master/offer_delivery.h"
#include "models/master/quota_ledger.h"
#include "models/master/reservation_ledger.h"
#include "models/signals.h"
#include "models/spec.h"
#include "models/task_table.h"
#include "scheduler_plugins/api/allocator_policy.h"
#include "scheduler_plugins/api/cluster_view.h"
#include "sim/random.h"
#include "sim/simulator.h"

namespace clustersim::models {

// The Mesos master and its allocator's bookkeeping (as in Mesos 1.x's HierarchicalAllocator): each
// agent's resources are available, offered or allocated; an allocation cycle runs every
// `allocation_interval` and right after framework registration, activation and revive (over all
// agents) and agent (re)registration or update (over that agent only, as Mesos's
// generateOffers(slaveId), hierarchical.cpp:1064, 1172); in a cycle agents are visited in a seeded
// shuffled order and each agent's available resources go, as one offer, to the first framework in
// allocator-policy order that is neither suppressed nor filtered for them. Offered resources count
// as the framework's until it answers. The part that varies — the order of frameworks — is the
// AllocatorPolicy; everything else is here.
//
// Static reservations (AgentInfo::reservations, by role name) are offered only to frameworks of
// their role, together with the agent's unreserved resources; a role's tasks and offers on the
// agent count against its reservation first. A policy may shrink an offer (LimitOffer: quota
// limits, headroom); whatever an offer leaves goes to the next framework in order, each framework
// being offered an agent at most once per cycle.
//
// With quotas (MasterSpec::quotas, UpdateQuotas) a cycle is Mesos 1.9+'s two stages instead
// (quota_stages.cc): stage 1 offers roles with unmet guarantees what moves them toward them, then
// the agents are reshuffled and stage 2 offers everyone the rest, within limits and headroom.
//
// With allocation_interval = 0 there are no periodic cycles: one cycle runs at the end of every
// instant in which capacity was freed or demand appeared (a decline alone never triggers one).
//
// Frameworks are reached only through Callbacks (never a back-pointer); they answer through the
// scheduler-driver calls Accept / Decline / Suppress / Revive.
//
// A framework with several roles (Mesos's MULTI_ROLE) has one *subscription* per role: the client
// the policy sorts (ClusterView's frameworks are subscriptions), with its own allocation, offer
// count, suppression, filters, offer-constraint bits and min_allocatable, as Mesos keeps them per
// (framework, role). An offer is made to a subscription (for its role), delivered to its
// framework; a task launched on it stays allocated to that role. Frameworks (FrameworkId in the
// driver calls, Callbacks, Offer::framework, Task::framework) and subscriptions are numbered
// apart, and coincide while every framework has one role.
//
// The parts: the agents' resources, tasks and idle marks are a CellState (shared with schedulers
// that are not Mesos masters); outstanding offers an OfferBook; static reservations a
// ReservationLedger; the way offers reach frameworks an OfferDelivery. The master owns all four,
// plus frameworks, roles, filters and the cycle itself (Allocate).
// A framework's registration (Mesos's FrameworkInfo and SUBSCRIBE, as far as the allocator reads
// them).
struct FrameworkRegistration {
  std::string name;
  std::vector<std::string> roles;  // one or more, distinct
  // Sugar for each of its roles' weight (see AddFramework's single-role form).
  double role_weight = 1.0;
  AgentAccess access{};
  // FrameworkInfo.offer_filters[role].min_allocatable_resources by role (an OR of non-zero
  // quantities; empty: anything is worth offering, as Mesos's empty list); a role not listed: the
  // master's (MasterSpec::min_allocatable).
  std::map<std::string, std::vector<Resources>> min_allocatable{};
  bool partition_aware = false;                    // FrameworkSpec::partition_aware
  bool checkpoint = true;                          // FrameworkSpec::checkpoint
  std::optional<sim::Time> sigterm_exit{};         // FrameworkSpec::sigterm_exit
  sim::Time failover_timeout = sim::Time::Zero();  // FrameworkSpec::failover_timeout
};

class Master final : public plugins::ClusterView {
 public:
  struct Callbacks {
    // New offers for a framework, made in one cycle.
    std::function<void(FrameworkId, std::span<const OfferSlot>)> offers;
    std::function<void(FrameworkId, OfferSlot)> rescinded;
    // A launched task's attempt ended (task.state says how); resources are already released.
    std::function<void(FrameworkId, TaskSlot)> task_ended;
    // The framework's pending work by image, for ClusterView::framework_demand (may be empty).
    std::function<std::span<const plugins::PendingDemand>(FrameworkId)> demand;
    // The agent of a task that ended LOST or UNREACHABLE came back with its container still
    // running: true when the framework takes the task back (it was waiting to be relaunched; it
    // leaves the framework's queue), false when it moved on (the container is a duplicate).
    std::function<bool(FrameworkId, TaskSlot)> reclaim;
    // Inverse offers for a framework, made in one cycle, one per agent (Mesos's one callback per
    // framework with all its agents, H:2627-2628). It answers with AnswerInverseOffer. May be
    // empty.
    std::function<void(FrameworkId, std::span<const InverseOffer>)> inverse_offers;
  };

  Master(sim::Simulator& sim, const MasterSpec& spec, TaskTable& tasks, ContainerRuntime& runtime,
         plugins::AllocatorPolicy& policy, ClusterSignals& signals, Callbacks callbacks);
  Master(const Master&) = delete;
  Master& operator=(const Master&) = delete;

  // Registration. Both trigger an allocation cycle: the agent's over that agent only, the
  // framework's over all agents (requests of one instant are one cycle over their union).
  AgentId AddAgent(plugins::AgentInfo info);
  // `role_weight` is a framework's `weight`: sugar for the role's weight, used when the master has
  // no weight for the role yet (MasterSpec::role_weights; 1 means none). `access`: the agents the
  // framework may never be offered (offer constraints, GPU filtering).
  FrameworkId AddFramework(std::string name, std::string role, double role_weight,
                           AgentAccess access = {});
  // A framework with one or more roles (Mesos's MULTI_ROLE): one subscription per role, each a
  // client of its role's sorter (hierarchical.cpp:759-770). Returns the framework's id; the
  // subscriptions' ids are subscriptions(id). Frameworks and subscriptions are numbered apart:
  // they coincide while every framework has one role.
  FrameworkId AddFramework(FrameworkRegistration registration);
  // The framework's subscriptions, one per role in registration order.
  std::span<const FrameworkId> subscriptions(FrameworkId framework) const {
    return owners_[framework.index()].subscriptions;
  }
  // The framework's subscription for `role`; nullopt if it has no such role. O(roles).
  std::optional<FrameworkId> SubscriptionFor(FrameworkId framework, std::string_view role) const;
  // Sets the framework's minimum allocatable quantities for one role (nullopt: all its roles), as
  // Mesos's UPDATE_FRAMEWORK with FrameworkInfo.offer_filters[role].min_allocatable_resources
  // (hierarchical.cpp:906-972): nullopt `any_of` goes back to the master's list, an empty one
  // makes anything worth offering (H:2835-2840). No cycle follows. Precondition: each quantity
  // non-zero.
  void SetMinAllocatable(FrameworkId framework, std::optional<std::string_view> role,
                         std::optional<std::vector<Resources>> any_of);
  // Is the agent never offered to the framework (its offer constraints, or GPU filtering)? O(1).
  bool Excluded(FrameworkId framework, AgentId agent) const {
    // The compact flag first: the cycle asks this for every framework it visits, and reading
    // the vector's bounds from the framework's big record costs a cache miss each time.
    if (framework.index() >= has_exclusions_.size() || !has_exclusions_[framework.index()]) {
      return false;
    }
    const std::vector<bool>& excluded = frameworks_[framework.index()].excluded;
    return agent.index() < excluded.size() && excluded[agent.index()];
  }
  // Sets the weights of role paths (others keep theirs), as Mesos's /weights endpoint: the policy
  // re-reads them (AllocatorPolicy::RoleWeightsChanged) and no cycle is triggered
  // (hierarchical.cpp:1854-1870). Precondition: every weight > 0.
  void UpdateRoleWeights(const std::map<std::string, double>& weights);
  // Starts the periodic allocation cycles and schedules MasterSpec::updates.
  void Start();
  // Replaces every role's quota (role name -> quota; top-level roles only, the caller checks). As
  // in Mesos, an update triggers no cycle (hierarchical.cpp:1840-1850): the next one applies it.
  void UpdateQuotas(plugins::RoleQuotas quotas) { quota_.SetQuotas(std::move(quotas)); }
  // Sets the quotas of the roles listed, the others kept, as Mesos's UPDATE_QUOTA call
  // (quota_handler.cpp; MasterSpec::updates): a quota with neither guarantee nor limit is Mesos's
  // DEFAULT_QUOTA, so the role goes back to none. No cycle either.
  void UpdateRoleQuotas(const plugins::RoleQuotas& changed);
  const QuotaLedger& quota() const { return quota_; }
  // Runs one allocation cycle now, outside the event loop, and returns the offers it made (they
  // reach Callbacks::offers before it returns). For benchmarks and tests that drive cycles by
  // hand; a simulation gets its cycles from Start() and the triggers above. Does not cancel a
  // cycle already requested for the end of the current instant.
  int AllocateNow() { return Allocate(CycleScope::kAll); }

  // Agent failure and repair (Mesos's removeSlave and addSlave). Down: its offers are rescinded,
  // every framework's filters for it dropped (H:1106) and its tasks end LOST with `reason`
  // (kAgentFailed, kAgentRemoved), its drain and deactivations forgotten (M:10932-10937); no
  // cycle. Down for an agent not registered: forgotten, with what would bring it back. Up: a
  // cycle over the agent.
  void AgentDown(AgentId agent, TaskReason reason);
  void AgentUp(AgentId agent);
  // Why a registered agent is closed to new offers (Mesos's deactivated agent: the allocator's
  // deactivateSlave, hierarchical.cpp:1248-1257, skipped as a candidate, H:1980-1985). Causes add
  // up; the agent reopens when the last is lifted. Its tasks keep running and its resources stay
  // in the totals and allocations.
  enum class Deactivation : uint8_t {
    kDisconnected = 1,  // its connection to the master broke (master.cpp:1287-1359, 3477-3503)
    kDraining = 2,      // DRAIN_AGENT, until reactivated (master.cpp, drain)
    kOperator = 4,      // DEACTIVATE_AGENT
    kRecovering = 8,    // not yet reregistered with a new leading master (FailOver)
  };
  // Adds a cause. The first one rescinds the agent's offers (master.cpp:3477-3503); no cycle.
  void DeactivateAgent(AgentId agent, Deactivation cause);
  // Lifts a cause; when none is left the agent is offered again (a cycle over it follows).
  void ReactivateAgent(AgentId agent, Deactivation cause);
  bool agent_deactivated(AgentId agent) const {
    return agent.index() < deactivations_.size() && deactivations_[agent.index()] != 0;
  }
  bool agent_deactivated(AgentId agent, Deactivation cause) const {
    return agent.index() < deactivations_.size() &&
           (deactivations_[agent.index()] & static_cast<uint8_t>(cause)) != 0;
  }

  // --- Agent faults as the master sees them (agent_lifecycle.cc) ------------------------------
  // The agent's host crashes: its containers die and its connection breaks at once — the agent is
  // deactivated, non-checkpointing frameworks' tasks end LOST (slave_disconnected) — and it
  // answers no more pings: at the ping deadline (AgentPings) it is marked unreachable and its
  // remaining tasks end LOST or UNREACHABLE (slave_removed). Behind a partition (or unreachable
  // since, not back yet) the containers die and the partition's heal no longer matters. Returns
  // the fault's ticket for EndFault, 0 if it did not apply (the host already down); its repair
  // applies only while that ticket is the agent's, so overlapping faults do not cut each other
  // short.
  uint64_t CrashAgent(AgentId agent);
  // The host is back after a crash. Not yet unreachable: the agent reregisters as itself, the
  // tasks the master still counted there end LOST (agent_failed), pings start a new phase.
  // Unreachable already: it reregisters as itself with no task. No-op unless crashed.
  void RestartAgent(AgentId agent);
  // The network cuts the agent off: it keeps running its tasks, the master notices nothing until
  // the ping deadline, then marks it unreachable. Launches and kills sent to it meanwhile wait in
  // TCP's buffers until the heal; marked unreachable first, they are lost with the agent.
  // Also cuts off an unreachable agent on its way back. Returns the fault's ticket, 0 when it
  // did not apply (unless registered and healthy, or on its way back: a no-op).
  uint64_t PartitionAgent(AgentId agent);
  // The fault with this ticket ends: the host is back (crash: RestartAgent) or the partition
  // heals (HealPartition). Nothing when the ticket is 0 (the fault did not apply) or a later
  // fault superseded it: that repair belongs to the fault in force.
  void EndFault(AgentId agent, uint64_t ticket, bool crash);
  // The partition heals. Before the deadline: the next ping is answered, nothing else. After:
  // the agent reregisters (its registration tries, held by TCP, arrive: within U(0, 1 s); see
  // agent_lifecycle.cc): each container still running comes back RUNNING when
  // its framework has not relaunched the task yet (both kinds of frameworks, as Mesos >= 1.5,
  // master.cpp:7011-7086); the others are duplicates, killed. No-op unless partitioned.
  void HealPartition(AgentId agent);
  // The leading master dies now (master_failover.cc; docs/mesos-agent-lifecycle-facts.md §4):
  // every outstanding offer is gone and nothing is offered until a new leader is elected
  // `election` later (the ZooKeeper session timeout, 10 s by default). Then frameworks
  // resubscribe, and each agent reregisters after U(0, reregistration_window) (a new ping phase);
  // running tasks keep running. With quotas the new allocator waits until ⌊0.8 × agents⌋ have
  // reregistered or 10 minutes (hierarchical.cpp:675-731). Agents that cannot reregister (crashed,
  // cut off) are marked unreachable agent_reregister_timeout (10 min) after the election.
  void FailOver(sim::Time election, sim::Time reregistration_window);
  bool allocation_paused() const { return !leader_ || recovery_paused_; }
  uint64_t failovers() const { return failovers_; }
  enum class AgentHealth : uint8_t { kHealthy, kCrashed, kPartitioned, kUnreachable };
  AgentHealth agent_health(AgentId agent) const { return health_[agent.index()].state; }
  // When the agent was last admitted (its ping phase).
  sim::Time agent_admitted(AgentId agent) const { return health_[agent.index()].admitted; }
  uint64_t tasks_recovered() const { return tasks_recovered_; }
  uint64_t reregistration_kills() const { return reregistration_kills_; }
  // Changes an agent's capacity (a trace's machine UPDATE; Mesos's updateSlave with a total). An
  // unchanged capacity does nothing. A capacity that grows keeps the agent's offers; one that
  // shrinks in some kind rescinds them (a deliberate deviation, see master.cc). A cycle over the
  // agent follows; its tasks keep running, and whatever they hold beyond the new capacity becomes
  // overcommit (see LaunchRecorded).
  void UpdateAgentCapacity(AgentId agent, const Resources& capacity);
  // New attributes for an agent (Mesos's updateSlave with another SlaveInfo): when they differ,
  // every framework's filters for the agent are dropped and a cycle over it follows (H:1125-1173).
  void UpdateAgentAttributes(AgentId agent,
                             std::vector<std::pair<std::string, std::string>> attributes);

  // Launches a PENDING task (resources charged in task.allocated) on an active agent now, without
  // an offer: a recorded trace replay puts tasks where the production scheduler did. Capacity may
  // be exceeded (Borg overcommits): what the agent lacks is recorded as its overcommit instead of
  // tripping the over-allocation check, and resources freed later pay the overcommit back before
  // they become available. The task goes straight to RUNNING, open-ended (no pull, no start
  // latency); the replay ends it with EndTask.
  void LaunchRecorded(TaskSlot task, AgentId agent);
  // Launches a PENDING task (charged task.allocated) on a schedulable agent with room for it, now,
  // without an offer: the monolithic and shared-state architectures place on the cell themselves
  // (issue 16). It goes through the container runtime as any launch (pulls, start latency). The
  // master's cost model charges nothing for it.
  void LaunchPlaced(TaskSlot task, AgentId agent);
  // Ends an active task now in `state` (a recorded end), as if its container had exited.
  void EndTask(TaskSlot task, TaskState state, TaskReason reason);
  // Agent-seconds, up to now, during which an agent's tasks held more than its capacity.
  double overcommit_machine_seconds() const { return cell_.overcommit_machine_seconds(); }

  // --- Scheduler driver ---------------------------------------------------------------------
  bool IsOfferValid(OfferSlot slot, plugins::OfferId id) const { return offers_.IsValid(slot, id); }
  const Offer& offer(OfferSlot slot) const { return offers_[slot]; }
  // Calls f(offer) for every outstanding offer, by slot.
  template <typename F>
  void ForEachOffer(F&& f) const {
    for (size_t s = 0; s < offers_.slot_count(); ++s) {
      const Offer& o = offers_[OfferSlot(static_cast<uint32_t>(s))];
      if (o.live) f(o);
    }
  }
  // Launches `tasks` (PENDING, resources charged in task.allocated) on the offer's agent and
  // declines the rest of the offer with a filter of `refuse` (0: none).
  // Precondition: IsOfferValid; the tasks' allocations fit in the offer.
  void Accept(OfferSlot slot, std::span<const TaskSlot> tasks, sim::Time refuse);
  void Decline(OfferSlot slot, sim::Time refuse);
  // A cache hint: the scheduler will answer this offer soon. Answers come in the shuffled order
  // the offers were made in, each touching the offer's and its agent's records.
  [[gnu::always_inline]] void PrefetchAnswer(OfferSlot slot, AgentId agent) const {
    offers_.Prefetch(slot, agent);
    cell_.PrefetchForUpdate(agent);
  }
  // Mesos's SUPPRESS for all the framework's roles, or one (hierarchical.cpp:1762-1794): the
  // framework leaves that role's sort, keeping its allocation. No cycle follows.
  void Suppress(FrameworkId framework);
  void Suppress(FrameworkId framework, std::string_view role);
  // Mesos's REVIVE for all its roles, or one: clears those roles' filters, un-suppresses them and
  // triggers a cycle over all agents (hierarchical.cpp:1797-1837). Other roles' filters stay.
  void Revive(FrameworkId framework);
  void Revive(FrameworkId framework, std::string_view role);
  // The framework's scheduler disconnected (Mesos's deactivateFramework): its offers are
  // rescinded, its filters (every role's) cleared, and it gets no offers until
  // ActivateFramework; its tasks and their resources stay. No cycle.
  void DeactivateFramework(FrameworkId framework);
  // Offers resume (still none while suppressed: only Revive lifts that, H:866-870); a cycle over
  // all agents follows.
  void ActivateFramework(FrameworkId framework);
  // The framework's scheduler loses its connection (a framework_disconnect fault): deactivated,
  // and removed — every task KILLED framework_removed, no offer ever again — unless it
  // reconnects within its failover_timeout (framework_failover.cc). A master failover drops the
  // timer: the new leader arms none (its tasks run on as orphans).
  // DisconnectScheduler returns false when it was already disconnected or removed (no change).
  bool DisconnectScheduler(FrameworkId framework);
  void ReconnectScheduler(FrameworkId framework);
  bool framework_removed(FrameworkId framework) const {
    return owners_[framework.index()].removed_at.has_value();
  }
  // When its failover timeout removed it; nothing if it never did.
  std::optional<sim::Time> framework_removed_at(FrameworkId framework) const {
    return owners_[framework.index()].removed_at;
  }
  // Its scheduler is connected and the framework not removed: the calls it makes reach a master.
  bool scheduler_connected(FrameworkId framework) const {
    return !owners_[framework.index()].scheduler_down && !framework_removed(framework);
  }
  // The (unsuppressed) framework has new pending work. With allocation_interval 0 this is
  // "demand appeared" and runs a cycle at the end of the instant; with periodic cycles it does
  // nothing (the next cycle serves it, as in Mesos).
  void DemandAppeared(FrameworkId framework);
  // Whether any of the framework's roles is suppressed (a revive for all would change something).
  bool suppressed(FrameworkId framework) const {
    return owners_[framework.index()].suppressed_roles > 0;
  }
  // Whether all of them are (a suppress for all would change nothing).
  bool all_suppressed(FrameworkId framework) const {
    const OwnerState& owner = owners_[framework.index()];
    return owner.suppressed_roles == owner.subscriptions.size();
  }
  bool suppressed(FrameworkId framework, std::string_view role) const;

  // --- From the container runtime -------------------------------------------------------------
  // The attempt's container exited (or was killed) on its agent: its status update goes to the
  // master, which learns of it at once from a healthy agent, at the heal from a cut-off one, and
  // never from a crashed one (the host's end settles the task).
  void OnTaskEnded(TaskSlot task, TaskState state);

  // --- ClusterView ---------------------------------------------------------------------------
  sim::Time now() const override { return sim_.Now(); }
  size_t agent_count() const override { return cell_.agent_count(); }
  const plugins::AgentInfo& agent(AgentId id) const override { return cell_.info(id); }
  bool agent_active(AgentId id) const override { return cell_.active(id); }
  const Resources& agent_available(AgentId id) const override { return cell_.available(id); }
  double image_missing_mib(AgentId id, ImageId image) const override {
    return runtime_.puller().MissingMiB(id, image);
  }
  size_t role_count() const override { return roles_.size(); }
  const plugins::RoleInfo& role(plugins::RoleId id) const override {
    return roles_[id.index()].info;
  }
  // The allocator's view: tasks on agents not yet reregistered with a new leader are not in it
  // (RoleAllocatedInCell has them).
  const Resources& role_allocated(plugins::RoleId id) const override {
    return roles_[id.index()].allocated;
  }
  uint64_t role_offer_count(plugins::RoleId id) const override {
    return roles_[id.index()].offer_count;
  }
  double role_weight(std::string_view path) const override {
    auto it = role_weights_.find(path);
    return it == role_weights_.end() ? 1.0 : it->second;
  }
  uint32_t fairness_excluded_kinds() const override { return fairness_excluded_kinds_; }
  size_t framework_count() const override { return frameworks_.size(); }
  const plugins::FrameworkInfo& framework(FrameworkId id) const override {
    return frameworks_[id.index()].info;
  }
  bool framework_active(FrameworkId id) const override { return frameworks_[id.index()].active; }
  const Resources& framework_allocated(FrameworkId id) const override {
    return frameworks_[id.index()].allocated;
  }
  uint64_t framework_offer_count(FrameworkId id) const override {
    return frameworks_[id.index()].offer_count;
  }
  std::span<const plugins::PendingDemand> framework_demand(FrameworkId id) const override {
    if (!callbacks_.demand) return {};
    return callbacks_.demand(frameworks_[id.index()].info.owner);
  }
  // What the allocator knows: every registered agent's capacity, but after a master failover
  // only the agents that have reregistered since (Mesos's new allocator starts empty and adds
  // each at its addSlave, hierarchical.cpp:974-1012). cell().total() has them all.
  const Resources& cluster_total() const override {
    if (unknown_agents_ == 0) return cell_.total();
    allocator_total_ = cell_.total();
    allocator_total_ -= unknown_capacity_;
    return allocator_total_;
  }

  // --- Observation ---------------------------------------------------------------------------
  // A framework's allocation over all its roles (tasks + outstanding offers), on every agent,
  // known to the allocator or not. O(roles).
  Resources FrameworkAllocated(FrameworkId framework) const {
    Resources sum;
    for (FrameworkId s : subscriptions(framework)) {
      sum += frameworks_[s.index()].allocated;
      sum += frameworks_[s.index()].on_unknown_agents;
    }
    return sum;
  }
  // A role's allocation on every agent, known to the allocator or not (role_allocated: known).
  Resources RoleAllocatedInCell(plugins::RoleId id) const {
    Resources sum = roles_[id.index()].allocated;
    sum += roles_[id.index()].on_unknown_agents;
    return sum;
  }
  // Not known to the allocator: registered, but not reregistered with the leader since a master
  // failover. Its capacity and tasks are out of cluster_total() and the allocations.
  bool agent_unknown_to_allocator(AgentId id) const {
    return unknown_agents_ > 0 && unknown_to_allocator_[id.index()];
  }
  const CellState& cell() const { return cell_; }
  const Resources& agent_allocated(AgentId id) const { return cell_.allocated(id); }
  const Resources& agent_offered(AgentId id) const { return cell_.held(id); }
  size_t outstanding_offers() const { return offers_.live(); }
  uint64_t cycles() const { return cycles_; }
  // The master's simulated processing time (MasterSpec::cost; disabled by default).
  const MasterCostModel& cost_model() const { return cost_; }
  MasterCostModel& cost_model() { return cost_; }  // for RestartStatistics (results.warmup)
  size_t agent_task_count(AgentId id) const { return cell_.tasks(id).size(); }

  // Whole-cluster sweep: per agent allocated + offered + available == capacity and none negative;
  // framework and role sums match the agents and tasks. O(agents + tasks + offers). Aborts with a
  // message on the first violation.
  void CheckInvariants() const;
  // Every cycle, also checks that each offerable agent it leaves out is one a scan of the whole
  // cluster would skip as idle (O(agents) a cycle; on anyway in debug builds).
  // And that no framework could take an agent it skips as idle (O(idle agents x frameworks) a
  // cycle; only when set).
  void set_cycle_checks(bool on) {
    cycle_checks_ = on;
    cell_.set_cycle_checks(on);
  }

  // --- Maintenance and draining (maintenance_ops.cc; docs/mesos-agent-lifecycle-facts.md §3) ---
  // The operator posts the agent's machine in the maintenance schedule (POST /maintenance/schedule,
  // MHTTP:3138-3210): the machine is DRAINING at once, and Master::updateUnavailability
  // (M:8046-8109) rescinds the agent's offers and inverse offers, the allocator erases every
  // inverse-offer filter on it and runs a cycle over it (H:1462-1492): offers come back carrying
  // the unavailability. From then on every cycle sends inverse offers (GenerateInverseOffers). An
  // unscheduled window cancels (UP again). No-op for a DOWN machine.
  void ScheduleMaintenance(AgentId agent, Unavailability window);
  // POST /machine/down (MHTTP:3321-3397), the operator's act: Mesos never does it by itself
  // (MD:398-402). The agent is removed (removeSlave, M:10803-10953): every task there ends LOST,
  // slave_removed, for every framework, partition-aware or not (M:10837-10865); its offers are
  // rescinded; the machine is DOWN and its agent may not register until MachineUp. An agent the
  // master does not hold registered is not removed: one not reregistered since a failover (its
  // reregistration is refused, the agent shuts down, its tasks end at the leader's
  // agent_reregister_timeout) or one unreachable (it keeps its drain and stranded containers; a
  // try to come back while DOWN is refused). No-op unless DRAINING.
  void MachineDown(AgentId agent);
  // POST /machine/up (MHTTP:3484-3560): UP, unavailability cleared, and the agent registers afresh
  // (no tasks, no filters, no drain, a new ping phase), except one the DOWN did not remove: it
  // comes back with its drain, and with its tasks if it was never refused. No-op unless DOWN.
  void MachineUp(AgentId agent);
  MachineMode machine_mode(AgentId agent) const { return maintenance_.mode(agent); }
  const Unavailability& unavailability(AgentId agent) const {
    return maintenance_.unavailability(agent);
  }
  // A framework's ACCEPT or DECLINE of its inverse offer for the agent (M:5370-5500 ->
  // updateInverseOffer, H:1494-1591): no longer outstanding, and with `refuse` > 0 no new one for
  // that long (Filters.refuse_seconds, default 5 s, mesos.proto:2796). Nothing else changes: the
  // answer is advisory (MD:344-349). Ignored unless one is outstanding.
  static constexpr sim::Time kDefaultInverseOfferRefuse = sim::Time::Seconds(5);
  void AnswerInverseOffer(FrameworkId framework, AgentId agent, bool accept,
                          sim::Time refuse = kDefaultInverseOfferRefuse);
  const InverseOfferCounts& inverse_offer_counts(FrameworkId framework) const {
    return maintenance_.counts(framework);
  }
  // DRAIN_AGENT (Mesos >= 1.9; MHTTP:3732-3821, S:1075-1200): deactivated (kDraining: offers and
  // inverse offers rescinded), every task killed with `max_grace_period` if set, else its default
  // kill grace period (tasks have no KillPolicy; KillTask; TASK_KILLED, slave_draining); DRAINED
  // once no task is left (M:5502-5580), and then with `mark_gone` removed and refused for ever
  // (markGone, M:8722-8826). Stays deactivated until ReactivateDrainedAgent. Cannot be changed once
  // started (MD:55-56): a second drain is a no-op, as is a drain of an agent neither registered,
  // recovering nor unreachable (MHTTP:3746-3751).
  void DrainAgent(AgentId agent, std::optional<sim::Time> max_grace_period, bool mark_gone);
  // REACTIVATE_AGENT (MHTTP:3953-4004): refused (false) while DRAINING; a DRAINED agent is
  // offered again.
  bool ReactivateDrainedAgent(AgentId agent);
  DrainState drain_state(AgentId agent) const {
    return agent.index() < drains_.size() ? drains_[agent.index()].state : DrainState::kNone;
  }
  // Kills a launched task with a kill grace period: a task still STAGING (no executor yet) ends
  // at once, as the agent kills a task not yet running (Slave::killTask, S:4016-4019); the others
  // end KILLED with `reason` after `grace` (the executor's SIGTERM -> SIGKILL). No-op unless
  // active. The kill must reach the agent (Master::kill, M:5733-5762): a crashed agent is not sent
  // it (its tasks end with the host), a cut-off one gets it when the partition heals, the grace
  // counted from then.
  void KillTask(TaskSlot task, sim::Time grace, TaskReason reason);
  // The kill grace period of a task with no KillPolicy (clustersim's tasks have none): 5 s for a
  // task with an image, run by the Docker executor (its shutdown grace, DE:420-427, the agent's
  // executor_shutdown_grace_period default, SC:49); 3 s for a task without one, a command task
  // (the command executor's default, CE:821-825).
  static sim::Time DefaultKillGrace(const Task& task);

 private:
  // One subscription: a framework in one of its roles, the client the policy sorts (ClusterView's
  // "framework"). Everything Mesos keeps per (framework, role) is here.
  struct FrameworkState {
    plugins::FrameworkInfo info;
    Resources allocated;          // tasks + outstanding offers, on agents the allocator knows
    Resources on_unknown_agents;  // tasks on agents it does not know yet (failover)
    uint64_t offer_count = 0;     // DRF allocation count: offers and recovered allocations since
                                  // the last election (ClusterView::framework_offer_count)
    bool active = true;
    bool suppressed = false;
    bool allocation_unnotified = false;  // in allocation_unnotified_
    OfferFilters filters;
    AgentAccess access;
    // By agent id: never offered the agent (Excluded). Agents' attributes are static, so this is
    // computed once per (framework, agent), when either registers, and the cycle's check is one
    // bit. Empty until the framework's first excluded agent, so frameworks that exclude nothing
    // cost nothing. Per subscription, so per (framework, role) as Mesos's role_constraints.
    std::vector<bool> excluded;
    // FrameworkInfo.offer_filters[role].min_allocatable_resources: replaces the master's list
    // (hierarchical.cpp:2831-2833), normalized. Unset: the master's.
    std::optional<std::vector<Resources>> min_allocatable;
  };
  // A framework (scheduler) as its driver calls see it: its subscriptions, one per role.
  struct OwnerState {
    std::vector<FrameworkId> subscriptions;
    size_t suppressed_roles = 0;
    bool partition_aware = false;
    bool checkpoint = true;
    std::optional<sim::Time> sigterm_exit;
    bool awaiting_leader = false;         // connected when the master failed over: resubscribes
    sim::Time failover_timeout;           // FrameworkRegistration::failover_timeout
    bool scheduler_down = false;          // DisconnectScheduler, until ReconnectScheduler
    std::optional<sim::Time> removed_at;  // removed by its failover timeout: gone for good
    sim::EventId failover_timer;          // the removal, while disconnected from this leader
  };
  // A container that was RUNNING on an agent when it became unreachable: the task as it was then
  // (the slot may since hold another task, or another attempt).
  struct StrandedTask {
    TaskSlot slot;
    uint64_t id = 0;
    uint16_t attempts = 0;
    bool has_image = false;  // then the container's pin on its image is held here
    ImageId image;           // the one it runs (Task::run_image), on which the pin is
    // The container finished behind the partition; the agent reports it at reregistration.
    bool finished = false;
  };
  // A launch held in TCP's buffers while its agent is cut off: the attempt as it was sent (the
  // master may since have killed it, and the slot may hold another task or attempt).
  struct HeldLaunch {
    TaskSlot slot;
    uint64_t id = 0;
    uint16_t attempts = 0;
  };
  // A kill held in TCP's buffers while its agent is cut off, with the attempt it was meant for.
  struct HeldKill {
    HeldLaunch attempt;
    sim::Time grace;
    TaskReason reason = TaskReason::kNone;
  };
  // A status update held in TCP's buffers while its agent is cut off (the agent's status update
  // manager retries it): the attempt ended on the agent, the master does not know yet.
  struct HeldUpdate {
    HeldLaunch attempt;
    TaskState state = TaskState::kFinished;
    TaskReason reason = TaskReason::kNone;
  };
  // An agent ready to register while there is no leader: what it does once one is elected.
  enum class AwaitingLeader : uint8_t { kNo, kRegister, kReregister };
  // What the master knows of an agent's health.
  struct AgentHealthState {
    AgentHealth state = AgentHealth::kHealthy;
    sim::Time admitted;    // latest admission: the ping phase
    bool crashed = false;  // kUnreachable: after a crash (else a partition)
    // The host itself is crashed or cut off, a fault not yet repaired, whatever the master knows.
    // Kept when a machine DOWN makes the master forget the agent: the fault outlives the window,
    // and the agent registers when it ends, not at the machine's UP.
    bool host_down = false;
    uint64_t permit_ticket = 0;           // waiting for an agent_removal_rate_limit permit (0: not)
    sim::EventId deadline;                // the unreachable transition, or the reregistration
    std::vector<StrandedTask> stranded;   // kUnreachable after a partition
    std::vector<HeldLaunch> undelivered;  // kPartitioned: launched, never reached the agent
    // kPartitioned, or not reregistered after a failover: killed, the kill not through yet.
    std::vector<HeldKill> held_kills;
    // kPartitioned, or not reregistered after a failover: ended there, the update not through;
    // or a launch the old leader sent, which the new one answers at the reregistration.
    std::vector<HeldUpdate> held_updates;
    AwaitingLeader awaiting_leader = AwaitingLeader::kNo;
    // Healthy but not back by the new leader's agent_reregister_timeout: marked unreachable as if
    // cut off (kPartitioned, then kUnreachable) until its reregistration comes (a heal).
    bool late_for_leader = false;
    uint64_t fault_ticket = 0;  // of the latest fault that applied (kept by ForgetHealth)
    // Its machine DOWN, its try to come back was refused and the agent shut down, its containers
    // killed: kCrashed after a failover, still recovering (RefuseReregistration), kUnreachable
    // once unreachable (RefuseUnreachableAgent, or the leader's deadline since). The host is up
    // unless host_down; the agent comes back when both the machine and the host are up
    // (ReregisterRefusedAgent).
    bool refused = false;

    // Not registered, but in the master's registry as unreachable (Mesos's slaves.unreachable):
    // a drain is accepted (MHTTP:3746-3751) and a DOWN leaves it alone (M:11082-11085).
    bool unreachable() const { return state == AgentHealth::kUnreachable; }
  };
  struct RoleState {
    plugins::RoleInfo info;
    Resources allocated;          // as FrameworkState's
    Resources on_unknown_agents;  // as FrameworkState's
    uint64_t offer_count = 0;     // the same for its frameworks (ClusterView::role_offer_count)
  };
  // Why no framework took an agent in a visit, while the visit goes on.
  struct Refusals {
    sim::Time blocked_until = sim::Time::Max();  // the first of the filters to expire
    bool limited = false;                        // a framework was held back by LimitOffer
  };
  struct Pick {
    FrameworkId framework;
    Resources amount;
  };

  // --- The allocation cycle (see AllocatorPolicy) ---------------------------------------------
  // Which agents a cycle visits: all (periodic, framework-triggered: the changed ones, the others
  // being idle) or only those listed by the agent triggers of its batch (listed_).
  enum class CycleScope { kAll, kListed };
  int Allocate(CycleScope scope);  // returns the offers made
  // Fills candidates_ with the agents the cycle visits, in visiting order.
  void CollectCandidates(sim::Time now, CycleScope scope);
  // For a policy that decides a cycle in one piece (AllocatorPolicy::PlanCycle, an external
  // allocator): lays candidates_ out with each agent's eligible subscriptions and hands it over;
  // returns what the policy charged for it.
  sim::Time PlanCycle(sim::Time now);
  // Always inlined into Allocate: GCC drops calls to a function of loads and prefetches only.
  [[gnu::always_inline]] inline void PrefetchVisit(size_t candidate) const;
  // Offers the agent to frameworks in policy order until none takes what is left.
  void VisitAgent(AgentId agent, sim::Time now, CycleWork& work);
  // The agent's available resources not reserved for a role.
  Resources Unreserved(AgentId agent);
  // The first framework in policy order that may be offered some of the agent now, and how much.
  // Inlined into both callers (VisitAgent, OfferWholeCell): given a second caller GCC stopped
  // inlining it into VisitAgent, the per-agent hot path (+0.5 % instructions on default.yaml;
  // bench/RESULTS.md, "Scheduler architectures").
  [[gnu::always_inline]] inline std::optional<Pick> PickFramework(AgentId agent,
                                                                  const Resources& unreserved,
                                                                  sim::Time now, Refusals& refusals,
                                                                  CycleWork& work);
  // What framework `f` may be offered of the agent now, if anything: it does not exclude the
  // agent, and its reservation-aware share, cut by the policy's LimitOffer, passes its
  // min_allocatable and its filters; a limit or a filter is recorded in `refusals`. The one test
  // of PickFramework and OwnerPick; inlined, as the per-agent hot path.
  [[gnu::always_inline]] inline std::optional<Resources> OfferableAmount(
      FrameworkId f, FrameworkState& fw, AgentId agent, const Resources& unreserved, bool reserved,
      sim::Time now, Refusals& refusals);
  // offer_granularity: cell: what `owner` may be offered of the agent, if anything.
  std::optional<Pick> OwnerPick(FrameworkId owner, AgentId agent, const Resources& unreserved,
                                sim::Time now);
  // No framework took the agent: idle until a refusal lapses, or due again next cycle.
  void SettleUntaken(AgentId agent, Refusals refusals);
  OfferSlot MakeOffer(FrameworkId framework, AgentId agent, const Resources& resources);
  // Whether `amount` is worth offering to the subscription: its min_allocatable, or the master's
  // (hierarchical.cpp:2812-2846).
  bool Allocatable(const FrameworkState& fw, const Resources& amount) const {
    if (!per_framework_min_allocatable_) return cell_.Allocatable(amount);
    return ContainsOneOf(fw.min_allocatable ? *fw.min_allocatable : min_allocatable_, amount);
  }
  // The cell's list: the master's and every subscription's, so that the cell looks at an agent
  // while anyone might take it.
  void UpdateCellMinAllocatable();
  FrameworkId AddSubscription(FrameworkId owner, const FrameworkRegistration& registration,
                              const std::string& role);
  plugins::RoleId RoleFor(const std::string& role, double role_weight);
  void SetSuppressed(FrameworkState& fw, bool suppressed);
  void ReviveSubscription(FrameworkState& fw);
  // MakeOffer, and the offer joins the cycle's deliveries.
  void OfferInCycle(FrameworkId framework, AgentId agent, const Resources& resources,
                    CycleWork& work);

  // --- The cycle with quotas: Mesos's two stages (quota_stages.cc) ----------------------------
  void RunQuotaStages(sim::Time now, CycleWork& work);
  // offer_granularity: cell (Allocate): the free cell to one framework, locked while it decides.
  void OfferWholeCell(sim::Time now, CycleWork& work);
  // Rebuilds quota_ from the roles' allocations and the free reservations (H:2018-2094).
  void SetUpQuotaLedger();
  // Stage 1 on one agent: roles with unmet guarantees, in policy order (H:2120-2367).
  void GuaranteeStage(AgentId agent, sim::Time now, CycleWork& work);
  // Offers the framework what moves its role toward its guarantee, and what else limits and
  // headroom allow. Returns true when nothing is left on the agent for the role (H:2193).
  bool OfferTowardGuarantee(FrameworkId framework, AgentId agent, sim::Time now, CycleWork& work);
  // Stage 2 on one agent: every framework in policy order (H:2395-2531), then settles the agent.
  void RemainderStage(AgentId agent, sim::Time now, CycleWork& work);
  void OfferRemainder(FrameworkId framework, AgentId agent, sim::Time now, Refusals& refusals,
                      CycleWork& work);
  // Whether stage 1 of this cycle made the framework (nullopt: any framework) an offer on the
  // agent.
  bool OfferedInGuaranteeStage(AgentId agent, std::optional<FrameworkId> framework) const;
  // When the cycle running now was first asked for; resets it.
  sim::Time TakeCycleDue(sim::Time now);

  // --- When cycles run --------------------------------------------------------------------------
  // A cycle at the end of the instant, unless one is requested already (the requests join it).
  void RequestCycle();
  // Requests a cycle over all agents.
  void TriggerAllocation();
  // Requests a cycle over the agent (joining the other agents of the batch).
  void TriggerAgentAllocation(AgentId agent);
  void ScheduleNextPeriodicCycle();
  // Runs a due cycle now, or once the master is free (cost model).
  void RunCycleWhenFree(bool periodic);
  // Takers may have appeared for agents refused before (registration, revive).
  void EligibilityChanged() { cell_.ForgetIdleMarks(); }

  // --- Agent access ---------------------------------------------------------------------------
  // hierarchical.cpp:2181-2185 (offer constraints) and 3095-3105 (GPU filtering).
  bool ComputeExcluded(const FrameworkState& fw, AgentId agent) const;
  void UpdateExcluded(FrameworkState& fw, AgentId agent);
  bool MayExcludeAny(const FrameworkState& fw) const;
  void NoteGpus(const Resources& capacity);

  // --- Bookkeeping ------------------------------------------------------------------------------
  // Returns the offer's resources to its agent's pool and forgets the offer.
  void RemoveOffer(OfferSlot slot);
  void Rescind(OfferSlot slot);
  // A refusal of `resources` on `agent` for `refuse` (0: none): not offered again until it lapses.
  void AddFilter(FrameworkId framework, AgentId agent, const Resources& resources,
                 sim::Time refuse);
  void ChargeFramework(FrameworkId framework, const Resources& delta, bool add);
  // The task's resources to (add) or off its framework and role: their allocation, or their
  // part on agents the allocator does not know when the task's agent is one.
  void ChargeTask(const Task& task, bool add);
  // The task's resources to (add) or off its framework's and role's on_unknown_agents.
  void ChargeUnknown(const Task& task, bool add);
  // The policy hears of the framework's allocation (and offer count) at the next
  // NotifyAllocationChanges.
  void QueueAllocationNotice(FrameworkId framework);
  // Tells the policy about the frameworks whose allocation changed since it was last told.
  void NotifyAllocationChanges();
  // A PENDING task starts an attempt on the agent; its resources count as its framework's.
  void AttachTask(TaskSlot slot, AgentId agent);
  // The mirror of AttachTask: the task's resources go back to the agent and off its framework.
  void DetachTask(TaskSlot slot);
  // Fills ledger_ for the agent from the tasks and offers on it.
  void ComputeReservedFree(AgentId agent);
  void CheckOffersAndAllocations() const;
  void CheckAgentsUnknownToAllocator() const;
  void CheckIdleAgentsHaveNoTaker(sim::Time now);

  // --- Agent health (agent_lifecycle.cc) -------------------------------------------------------
  // Arms the unreachable transition for an agent silent from now.
  void ArmPingDeadline(AgentId agent);
  // SlaveObserver::markUnreachable: after a removal permit (agent_removal_rate_limit),
  // RemoveUnreachable.
  void MarkUnreachable(AgentId agent);
  // The rate limiter's next permit goes to the first agent still waiting (the others are skipped
  // without using one, limiter.hpp _acquire); the next grant is one interval later.
  void GrantRemovalPermit();
  // The agent no longer waits for a removal permit (healed, repaired, forgotten, failover).
  void StopWaitingForPermit(AgentHealthState& health) { health.permit_ticket = 0; }
  // The agent gives up its try to (re)register: the backoff under way, its wait for an
  // election, or its lateness for the new leader's deadline (ScheduleReregistration).
  void StopRegistrationTry(AgentHealthState& health);
  // Mesos's markUnreachable and __removeSlave (master.cpp:8559-8720, 10956-11100).
  void RemoveUnreachable(AgentId agent);
  enum class AgentTasks { kAll, kUncheckpointed };
  // Ends the agent's tasks (those of frameworks that do not checkpoint, or all), detached: LOST,
  // or UNREACHABLE for a partition-aware framework when `reason` is kSlaveRemoved or
  // kReconciliation. Their frameworks are told by ReportEnded, once the agent's state is settled.
  std::vector<TaskSlot> EndAgentTasks(AgentId agent, TaskReason reason, AgentTasks which);
  void ReportEnded(std::span<const TaskSlot> ended);
  // The agent leaves the cell (removeSlave): filters dropped, totals shrink. Its tasks are gone.
  void Unregister(AgentId agent);
  // Back to healthy, nothing pending: the stranded containers' pins released (they are gone).
  void ForgetHealth(AgentId agent);
  // Its drain and deactivations (_removeSlave), which an unreachable agent keeps.
  void ForgetDrainAndDeactivations(AgentId agent);
  // The stranded containers are gone (the host crashed, or the master forgot the agent): their
  // image pins are released.
  void DropStranded(AgentId agent);
  // A host with no agent process the master could see fail: shut down by the master (its
  // machine's DOWN, a refused try), dead after it was found unreachable, or waiting to register.
  bool AgentlessHost(AgentId agent) const;
  // A crash or partition (host_down) or its repair (!host_down) of an agentless host: records
  // it, stops a try to register, and brings the agent back when the fault ends on a machine
  // that is UP again. Nothing (nullopt) for any other agent.
  std::optional<bool> FaultOfAgentlessHost(AgentId agent, bool host_down);
  uint64_t NewFaultTicket(AgentHealthState& health);
  // Failover steps: the election, an agent's reregistration with the new leader, the end of
  // the allocator's recovery pause.
  void ElectLeader(sim::Time reregistration_window);
  void RestartAllocationCounts();
  void CountRecoveredAllocations(AgentId agent);
  void RemoveFramework(FrameworkId framework);  // framework_failover.cc
  void EndTasksOfRemovedFrameworks(AgentId agent);
  // The master ends the task on its own (an agent or framework removed, a broken connection):
  // its container stops, its resources go back, its state is set now. Reported by ReportEnded.
  void EndAtMaster(TaskSlot slot, TaskState state, TaskReason reason);
  void ReregisterAfterFailover(AgentId agent);
  // The new leader's allocator does not know the agent until it reregisters (HideFromAllocator,
  // at the failover; the caller tells the policy), then adds it with its tasks (ShowToAllocator,
  // Mesos's addSlave).
  void HideFromAllocator(AgentId agent);
  void ShowToAllocator(AgentId agent);
  // Moves the tasks on `agent` between their frameworks' allocations and on_unknown_agents.
  void MoveTasksOfUnknownAgent(AgentId agent, bool hide);
  void ResumeAllocation();
  // The partitioned agent reregisters after being unreachable.
  void ReregisterAgent(AgentId agent);
  void RecoverStranded(AgentId agent, const StrandedTask& stranded);
  // Every change of an agent's health goes through here (keeps partitioned_agents_).
  void SetHealth(AgentHealthState& health, AgentHealth state);
  bool HoldsAttempt(const HeldLaunch& attempt, AgentId agent) const;
  // Registered and offered, but cut off (kPartitioned) or crashed behind the cut (kCrashed while
  // still offered: CrashBehindPartition; a crash the master sees deactivates the agent): what
  // the master sends it waits in TCP's buffers, and is lost with the host if it crashed.
  bool SilentToTheMaster(AgentId agent) const {
    const AgentHealth state = health_[agent.index()].state;
    return state == AgentHealth::kPartitioned || state == AgentHealth::kCrashed;
  }
  // The master takes in a task's terminal status update: resources recovered, framework told.
  void TaskEndReported(TaskSlot task, TaskState state);
  void DeliverHeldUpdates(AgentId agent);
  void DeliverHeldKills(AgentId agent);
  // Holds a LOST update, delivered when the agent reregisters with the new leader, for every task
  // the master counts on `agent`, an agent whose host lost them: `checkpointed` is the reason for
  // the tasks of a framework that checkpoints; the others' tasks the agent cannot report, and
  // the leader's reconciliation answers for them (reason reconciliation, M:9057-9074).
  void HoldLostUpdates(AgentId agent, TaskReason checkpointed);
  // At a failover: the old leader's held launches become reconciliation LOSTs (master_failover.cc).
  void ForgetLaunchesOfTheOldLeader(AgentHealthState& health);
  void StrandContainers(AgentId agent);
  void CrashBehindPartition(AgentId agent);
  void KillStranded(const HeldLaunch& attempt, AgentId agent);
  void RegisterAgentsThatWaitedForALeader(sim::Time reregistration_window);
  void ScheduleReregistration(AgentId agent, sim::Time reregistration_window);
  // With no leader an operator call is answered 503 (MHTTP:198-221) and a scheduler driver drops
  // a kill (sched.cpp:1255-1260); the operator and the framework try again, and the call takes
  // effect when a leader is elected. True when `call` was kept for then.
  bool WaitForLeader(std::function<void()> call);
  void ApplyUpdate(const MasterUpdateSpec& update);
  // The operator endpoints' offer rescinds after an update (update_rescinds.cc).
  void RescindAfterWeightsUpdate(const std::map<std::string, double>& weights);
  void RescindAfterQuotaUpdate(const plugins::RoleQuotas& changed);
  plugins::Resources SubtreeConsumedAndOffered(const std::string& role);
  const std::string& RoleName(plugins::RoleId role) const { return roles_[role.index()].info.name; }
  const std::string& SubscriptionRole(FrameworkId subscription) const {
    return RoleName(frameworks_[subscription.index()].info.role);
  }
  void CountAgentAdded();

  sim::Simulator& sim_;
  MasterSpec spec_;
  // The master's --min_allocatable_resources, normalized (NormalizedMinAllocatable).
  std::vector<Resources> min_allocatable_;
  TaskTable& tasks_;
  ContainerRuntime& runtime_;
  plugins::AllocatorPolicy& policy_;
  ClusterSignals& signals_;
  Callbacks callbacks_;
  sim::Rng shuffle_rng_;
  sim::Rng reregistration_rng_;  // agents' registration backoff after a partition
  MasterCostModel cost_;

  CellState cell_;
  OfferBook offers_;
  ReservationLedger ledger_;
  QuotaLedger quota_;
  OfferDelivery delivery_;
  std::vector<FrameworkState> frameworks_;  // by subscription id
  // By subscription id: 1 once its `excluded` bits exist (it may exclude some agent).
  std::vector<uint8_t> has_exclusions_;
  std::vector<OwnerState> owners_;  // by framework id
  // True once any subscription has its own min_allocatable: the cell's list is then the union
  // and each pick checks the framework's own (Allocatable).
  bool per_framework_min_allocatable_ = false;
  std::vector<RoleState> roles_;
  // Role name -> id, so that registering F frameworks in F roles is O(F), not O(F^2).
  std::unordered_map<std::string, plugins::RoleId> role_ids_;
  std::vector<uint8_t> deactivations_;    // by agent id: Deactivation bits
  std::vector<AgentHealthState> health_;  // by agent id
  // Agents in kPartitioned: while 0, Accept skips the per-agent health read (its hot path).
  size_t partitioned_agents_ = 0;
  uint64_t fault_tickets_ = 0;
  // agent_removal_rate_limit, as libprocess's RateLimiter: the earliest next permit, the agents
  // waiting for one in the order they asked (with the ticket each holds: a stale entry is one
  // whose agent stopped waiting), and the event that grants the next.
  sim::Time next_removal_permit_;
  std::deque<std::pair<AgentId, uint64_t>> removal_waiters_;
  uint64_t removal_tickets_ = 0;
  sim::EventId removal_grant_;
  uint64_t tasks_recovered_ = 0;
  // Master failover (master_failover.cc).
  bool leader_ = true;
  uint64_t election_ = 0;  // failovers so far: tags the reregistrations an election scheduled
  std::vector<std::function<void()>> calls_awaiting_leader_;  // WaitForLeader
  bool recovery_paused_ = false;  // the new allocator waits for agents (quota)
  // When the latest leader's recoveredSlavesTimeout marks unreachable the agents that have not
  // reregistered (its election + agent_reregister_timeout).
  sim::Time recovered_agents_deadline_ = sim::Time::Max();
  size_t recovery_expected_ = 0;   // agents to wait for
  size_t recovery_back_ = 0;       // agents reregistered since the election
  sim::EventId recovery_timeout_;  // allocator_recovery_timeout
  uint64_t failovers_ = 0;
  sim::Rng failover_rng_;
  uint64_t reregistration_kills_ = 0;
  // Agents the allocator does not know (HideFromAllocator): by agent id, their count and summed
  // capacity; allocator_total_ is cluster_total()'s scratch while there are some.
  std::vector<bool> unknown_to_allocator_;
  size_t unknown_agents_ = 0;
  Resources unknown_capacity_;
  mutable Resources allocator_total_;
  std::map<std::string, double, std::less<>> role_weights_;  // by role path; absent: 1
  uint32_t fairness_excluded_kinds_ = 0;
  bool any_gpu_agent_ = false;  // sticky: an agent ever had GPUs, so GPU filtering may exclude

  bool cycle_requested_ = false;
  bool cycle_full_ = false;                     // the requested cycle visits all agents
  std::vector<AgentId> cycle_agents_;           // else these (a triggered agent may repeat)
  std::vector<AgentId> listed_;                 // the running cycle's cycle_agents_
  sim::Time next_periodic_ = sim::Time::Max();  // when the scheduled periodic cycle runs
  sim::Time cycle_due_ = sim::Time::Max();      // when the next cycle was first asked for
  bool started_ = false;
  uint64_t cycles_ = 0;
  // Scratch for a cycle, kept to avoid reallocating.
  std::vector<AgentId> candidates_;
  std::vector<FrameworkId> served_;  // frameworks offered the current agent this cycle
  bool plans_cycles_ = false;        // policy_.WantsCyclePlan()
  bool cycle_checks_ = false;        // set_cycle_checks
  plugins::CyclePlan plan_;
  std::vector<Refusals> planned_refusals_;  // by agent: what PlanCycle met on it
  std::vector<FrameworkId> allocation_unnotified_;
  std::vector<AgentId> reserved_agents_;  // agents with static reservations, for quota_
  // Stage 1's offers of the current cycle, as (agent, framework), in the order made.
  std::vector<std::pair<uint32_t, uint32_t>> guarantee_offers_;
  // Stage 1's roles with an unmet guarantee, collected once a cycle and pruned as they are met
  // (a guarantee met in stage 1 stays met for the cycle); sorted per agent on the sorting path.
  std::vector<plugins::RoleId> unmet_roles_;
  // Whether stage 1 sorts the unmet roles for every agent left in the cycle: set once a walk in
  // policy order passed far more met roles than there are unmet ones to sort.
  bool stage1_sorts_ = false;

  // --- Maintenance and draining (maintenance_ops.cc) --------------------------------------------
  struct DrainRecord {
    DrainState state = DrainState::kNone;
    std::optional<sim::Time> max_grace_period;  // the DrainConfig, sent again on reregistration
    bool mark_gone = false;
    bool gone = false;  // marked gone: refused for ever
  };
  // Mesos's generateInverseOffers (H:2544-2631), after the cycle's offers (H:1944-1949).
  void GenerateInverseOffers(CycleScope scope);
  // Its part for one agent, appended to `made`.
  void MakeInverseOffers(AgentId agent, sim::Time now,
                         std::vector<std::pair<FrameworkId, InverseOffer>>& made);
  // Whether the agent's machine lets it register (not DOWN, not marked gone).
  bool MayRegister(AgentId agent) const;
  // A failover's leader refuses the agent of a DOWN machine, which shuts down; once the machine
  // is UP and its host up, the agent reregisters without its tasks (ReregisterRefusedAgent).
  void RefuseReregistration(AgentId agent);
  void ReregisterRefusedAgent(AgentId agent);
  // An unreachable agent's try while its machine is DOWN: refused and shut down, its stranded
  // containers killed; it reregisters at the UP (ReregisterRefusedAgent).
  void RefuseUnreachableAgent(AgentId agent);
  // The agent admitted with no task (AgentUp), then sent the drain it kept; refused as above if
  // it is unreachable and its machine DOWN. One the master holds unreachable comes back as
  // itself: AGENT_REREGISTERED after the AGENT_UP.
  void AdmitWithNoTask(AgentId agent);
  // checkAndTransitionDrainingAgent (M:5502-5580): DRAINED when no task is left.
  void CheckDrained(AgentId agent);
  // The agent gets the DrainSlaveMessage and kills its tasks (Slave::drain). A crashed or
  // partitioned agent does not get it: it is sent again when the agent reregisters (ResendDrain).
  void DeliverDrain(AgentId agent);
  // On a (re)registration: a draining or drained agent is sent its drain again, whatever its
  // state (M:7144-7157 reregistration, M:7352-7365 reconnection), and checked for DRAINED.
  void ResendDrain(AgentId agent);
  DrainRecord& DrainFor(AgentId agent) {
    if (agent.index() >= drains_.size()) drains_.resize(agent.index() + 1);
    return drains_[agent.index()];
  }
  InverseOfferBook maintenance_;
  std::vector<DrainRecord> drains_;   // by agent id, grown on first drain
  size_t draining_agents_ = 0;        // in DrainState::kDraining
  std::vector<FrameworkId> holders_;  // scratch for GenerateInverseOffers
};

}  // namespace clustersim::models
