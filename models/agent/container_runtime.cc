#include "models/agent/container_runtime.h"

#include <algorithm>

#include "sim/check.h"

namespace clustersim::models {

ContainerRuntime::ContainerRuntime(sim::Simulator& sim, TaskTable& tasks, const ScenarioSpec& spec,
                                   Callbacks callbacks)
    : sim_(sim),
      tasks_(tasks),
      spec_(spec.runtime),
      catalog_(spec.images),
      callbacks_(std::move(callbacks)),
      puller_(sim, spec.images, [this](TaskSlot t) { OnPulled(t); }),
      start_draws_(sim.random(), "runtime.start_latency") {}

void ContainerRuntime::AddAgent(const AgentGroupSpec& group, Isolation isolation) {
  // Agents added through puller() directly keep the runtime's timeout.
  registration_timeout_.resize(puller_.agents(), spec_.executor_registration_timeout);
  puller_.AddAgent(group.image_store_mib, group.pull_bandwidth_mibps,
                   group.max_concurrent_downloads, spec_.For(isolation).extract_mib_per_s);
  registration_timeout_.push_back(
      group.executor_registration_timeout.value_or(spec_.executor_registration_timeout));
}

sim::Time ContainerRuntime::RegistrationTimeout(AgentId agent) const {
  return agent.index() < registration_timeout_.size() ? registration_timeout_[agent.index()]
                                                      : spec_.executor_registration_timeout;
}

namespace {

// delivered + timeout, or Max() for no timeout.
sim::Time DeadlineAfter(sim::Time delivered, sim::Time timeout) {
  return timeout.IsMax() ? sim::Time::Max() : delivered + timeout;
}

}  // namespace

void ContainerRuntime::Launch(TaskSlot slot, AgentId agent, Isolation isolation) {
  Task& task = tasks_[slot];
  task.isolation = isolation;
  task.delivered = sim_.Now();
  task.pull_missing_mib = 0;
  // Launch -> image in place, as tasks.csv's pull_s: a launch held on its way (a partition) waits
  // that long even when nothing is to be pulled; otherwise 0.
  const double held_seconds = (task.delivered - task.launched).seconds();
  if (!task.has_image) {
    task.pull_seconds = held_seconds;
    BeginStart(slot);
    return;
  }
  task.run_image = ImageId(catalog_.Current(task.image.index(), sim_.Now()));
  task.pull_missing_mib = puller_.MissingMiB(agent, task.run_image);
  uint32_t job = ~0u;
  switch (puller_.StartPull(agent, task.run_image, slot, &job)) {
    case ImagePuller::PullResult::kReady:
      task.image_pinned = true;
      task.pull_seconds = held_seconds;
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
      ArmPullDeadline(slot);
      return;
  }
}

ImagePuller::PullResult ContainerRuntime::PrePull(AgentId agent, ImageId image) {
  return puller_.PrePull(agent, ImageId(catalog_.Current(image.index(), sim_.Now())));
}

size_t ContainerRuntime::PrePullUpdated(AgentId agent) {
  const sim::Time now = sim_.Now();
  auto holds = [&](const ImageSpec& image) {
    return std::all_of(image.layers.begin(), image.layers.end(),
                       [&](uint32_t layer) { return puller_.HasLayer(agent, layer); });
  };
  size_t started = 0;
  for (uint32_t i = 0; i < catalog_.images.size(); ++i) {
    const ImageSpec& image = catalog_.images[i];
    if (image.updated_to < 0 || image.updated_at > now || !holds(image)) continue;
    const ImageId current(catalog_.Current(i, now));
    if (puller_.HasOrFetches(agent, current)) continue;  // also: two old versions, one pull
    if (puller_.PrePull(agent, current) == ImagePuller::PullResult::kStarted) ++started;
  }
  prepulled_images_ += started;
  return started;
}

void ContainerRuntime::ArmPullDeadline(TaskSlot slot) {
  Task& task = tasks_[slot];
  // Fails pulls *longer* than pull_timeout: one that completes exactly at it succeeds.
  const sim::Time pull_deadline = spec_.pull_timeout.IsMax()
                                      ? sim::Time::Max()
                                      : task.delivered + spec_.pull_timeout + sim::Time::Micros(1);
  const sim::Time registration_deadline =
      DeadlineAfter(task.delivered, RegistrationTimeout(task.agent));
  if (pull_deadline.IsMax() && registration_deadline.IsMax()) return;
  // The earlier deadline fires; on a tie the registration timeout (the agent's) does.
  const bool registration_first = registration_deadline <= pull_deadline;
  const TaskReason reason =
      registration_first ? TaskReason::kExecutorRegistrationTimeout : TaskReason::kPullTimeout;
  task.timer = sim_.Schedule(registration_first ? registration_deadline : pull_deadline,
                             [this, slot, reason] { FailPull(slot, reason); });
}

void ContainerRuntime::FailPull(TaskSlot slot, TaskReason reason) {
  Task& t = tasks_[slot];
  t.timer = {};
  CountFailedPull(t);
  // Registration timeout: the agent destroys the container and its `docker pull` dies with it
  // (facts doc §2.3). Pull timeout: the client gives up and closes its request. Either way the
  // daemon lets go of the pull's transfers, cancelled when no other pull waits for them (§2.4).
  AbortPull(t);
  End(slot, TaskState::kFailed, reason);
}

void ContainerRuntime::CountFailedPull(const Task& task) {
  if (!task.has_image || task.pull_missing_mib <= 0) return;
  const double still_missing =
      task.pull_job == ~0u ? 0.0 : puller_.MissingMiB(task.agent, task.run_image);
  failed_attempts_pull_mib_ += std::max(0.0, task.pull_missing_mib - still_missing);
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
  // Keyed on the task's identity and attempt, not drawn in start order: a task's n-th attempt
  // starts as fast in every cell of a comparison and under either isolation (the same uniforms
  // through each distribution), whichever tasks start before it, on whatever agents, and however
  // many tasks other jobs or frameworks submitted before it (Task::draw_key, not its id).
  sim::Rng rng = start_draws_.For(task.draw_key, task.attempts);
  const double seconds = std::max(0.0, runtime.start_latency_s.Sample(rng));
  const sim::Time running = sim_.Now() + sim::Time::FromSeconds(seconds);
  const sim::Time deadline = DeadlineAfter(task.delivered, RegistrationTimeout(task.agent));
  if (running > deadline) {
    task.timer = sim_.Schedule(std::max(deadline, sim_.Now()), [this, slot] { FailStart(slot); });
    return;
  }
  task.timer = sim_.Schedule(running, [this, slot] { OnRunning(slot); });
}

void ContainerRuntime::FailStart(TaskSlot slot) {
  Task& task = tasks_[slot];
  task.timer = {};
  CountFailedPull(task);
  ReleaseImage(task);  // the image is in place: its layers stay in the store, unpinned
  End(slot, TaskState::kFailed, TaskReason::kExecutorRegistrationTimeout);
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
    AbortPull(task);  // the container is destroyed mid-pull: as a registration timeout
  } else {
    ReleaseImage(task);
  }
}

void ContainerRuntime::AbortPull(Task& task) {
  puller_.AbortPull(task.pull_job);  // unpins the image: no Release follows
  task.pull_job = ~0u;
  task.image_pinned = false;
}

void ContainerRuntime::ReleaseImage(Task& task) {
  if (!task.image_pinned) return;
  puller_.Release(task.agent, task.run_image);
  task.image_pinned = false;
}

void ContainerRuntime::End(TaskSlot slot, TaskState state, TaskReason reason) {
  tasks_[slot].reason = reason;
  callbacks_.ended(slot, state);
}

}  // namespace clustersim::models
