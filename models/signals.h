#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "models/task.h"

namespace clustersim::models {

// A typed observer list. Models emit; metrics and writers connect. Models never know who listens.
template <typename... Args>
class Signal {
 public:
  void Connect(std::function<void(Args...)> slot) { slots_.push_back(std::move(slot)); }
  void Emit(Args... args) const {
    for (const auto& slot : slots_) slot(args...);
  }
  bool empty() const { return slots_.empty(); }

 private:
  std::vector<std::function<void(Args...)>> slots_;
};

struct Offer;

struct ClusterSignals {
  Signal<const Task&> task_submitted;
  Signal<const Task&> task_launched;  // -> STAGING
  Signal<const Task&> task_starting;  // image ready
  Signal<const Task&> task_running;
  // RUNNING again: its agent came back with the container after the task ended LOST or
  // UNREACHABLE there (its framework had not relaunched it yet).
  Signal<const Task&> task_recovered;
  // The attempt ended in task.state (UNSCHEDULABLE included); `final` is false when the framework
  // will retry it. After a final end the task is dropped from the table.
  Signal<const Task&, bool /*final*/> task_ended;
  Signal<const Offer&> offer_sent;
  Signal<const Offer&, int /*tasks launched*/> offer_accepted;
  Signal<const Offer&> offer_declined;
  Signal<const Offer&> offer_rescinded;
  // The agent joins the cell (registration, or reregistration after being unreachable): its
  // capacity counts from now.
  Signal<AgentId> agent_up;
  // The moment of a fault the master may not see yet (a crash, a partition) or of a removal.
  Signal<AgentId> agent_down;
  // The agent leaves the cell (removed, or marked unreachable): its capacity stops counting.
  Signal<AgentId> agent_removed;
  // Marked unreachable after missed pings (before agent_removed).
  Signal<AgentId> agent_unreachable;
  // Back after a crash or a partition, as itself (after agent_up when it was unreachable).
  Signal<AgentId> agent_reregistered;
  // Closed to new offers while registered (Master::DeactivateAgent), and open again.
  Signal<AgentId> agent_deactivated;
  Signal<AgentId> agent_reactivated;
  // An active agent's capacity changed (a trace's machine UPDATE); its info holds the new one.
  Signal<AgentId, plugins::Resources /*old capacity*/> agent_resized;
  Signal<sim::Time /*cycle time*/, int /*offers made*/> allocation_cycle;
  // A framework's scheduler starts a decision round that keeps it busy for `busy` (> 0) before its
  // answer goes out, having placed `placed` tasks in it; and, when the answer goes out, the
  // launches of a round that placed some were all lost (every offer they were on rescinded).
  Signal<FrameworkId, sim::Time /*busy*/, size_t /*placed*/> decision_started;
  Signal<FrameworkId, sim::Time /*busy*/> decision_lost;
  // Monolithic: the attempt announced by decision_started (with every task of its job as
  // `placed`) placed nothing once its decision time was over.
  Signal<FrameworkId, sim::Time /*busy*/> decision_fruitless;
  // Jobs (issue 16): a job with at least one schedulable task joined its framework's queue; its
  // first scheduling attempt (two-level: the first decision round after it came) began `wait`
  // after it was submitted; it was abandoned (monolithic, shared-state: too many attempts).
  Signal<FrameworkId> job_submitted;
  Signal<FrameworkId, sim::Time /*wait*/> job_first_attempt;
  Signal<FrameworkId, sim::Time /*submitted*/> job_abandoned;
  // The job `job` (Task::job), submitted at `submitted`, has every task launched (placed and
  // committed), having spent `queued` in its scheduler's queue over its attempts
  // (models/framework/two_level_job_waits.h).
  Signal<FrameworkId, uint64_t /*job*/, sim::Time /*submitted*/, sim::Time /*queued*/>
      job_fully_placed;
  // Shared-state: a transaction was committed: `committed` of its claims took effect and
  // `conflicted` did not (conflicting, or rolled back with one under all-or-nothing); the
  // transaction conflicted when `conflicted` > 0.
  Signal<FrameworkId, uint32_t /*committed*/, uint32_t /*conflicted*/> transaction;
  // Maintenance (models/master/maintenance_ops.cc): the machine scheduled (DRAINING), DOWN (before
  // agent_removed), UP (before agent_up); an inverse offer sent, and answered; DRAIN_AGENT begun
  // (after agent_deactivated) and the agent DRAINED.
  Signal<AgentId> machine_draining;
  Signal<AgentId> machine_down;
  Signal<AgentId> machine_up;
  Signal<FrameworkId, AgentId> inverse_offer_sent;
  Signal<FrameworkId, AgentId, bool /*accepted*/> inverse_offer_answered;
  Signal<AgentId> agent_draining;
  Signal<AgentId> agent_drained;
  // A framework's scheduler lost its connection to the master, subscribed again, or was removed
  // by its failover_timeout (models/master/framework_failover.cc).
  Signal<FrameworkId> framework_disconnected;
  Signal<FrameworkId> framework_reconnected;
  Signal<FrameworkId> framework_removed;
};

}  // namespace clustersim::models
