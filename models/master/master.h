#pragma once

#include <deque>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "models/agent/container_runtime.h"
#include "models/master/cost_model.h"
#include "models/master/expiry_queue.h"
#include "models/master/filters.h"
#include "models/master/offer.h"
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
// `allocation_interval` and right after framework registration, agent (re)registration and revive;
// in a cycle agents are visited in a seeded shuffled order and each agent's available resources go,
// as one offer, to the first framework in allocator-policy order that is neither suppressed nor
// filtered for them. Offered resources count as the framework's until it answers. The part that
// varies — the order of frameworks — is the AllocatorPolicy; everything else is here.
//
// Static reservations (AgentInfo::reservations, by role name) are offered only to frameworks of
// their role, together with the agent's unreserved resources; a role's tasks and offers on the
// agent count against its reservation first. A policy may shrink an offer (LimitOffer: quota
// limits, headroom); whatever an offer leaves goes to the next framework in order, each framework
// being offered an agent at most once per cycle.
//
// With allocation_interval = 0 there are no periodic cycles: one cycle runs at the end of every
// instant in which capacity was freed or demand appeared (a decline alone never triggers one).
//
// Frameworks are reached only through Callbacks (never a back-pointer); they answer through the
// scheduler-driver calls Accept / Decline / Suppress / Revive.
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
  };

  Master(sim::Simulator& sim, const MasterSpec& spec, TaskTable& tasks, ContainerRuntime& runtime,
         plugins::AllocatorPolicy& policy, ClusterSignals& signals, Callbacks callbacks);

  // Registration. Both trigger an allocation cycle.
  AgentId AddAgent(plugins::AgentInfo info);
  FrameworkId AddFramework(std::string name, std::string role, double role_weight);
  // Starts the periodic allocation cycles.
  void Start();
  // Runs one allocation cycle now, outside the event loop, and returns the offers it made (they
  // reach Callbacks::offers before it returns). For benchmarks and tests that drive cycles by
  // hand; a simulation gets its cycles from Start() and the triggers above. Does not cancel a
  // cycle already requested for the end of the current instant.
  int AllocateNow() { return Allocate(); }

  // Agent failure and repair. Down: its offers are rescinded and its tasks LOST.
  void AgentDown(AgentId agent);
  void AgentUp(AgentId agent);
  // Changes an agent's capacity (a trace's machine UPDATE). An active agent's offers are
  // rescinded and an allocation cycle follows; its tasks keep running, and whatever they hold
  // beyond the new capacity becomes overcommit (see LaunchRecorded).
  void UpdateAgentCapacity(AgentId agent, const Resources& capacity);

  // Launches a PENDING task (resources charged in task.allocated) on an active agent now, without
  // an offer: a recorded trace replay puts tasks where the production scheduler did. Capacity may
  // be exceeded (Borg overcommits): what the agent lacks is recorded as its overcommit instead of
  // tripping the over-allocation check, and resources freed later pay the overcommit back before
  // they become available. The task goes straight to RUNNING, open-ended (no pull, no start
  // latency); the replay ends it with EndTask.
  void LaunchRecorded(TaskSlot task, AgentId agent);
  // Ends an active task now in `state` (a recorded end), as if its container had exited.
  void EndTask(TaskSlot task, TaskState state);
  // Agent-seconds, up to now, during which an agent's tasks held more than its capacity.
  double overcommit_machine_seconds() const;
  const Resources& agent_overcommitted(AgentId id) const {
    return agents_[id.index()].overcommitted;
  }

  // --- Scheduler driver ---------------------------------------------------------------------
  bool IsOfferValid(OfferSlot slot, plugins::OfferId id) const;
  const Offer& offer(OfferSlot slot) const { return offers_[slot]; }
  // Launches `tasks` (PENDING, resources charged in task.allocated) on the offer's agent and
  // declines the rest of the offer with a filter of `refuse` (0: none).
  // Precondition: IsOfferValid; the tasks' allocations fit in the offer.
  void Accept(OfferSlot slot, std::span<const TaskSlot> tasks, sim::Time refuse);
  void Decline(OfferSlot slot, sim::Time refuse);
  // A cache hint: the scheduler will answer this offer soon. Answers come in the shuffled order
  // the offers were made in, each touching the offer's and its agent's records.
  void PrefetchAnswer(OfferSlot slot, AgentId agent) const {
    if (slot < offers_.size()) __builtin_prefetch(&offers_[slot], 1);
    __builtin_prefetch(&hot_[agent.index()], 1);
    __builtin_prefetch(&agents_[agent.index()], 1);
    __builtin_prefetch(reinterpret_cast<const char*>(&agents_[agent.index()]) + 64, 1);
  }
  void Suppress(FrameworkId framework);
  // Clears the framework's filters and triggers a cycle.
  void Revive(FrameworkId framework);
  // The (unsuppressed) framework has new pending work. With allocation_interval 0 this is
  // "demand appeared" and runs a cycle at the end of the instant; with periodic cycles it does
  // nothing (the next cycle serves it, as in Mesos).
  void DemandAppeared(FrameworkId framework);
  bool suppressed(FrameworkId framework) const { return frameworks_[framework.index()].suppressed; }

  // --- From the container runtime -------------------------------------------------------------
  void OnTaskEnded(TaskSlot task, TaskState state);

  // --- ClusterView ---------------------------------------------------------------------------
  sim::Time now() const override { return sim_.Now(); }
  size_t agent_count() const override { return agents_.size(); }
  const plugins::AgentInfo& agent(AgentId id) const override { return agents_[id.index()].info; }
  bool agent_active(AgentId id) const override { return hot_[id.index()].active; }
  const Resources& agent_available(AgentId id) const override { return hot_[id.index()].available; }
  double image_missing_mib(AgentId id, ImageId image) const override {
    return runtime_.puller().MissingMiB(id, image);
  }
  size_t role_count() const override { return roles_.size(); }
  const plugins::RoleInfo& role(plugins::RoleId id) const override {
    return roles_[id.index()].info;
  }
  const Resources& role_allocated(plugins::RoleId id) const override {
    return roles_[id.index()].allocated;
  }
  size_t framework_count() const override { return frameworks_.size(); }
  const plugins::FrameworkInfo& framework(FrameworkId id) const override {
    return frameworks_[id.index()].info;
  }
  bool framework_active(FrameworkId id) const override { return frameworks_[id.index()].active; }
  const Resources& framework_allocated(FrameworkId id) const override {
    return frameworks_[id.index()].allocated;
  }
  std::span<const plugins::PendingDemand> framework_demand(FrameworkId id) const override {
    if (!callbacks_.demand) return {};
    return callbacks_.demand(id);
  }
  const Resources& cluster_total() const override { return total_; }

  // --- Observation ---------------------------------------------------------------------------
  const Resources& agent_allocated(AgentId id) const { return agents_[id.index()].allocated; }
  const Resources& agent_offered(AgentId id) const { return agents_[id.index()].offered; }
  size_t outstanding_offers() const { return live_offers_; }
  uint64_t cycles() const { return cycles_; }
  // The master's simulated processing time (MasterSpec::cost; disabled by default).
  const MasterCostModel& cost_model() const { return cost_; }
  size_t agent_task_count(AgentId id) const { return agents_[id.index()].tasks.size(); }

  // Whole-cluster sweep: per agent allocated + offered + available == capacity and none negative;
  // framework and role sums match the agents and tasks. O(agents + tasks + offers). Aborts with a
  // message on the first violation.
  void CheckInvariants() const;
  // Every cycle, also checks that each offerable agent it leaves out is one a scan of the whole
  // cluster would skip as idle (O(agents) a cycle; on anyway in debug builds).
  void set_cycle_checks(bool on) { cycle_checks_ = on; }

 private:
  // What a cycle reads of every agent it meets, in shuffled order, packed apart from the rest:
  // ~90 bytes an agent, so a 12.5k-agent cluster's fits in L2 (the whole record, ~600 bytes, did
  // not, and a visit was a cache miss).
  struct AgentHot {
    bool active = false;
    bool dirty = false;     // in dirty_: the next cycle visits it
    bool reserved = false;  // has static reservations
    // Set when a cycle found no framework to take the agent for reasons that only the events
    // below can undo (every framework inactive, suppressed or filtered for it, none limited by
    // the policy's LimitOffer); later cycles skip its visit while idle_epoch ==
    // eligibility_epoch_, now < idle_until (the first of those filters to expire) and its
    // available resources are AgentState::idle_available. 0: not idle.
    uint64_t idle_epoch = 0;
    sim::Time idle_until;
    Resources available;
  };
  // Offers made and answered touch the first fields only.
  struct alignas(64) AgentState {
    OfferSlot first_offer = kNoOffer;  // outstanding offers, linked through Offer::*_on_agent
    bool overcommitted_any = false;    // !overcommitted.IsZero()
    Resources offered;
    Resources allocated;
    // The part of `allocated` beyond capacity (recorded launches, capacity cuts); the invariant is
    // available + offered + allocated - overcommitted == capacity.
    Resources overcommitted;
    Resources idle_available;
    std::vector<TaskSlot> tasks;
    plugins::AgentInfo info;
  };
  struct FrameworkState {
    plugins::FrameworkInfo info;
    Resources allocated;  // tasks + outstanding offers
    bool active = true;
    bool suppressed = false;
    bool allocation_unnotified = false;  // in allocation_unnotified_
    OfferFilters filters;
  };
  struct RoleState {
    plugins::RoleInfo info;
    Resources allocated;
  };

  bool Offerable(const Resources& available) const;
  // The next cycle visits the agent (its available resources or eligibility changed).
  void MarkDirty(AgentId agent) {
    AgentHot& hot = hot_[agent.index()];
    if (hot.dirty) return;
    hot.dirty = true;
    dirty_.push_back(agent);
  }
  // Fills candidates_ with the agents the cycle visits, in visiting order.
  void CollectCandidates(sim::Time now);
  void CheckSkippedAgentsAreIdle(sim::Time now) const;
  void TriggerAllocation();
  void ScheduleNextPeriodicCycle();
  // Runs a due cycle now, or once the master is free (cost model).
  void RunCycleWhenFree(bool periodic);
  void DeliverPending();
  int Allocate();  // returns the offers made
  OfferSlot MakeOffer(FrameworkId framework, AgentId agent, const Resources& resources);
  // Returns the offer's resources to its agent's pool and forgets the offer.
  void RemoveOffer(OfferSlot slot);
  void Rescind(OfferSlot slot);
  void ChargeFramework(FrameworkId framework, const Resources& delta, bool add);
  // Tells the policy about the frameworks whose allocation changed since it was last told.
  void NotifyAllocationChanges();
  void DetachTask(TaskSlot slot);
  // Take adds `r` to the agent's allocation, from its available pool as far as it goes and the
  // rest as overcommit. Return puts freed resources back in the pool, paying overcommit back
  // first. Without overcommit they are plain `available -= r` / `available += r`.
  void Take(AgentId agent, const Resources& r);
  void Return(AgentId agent, const Resources& r);
  void SetOvercommitted(AgentState& agent, const Resources& overcommitted);
  void CheckAgent(AgentId agent) const;
  // Static reservations: fills reserved_free_ with (role id, what of the reservation its role does
  // not use on this agent) per reservation of `agent`; the role id is UINT32_MAX while no framework
  // of that role has registered (the reservation then stays idle).
  void ComputeReservedFree(const AgentState& agent);

  sim::Simulator& sim_;
  MasterSpec spec_;
  TaskTable& tasks_;
  ContainerRuntime& runtime_;
  plugins::AllocatorPolicy& policy_;
  ClusterSignals& signals_;
  Callbacks callbacks_;
  sim::Rng shuffle_rng_;

  std::vector<AgentState> agents_;
  std::vector<AgentHot> hot_;  // by agent id, as agents_
  std::vector<FrameworkState> frameworks_;
  std::vector<RoleState> roles_;
  Resources total_;

  std::vector<Offer> offers_;
  std::vector<OfferSlot> free_offers_;
  size_t live_offers_ = 0;
  uint64_t next_offer_id_ = 1;

  // Agents with overcommit, integrated over time (agent-microseconds) for the report.
  int64_t overcommitted_agents_ = 0;
  int64_t overcommit_agent_us_ = 0;
  sim::Time overcommit_since_;

  // Bumped when a framework may take agents it refused before (registration, revive): every
  // agent's idle mark lapses.
  uint64_t eligibility_epoch_ = 1;
  // What the next cycle visits: the agents marked dirty since the last one (resources returned or
  // taken, agent up or resized, visited but not finished with) and those whose idle mark lapses
  // by then (idle_expiry_, earliest first); or every offerable agent after an eligibility change
  // or when the cost model charges for a full scan. Keeps a cycle O(changed agents) rather than
  // O(cluster); the agents it skips are exactly those the idle test would have skipped.
  std::vector<AgentId> dirty_;
  bool scan_all_ = true;
  bool cycle_checks_ = false;
  ExpiryQueue idle_expiry_;
  bool cycle_requested_ = false;
  sim::Time cycle_due_ = sim::Time::Max();  // when the next cycle was first asked for
  MasterCostModel cost_;
  // Cost model: offers made by cycles whose work has not ended, oldest first.
  struct PendingDelivery {
    sim::Time due;
    int64_t offers = 0;
    std::vector<std::pair<FrameworkId, std::vector<std::pair<OfferSlot, plugins::OfferId>>>>
        batches;
  };
  std::deque<PendingDelivery> pending_deliveries_;
  std::vector<uint8_t> undelivered_;  // by offer slot: made, not yet delivered
  bool started_ = false;
  uint64_t cycles_ = 0;
  // Scratch for a cycle, kept to avoid reallocating.
  std::vector<AgentId> candidates_;
  std::vector<FrameworkId> served_;  // frameworks offered the current agent this cycle
  std::vector<std::pair<uint32_t, Resources>> reserved_free_;
  std::vector<Resources> reserved_used_;
  std::vector<std::vector<OfferSlot>> new_offers_;
  std::vector<FrameworkId> frameworks_with_offers_;
  std::vector<FrameworkId> allocation_unnotified_;
};

}  // namespace clustersim::models
