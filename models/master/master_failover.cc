// Master failover as the new leading Mesos master goes through it
// (docs/mesos-agent-lifecycle-facts.md §4; master.cpp:1665-1831, 2159-2239; allocator recovery
// hierarchical.cpp:675-731, 1049-1057).
#include <algorithm>
#include <cmath>
#include <vector>

#include "models/master/master.h"
#include "sim/check.h"

namespace clustersim::models {
namespace {
// master/constants.hpp MIN_AGENT_REREGISTER_TIMEOUT (the flag's default and minimum).
constexpr sim::Time kAgentReregisterTimeout = sim::Time::Seconds(10 * 60);
// allocator flags: DEFAULT_ALLOCATOR_RECOVERY_TIMEOUT and _AGENT_RECOVERY_FACTOR.
constexpr sim::Time kAllocatorRecoveryTimeout = sim::Time::Seconds(10 * 60);
constexpr double kAllocatorAgentRecoveryFactor = 0.80;
}  // namespace

void Master::FailOver(sim::Time election, sim::Time reregistration_window) {
  if (!leader_) return;  // already without a leader: the election under way stands
  leader_ = false;
  ++failovers_;
  ++election_;  // reregistrations the last election scheduled are the old leader's
  sim_.Cancel(recovery_timeout_);
  recovery_paused_ = false;
  // The old leader's offers, filters and connections die with it; schedulers and agents notice
  // the lost connection and wait for the next leader.
  // A framework already disconnected stays so: only the connected ones resubscribe.
  // A disconnected framework's failover timer dies with the old leader: the new one arms none
  // (docs/mesos-agent-lifecycle-facts.md §4.3, MESOS-4659).
  for (size_t f = 0; f < owners_.size(); ++f) {
    const FrameworkId id(static_cast<uint32_t>(f));
    for (FrameworkId s : owners_[f].subscriptions)
      owners_[f].awaiting_leader |= frameworks_[s.index()].active;
    DeactivateFramework(id);
    sim_.Cancel(owners_[f].failover_timer);
    owners_[f].failover_timer = {};
  }
  for (uint32_t a = 0; a < cell_.agent_count(); ++a) {
    const AgentId id(a);
    AgentHealthState& health = health_[a];
    // The old leader's ping observers are gone; a faulty agent is found out by the new one.
    if (health.state == AgentHealth::kCrashed || health.state == AgentHealth::kPartitioned) {
      sim_.Cancel(health.deadline);
      health.deadline = {};
      StopWaitingForPermit(health);
    }
    ForgetLaunchesOfTheOldLeader(health);
    if (!cell_.active(id)) continue;
    DeactivateAgent(id, Deactivation::kRecovering);
    HideFromAllocator(id);
  }
  // The policy hears of the hidden agents once, not once per agent (O(agents x frameworks)).
  NotifyAllocationChanges();
  policy_.TotalChanged(*this);
  // The rate limiter is the old leader's too: the next one starts a fresh one (no wait).
  sim_.Cancel(removal_grant_);
  removal_grant_ = {};
  removal_waiters_.clear();
  next_removal_permit_ = sim::Time::Zero();
  sim_.ScheduleAfter(election,
                     [this, reregistration_window] { ElectLeader(reregistration_window); });
}

// Launches the old leader sent a cut-off agent, still in TCP's buffers, never run: the agent
// ignores a message from a master that is no longer its own (slave.cpp:2173-2178), and the new
// leader never heard of them. The framework's reconciliation, answered once the agent has
// reregistered (master.cpp:9057-9074), ends them LOST `reconciliation`: an update held until
// then, with the agent's own (ReregisterAfterFailover). Held kills stay: the framework, hearing
// nothing, retries them with the new leader, which holds them for the reregistration too.
void Master::ForgetLaunchesOfTheOldLeader(AgentHealthState& health) {
  for (const HeldLaunch& launch : health.undelivered)
    health.held_updates.push_back({launch, TaskState::kLost, TaskReason::kReconciliation});
  health.undelivered.clear();
}

void Master::ElectLeader(sim::Time reregistration_window) {
  leader_ = true;
  RestartAllocationCounts();
  recovered_agents_deadline_ = sim_.Now() + kAgentReregisterTimeout;
  // The registry's admitted agents are the ones to wait for (M:1776-1778); with no quota the
  // allocator does not wait at all (H:694-699).
  size_t admitted = 0;
  for (uint32_t a = 0; a < cell_.agent_count(); ++a) {
    admitted += agent_deactivated(AgentId(a), Deactivation::kRecovering) ? 1 : 0;
  }
  recovery_back_ = 0;
  recovery_expected_ = static_cast<size_t>(
      std::floor(static_cast<double>(admitted) * kAllocatorAgentRecoveryFactor));
  if (quota_.active() && recovery_expected_ > 0) {
    recovery_paused_ = true;
    recovery_timeout_ = sim_.ScheduleAfter(kAllocatorRecoveryTimeout, [this] {
      recovery_timeout_ = {};
      ResumeAllocation();
    });
  }
  // Frameworks resubscribe with the new leader; their suppression and roles come with them.
  for (size_t f = 0; f < owners_.size(); ++f) {
    if (!owners_[f].awaiting_leader) continue;
    owners_[f].awaiting_leader = false;
    ActivateFramework(FrameworkId(static_cast<uint32_t>(f)));
  }
  for (uint32_t a = 0; a < cell_.agent_count(); ++a) {
    const AgentId id(a);
    if (!agent_deactivated(id, Deactivation::kRecovering)) continue;
    AgentHealthState& health = health_[a];
    if (health.state == AgentHealth::kHealthy) {
      ScheduleReregistration(id, reregistration_window);
    } else {
      // A crashed or cut-off agent cannot reregister: recoveredSlavesTimeout marks it
      // unreachable (M:1995-2083). Mesos sends no task updates then (M:8697-8706): its tasks end
      // as the frameworks' reconciliation answers (RemoveUnreachable, reason reconciliation).
      sim_.Cancel(health.deadline);
      health.deadline =
          sim_.Schedule(recovered_agents_deadline_, [this, id] { MarkUnreachable(id); });
    }
  }
  RegisterAgentsThatWaitedForALeader(reregistration_window);
  std::vector<std::function<void()>> calls;
  calls.swap(calls_awaiting_leader_);
  for (const std::function<void()>& call : calls) call();
}

// Each agent detects the leader and reregisters after its backoff (slave.cpp:1509-1533). One
// not back by the leader's agent_reregister_timeout is marked unreachable then, as every agent
// still recovered (M:2030-2040): silent to the master, as a cut-off one, until it does come, as
// an unreachable agent does (M:6872-6890), whatever leader there is by then.
void Master::ScheduleReregistration(AgentId id, sim::Time reregistration_window) {
  const sim::Time delay =
      sim::Time::FromSeconds(failover_rng_.Uniform(0.0, 1.0) * reregistration_window.seconds());
  sim_.ScheduleAfter(delay, [this, id, election = election_] {
    AgentHealthState& health = health_[id.index()];
    if (health.late_for_leader) {
      health.late_for_leader = false;
      HealPartition(id);
    } else if (election == election_) {
      ReregisterAfterFailover(id);
    }
  });
  if (sim_.Now() + delay <= recovered_agents_deadline_) return;
  sim_.Schedule(recovered_agents_deadline_, [this, id, election = election_] {
    AgentHealthState& health = health_[id.index()];
    if (election != election_ || health.state != AgentHealth::kHealthy) return;  // a fault's own
    if (!agent_deactivated(id, Deactivation::kRecovering)) return;  // back (or gone) already
    health.late_for_leader = true;
    SetHealth(health, AgentHealth::kPartitioned);
    MarkUnreachable(id);
  });
}

bool Master::WaitForLeader(std::function<void()> call) {
  if (leader_) return false;
  calls_awaiting_leader_.push_back(std::move(call));
  return true;
}

// Agents whose fault ended during the election (an unreachable agent healed or repaired, a
// shut-down one whose host came back) found no leader to register with (the detector names none,
// slave.cpp:1466-1469, 1955-1958); they detect the new one with the others and register after
// their backoff (slave.cpp:1505-1533).
void Master::RegisterAgentsThatWaitedForALeader(sim::Time reregistration_window) {
  for (uint32_t a = 0; a < cell_.agent_count(); ++a) {
    AgentHealthState& health = health_[a];
    if (health.awaiting_leader == AwaitingLeader::kNo) continue;
    const AwaitingLeader what = health.awaiting_leader;
    health.awaiting_leader = AwaitingLeader::kNo;
    const AgentId id(a);
    const double delay = failover_rng_.Uniform(0.0, 1.0) * reregistration_window.seconds();
    health.deadline = sim_.ScheduleAfter(sim::Time::FromSeconds(delay), [this, id, what] {
      health_[id.index()].deadline = {};
      if (what == AwaitingLeader::kReregister) {
        ReregisterAgent(id);
      } else {
        AdmitWithNoTask(id);
      }
    });
  }
}

void Master::ReregisterAfterFailover(AgentId id) {
  if (!leader_ || !agent_deactivated(id, Deactivation::kRecovering)) return;
  if (health_[id.index()].state != AgentHealth::kHealthy) return;  // a fault came first
  if (maintenance_.mode(id) == MachineMode::kDown) {
    RefuseReregistration(id);  // maintenance_ops.cc
    return;
  }
  health_[id.index()].admitted = sim_.Now();  // addSlave: a new ping phase (M:10644)
  signals_.agent_reregistered.Emit(id);
  // The agent's status updates resume with its reregistration (slave.cpp:1829-1833): what ended
  // there meanwhile ends now, so the allocator adds the agent with the tasks still running.
  DeliverHeldUpdates(id);
  EndTasksOfRemovedFrameworks(id);  // framework_failover.cc
  ShowToAllocator(id);
  CountAgentAdded();
  ReactivateAgent(id, Deactivation::kRecovering);
  CountRecoveredAllocations(id);
  DeliverHeldKills(id);        // the frameworks' retried kills reach it now
  TriggerAgentAllocation(id);  // the new allocator's addSlave: a cycle over it (H:1064)
  ResendDrain(id);             // M:7144-7157
}

// The new leader's allocator starts empty (a deposed leader exits, master.cpp:2150; recover
// checks it has no agent, hierarchical.cpp:680) and learns each agent, its total and what its
// tasks use, at addSlave when the agent reregisters (H:974-1039; the master passes the resources
// of its non-terminal tasks, M:10733-10739, 12605-12607). Until then the agent's capacity is out
// of the totals the policy divides shares by, and its tasks out of the frameworks' and roles'
// allocations (shares, quota consumption, headroom). The old leader's allocator is gone with it,
// so the agent is hidden at the failover itself (which then tells the policy, once for all
// agents).
void Master::HideFromAllocator(AgentId id) {
  if (unknown_to_allocator_[id.index()]) return;  // a second failover before it came back
  unknown_to_allocator_[id.index()] = true;
  ++unknown_agents_;
  unknown_capacity_ += cell_.info(id).capacity;
  MoveTasksOfUnknownAgent(id, /*hide=*/true);
}

void Master::ShowToAllocator(AgentId id) {
  if (!agent_unknown_to_allocator(id)) return;
  MoveTasksOfUnknownAgent(id, /*hide=*/false);
  unknown_to_allocator_[id.index()] = false;
  --unknown_agents_;
  unknown_capacity_ -= cell_.info(id).capacity;
  NotifyAllocationChanges();
  policy_.TotalChanged(*this);
}

void Master::MoveTasksOfUnknownAgent(AgentId id, bool hide) {
  for (TaskSlot t : cell_.tasks(id)) {
    const Task& task = tasks_[t];
    ChargeUnknown(task, /*add=*/hide);
    ChargeFramework(task.subscription, task.allocated, /*add=*/!hide);
  }
}

// The new leader's allocator keeps nothing of the old one's: its sorters' allocation counts, by
// which DRF breaks share ties, start from zero (sorter/drf/sorter.hpp:398-405, "not persisted
// across master failovers"). The counts of allocations notified so far go to the policy first.
void Master::RestartAllocationCounts() {
  NotifyAllocationChanges();
  for (FrameworkState& fw : frameworks_) fw.offer_count = 0;
  for (RoleState& role : roles_) role.offer_count = 0;
  policy_.AllocatorRestarted(*this);
}

// An agent added back with tasks (addSlave with the resources they use, or addFramework for a
// framework that resubscribes after the agent) has each of its frameworks' roles tracked once
// (trackAllocatedResources -> Sorter::allocated): one allocation counted for the framework and
// its role, as an offer is (sorter.hpp:316-333). Counted here when the agent is back, whether or
// not its frameworks have resubscribed yet: the counts agree once both are, and an inactive
// framework is offered nothing meanwhile.
void Master::CountRecoveredAllocations(AgentId agent) {
  std::vector<FrameworkId> counted;
  for (TaskSlot t : cell_.tasks(agent)) {
    const FrameworkId s = tasks_[t].subscription;
    if (std::find(counted.begin(), counted.end(), s) != counted.end()) continue;
    counted.push_back(s);
    FrameworkState& fw = frameworks_[s.index()];
    ++fw.offer_count;
    ++roles_[fw.info.role.index()].offer_count;
    QueueAllocationNotice(s);
  }
}

// The new allocator resumes once it knows ⌊0.8 × admitted⌋ agents: every addSlave counts, a
// recovered agent's or any other's, since it cannot tell them apart (H:1041-1057).
void Master::CountAgentAdded() {
  if (!leader_ || !recovery_paused_) return;
  if (++recovery_back_ >= recovery_expected_) ResumeAllocation();
}

// resume() only lifts the pause (H:1884-1891): the next periodic cycle visits every agent, and an
// agent just added gets its own cycle (H:1064). Without periodic cycles nothing else would.
void Master::ResumeAllocation() {
  if (!recovery_paused_) return;
  recovery_paused_ = false;
  sim_.Cancel(recovery_timeout_);
  recovery_timeout_ = {};
  EligibilityChanged();
  if (spec_.allocation_interval == sim::Time::Zero()) TriggerAllocation();
}

}  // namespace clustersim::models
