#pragma once

#include <functional>
#include <vector>

#include "models/agent/image_puller.h"
#include "models/spec.h"
#include "models/task_table.h"
#include "sim/random.h"
#include "sim/simulator.h"

namespace clustersim::models {

// The agent side of a task's life: launch -> STAGING -> pull missing layers -> STARTING ->
// runtime start latency (per OS and isolation) -> RUNNING -> run for its duration -> FINISHED.
// A pull that outlasts `pull_timeout`, or a store that cannot make room, fails the task; so does
// an attempt that is not RUNNING within its agent's executor registration timeout of the launch
// (Mesos's agent arms that timer right after `containerizer->launch`, src/slave/slave.cpp:
// 3884-3900, and the Docker containerizer pulls inside the launch; facts doc §2.1-2.2). Whichever
// deadline comes first fires. Reaching RUNNING exactly at the registration deadline succeeds.
//
// Deliberate difference: Mesos's Docker executor registers before it runs the task's container
// (src/docker/executor.cpp:147-239), so there the task container's own start is outside the
// timeout; here RUNNING stands for the registration, so the runtime's start latency is inside.
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

  // Adds an agent like `group` (image store, link, registration timeout); its id is the next one.
  void AddAgent(const AgentGroupSpec& group, Isolation isolation);
  // The agent's executor registration timeout (Max(): none). Agents added through puller()
  // directly have the runtime's.
  sim::Time RegistrationTimeout(AgentId agent) const;
  // MiB the pulls of attempts that then FAILED had downloaded for them: the part of the image
  // they lacked at launch that was in place or in flight at the failure (shared downloads count
  // for every attempt waiting on them).
  double failed_attempts_pull_mib() const { return failed_attempts_pull_mib_; }

  // Memory the runtime adds to every container under this isolation (Hyper-V utility VM).
  double MemOverheadMiB(Isolation isolation) const { return spec_.For(isolation).mem_overhead_mib; }

  // Precondition: the task is STAGING on `agent` with its resources charged there. It runs its
  // image as updated by the servicing updates published by now (task.run_image).
  void Launch(TaskSlot task, AgentId agent, Isolation isolation);
  // Pulls `image` (as updated by now) onto `agent` with no task, as an operator's `docker pull`
  // before a maintenance drain: nothing pins the layers once they are in place, so LRU may evict
  // them. kReady: already there; kNoDisk: no room (nothing fetched). Dropped if the agent goes
  // down first.
  ImagePuller::PullResult PrePull(AgentId agent, ImageId image);
  // Pre-pulls, onto `agent`, the current version of every image it holds (every layer in place)
  // that a servicing update has replaced by now and that is not in place or on its way already.
  // Returns how many pulls it started; prepulled_images() counts them over the run.
  size_t PrePullUpdated(AgentId agent);
  uint64_t prepulled_images() const { return prepulled_images_; }
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
  // The earlier of the pull and registration deadlines, while the pull is in flight.
  void ArmPullDeadline(TaskSlot task);
  void FailPull(TaskSlot task, TaskReason reason);
  // Registration deadline during STARTING: the container is destroyed before RUNNING.
  void FailStart(TaskSlot task);
  void CountFailedPull(const Task& task);
  void BeginStart(TaskSlot task);
  void OnRunning(TaskSlot task);
  void ScheduleFinish(TaskSlot task, sim::Time at);
  // Sets the task's reason and reports its end to the master.
  void End(TaskSlot task, TaskState state, TaskReason reason);
  void ReleaseImage(Task& task);
  // The task's pull in flight stops for good (its container destroyed, or its client gone): its
  // image unpinned, the transfers no other pull waits for dropped (ImagePuller::AbortPull).
  void AbortPull(Task& task);

  sim::Simulator& sim_;
  TaskTable& tasks_;
  const ContainerRuntimeSpec& spec_;
  const ImageCatalog& catalog_;
  Callbacks callbacks_;
  ImagePuller puller_;
  sim::KeyedStreams start_draws_;                // keyed on (Task::draw_key, attempt)
  std::vector<sim::Time> registration_timeout_;  // by agent, for agents added by AddAgent
  double failed_attempts_pull_mib_ = 0;
  uint64_t prepulled_images_ = 0;
};

}  // namespace clustersim::models
