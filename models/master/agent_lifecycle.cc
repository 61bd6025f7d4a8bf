// The Master's agent lifecycle beyond registration and removal: deactivation (a registered agent
// closed to new offers) and agent health — crashes and partitions as the master notices them,
// through a broken connection or missed pings, and what a reregistration brings back.
// docs/mesos-agent-lifecycle-facts.md §1 holds the Mesos source read for it.
#include <algorithm>

#include "models/master/agent_pings.h"
#include "models/master/master.h"
#include "sim/check.h"

namespace clustersim::models {

// Mesos's Master::deactivate (master.cpp:3477-3503): the allocator stops offering the agent
// (deactivateSlave, hierarchical.cpp:1248-1257) and every outstanding offer on it is rescinded
// with no filter (rescindOffer, master.cpp:11814-11834). Tasks, allocations and the agent's
// share of the totals stay.
void Master::DeactivateAgent(AgentId id, Deactivation cause) {
  uint8_t& causes = deactivations_[id.index()];
  const bool was_open = causes == 0;
  causes |= static_cast<uint8_t>(cause);
  if (!was_open || !cell_.active(id)) return;
  while (offers_.first_on(id) != kNoOffer) Rescind(offers_.first_on(id));
  maintenance_.RescindAll(id);  // its inverse offers too (facts §3.4)
  cell_.SetSchedulable(id, false);
  NotifyAllocationChanges();
  signals_.agent_deactivated.Emit(id);
}

// The allocator's activateSlave (hierarchical.cpp:1236-1245, 1.11.0): the agent is a candidate
// again, offered at the next periodic cycle (activateSlave triggers none; neither does a
// reconnection's updateSlave when nothing about the agent changed, H:1123-1173). A reconnection
// reactivates it only when nothing else holds it (master.cpp:7333-7345). With
// allocation_interval 0 there is no periodic cycle, so the reactivation asks for one.
void Master::ReactivateAgent(AgentId id, Deactivation cause) {
  uint8_t& causes = deactivations_[id.index()];
  if ((causes & static_cast<uint8_t>(cause)) == 0) return;
  causes &= static_cast<uint8_t>(~static_cast<uint8_t>(cause));
  if (causes != 0 || !cell_.active(id)) return;
  cell_.SetSchedulable(id, true);
  signals_.agent_reactivated.Emit(id);
  if (spec_.allocation_interval == sim::Time::Zero()) TriggerAgentAllocation(id);
}

// The slot still holds that attempt, live and on `agent`: the master has not ended it since.
bool Master::HoldsAttempt(const HeldLaunch& attempt, AgentId agent) const {
  if (!tasks_.IsLive(attempt.slot)) return false;
  const Task& task = tasks_[attempt.slot];
  return task.id == attempt.id && task.attempts == attempt.attempts && task.agent == agent &&
         IsActive(task.state);
}

void Master::SetHealth(AgentHealthState& health, AgentHealth state) {
  if (health.state == AgentHealth::kPartitioned) --partitioned_agents_;
  if (state == AgentHealth::kPartitioned) ++partitioned_agents_;
  health.state = state;
}

// --- Faults ---------------------------------------------------------------------------------

uint64_t Master::CrashAgent(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  if (const std::optional<bool> agentless = FaultOfAgentlessHost(id, /*host_down=*/true)) {
    return *agentless ? NewFaultTicket(health) : 0;
  }
  if (health.state == AgentHealth::kPartitioned ||
      (health.state == AgentHealth::kUnreachable && !health.crashed)) {
    CrashBehindPartition(id);
    return NewFaultTicket(health);
  }
  if (!cell_.active(id) || health.state != AgentHealth::kHealthy) return 0;
  health.host_down = true;
  SetHealth(health, AgentHealth::kCrashed);
  signals_.agent_down.Emit(id);
  // The containers die with the host; the master still counts their tasks (below).
  for (TaskSlot t : cell_.tasks(id)) runtime_.Stop(t);
  runtime_.AgentDown(id);
  // The socket closes with the process: Master::exited (master.cpp:1287-1359) disconnects and
  // deactivates the agent at once, and removes the tasks of frameworks that do not checkpoint.
  // With no leader, or before the agent reregistered with the new one, no master holds its
  // connection (the registry keeps no address, registry.proto): only the timeout finds it.
  if (leader_ && !agent_deactivated(id, Deactivation::kRecovering)) {
    DeactivateAgent(id, Deactivation::kDisconnected);
    const std::vector<TaskSlot> lost =
        EndAgentTasks(id, TaskReason::kSlaveDisconnected, AgentTasks::kUncheckpointed);
    NotifyAllocationChanges();
    ReportEnded(lost);
  }
  ArmPingDeadline(id);
  return NewFaultTicket(health);
}

uint64_t Master::NewFaultTicket(AgentHealthState& health) {
  health.fault_ticket = ++fault_tickets_;
  return health.fault_ticket;
}

// The host dies behind a partition (or after it was found unreachable, before it reregistered):
// the master sees nothing new — no socket closes through the cut, the pings were already
// unanswered — but the containers die, and what the agent still held for the master (launches,
// kills, status updates in TCP's buffers, running containers to report) dies with it. From
// here on it is a crashed agent: the partition's heal changes nothing, and the host's repair
// brings it back as after any crash (RestartAgent). Faults do not stack further: the crash
// supersedes the partition even if the repair comes before the partition would have healed.
void Master::CrashBehindPartition(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  health.host_down = true;
  DropStranded(id);
  health.undelivered.clear();
  health.held_kills.clear();
  health.held_updates.clear();
  if (health.state == AgentHealth::kUnreachable) {
    StopRegistrationTry(health);  // a reregistration under way
    health.crashed = true;
  } else {
    health.late_for_leader = false;            // one waiting for a removal permit
    SetHealth(health, AgentHealth::kCrashed);  // its ping deadline (or permit wait) stands
    for (TaskSlot t : cell_.tasks(id)) runtime_.Stop(t);
  }
  runtime_.AgentDown(id);
  signals_.agent_down.Emit(id);  // a fault of its own, though the master sees nothing of it
}

uint64_t Master::PartitionAgent(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  if (const std::optional<bool> agentless = FaultOfAgentlessHost(id, /*host_down=*/true)) {
    return *agentless ? NewFaultTicket(health) : 0;
  }
  if (health.state == AgentHealth::kUnreachable && !health.crashed && !health.host_down) {
    // Reachable again and on its way back (its registration backoff, an election, or late for
    // the new leader): cut off anew before it got through. The next heal sends it back.
    StopRegistrationTry(health);
    health.host_down = true;
    signals_.agent_down.Emit(id);
    return NewFaultTicket(health);
  }
  if (!cell_.active(id) || health.state != AgentHealth::kHealthy) return 0;
  health.host_down = true;
  SetHealth(health, AgentHealth::kPartitioned);
  signals_.agent_down.Emit(id);
  ArmPingDeadline(id);
  return NewFaultTicket(health);
}

void Master::RestartAgent(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  if (FaultOfAgentlessHost(id, /*host_down=*/false)) return;
  if (health.state != AgentHealth::kCrashed) return;
  // Back before the pings gave it away: the agent reregisters as itself (a disconnected agent
  // keeps its observer, master.cpp:7334-7339, so the ping phase stays), and the tasks the master
  // still counted there are gone with the old host.
  sim_.Cancel(health.deadline);
  health.deadline = {};
  StopWaitingForPermit(health);
  health.host_down = false;
  SetHealth(health, AgentHealth::kHealthy);
  health.undelivered.clear();  // launches held behind a cut it crashed behind: ended below
  std::vector<TaskSlot> lost;
  const bool recovering = agent_deactivated(id, Deactivation::kRecovering);
  if (recovering) {
    // Not reregistered with a leader since a failover: its tasks are gone with the host all the
    // same, but the master hears of it at the reregistration (ReregisterAfterFailover). A
    // framework that does not checkpoint has nothing the agent could recover and report: the
    // new leader never hears of those tasks, and its reconciliation answers (M:9057-9074).
    HoldLostUpdates(id, TaskReason::kAgentFailed);
  } else {
    lost = EndAgentTasks(id, TaskReason::kAgentFailed, AgentTasks::kAll);
  }
  NotifyAllocationChanges();
  // A recovering agent reregisters with the new leader (below, or after the election) instead.
  if (!recovering) signals_.agent_reregistered.Emit(id);
  ReactivateAgent(id, Deactivation::kDisconnected);
  ReportEnded(lost);
  ResendDrain(id);
  // After a master failover it reregisters with the new leader (before it, the election does it).
  if (leader_ && agent_deactivated(id, Deactivation::kRecovering)) ReregisterAfterFailover(id);
}

void Master::HealPartition(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  if (FaultOfAgentlessHost(id, /*host_down=*/false)) return;
  if (health.state == AgentHealth::kPartitioned) {
    // A pong before the N-th miss discards the transition, also one waiting for a removal permit
    // (master.cpp:216-227, 274-298). Launches sent meanwhile were held by TCP and now arrive.
    sim_.Cancel(health.deadline);
    health.deadline = {};
    StopWaitingForPermit(health);
    health.host_down = false;
    SetHealth(health, AgentHealth::kHealthy);
    // The agent's status updates first: what ended there behind the partition ends now (after a
    // failover, once it has reregistered: ReregisterAfterFailover). Then the kills: a launch
    // arriving with its kill behind it never starts (the agent drops a task whose executor has
    // not registered, Slave::killTask S:4016-4019), so the kill ends it STAGING, now.
    if (!agent_deactivated(id, Deactivation::kRecovering)) DeliverHeldUpdates(id);
    DeliverHeldKills(id);
    std::vector<HeldLaunch> held;
    held.swap(health.undelivered);
    for (const HeldLaunch& h : held) {
      if (HoldsAttempt(h, id) && tasks_[h.slot].state == TaskState::kStaging) {
        runtime_.Launch(h.slot, id, cell_.info(id).isolation);
      }
    }
    ResendDrain(id);
    if (leader_ && agent_deactivated(id, Deactivation::kRecovering)) ReregisterAfterFailover(id);
    return;
  }
  if (health.state != AgentHealth::kUnreachable || health.crashed) return;
  if (health.deadline.valid()) return;  // already reregistering
  health.host_down = false;             // reachable again: a DOWN meanwhile lets it in at UP
  // The agent stopped hearing pings before the master gave it up (its own 75 s timeout from the
  // last ping, S:6691-6702, against the master's 5th miss) and has been retrying registration
  // since: U(0, 1 s) after re-detecting (S:1509-1533), then U(0, 2^k s) up to 1 min
  // (S:2126-2140). Those tries wait in TCP's buffers as launches do, so one arrives at the heal;
  // the U(0, 1 s) here stands for the transfer. (TCP's retransmission backoff, up to 2 min
  // after a long partition, is not modelled, here or for held launches and kills.)
  const sim::Time backoff = sim::Time::FromSeconds(reregistration_rng_.Uniform(0.0, 1.0));
  health.deadline = sim_.ScheduleAfter(backoff, [this, id] { ReregisterAgent(id); });
}

void Master::StopRegistrationTry(AgentHealthState& health) {
  sim_.Cancel(health.deadline);
  health.deadline = {};
  health.awaiting_leader = AwaitingLeader::kNo;
  health.late_for_leader = false;
}

void Master::DropStranded(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  for (const StrandedTask& s : health.stranded) {
    if (s.has_image) runtime_.puller().Release(id, s.image);
  }
  health.stranded.clear();
}

void Master::EndFault(AgentId id, uint64_t ticket, bool crash) {
  if (ticket == 0 || health_[id.index()].fault_ticket != ticket) return;
  if (crash) {
    RestartAgent(id);
  } else {
    HealPartition(id);
  }
}

void Master::ForgetHealth(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  sim_.Cancel(health.deadline);
  DropStranded(id);
  const sim::Time admitted = health.admitted;
  const bool host_down = health.host_down;
  const uint64_t fault_ticket = health.fault_ticket;  // the fault in force outlives the DOWN
  SetHealth(health, AgentHealth::kHealthy);
  health = AgentHealthState{};
  health.admitted = admitted;
  health.host_down = host_down;
  health.fault_ticket = fault_ticket;
}

// A host whose agent the master cannot notice failing: shut down by the master (its machine's
// DOWN removed it, or its try to come back while DOWN was refused), dead with its crashed host
// after it was found unreachable, or not registered yet and waiting to (a leader's election, its
// backoff after it). Only the host's state matters for it.
bool Master::AgentlessHost(AgentId id) const {
  const AgentHealthState& health = health_[id.index()];
  if (health.refused || (health.state == AgentHealth::kUnreachable && health.crashed)) return true;
  if (cell_.active(id) || health.state != AgentHealth::kHealthy) return false;
  return maintenance_.mode(id) == MachineMode::kDown || health.host_down ||
         health.awaiting_leader != AwaitingLeader::kNo || health.deadline.valid();
}

// A fault that hit or ended on an agentless host: only the host's state changes. A try to
// register dies with the host (it comes again when the fault ends); a host back on an UP machine
// brings its agent back, with no task. Returns nothing if the host is not agentless, else
// whether its state changed (a second fault of a host already down changes nothing).
std::optional<bool> Master::FaultOfAgentlessHost(AgentId id, bool host_down) {
  if (!AgentlessHost(id)) return std::nullopt;
  AgentHealthState& health = health_[id.index()];
  const bool was_down = health.host_down;
  health.host_down = host_down;
  // A registered one's deadline is its leader's timeout, not a try.
  if (host_down && !cell_.active(id)) StopRegistrationTry(health);
  // A fault all the same, counted as any (agent_faults.faults), though no master sees it.
  if (host_down && !was_down) signals_.agent_down.Emit(id);
  if (!was_down || host_down) return was_down != host_down;
  if (!health.refused) {
    AdmitWithNoTask(id);  // refused if unreachable on a DOWN machine; on any DOWN one, at the UP
  } else if (maintenance_.mode(id) != MachineMode::kDown) {
    ReregisterRefusedAgent(id);
  }
  return true;
}

// --- Detection ------------------------------------------------------------------------------

void Master::ArmPingDeadline(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  // With no leader nobody pings: the next leader's agent_reregister_timeout finds the agent out
  // (ElectLeader). A second deadline would fire on an agent the first one already settled.
  if (!leader_) return;
  // Not reregistered with the new leader yet: no observer pings it, so only the leader's
  // recoveredSlavesTimeout finds it out (M:1995-2083).
  if (agent_deactivated(id, Deactivation::kRecovering)) {
    health.deadline = sim_.Schedule(std::max(sim_.Now(), recovered_agents_deadline_),
                                    [this, id] { MarkUnreachable(id); });
    return;
  }
  const AgentPings pings{spec_.agent_ping_timeout, spec_.max_agent_ping_timeouts};
  const sim::Time at = pings.UnreachableAt(health.admitted, sim_.Now());
  health.deadline = sim_.Schedule(at, [this, id] { MarkUnreachable(id); });
}

void Master::DeliverHeldKills(AgentId id) {
  std::vector<HeldKill> kills;
  kills.swap(health_[id.index()].held_kills);
  for (const HeldKill& k : kills) {
    if (HoldsAttempt(k.attempt, id)) KillTask(k.attempt.slot, k.grace, k.reason);
  }
}

void Master::DeliverHeldUpdates(AgentId id) {
  std::vector<HeldUpdate> updates;
  updates.swap(health_[id.index()].held_updates);
  for (const HeldUpdate& u : updates) {
    if (!HoldsAttempt(u.attempt, id)) continue;
    // The container is gone (it ended on the agent, or died with its host: HoldLostUpdates), so
    // nothing of it may outlive the update, as EndAtMaster ensures for the master's own ends: a
    // timer armed for it meanwhile would end the slot's next attempt. A no-op otherwise.
    runtime_.Stop(u.attempt.slot);
    tasks_[u.attempt.slot].reason = u.reason;
    TaskEndReported(u.attempt.slot, u.state);
  }
}

void Master::HoldLostUpdates(AgentId id, TaskReason checkpointed) {
  AgentHealthState& health = health_[id.index()];
  for (TaskSlot t : cell_.tasks(id)) {
    const bool kept = owners_[tasks_[t].framework.index()].checkpoint;
    health.held_updates.push_back({{t, tasks_[t].id, tasks_[t].attempts},
                                   TaskState::kLost,
                                   kept ? checkpointed : TaskReason::kReconciliation});
  }
}

// SlaveObserver::markUnreachable (master.cpp:255-271): with agent_removal_rate_limit the
// transition waits for a permit, in the order asked; an agent that pongs meanwhile discards its
// wait (master.cpp:216-227, 274-298) and uses no permit (limiter.hpp, _acquire).
void Master::MarkUnreachable(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  health.deadline = {};
  if (!spec_.agent_removal_interval) {
    RemoveUnreachable(id);
    return;
  }
  if (removal_waiters_.empty() && sim_.Now() >= next_removal_permit_) {
    next_removal_permit_ = sim_.Now() + *spec_.agent_removal_interval;
    RemoveUnreachable(id);
    return;
  }
  health.permit_ticket = ++removal_tickets_;
  removal_waiters_.emplace_back(id, health.permit_ticket);
  if (!removal_grant_.valid()) {
    removal_grant_ =
        sim_.Schedule(std::max(sim_.Now(), next_removal_permit_), [this] { GrantRemovalPermit(); });
  }
}

void Master::GrantRemovalPermit() {
  removal_grant_ = {};
  while (!removal_waiters_.empty()) {
    const auto [id, ticket] = removal_waiters_.front();
    removal_waiters_.pop_front();
    AgentHealthState& health = health_[id.index()];
    if (health.permit_ticket != ticket) continue;  // stopped waiting: no permit used
    health.permit_ticket = 0;
    next_removal_permit_ = sim_.Now() + *spec_.agent_removal_interval;
    RemoveUnreachable(id);
    break;
  }
  if (!removal_waiters_.empty()) {
    removal_grant_ =
        sim_.Schedule(std::max(sim_.Now(), next_removal_permit_), [this] { GrantRemovalPermit(); });
  }
}

// __removeSlave (master.cpp:10956-11100): the allocator forgets the agent first (its filters
// too, H:1106), then every task there ends UNREACHABLE for partition-aware frameworks and LOST
// for the others, reason slave_removed (M:10974-10987); offers are rescinded; pings stop.
void Master::RemoveUnreachable(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  SIM_CHECK(health.state == AgentHealth::kCrashed || health.state == AgentHealth::kPartitioned);
  health.crashed = health.state == AgentHealth::kCrashed;
  health.stranded.clear();
  if (!health.crashed) StrandContainers(id);
  // The master forgets the agent with what it still meant to send it (the Slave and its
  // killedTasks, M:10956-11100): a task back at a reregistration is not killed again.
  health.undelivered.clear();
  health.held_kills.clear();
  health.held_updates.clear();
  SetHealth(health, AgentHealth::kUnreachable);
  while (offers_.first_on(id) != kNoOffer) Rescind(offers_.first_on(id));
  // An agent the new leader never heard from after a failover: no update from the master
  // (M:8697-8706), the frameworks learn by reconciling (M:9076-9100).
  const TaskReason reason = agent_deactivated(id, Deactivation::kRecovering)
                                ? TaskReason::kReconciliation
                                : TaskReason::kSlaveRemoved;
  const std::vector<TaskSlot> ended = EndAgentTasks(id, reason, AgentTasks::kAll);
  Unregister(id);
  signals_.agent_unreachable.Emit(id);
  ReportEnded(ended);
  // A refused agent (RefuseReregistration) stays refused: it comes back at the machine's UP or
  // when its fault ends, whichever is later (ReregisterRefusedAgent). One its machine's DOWN
  // left recovering and never refused stays unreachable with its stranded containers, as any
  // other (MachineDown).
}

// The containers keep running behind the partition: remember them for a reregistration. Those
// that exited there are gone; of them the agent reports the finished ones when it reregisters
// (with its terminated tasks, S:2048-2050): the framework learns they finished after all. A
// failure there is not reported again here (the framework retries the LOST attempt either way).
void Master::StrandContainers(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  std::vector<TaskSlot> ended_there;
  for (const HeldUpdate& u : health.held_updates) {
    if (!HoldsAttempt(u.attempt, id)) continue;
    ended_there.push_back(u.attempt.slot);
    if (u.state == TaskState::kFinished) {
      const Task& task = tasks_[u.attempt.slot];
      health.stranded.push_back({u.attempt.slot, task.id, task.attempts, false, {}, true});
    }
  }
  for (TaskSlot t : cell_.tasks(id)) {
    const Task& task = tasks_[t];
    if (task.state != TaskState::kRunning) continue;
    if (std::find(ended_there.begin(), ended_there.end(), t) != ended_there.end()) continue;
    health.stranded.push_back({t, task.id, task.attempts, task.image_pinned, task.run_image});
    runtime_.Strand(t);
  }
}

std::vector<TaskSlot> Master::EndAgentTasks(AgentId id, TaskReason reason, AgentTasks which) {
  std::vector<TaskSlot> ended;
  // Copy: ending tasks changes the agent's list.
  const std::vector<TaskSlot> on_agent(cell_.tasks(id).begin(), cell_.tasks(id).end());
  for (TaskSlot t : on_agent) {
    Task& task = tasks_[t];
    const OwnerState& owner = owners_[task.framework.index()];
    if (which == AgentTasks::kUncheckpointed && owner.checkpoint) continue;
    const bool unreachable =
        (reason == TaskReason::kSlaveRemoved || reason == TaskReason::kReconciliation) &&
        owner.partition_aware;
    EndAtMaster(t, unreachable ? TaskState::kUnreachable : TaskState::kLost, reason);
    ended.push_back(t);
  }
  return ended;
}

void Master::EndAtMaster(TaskSlot slot, TaskState state, TaskReason reason) {
  runtime_.Stop(slot);
  DetachTask(slot);
  Task& task = tasks_[slot];
  task.state = state;
  task.reason = reason;
  task.ended = sim_.Now();
}

void Master::ReportEnded(std::span<const TaskSlot> ended) {
  for (TaskSlot t : ended) callbacks_.task_ended(tasks_[t].framework, t);
}

// --- Reregistration -------------------------------------------------------------------------

// _reregisterSlave / __reregisterSlave for an unreachable agent (master.cpp:6652-7207): it is
// admitted afresh (addSlave: a new ping phase, no filters) and every task it reports is added
// back with its current state, reason REASON_SLAVE_REREGISTERED, for partition-aware frameworks
// and the others alike (since Mesos 1.5, commit 9d0cadc82; M:7011-7086).
void Master::ReregisterAgent(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  health.deadline = {};
  if (!leader_) {  // it retries until a leader is elected (RegisterAgentsThatWaitedForALeader)
    health.awaiting_leader = AwaitingLeader::kReregister;
    return;
  }
  if (maintenance_.mode(id) == MachineMode::kDown) {
    RefuseUnreachableAgent(id);  // maintenance_ops.cc
    return;
  }
  std::vector<StrandedTask> stranded;
  stranded.swap(health.stranded);
  AgentUp(id);  // resets the rest of its health
  signals_.agent_reregistered.Emit(id);
  for (const StrandedTask& s : stranded) RecoverStranded(id, s);
  CountRecoveredAllocations(id);  // the allocator's addSlave with the tasks it recovered
  ResendDrain(id);
}

// The task comes back RUNNING only while its framework has not relaunched it: a framework that
// already did (or gave up) kills the old container when reconciliation reports it, which here
// happens at once (the container never holds resources in the model).
void Master::RecoverStranded(AgentId id, const StrandedTask& s) {
  const bool same_attempt = tasks_.IsLive(s.slot) && tasks_[s.slot].id == s.id &&
                            tasks_[s.slot].attempts == s.attempts &&
                            tasks_[s.slot].state == TaskState::kPending;
  // A removed framework's tasks are not added back, and the agent shuts it down (M:7016-7021).
  const OwnerState* owner = same_attempt ? &owners_[tasks_[s.slot].framework.index()] : nullptr;
  const bool killed_by_master =
      owner != nullptr && (owner->removed_at || (spec_.reregistration_kills_non_partition_aware &&
                                                 !owner->partition_aware));
  if (!same_attempt || killed_by_master || !callbacks_.reclaim(tasks_[s.slot].framework, s.slot)) {
    if (s.has_image) runtime_.puller().Release(id, s.image);
    if (!s.finished) ++reregistration_kills_;  // a finished one's late update changes nothing
    return;
  }
  Task& task = tasks_[s.slot];
  cell_.AttachTask(s.slot, id);
  task.state = TaskState::kRunning;
  task.reason = TaskReason::kNone;
  task.ended = sim::Time::Max();
  ChargeTask(task, true);
  NotifyAllocationChanges();
  ++tasks_recovered_;
  signals_.task_recovered.Emit(task);
  if (s.finished) {
    TaskEndReported(s.slot, TaskState::kFinished);  // its update, re-sent (M:7051-7066)
    return;
  }
  runtime_.Recover(s.slot);
}

}  // namespace clustersim::models
