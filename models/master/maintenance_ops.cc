// The Master's maintenance primitives and DRAIN_AGENT: machines scheduled for maintenance
// (DRAINING), inverse offers, the operator's machine DOWN and UP, and draining an agent.
// docs/mesos-agent-lifecycle-facts.md §3 holds the Mesos source read for it.
#include <algorithm>
#include <set>

#include "models/master/master.h"
#include "sim/check.h"

namespace clustersim::models {

// --- Maintenance schedule -----------------------------------------------------------------------

void Master::ScheduleMaintenance(AgentId id, Unavailability window) {
  if (WaitForLeader([this, id, window] { ScheduleMaintenance(id, window); })) return;
  if (maintenance_.mode(id) == MachineMode::kDown) return;  // it must come UP first (MHTTP)
  maintenance_.SetMode(id, window.scheduled() ? MachineMode::kDraining : MachineMode::kUp);
  // Master::updateUnavailability (M:8046-8109): the agent's offers are rescinded (to be re-sent
  // with the unavailability), its inverse offers too, then the allocator's updateUnavailability
  // erases the inverse-offer filters and runs a cycle over the agent (H:1462-1492).
  if (cell_.active(id)) {
    while (offers_.first_on(id) != kNoOffer) Rescind(offers_.first_on(id));
  }
  maintenance_.RescindAll(id);
  maintenance_.SetUnavailability(id, window);
  if (window.scheduled()) signals_.machine_draining.Emit(id);
  NotifyAllocationChanges();
  if (cell_.active(id) && !agent_deactivated(id)) {
    cell_.ClearIdle(id);
    cell_.MarkDirty(id);
    TriggerAgentAllocation(id);
  }
}

void Master::MachineDown(AgentId id) {
  if (WaitForLeader([this, id] { MachineDown(id); })) return;
  if (maintenance_.mode(id) != MachineMode::kDraining) return;  // MHTTP:3333-3348
  maintenance_.SetMode(id, MachineMode::kDown);
  signals_.machine_down.Emit(id);
  // An agent the new leader has not added since a failover is in no machine's agent list (only
  // addSlave fills them, M:10640-10641): the DOWN removes nothing (MHTTP:3363-3387), not even a
  // drain (only _removeSlave forgets one, M:10932-10937; the master sends it again when the
  // agent reregisters, M:7139-7157). The agent's reregistration is refused
  // (RefuseReregistration) and the leader's agent_reregister_timeout ends its tasks, as for any
  // agent that never came back.
  if (cell_.active(id) && agent_deactivated(id, Deactivation::kRecovering)) return;
  // Nor is an unreachable agent (__removeSlave, M:11082-11085): it keeps its drain and
  // deactivations (M:10932-10937) and the containers stranded behind its partition. A try to
  // come back while the machine is DOWN is refused (RefuseUnreachableAgent); one after the UP
  // reregisters it with its tasks (M:7011-7086) and its drain (M:7137-7157).
  if (!cell_.active(id) && health_[id.index()].unreachable()) return;
  // Out of the cluster: the agent's drain and deactivations go with it (M:10932-10937), and a
  // fault in progress is moot.
  ForgetHealth(id);
  if (!cell_.active(id)) {  // DOWN applies to unregistered machines too (MD:398-410)
    ForgetDrainAndDeactivations(id);
    return;
  }
  // ShutdownMessage, then removeSlave (MHTTP:3372-3385) -> _removeSlave (M:10803-10953): every
  // task LOST with REASON_SLAVE_REMOVED, partition-aware framework or not (M:10837-10865), and
  // the offers rescinded (M:10879).
  while (offers_.first_on(id) != kNoOffer) Rescind(offers_.first_on(id));
  std::vector<TaskSlot> lost(cell_.tasks(id).begin(), cell_.tasks(id).end());
  for (TaskSlot t : lost) EndAtMaster(t, TaskState::kLost, TaskReason::kSlaveRemoved);
  runtime_.AgentDown(id);
  ForgetDrainAndDeactivations(id);
  Unregister(id);
  ReportEnded(lost);
}

void Master::MachineUp(AgentId id) {
  if (WaitForLeader([this, id] { MachineUp(id); })) return;
  if (maintenance_.mode(id) != MachineMode::kDown) return;  // MHTTP:3484-3560
  maintenance_.SetMode(id, MachineMode::kUp);
  maintenance_.SetUnavailability(id, Unavailability{});
  signals_.machine_up.Emit(id);
  // An agent the DOWN left alone and whose try was refused meanwhile, shut down: it comes back
  // now if its host is up (else when its fault ends, FaultOfAgentlessHost).
  const AgentHealthState& health = health_[id.index()];
  if (health.refused) {
    if (!health.host_down) ReregisterRefusedAgent(id);
    return;
  }
  // One not refused: the agent a failover's leader has not added, or an unreachable one, comes
  // back with its try (pending if its host is up: HealPartition,
  // RegisterAgentsThatWaitedForALeader) or when its fault ends.
  if (cell_.active(id) || health.state == AgentHealth::kUnreachable) return;
  // /machine/up only allows the agent to register (MHTTP:3484-3560): a host still crashed or cut
  // off registers when its fault ends (FaultOfAgentlessHost). Without a leader it waits for the
  // election (AgentUp). The DOWN removed it with its drain and deactivations (M:10932-10937).
  if (!health.host_down) AdmitWithNoTask(id);
}

// registerSlave and reregisterSlave refuse an agent whose machine is DOWN and tell it to shut
// down (M:6335-6350, 6714-6727): it kills its containers (Slave::shutdown, S:1029-1072), the
// ones stranded behind its partition included. The master keeps it unreachable, drain and
// deactivations with it (M:10932-10937), and a refused agent whose host is up, which
// reregisters at the machine's UP (ReregisterRefusedAgent) with no task, as itself.
void Master::RefuseUnreachableAgent(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  StopRegistrationTry(health);  // a reregistration under way
  DropStranded(id);
  health.crashed = true;  // nothing left there to recover
  health.refused = true;
  health.host_down = false;
}

// A host back with a new agent process, or a shut-down agent allowed back: admitted with no
// task, then sent the drain it kept, if any (M:7139-7157). AgentUp cannot send the drain
// itself: ReregisterAgent calls it before recovering the stranded tasks the drain must kill.
// An agent the master holds unreachable comes back as itself: a rebooted host's agent keeps its
// ID (since Mesos 1.4, S:7908-7947; a new one only if its SlaveInfo changed incompatibly,
// S:7948-7975), and so does one a ShutdownMessage stopped (Slave::shutdown, S:1029-1072, keeps
// its checkpoints). The master readmits it from its unreachable list (MarkSlaveReachable,
// M:6873-6888): a reregistration, with no task.
void Master::AdmitWithNoTask(AgentId id) {
  const bool unreachable = health_[id.index()].unreachable();
  // Without a leader the try waits for the election and is refused then: the same outcome.
  if (maintenance_.mode(id) == MachineMode::kDown &&
      health_[id.index()].state == AgentHealth::kUnreachable) {
    RefuseUnreachableAgent(id);
    return;
  }
  AgentUp(id);
  if (unreachable && cell_.active(id)) signals_.agent_reregistered.Emit(id);
  ResendDrain(id);
}

// The leader refuses the reregistration of an agent whose machine is DOWN and tells it to shut
// down (M:6714-6727): the agent kills every executor and exits (Slave::shutdown,
// S:1029-1072). Their ends reach no master (the agent is not registered): the leader still
// counts the tasks until its agent_reregister_timeout marks the agent unreachable
// (recoveredSlavesTimeout, M:1995-2083) and the frameworks learn by reconciling (M:9076-9100,
// reason reconciliation). Until then it is a crashed agent whose host is up.
void Master::RefuseReregistration(AgentId id) {
  AgentHealthState& health = health_[id.index()];
  health.refused = true;
  SetHealth(health, AgentHealth::kCrashed);
  for (TaskSlot t : cell_.tasks(id)) runtime_.Stop(t);
  runtime_.AgentDown(id);
  ArmPingDeadline(id);  // still recovering: the leader's agent_reregister_timeout
}

// A refused agent's machine is UP again with its host up: the agent process its supervisor
// restarted recovers its identity (a shutdown keeps the `latest` checkpoint; only an
// incompatible agent info makes a new agent, S:7948-7975) and reregisters as itself, with no
// task: shutting its frameworks down dropped them and their undelivered updates (S:7144-7150,
// 7355-7356).
// The new leader learns of the tasks only through the frameworks' reconciliation, which answers
// LOST (GONE for partition-aware frameworks, recorded as LOST), reason reconciliation, once the
// agent is registered (M:9057-9074). Called by the leader only (MachineUp, or a fault's end
// after it); with none, the agent reregisters after the next election. One the master marked
// unreachable meanwhile is readmitted from that list instead (AdmitWithNoTask).
void Master::ReregisterRefusedAgent(AgentId id) {
  if (!cell_.active(id)) {
    AdmitWithNoTask(id);
    return;
  }
  AgentHealthState& health = health_[id.index()];
  sim_.Cancel(health.deadline);
  health.deadline = {};
  StopWaitingForPermit(health);
  health.refused = false;
  SetHealth(health, AgentHealth::kHealthy);
  health.held_updates.clear();
  HoldLostUpdates(id, /*checkpointed=*/TaskReason::kReconciliation);  // none kept by the agent
  ReregisterAfterFailover(id);                                        // master_failover.cc
}

bool Master::MayRegister(AgentId id) const {
  if (maintenance_.mode(id) == MachineMode::kDown) return false;  // MD: "not allowed to register"
  return id.index() >= drains_.size() || !drains_[id.index()].gone;  // M:6695-6704
}

// --- Inverse offers -----------------------------------------------------------------------------

// One agent's part of generateInverseOffers (below): an inverse offer for each framework with
// resources offered or allocated there that is active, has none outstanding for the agent and
// does not filter it, in framework order. A deactivated agent is still a candidate there
// (H:2559-2560 walks every candidate; only offers skip deactivated agents, H:1980-1988): the
// allocator marks the inverse offer outstanding and the master drops it (M:9622-9630), so the
// mark stays — no inverse offer for that framework and agent after a reactivation — until the
// agent's unavailability changes or the agent is removed. An agent the new leader's allocator
// does not know yet (a failover's) is no candidate.
void Master::MakeInverseOffers(AgentId agent, sim::Time now,
                               std::vector<std::pair<FrameworkId, InverseOffer>>& made) {
  if (!cell_.active(agent) || agent_deactivated(agent, Deactivation::kRecovering)) return;
  const bool dropped_by_the_master = agent_deactivated(agent);
  holders_.clear();
  auto hold = [&](FrameworkId f) {
    if (std::find(holders_.begin(), holders_.end(), f) == holders_.end()) holders_.push_back(f);
  };
  for (TaskSlot t : cell_.tasks(agent)) hold(tasks_[t].framework);
  offers_.ForEachOnAgent(agent, [&](const Offer& o) { hold(o.framework); });
  std::sort(holders_.begin(), holders_.end());
  for (FrameworkId f : holders_) {
    const auto& subs = owners_[f.index()].subscriptions;
    const bool active = std::any_of(subs.begin(), subs.end(),
                                    [&](FrameworkId s) { return frameworks_[s.index()].active; });
    if (!active || maintenance_.outstanding(f, agent) || maintenance_.filtered(f, agent, now)) {
      continue;
    }
    maintenance_.MarkSent(f, agent, /*delivered=*/!dropped_by_the_master);
    if (!dropped_by_the_master) {
      made.emplace_back(f, InverseOffer{agent, maintenance_.unavailability(agent)});
    }
  }
}

// generateInverseOffers (H:2544-2631): for every allocation candidate with maintenance (an active,
// registered agent; in a cycle over listed agents, those), every framework with resources offered
// or allocated there gets one inverse offer, unless it is inactive (H:2584-2585), already has one
// outstanding for the agent (H:2593) or filters it (H:2601-2602). There is no time condition
// (nothing in H:2560-2620 reads the clock or the window's start): it starts as soon as the window
// is known, however far away. Frameworks are told once a
// cycle, with all their agents (H:2627-2628), in framework order.
void Master::GenerateInverseOffers(CycleScope scope) {
  const std::set<AgentId>& scheduled = maintenance_.scheduled();
  if (scheduled.empty()) return;
  const sim::Time now = sim_.Now();
  std::vector<std::pair<FrameworkId, InverseOffer>> made;
  if (scope == CycleScope::kListed) {
    // The listed agents under maintenance by increasing id, as the scheduled ones are walked (a
    // batch may list every agent: a million registering at once).
    std::vector<AgentId> agents;
    for (AgentId agent : listed_) {
      if (scheduled.contains(agent)) agents.push_back(agent);
    }
    std::sort(agents.begin(), agents.end());
    agents.erase(std::unique(agents.begin(), agents.end()), agents.end());
    for (AgentId agent : agents) MakeInverseOffers(agent, now, made);
  } else {
    for (AgentId agent : scheduled) MakeInverseOffers(agent, now, made);
  }
  std::stable_sort(made.begin(), made.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<InverseOffer> batch;
  for (size_t i = 0; i < made.size();) {
    const FrameworkId f = made[i].first;
    batch.clear();
    for (; i < made.size() && made[i].first == f; ++i) {
      batch.push_back(made[i].second);
      signals_.inverse_offer_sent.Emit(f, made[i].second.agent);
    }
    if (callbacks_.inverse_offers) callbacks_.inverse_offers(f, batch);
  }
}

// updateInverseOffer (H:1494-1591): a refuse below zero means the default, above 365 days is
// capped, zero installs no filter (H:1543-1590). Unlike a decline's filter (H:1740) an inverse
// offer's lasts exactly the refuse time, with no allocation-interval minimum.
void Master::AnswerInverseOffer(FrameworkId framework, AgentId agent, bool accept,
                                sim::Time refuse) {
  if (!maintenance_.outstanding(framework, agent)) return;
  if (refuse < sim::Time::Zero()) refuse = kDefaultInverseOfferRefuse;
  refuse = std::min(refuse, sim::Time::Seconds(365LL * 24 * 3600));
  const sim::Time until = refuse > sim::Time::Zero() ? sim_.Now() + refuse : sim::Time::Zero();
  maintenance_.Answer(framework, agent, accept, until);
  signals_.inverse_offer_answered.Emit(framework, agent, accept);
}

// --- Draining -----------------------------------------------------------------------------------

sim::Time Master::DefaultKillGrace(const Task& task) {
  return task.has_image ? sim::Time::Seconds(5) : sim::Time::Seconds(3);
}

void Master::KillTask(TaskSlot slot, sim::Time grace, TaskReason reason) {
  // Kept for the election as the attempt it was meant for: the slot may hold another by then.
  const HeldLaunch meant{slot, tasks_[slot].id, tasks_[slot].attempts};
  if (WaitForLeader([this, meant, grace, reason] {
        if (!tasks_.IsLive(meant.slot)) return;
        const Task& t = tasks_[meant.slot];
        if (t.id == meant.id && t.attempts == meant.attempts) KillTask(meant.slot, grace, reason);
      })) {
    return;
  }
  Task& task = tasks_[slot];
  if (!IsActive(task.state)) return;
  // Master::kill (M:5733-5762) sends the kill only to a connected agent; it remembers it
  // (killedTasks) and sends it again if the agent reregisters with the task alive (M:9948-9963).
  AgentHealthState& health = health_[task.agent.index()];
  // Crashed: the host took its containers, and a restart ends every task there (RestartAgent).
  if (health.state == AgentHealth::kCrashed) return;
  // Cut off: the master sees a connected agent and sends it; TCP holds it with the launches.
  // Not reregistered with this leader yet: the master does not know the task and reconciles
  // instead (M:5701-5718), which says nothing for an agent still recovering (M:9044-9057); the
  // framework's retry gets through once the agent is back (ReregisterAfterFailover sends it).
  if (health.state == AgentHealth::kPartitioned ||
      agent_deactivated(task.agent, Deactivation::kRecovering)) {
    health.held_kills.push_back({{slot, task.id, task.attempts}, grace, reason});
    return;
  }
  // The task exits at SIGTERM if it is quick to, else at SIGKILL when the grace period ends
  // (command executor, executor.cpp:956-977; Docker's `docker stop -t grace`).
  const sim::Time exit =
      std::min(grace, owners_[task.framework.index()].sigterm_exit.value_or(grace));
  if (task.state == TaskState::kStaging || exit <= sim::Time::Zero()) {
    EndTask(slot, TaskState::kKilled, reason);
    return;
  }
  const HeldLaunch attempt{slot, task.id, task.attempts};
  const AgentId agent = task.agent;
  sim_.ScheduleAfter(exit, [this, attempt, agent, reason] {
    if (HoldsAttempt(attempt, agent)) {
      EndTask(attempt.slot, TaskState::kKilled, reason);
    } else {
      KillStranded(attempt, agent);  // it ended at the master meanwhile, not on the agent
    }
  });
}

// The agent was marked unreachable during the kill's grace period: the executor kills the
// container behind the partition all the same (the agent had the kill), so it is not there to
// recover at the reregistration. Like any task that ended there, it is not reported again (the
// framework relaunches the LOST attempt either way; StrandContainers).
void Master::KillStranded(const HeldLaunch& attempt, AgentId agent) {
  std::vector<StrandedTask>& stranded = health_[agent.index()].stranded;
  const auto it = std::find_if(stranded.begin(), stranded.end(), [&](const StrandedTask& s) {
    return s.slot == attempt.slot && s.id == attempt.id && s.attempts == attempt.attempts;
  });
  if (it == stranded.end() || it->finished) return;
  if (it->has_image) runtime_.puller().Release(agent, it->image);
  stranded.erase(it);
}

void Master::DrainAgent(AgentId id, std::optional<sim::Time> max_grace_period, bool mark_gone) {
  if (WaitForLeader([=, this] { DrainAgent(id, max_grace_period, mark_gone); })) return;
  // Only a registered, recovering or unreachable agent: any other is "Unknown agent"
  // (MHTTP:3746-3751) — one removed, or not registered yet. A DOWN machine's agent is one of
  // the last two or was removed by the DOWN (MHTTP:3363-3387).
  if (!cell_.active(id) && !health_[id.index()].unreachable()) return;
  DrainRecord& drain = DrainFor(id);
  if (drain.state != DrainState::kNone || drain.gone) return;  // MD:55-56
  drain.state = DrainState::kDraining;
  drain.max_grace_period = max_grace_period;
  drain.mark_gone = mark_gone;
  ++draining_agents_;
  // _drainAgent (MHTTP:3732-3821): deactivate (offers and inverse offers rescinded), then the
  // agent kills every task (Slave::drain, S:1075-1200). With max_grace_period set, a task with no
  // KillPolicy — every task here — is killed with exactly that grace (calculateKillPolicy,
  // S:1141-1159, which the executors take over their defaults: DE:420-427, CE:821-828); only a
  // KillPolicy longer than it would be cut to it.
  DeactivateAgent(id, Deactivation::kDraining);
  maintenance_.RescindAll(id);
  signals_.agent_draining.Emit(id);
  // A crashed or cut-off agent does not get the message (MHTTP:3804-3815 sends it all the same):
  // its tasks stay until the pings find it out, or it reregisters and is sent it again.
  // Nor does one not yet reregistered with a new leader: the drain is in the registry and goes
  // out with the reregistration (MHTTP:3786-3815, M:7144-7157).
  if (health_[id.index()].state == AgentHealth::kHealthy &&
      !agent_deactivated(id, Deactivation::kRecovering)) {
    DeliverDrain(id);
  }
  CheckDrained(id);
}

void Master::DeliverDrain(AgentId id) {
  const std::optional<sim::Time> max_grace_period = DrainFor(id).max_grace_period;
  const std::vector<TaskSlot> on_agent(cell_.tasks(id).begin(), cell_.tasks(id).end());
  for (TaskSlot t : on_agent) {
    const sim::Time grace = max_grace_period ? *max_grace_period : DefaultKillGrace(tasks_[t]);
    KillTask(t, grace, TaskReason::kSlaveDraining);
  }
}

void Master::ResendDrain(AgentId id) {
  if (drain_state(id) == DrainState::kNone || !cell_.active(id)) return;
  DeliverDrain(id);
  CheckDrained(id);
}

// The master's view of the agent has no task left once the frameworks acknowledged the terminal
// updates (M:5502-5580); frameworks here acknowledge at once. With mark_gone the agent is then
// removed and refused for ever (M:5538-5553, markGone M:8722-8826).
// Only for a registered agent (MHTTP:3790, M:7157): one unreachable, or not reregistered after a
// failover, stays DRAINING until its reregistration (ResendDrain), its tasks unknown till then.
void Master::CheckDrained(AgentId id) {
  if (drain_state(id) != DrainState::kDraining || !cell_.tasks(id).empty()) return;
  if (!cell_.active(id) || agent_deactivated(id, Deactivation::kRecovering)) return;
  DrainRecord& drain = DrainFor(id);
  drain.state = DrainState::kDrained;
  --draining_agents_;
  signals_.agent_drained.Emit(id);
  if (!drain.mark_gone) return;
  drain.gone = true;
  ForgetHealth(id);
  runtime_.AgentDown(id);
  Unregister(id);
}

bool Master::ReactivateDrainedAgent(AgentId id) {
  if (drain_state(id) == DrainState::kDraining) return false;  // MHTTP:3953-4004
  if (drain_state(id) == DrainState::kDrained) DrainFor(id).state = DrainState::kNone;
  ReactivateAgent(id, Deactivation::kDraining);
  return true;
}

}  // namespace clustersim::models
