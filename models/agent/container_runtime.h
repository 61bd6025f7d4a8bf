#pragma once

#include <functional>

#include "models/agent/image_puller.h"
#include "models/spec.h"
#include "models/task_table.h"
#include "sim/random.h"
#include "sim/simulator.h"

namespace clustersim::models {

// The agent side of a task's life: launch -> STAGING -> pull missing layers -> STARTING ->
// runtime start latency (per OS and isolation) -> RUNNING -> run for its duration -> FINISHED.
// A pull that outlasts `pull_timeout`, or a store that cannot make room, fails the task.
class ContainerRuntime {
 public:
  struct Callbacks {
    std::function<void(TaskSlot)> starting;
    std::function<void(TaskSlot)> running;
    // The attempt ended: FINISHED or FAILED. Resources are the master's to release.
    std::function<void(TaskSlot, TaskState)> ended;
  };

  ContainerRuntime(sim::Simulator& sim, TaskTable& tasks, const ScenarioSpec& spec,
                   Callbacks callbacks);

  ImagePuller& puller() { return puller_; }
  const ImagePuller& puller() const { return puller_; }

  // Memory the runtime adds to every container under this isolation (Hyper-V utility VM).
  double MemOverheadMiB(Isolation isolation) const { return spec_.For(isolation).mem_overhead_mib; }

  // Precondition: the task is STAGING on `agent` with its resources charged there.
  void Launch(TaskSlot task, AgentId agent, Isolation isolation);
  // A recorded trace task (precondition: STAGING on its agent): no pull and no start latency, so
  // STARTING and RUNNING now; open-ended (task.service) until it is stopped, unless it has a
  // duration.
  void LaunchRecorded(TaskSlot task, Isolation isolation);
  // Re-times a RUNNING task's end after its duration or service flag changed: it finishes at
  // running + duration, or now if that has passed; a service gets no end.
  void RescheduleEnd(TaskSlot task);
  // The master writes off a container that keeps running out of its sight (its agent is
  // unreachable behind a partition): the task's timers stop and the pin on its image's layers
  // passes to the caller, who either Recovers the task or releases the pin
  // (puller().Release) when the container is killed.
  void Strand(TaskSlot task);
  // The stranded container is the task's again, RUNNING (its agent reregistered): the caller's
  // pin becomes the task's and it ends as it would have, at running + duration (now if that has
  // passed). Precondition: RUNNING on the agent in the master's books.
  void Recover(TaskSlot task);
  // Stops the container wherever it is in its life (agent lost, task killed) without reporting.
  void Stop(TaskSlot task);
  void AgentDown(AgentId agent) { puller_.AgentDown(agent); }

 private:
  void OnPulled(TaskSlot task);
  void BeginStart(TaskSlot task);
  void OnRunning(TaskSlot task);
  void ScheduleFinish(TaskSlot task, sim::Time at);
  // Sets the task's reason and reports its end to the master.
  void End(TaskSlot task, TaskState state, TaskReason reason);
  void ReleaseImage(Task& task);

  sim::Simulator& sim_;
  TaskTable& tasks_;
  const ContainerRuntimeSpec& spec_;
  Callbacks callbacks_;
  ImagePuller puller_;
  sim::Rng start_rng_;
};

}  // namespace clustersim::models
