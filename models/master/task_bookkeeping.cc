// A task's life as the master records it: attached to its agent and charged to its framework and
// role at launch (through an offer, a placement or a recorded replay), detached and its resources
// returned when its end is reported.
#include "models/master/master.h"
#include "sim/check.h"

namespace clustersim::models {

void Master::AttachTask(TaskSlot slot, AgentId agent) {
  Task& task = tasks_[slot];
  SIM_CHECK(task.state == TaskState::kPending);
  cell_.AttachTask(slot, agent);
  task.state = TaskState::kStaging;
  task.launched = sim_.Now();
  if (task.first_launch.IsMax()) task.first_launch = task.launched;
  ++task.attempts;
  ChargeTask(task, true);
}

void Master::DetachTask(TaskSlot slot) {
  ChargeTask(tasks_[slot], false);
  cell_.DetachTask(slot);
}

void Master::ChargeTask(const Task& task, bool add) {
  if (agent_unknown_to_allocator(task.agent)) {
    ChargeUnknown(task, add);
  } else {
    ChargeFramework(task.subscription, task.allocated, add);
  }
}

void Master::ChargeUnknown(const Task& task, bool add) {
  FrameworkState& fw = frameworks_[task.subscription.index()];
  RoleState& role = roles_[fw.info.role.index()];
  if (add) {
    fw.on_unknown_agents += task.allocated;
    role.on_unknown_agents += task.allocated;
  } else {
    fw.on_unknown_agents -= task.allocated;
    role.on_unknown_agents -= task.allocated;
  }
  SIM_CHECK_MSG(!fw.on_unknown_agents.AnyNegative(), "framework allocation went negative");
}

void Master::OnTaskEnded(TaskSlot slot, TaskState state) {
  Task& task = tasks_[slot];
  SIM_CHECK_MSG(IsActive(task.state), "a task ended twice");
  AgentHealthState& health = health_[task.agent.index()];
  if (health.state == AgentHealth::kPartitioned) {
    health.held_updates.push_back({{slot, task.id, task.attempts}, state, task.reason});
    task.reason = TaskReason::kNone;  // the master's task is still active
    return;
  }
  if (health.state == AgentHealth::kCrashed) {
    task.reason = TaskReason::kNone;
    return;
  }
  // Not reregistered with a new leader yet: the agent's status update manager is paused from the
  // leader's loss until its reregistration (slave.cpp:1440-1453, 1829-1833), so the update
  // waits with it (ReregisterAfterFailover delivers it).
  if (agent_deactivated(task.agent, Deactivation::kRecovering)) {
    health.held_updates.push_back({{slot, task.id, task.attempts}, state, task.reason});
    task.reason = TaskReason::kNone;
    return;
  }
  TaskEndReported(slot, state);
}

void Master::TaskEndReported(TaskSlot slot, TaskState state) {
  Task& task = tasks_[slot];
  DetachTask(slot);
  task.state = state;
  task.ended = sim_.Now();
  cost_.TaskEnded(sim_.Now());  // the terminal status update, then recoverResources
  if (spec_.allocation_interval == sim::Time::Zero()) TriggerAllocation();
  const AgentId agent = task.agent;
  callbacks_.task_ended(task.framework, slot);
  if (draining_agents_ > 0) CheckDrained(agent);  // maintenance_ops.cc
}

void Master::LaunchRecorded(TaskSlot slot, AgentId agent) {
  SIM_CHECK_MSG(cell_.active(agent), "recorded launch on an inactive agent");
  // A recorded task names no role: it counts to the framework's first.
  tasks_[slot].subscription = owners_[tasks_[slot].framework.index()].subscriptions.front();
  AttachTask(slot, agent);
  tasks_[slot].offer = plugins::OfferId(0);  // a recorded launch takes no offer
  signals_.task_launched.Emit(tasks_[slot]);
  runtime_.LaunchRecorded(slot, cell_.info(agent).isolation);
}

void Master::LaunchPlaced(TaskSlot slot, AgentId agent) {
  SIM_CHECK_MSG(cell_.schedulable(agent) && cell_.available(agent).Contains(tasks_[slot].allocated),
                "a placed task launched on an agent without room for it");
  tasks_[slot].subscription = owners_[tasks_[slot].framework.index()].subscriptions.front();
  AttachTask(slot, agent);
  tasks_[slot].offer = plugins::OfferId(0);  // placed on the cell, not through an offer
  signals_.task_launched.Emit(tasks_[slot]);
  if (SilentToTheMaster(agent)) {
    health_[agent.index()].undelivered.push_back(
        {slot, tasks_[slot].id, tasks_[slot].attempts});  // waits in TCP's buffers
  } else {
    runtime_.Launch(slot, agent, cell_.info(agent).isolation);
  }
}

void Master::EndTask(TaskSlot slot, TaskState state, TaskReason reason) {
  runtime_.Stop(slot);
  tasks_[slot].reason = reason;
  OnTaskEnded(slot, state);
}

}  // namespace clustersim::models
