// A framework's scheduler losing its connection to the master, and the master's failover timeout
// for it (Mesos's Master::_exited, frameworkFailoverTimeout and removeFramework; the facts are in
// docs/mesos-agent-lifecycle-facts.md §4.3).
#include <vector>

#include "models/master/master.h"

namespace clustersim::models {

// Master::_exited (master.cpp:1416-1442): the framework is disconnected and deactivated — its
// offers rescinded (disconnect and deactivate, M:3402-3455), its filters dropped by the allocator
// (hierarchical.cpp:899-900) — and removed failover_timeout later unless it reregistered
// meanwhile (frameworkFailoverTimeout, M:9354-9369). With no leader there is no master to
// notice: the scheduler just does not resubscribe at the election.
bool Master::DisconnectScheduler(FrameworkId framework) {
  OwnerState& owner = owners_[framework.index()];
  if (owner.removed_at || owner.scheduler_down) return false;
  owner.scheduler_down = true;
  signals_.framework_disconnected.Emit(framework);
  if (!leader_) {
    owner.awaiting_leader = false;
    return true;
  }
  DeactivateFramework(framework);
  if (!owner.failover_timeout.IsMax()) {
    owner.failover_timer = sim_.ScheduleAfter(owner.failover_timeout,
                                              [this, framework] { RemoveFramework(framework); });
  }
  return true;
}

// The scheduler subscribes again with the framework's id: active again (a cycle follows), its
// tasks never touched. A removed framework's id is refused (M:2605-2612, "Framework has been
// removed") by the master that removed it (an in-memory list, M:9970-9975, that a later leader
// would not have; the driver aborts on the refusal all the same); registering as a new framework
// is not modelled.
void Master::ReconnectScheduler(FrameworkId framework) {
  OwnerState& owner = owners_[framework.index()];
  if (owner.removed_at || !owner.scheduler_down) return;
  owner.scheduler_down = false;
  signals_.framework_reconnected.Emit(framework);
  sim_.Cancel(owner.failover_timer);
  owner.failover_timer = {};
  if (!leader_) {
    owner.awaiting_leader = true;  // it subscribes with the leader-to-be
    return;
  }
  ActivateFramework(framework);
}

// removeFramework (M:10370-10475): every task of the framework the master knows — on agents
// registered with it, connected or not — is marked KILLED with REASON_FRAMEWORK_REMOVED at once
// and its resources recovered (M:10422-10436); the agents are told to shut the framework's
// executors down. Tasks on agents not reregistered since a failover are unknown to this master
// (M:10398-10403): they end when their agent reregisters (EndTasksOfRemovedFrameworks). The
// framework never gets an offer again; the allocation policy is told it is gone.
void Master::RemoveFramework(FrameworkId framework) {
  OwnerState& owner = owners_[framework.index()];
  owner.failover_timer = {};
  owner.removed_at = sim_.Now();
  signals_.framework_removed.Emit(framework);
  std::vector<TaskSlot> killed;
  for (uint32_t a = 0; a < cell_.agent_count(); ++a) {
    if (agent_deactivated(AgentId(a), Deactivation::kRecovering)) continue;
    for (TaskSlot t : cell_.tasks(AgentId(a))) {
      if (tasks_[t].framework == framework) killed.push_back(t);
    }
  }
  for (TaskSlot t : killed) EndAtMaster(t, TaskState::kKilled, TaskReason::kFrameworkRemoved);
  NotifyAllocationChanges();
  // Then the allocator forgets it (M:10548): its sorters drop the framework, and a role left with
  // no framework (hierarchical.cpp:830-836, 3002-3015); what it held is back already.
  for (FrameworkId s : subscriptions(framework)) policy_.FrameworkRemoved(*this, s);
  ReportEnded(killed);
  if (spec_.allocation_interval == sim::Time::Zero()) TriggerAllocation();
}

// An agent reregistering with tasks of a removed framework: the master does not add them back and
// the agent shuts the framework down (M:7016-7021). They end KILLED framework_removed now.
void Master::EndTasksOfRemovedFrameworks(AgentId agent) {
  std::vector<TaskSlot> killed;
  for (TaskSlot t : cell_.tasks(agent)) {
    if (owners_[tasks_[t].framework.index()].removed_at) killed.push_back(t);
  }
  if (killed.empty()) return;
  for (TaskSlot t : killed) EndAtMaster(t, TaskState::kKilled, TaskReason::kFrameworkRemoved);
  ReportEnded(killed);
}

}  // namespace clustersim::models
