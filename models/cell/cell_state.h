#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "models/cell/expiry_queue.h"
#include "models/task_table.h"
#include "scheduler_plugins/api/cluster_view.h"
#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/resources.h"
#include "sim/simulator.h"

namespace clustersim::models {

using plugins::AgentId;
using plugins::Resources;

// A min_allocatable list in the one form every check reads (ContainsOneOf): the list itself, or,
// when it means "anything but nothing", one unit (1/1000) of each kind, which a non-negative
// amount contains one of exactly when it is not nothing. As Mesos's isAllocatable
// (hierarchical.cpp:2812-2846): nothing is never worth offering; an empty list makes anything else
// worth it (H:2835-2840; the master's --min_allocatable_resources may be empty,
// master.cpp:758-794), and so does a zero quantity (Mesos drops a zero from a quantity,
// resource_quantities.cpp:62-69, and every amount contains the empty one); otherwise an amount must
// contain one of the quantities. Normalizing a normalized list leaves it as it is, and the union of
// normalized lists is met exactly when one of them is.
std::vector<Resources> NormalizedMinAllocatable(std::vector<Resources> any_of);

// Whether `amount` contains one of the quantities of a normalized min_allocatable list.
inline bool ContainsOneOf(std::span<const Resources> normalized, const Resources& amount) {
  for (const Resources& min : normalized) {
    if (amount.Contains(min)) return true;
  }
  return false;
}

// Whether `amount` is worth offering under a min_allocatable list as the scenario gives it (the
// definition, for tests; the master and the cell keep their lists normalized).
inline bool MeetsMinAllocatable(std::vector<Resources> any_of, const Resources& amount) {
  return ContainsOneOf(NormalizedMinAllocatable(std::move(any_of)), amount);
}

// The agents of a cell as every scheduler architecture sees them: the Mesos master's offers, a
// monolithic scheduler's placements and a shared-state (Omega) scheduler's commits all land here.
// Per agent: its capacity, what is available, held (set aside for a decision in flight — the
// master's outstanding offers) and allocated to tasks, the tasks it runs, and whether a scheduler
// needs to look at it again. It knows nothing of offers, filters, frameworks or roles.
//
// Invariant of an active agent: available + held + allocated - overcommitted == capacity, none
// negative. Allocations beyond capacity (a recorded launch, a capacity cut) are overcommit; freed
// resources pay it back before they become available again.
//
// Change tracking keeps a scheduler's cycle O(changed agents). An agent is dirty when its available
// resources grew or shrank through a task, when it came up or was resized, or when a scheduler
// asks to look again. A scheduler that found no taker for an agent marks it idle until the first
// refusal expires; the mark lapses when the agent's available resources differ from those it was
// marked with, at that time (the agent is then due a look), or for every agent at once when
// ForgetIdleMarks says that new takers may have appeared. IsIdle is the one idle test: the agents
// a cycle skips are exactly those it holds for.
class CellState {
 public:
  // `min_allocatable`: an agent is worth a scheduler's look while its available resources meet
  // this list (NormalizedMinAllocatable; Mesos's min_allocatable_resources).
  CellState(const sim::Simulator& sim, TaskTable& tasks, std::vector<Resources> min_allocatable);

  // --- Agents (ids dense, 0 .. agent_count-1) --------------------------------------------------
  // Registers an agent, inactive: Activate brings it up.
  AgentId AddAgent(plugins::AgentInfo info);
  size_t agent_count() const { return hot_.size(); }
  const plugins::AgentInfo& info(AgentId id) const { return cold_[id.index()].info; }
  bool active(AgentId id) const { return hot_[id.index()].active; }
  // Active and open to new work. An unschedulable agent (Mesos's deactivated agent: its
  // connection broke, or it drains) keeps its tasks and counts in total(), but no scheduler
  // looks at it.
  bool schedulable(AgentId id) const {
    const AgentHot& a = hot_[id.index()];
    return a.active && a.schedulable;
  }
  // Has static reservations (roles are the scheduler's business; the cell only carries them).
  bool reserved(AgentId id) const { return hot_[id.index()].reserved; }
  const Resources& available(AgentId id) const { return hot_[id.index()].available; }
  const Resources& held(AgentId id) const { return cold_[id.index()].held; }
  const Resources& allocated(AgentId id) const { return cold_[id.index()].allocated; }
  const Resources& overcommitted(AgentId id) const { return cold_[id.index()].overcommitted; }
  std::span<const TaskSlot> tasks(AgentId id) const { return cold_[id.index()].tasks; }
  // Sum of the capacities of active agents.
  const Resources& total() const { return total_; }
  // Replaces the list (the Mesos master's with its frameworks' own,
  // Master::UpdateCellMinAllocatable); kept normalized, so that the check every cycle makes of
  // every agent it looks at is one loop whatever the list means.
  void SetMinAllocatable(std::vector<Resources> min_allocatable);
  bool Allocatable(const Resources& r) const { return ContainsOneOf(min_allocatable_, r); }

  // Precondition: inactive, no tasks, nothing held. All its capacity becomes available.
  void Activate(AgentId id);
  // Precondition: active, its tasks detached and its holds released. Nothing is available.
  void Deactivate(AgentId id);
  // Closes the agent to new work or opens it again (then it is due a look). Precondition for
  // closing: nothing held. Activate opens an agent.
  void SetSchedulable(AgentId id, bool schedulable);
  // A new capacity. Precondition: nothing held, or the capacity grows in every kind (what is held
  // stays held). An active agent's tasks keep running; what they hold beyond the new capacity
  // becomes overcommit.
  void Resize(AgentId id, const Resources& capacity);
  // New attributes (Mesos's updateSlave with another SlaveInfo). The scheduler re-reads them.
  void SetAttributes(AgentId id, std::vector<std::pair<std::string, std::string>> attributes) {
    cold_[id.index()].info.attributes = std::move(attributes);
  }

  // --- Resources ------------------------------------------------------------------------------
  // Sets `r` of the agent's available resources aside. Precondition: available contains r.
  void Hold(AgentId id, const Resources& r) {
    Resources& available = hot_[id.index()].available;
    available -= r;
    SIM_CHECK_MSG(!available.AnyNegative(), "offered more than an agent has (over-allocation)");
    cold_[id.index()].held += r;
  }
  // Returns held resources to the pool (paying overcommit back first).
  void Release(AgentId id, const Resources& r);
  // Places a task (its resources in task.allocated) on the agent: they leave the available pool,
  // as overcommit as far as the pool lacks them; the task joins tasks(id). O(1).
  void AttachTask(TaskSlot slot, AgentId id);
  // The mirror of AttachTask: the task leaves its agent's list and its resources go back. O(1).
  void DetachTask(TaskSlot slot);
  // Agent-seconds, up to now, during which an agent's tasks held more than its capacity.
  double overcommit_machine_seconds() const;

  // --- Change tracking and idle marks -----------------------------------------------------------
  // The next CollectCandidates lists the agent.
  void MarkDirty(AgentId id) {
    AgentHot& hot = hot_[id.index()];
    if (hot.dirty) return;
    hot.dirty = true;
    dirty_.push_back(id);
  }
  // No scheduler will take the agent before `until` (Max: not before ForgetIdleMarks) unless its
  // available resources change or, on an agent with reservations, a task comes or goes (which
  // roles' tasks run there decides what its reservations leave free).
  void MarkIdle(AgentId id, sim::Time until);
  void ClearIdle(AgentId id) { hot_[id.index()].idle_epoch = 0; }
  // The idle test: marked since the last ForgetIdleMarks, before the mark's time, with the
  // available resources it was marked with.
  bool IsIdle(AgentId id, sim::Time now) const {
    const AgentHot& a = hot_[id.index()];
    return a.idle_epoch == idle_epoch_ && now < a.idle_until &&
           a.available == cold_[id.index()].idle_available;
  }
  // Takers may have appeared for any agent (a framework registered or revived): every idle mark
  // lapses and the next CollectCandidates lists every allocatable agent.
  void ForgetIdleMarks() {
    ++idle_epoch_;
    full_scan_ = true;
  }
  // Fills `out` with the active, allocatable agents a cycle at `now` must look at, in id order:
  // the dirty ones and those whose idle mark lapses by now — or all of them when `full_scan` or
  // after ForgetIdleMarks. Clears the dirty set. With cycle checks on, verifies that every agent
  // left out is idle (CheckSkippedAgentsAreIdle).
  void CollectCandidates(sim::Time now, bool full_scan, std::vector<AgentId>& out);
  // Fills `out` with the active, allocatable agents among `agents`, in id order, once each: a
  // cycle over the agents that (re)registered or changed (Mesos's generateOffers(slaveId),
  // hierarchical.cpp:1064, 1172). The dirty set is kept for the next CollectCandidates.
  // O(listed).
  void CollectListed(sim::Time now, std::span<const AgentId> agents, std::vector<AgentId>& out);
  // The claim that makes cycles O(changed): every active, allocatable agent not in `listed` passes
  // IsIdle. A whole-cell sweep, O(agents); aborts with a message on the first agent that fails.
  void CheckSkippedAgentsAreIdle(sim::Time now, std::span<const AgentId> listed) const;
  void set_cycle_checks(bool on) { cycle_checks_ = on; }

  // Cache hints. A cycle visits agents in shuffled order, each a cache miss. Always inlined: GCC
  // treats a function of loads and prefetches as pure and drops calls to it.
  [[gnu::always_inline]] void PrefetchForVisit(AgentId id) const {
    __builtin_prefetch(&hot_[id.index()]);
    __builtin_prefetch(reinterpret_cast<const char*>(&hot_[id.index()]) + 64);
    PrefetchCold(id);
  }
  [[gnu::always_inline]] void PrefetchForUpdate(AgentId id) const {
    __builtin_prefetch(&hot_[id.index()], 1);
    PrefetchCold(id);
  }

  // Aborts if one of the agent's resource amounts went negative. O(1).
  void CheckAgent(AgentId id) const;
  // Whole-cell sweep: the invariant above for every agent, allocated == sum of its tasks, tasks
  // listed active and on their agent, total == sum of active capacities. O(agents + tasks).
  void CheckInvariants() const;

 private:
  // What a cycle reads of every agent it meets, packed apart from the rest: ~90 bytes an agent, so
  // a 12.5k-agent cell's fits in L2 (the whole record, ~600 bytes, did not, and a visit was a
  // cache miss).
  struct AgentHot {
    bool active = false;
    bool schedulable = true;  // see schedulable()
    bool dirty = false;       // in dirty_
    bool reserved = false;    // has static reservations
    uint64_t idle_epoch = 0;  // 0: not idle
    sim::Time idle_until;
    Resources available;
  };
  // Holds, releases and task attach/detach touch the first fields only.
  struct alignas(64) AgentCold {
    bool overcommitted_any = false;  // !overcommitted.IsZero()
    Resources held;
    Resources allocated;
    // The part of `allocated` beyond capacity.
    Resources overcommitted;
    Resources idle_available;  // available when marked idle
    std::vector<TaskSlot> tasks;
    plugins::AgentInfo info;
  };

  // Take adds `r` to the agent's allocation, from its available pool as far as it goes and the
  // rest as overcommit. Return puts freed resources back in the pool, paying overcommit back
  // first. Without overcommit they are plain `available -= r` / `available += r`.
  void Take(AgentId id, const Resources& r);
  void Return(AgentId id, const Resources& r);
  void SetOvercommitted(AgentCold& agent, const Resources& overcommitted);
  // Whether a scheduler may look at the agent: up, open to new work, with enough available.
  bool Offerable(const AgentHot& a) const {
    return a.active && a.schedulable && Allocatable(a.available);
  }
  [[gnu::always_inline]] void PrefetchCold(AgentId id) const {
    __builtin_prefetch(&cold_[id.index()], 1);
    __builtin_prefetch(reinterpret_cast<const char*>(&cold_[id.index()]) + 64, 1);
  }

  const sim::Simulator& sim_;
  TaskTable& tasks_;
  std::vector<Resources> min_allocatable_;
  std::vector<AgentHot> hot_;
  std::vector<AgentCold> cold_;  // by agent id, as hot_
  Resources total_;

  std::vector<AgentId> dirty_;
  ExpiryQueue idle_expiry_;  // idle marks by the time they lapse
  uint64_t idle_epoch_ = 1;  // marks of older epochs have lapsed
  bool full_scan_ = true;
  bool cycle_checks_ = false;

  // Agents with overcommit, integrated over time (agent-microseconds) for the report.
  int64_t overcommitted_agents_ = 0;
  int64_t overcommit_agent_us_ = 0;
  sim::Time overcommit_since_;
};

}  // namespace clustersim::models
