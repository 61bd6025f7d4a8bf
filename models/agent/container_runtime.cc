#include "models/agent/container_runtime.h"

#include <algorithm>

#include "sim/check.h"

namespace clustersim::models {

ContainerRuntime::ContainerRuntime(sim::Simulator& sim, TaskTable& tasks, const ScenarioSpec& spec,
                                   Callbacks callbacks)
    : sim_(sim),
      tasks_(tasks),
      spec_(spec.runtime),
      callbacks_(std::move(callbacks)),
      puller_(sim, spec.images, [this](TaskSlot t) { OnPulled(t); }),
      start_rng_(sim.random().Stream("runtime.start_latency")) {}

void ContainerRuntime::Launch(TaskSlot slot, AgentId agent, Isolation isolation) {
  Task& task = tasks_[slot];
  task.isolation = isolation;
  if (!task.has_image) {
    task.pull_seconds = 0;
    BeginStart(slot);
    return;
  }
  uint32_t job = ~0u;
  switch (puller_.StartPull(agent, task.image, slot, &job)) {
    case ImagePuller::PullResult::kReady:
      task.image_pinned = true;
      task.pull_seconds = 0;
      BeginStart(slot);
      return;
    case ImagePuller::PullResult::kNoDisk:
      // Reported as its own event so the master never sees a launch fail inside the launch.
      task.timer = sim_.ScheduleAfter(sim::Time::Zero(), [this, slot] {
        tasks_[slot].timer = {};
        End(slot, TaskState::kFailed, TaskReason::kImageStoreFull);
      });
      return;
    case ImagePuller::PullResult::kStarted:
      task.image_pinned = true;
      task.pull_job = job;
      if (!spec_.pull_timeout.IsMax()) {
        // Fails pulls *longer* than the timeout: one that completes exactly at it succeeds.
        task.timer = sim_.ScheduleAfter(spec_.pull_timeout + sim::Time::Micros(1), [this, slot] {
          Task& t = tasks_[slot];
          t.timer = {};
          puller_.CancelPull(t.pull_job);
          t.pull_job = ~0u;
          ReleaseImage(t);
          End(slot, TaskState::kFailed, TaskReason::kPullTimeout);
        });
      }
      return;
  }
}

void ContainerRuntime::OnPulled(TaskSlot slot) {
  Task& task = tasks_[slot];
  sim_.Cancel(task.timer);
  task.timer = {};
  task.pull_job = ~0u;
  task.pull_seconds = (sim_.Now() - task.launched).seconds();
  BeginStart(slot);
}

void ContainerRuntime::BeginStart(TaskSlot slot) {
  Task& task = tasks_[slot];
  task.state = TaskState::kStarting;
  task.started = sim_.Now();
  callbacks_.starting(slot);
  const RuntimeSpec& runtime = spec_.For(task.isolation);
  const double seconds = std::max(0.0, runtime.start_latency_s.Sample(start_rng_));
  task.timer =
      sim_.ScheduleAfter(sim::Time::FromSeconds(seconds), [this, slot] { OnRunning(slot); });
}

void ContainerRuntime::OnRunning(TaskSlot slot) {
  Task& task = tasks_[slot];
  task.timer = {};
  task.state = TaskState::kRunning;
  task.running = sim_.Now();
  task.start_seconds = (task.running - task.started).seconds();
  callbacks_.running(slot);
  if (!task.service) ScheduleFinish(slot, sim_.Now() + task.duration);
}

void ContainerRuntime::ScheduleFinish(TaskSlot slot, sim::Time at) {
  tasks_[slot].timer = sim_.Schedule(at, [this, slot] {
    tasks_[slot].timer = {};
    ReleaseImage(tasks_[slot]);
    End(slot, tasks_[slot].end_state, tasks_[slot].end_reason);
  });
}

void ContainerRuntime::LaunchRecorded(TaskSlot slot, Isolation isolation) {
  Task& task = tasks_[slot];
  task.isolation = isolation;
  task.pull_seconds = 0;
  task.state = TaskState::kStarting;
  task.started = sim_.Now();
  callbacks_.starting(slot);
  OnRunning(slot);
}

void ContainerRuntime::Strand(TaskSlot slot) {
  Task& task = tasks_[slot];
  SIM_CHECK(task.state == TaskState::kRunning && task.pull_job == ~0u);
  sim_.Cancel(task.timer);
  task.timer = {};
  task.image_pinned = false;  // the pin stays in the store, held by the caller
}

void ContainerRuntime::Recover(TaskSlot slot) {
  Task& task = tasks_[slot];
  task.image_pinned = task.has_image;
  RescheduleEnd(slot);
}

void ContainerRuntime::RescheduleEnd(TaskSlot slot) {
  Task& task = tasks_[slot];
  SIM_CHECK(task.state == TaskState::kRunning);
  sim_.Cancel(task.timer);
  task.timer = {};
  if (!task.service) ScheduleFinish(slot, std::max(sim_.Now(), task.running + task.duration));
}

void ContainerRuntime::Stop(TaskSlot slot) {
  Task& task = tasks_[slot];
  sim_.Cancel(task.timer);
  task.timer = {};
  if (task.pull_job != ~0u) {
    puller_.CancelPull(task.pull_job);
    task.pull_job = ~0u;
  }
  ReleaseImage(task);
}

void ContainerRuntime::ReleaseImage(Task& task) {
  if (!task.image_pinned) return;
  puller_.Release(task.agent, task.image);
  task.image_pinned = false;
}

void ContainerRuntime::End(TaskSlot slot, TaskState state, TaskReason reason) {
  tasks_[slot].reason = reason;
  callbacks_.ended(slot, state);
}

}  // namespace clustersim::models
