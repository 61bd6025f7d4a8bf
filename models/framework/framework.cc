#include "models/framework/framework.h"

#include <algorithm>
#include <cstdint>

#include "models/framework/framework_round.h"
#include "scheduler_plugins/api/feasibility.h"
#include "sim/check.h"
#include "sim/random.h"

namespace clustersim::models {

Framework::Framework(sim::Simulator& sim, Master& master, TaskTable& tasks, FrameworkId id,
                     const FrameworkSpec& spec, plugins::PlacementPolicy& placement,
                     const ContainerRuntime& runtime, ClusterSignals& signals, Feasibility feasible,
                     JobSchedulers* job_schedulers)
    : sim_(sim),
      master_(master),
      tasks_(tasks),
      id_(id),
      spec_(spec),
      placement_(placement),
      runtime_(runtime),
      signals_(signals),
      feasible_(std::move(feasible)),
      job_schedulers_(job_schedulers) {}

TaskSlot Framework::Submit(Task task) {
  if (task.different_machine && !tracks_jobs_) StartTrackingJobs();
  task.placement_counted = false;
  task.framework = id_;
  task.state = TaskState::kPending;
  task.submitted = sim_.Now();
  task.queued = sim_.Now();
  task.allocated = task.resources;
  task.shape = shapes_.Acquire(task, tracks_jobs_);
  const TaskSlot slot = tasks_.Add(task);
  signals_.task_submitted.Emit(tasks_[slot]);
  if (const TaskReason why = feasible_(tasks_[slot]); why != TaskReason::kNone) {
    Task& t = tasks_[slot];
    t.state = TaskState::kUnschedulable;
    t.reason = why;
    t.ended = sim_.Now();
    signals_.task_ended.Emit(t, /*final=*/true);
    Finalize(slot);
    return kNoTask;
  }
  // A job: the tasks of one job id submitted at one instant (trace replays may bring a job's
  // tasks at several instants: each is a job here).
  const bool new_job = task.job != last_job_ || sim_.Now() != last_job_submitted_;
  if (new_job) {
    last_job_ = task.job;
    last_job_submitted_ = sim_.Now();
    signals_.job_submitted.Emit(id_);
    if (!job_mode()) unattempted_jobs_.push_back(sim_.Now());
  }
  if (job_mode()) {
    EnqueueJobTask(slot, new_job);
  } else {
    job_waits_.Submitted(tasks_[slot], new_job, rounds_busy_);
    Enqueue(slot);
  }
  return slot;
}

TaskSlot Framework::LaunchRecorded(Task task, AgentId agent) {
  task.placement_counted = false;
  task.framework = id_;
  task.state = TaskState::kPending;
  task.queued = task.submitted;
  task.allocated = task.resources;
  task.trace_recorded = true;
  task.shape = shapes_.Acquire(task, tracks_jobs_);
  const TaskSlot slot = tasks_.Add(task);
  signals_.task_submitted.Emit(tasks_[slot]);
  ++active_;
  master_.LaunchRecorded(slot, agent);
  return slot;
}

void Framework::Enqueue(TaskSlot slot) {
  if (job_mode()) {  // a retry after a failure: a job of its own
    EnqueueJobTask(slot, /*new_job=*/false);
    return;
  }
  Task& task = tasks_[slot];
  task.state = TaskState::kPending;
  task.reason = TaskReason::kNone;          // a retry: the failure that sent it back is past
  if (task.shape_by_job != tracks_jobs_) {  // a retry from before job tracking began
    shapes_.Release(task);
    task.shape = shapes_.Acquire(task, tracks_jobs_);
  }
  const plugins::TaskView view{task.resources, task.os,        task.image_version,
                               task.image,     task.has_image, task.shape};
  task.queued = sim_.Now();
  pending_.PushBack(slot, view);
  CountDemand(task, +1);
  if (master_.suppressed(id_)) {
    master_.Revive(id_);
  } else {
    master_.DemandAppeared(id_);
  }
}

void Framework::OnOffers(std::span<const OfferSlot> offers) {
  for (OfferSlot s : offers)
    held_.push_back(HeldOffer{s, master_.offer(s).id, master_.offer(s).agent});
  if (batch_) {
    BatchRound();
  } else if (!deciding_) {
    StartRound();
  }
}

void Framework::OnRescinded(OfferSlot) {
  // Nothing to do now: an offer still held (not yet in a round) is dropped when the next round
  // starts (StartRound and BatchRound keep the valid ones: IsOfferValid checks slot and id, so a
  // slot reused by a newer offer is told apart), and one inside a round in progress is found
  // invalid when the answer goes out. Searching the held offers here made a rescind O(held), and
  // a million offers rescinded at once (an offer_timeout over a million agents) quadratic.
}

void Framework::StartRound() {
  std::vector<HeldOffer> round_offers;
  round_offers.swap(held_);
  std::erase_if(round_offers,
                [&](const HeldOffer& h) { return !master_.IsOfferValid(h.slot, h.id); });
  if (round_offers.empty()) return;
  const size_t usable = SetAsideMaintenanceOffers(round_offers);  // the rest are declined

  std::vector<std::vector<TaskSlot>> launches;
  size_t placed = 0;
  sim::Time charged;              // by the policy (PlacementContext::ChargeDecisionTime)
  std::vector<sim::Time> refuse;  // by the policy, per offer (SetRefuse); empty: spec_.refuse
  bool suppress = false;          // by the policy (PlacementContext::Suppress)
  // Every job queued so far is considered by this round: their first attempt.
  for (sim::Time submitted : unattempted_jobs_) {
    signals_.job_first_attempt.Emit(id_, sim_.Now() - submitted);
  }
  unattempted_jobs_.clear();
  if (pending_.empty()) {
    launches.resize(round_offers.size());  // nothing to place: decline them all
  } else {
    std::vector<plugins::OfferView> views;
    views.reserve(usable);
    for (size_t o = 0; o < usable; ++o) {
      const Offer& offer = master_.offer(round_offers[o].slot);
      views.push_back(plugins::OfferView{offer.id, offer.agent, offer.resources,
                                         offer.unavailability.start,
                                         offer.unavailability.duration});
    }
    Round round(*this, pending_, std::move(views));
    placement_.Place(round);
    // Placed tasks leave the queue now, so that no later round places them twice.
    round.RemovePlaced();
    placed = round.placed_count();
    charged = round.charged();
    refuse = round.TakeRefuse();
    suppress = round.suppress();
    launches = round.TakeLaunches();
    launches.resize(round_offers.size());
  }
  const int64_t busy_us =
      spec_.decision_per_offer.micros() * static_cast<int64_t>(round_offers.size()) +
      spec_.decision_per_task.micros() * static_cast<int64_t>(placed) +
      (spec_.decision_per_job > sim::Time::Zero()
           ? spec_.decision_per_job.micros() * static_cast<int64_t>(JobsIn(launches))
           : 0) +
      charged.micros();
  const RoundTiming timing{sim_.Now(), rounds_busy_};
  rounds_busy_ += sim::Time::Micros(busy_us);
  if (busy_us == 0) {
    Answer(std::move(round_offers), std::move(launches), timing, std::move(refuse), suppress);
    return;
  }
  deciding_ = true;
  answering_ = placed;
  answering_busy_ = sim::Time::Micros(busy_us);
  signals_.decision_started.Emit(id_, answering_busy_, placed);
  // Action storage is fixed-size: park the round's answer here rather than in the closure.
  pending_answer_offers_ = std::move(round_offers);
  pending_answer_launches_ = std::move(launches);
  pending_answer_refuse_ = std::move(refuse);
  pending_answer_suppress_ = suppress;
  pending_answer_timing_ = timing;
  sim_.ScheduleAfter(sim::Time::Micros(busy_us), [this] {
    deciding_ = false;
    const size_t placed = answering_;
    answering_ = 0;
    const size_t lost =
        Answer(std::move(pending_answer_offers_), std::move(pending_answer_launches_),
               pending_answer_timing_, std::move(pending_answer_refuse_), pending_answer_suppress_);
    if (placed > 0 && lost == placed) signals_.decision_lost.Emit(id_, answering_busy_);
    if (!held_.empty()) StartRound();
  });
}

size_t Framework::Answer(std::vector<HeldOffer> offers, std::vector<std::vector<TaskSlot>> launches,
                         RoundTiming timing, std::vector<sim::Time> refuse_by_offer,
                         bool suppress) {
  constexpr size_t kPrefetchAhead = 6;
  size_t lost = 0;
  for (size_t o = 0; o < offers.size(); ++o) {
    if (o + kPrefetchAhead < offers.size()) {
      master_.PrefetchAnswer(offers[o + kPrefetchAhead].slot, offers[o + kPrefetchAhead].agent);
    }
    const HeldOffer& h = offers[o];
    if (!master_.IsOfferValid(h.slot, h.id)) {
      // Rescinded while we decided: the master answers each launch with a terminal update
      // (master.cpp:3944-4011, Mesos 1.11.0), the framework retries it as any lost task. A
      // decline of such an offer is ignored (nothing to recover).
      for (TaskSlot t : launches[o]) {
        CountPlacement(tasks_[t], h.agent, -1);
        LaunchDropped(t);
      }
      lost += launches[o].size();
      continue;
    }
    sim::Time refuse = batch_ ? sim::Time::Zero() : spec_.refuse;
    if (o < refuse_by_offer.size() && refuse_by_offer[o] != Round::kDefaultRefuse) {
      refuse = refuse_by_offer[o];
    }
    if (launches[o].empty()) {
      master_.Decline(h.slot, refuse);
    } else {
      for (TaskSlot t : launches[o]) {
        const Task& task = tasks_[t];
        if (!task.first_launch.IsMax()) continue;  // a retry: its job was placed before
        if (const auto queued = job_waits_.Launched(task, timing.started, timing.busy_before)) {
          signals_.job_fully_placed.Emit(id_, task.job, task.submitted, *queued);
        }
      }
      active_ += launches[o].size();
      master_.Accept(h.slot, launches[o], refuse);
    }
  }
  // The policy's SUPPRESS, after the answer, as a Mesos scheduler's call following its accepts;
  // new work revives (Enqueue).
  if (suppress && !master_.all_suppressed(id_)) master_.Suppress(id_);
  UpdateSuppression();
  return lost;
}

void Framework::UpdateSuppression() {
  if (job_mode()) return;  // never subscribed to offers
  if (spec_.suppress_when_idle && pending_.empty() && (!batch_ || batch_->waiting_jobs() == 0) &&
      !deciding_ && !master_.all_suppressed(id_)) {
    master_.Suppress(id_);
  }
}

void Framework::OnTaskEnded(TaskSlot slot) {
  Task& task = tasks_[slot];
  SIM_CHECK(active_ > 0);
  --active_;
  CountPlacement(task, task.agent, -1);
  EndAttempt(slot);
}

// The ended attempt's outcome: retried (a failure or loss within max_retries, a task moved off or
// drained) or final.
void Framework::EndAttempt(TaskSlot slot) {
  Task& task = tasks_[slot];
  const bool failed = task.state == TaskState::kFailed || task.state == TaskState::kLost ||
                      task.state == TaskState::kUnreachable;
  if (failed && task.failures < UINT8_MAX) ++task.failures;
  const bool retry = !batch_ && !task.trace_recorded &&
                     (RelaunchedAfterKill(task) ||
                      (failed && task.failures <= static_cast<uint32_t>(spec_.max_retries)));
  signals_.task_ended.Emit(task, !retry);
  if (retry) {
    RetryLater(slot);
    return;
  }
  if (task.state == TaskState::kFinished) ++finished_;
  if (batch_) batch_->TaskEnded(task.job, sim_.Now());
  Finalize(slot);
  UpdateSuppression();
}

// Mesos's master sends TASK_LOST (TASK_DROPPED to a partition-aware framework), reason
// REASON_INVALID_OFFERS, source MASTER, for every task of a LAUNCH on an invalid offer
// (master.cpp:3966-4011). The attempt counts (the framework launched it) and is retried as any
// lost one, with the backoff; it never held resources, so nothing is released. DROPPED is recorded
// as LOST: this framework model treats the two alike (scenarios/README.md, "Offers").
void Framework::LaunchDropped(TaskSlot slot) {
  Task& task = tasks_[slot];
  ++task.attempts;
  task.state = TaskState::kLost;
  task.reason = TaskReason::kInvalidOffers;
  task.ended = sim_.Now();
  EndAttempt(slot);
}

// Marathon-like backoff (RetryBackoffSpec) after the task's `failures` failed attempts; a kill
// for a drain or a maintenance move does not grow it (Marathon docs/backoff.md: "The delay is NOT
// increased when task is killed"), so a task that never failed is relaunched at once. It waits
// outside the queue, PENDING, and counts as pending meanwhile.
void Framework::RetryLater(TaskSlot slot) {
  Task& task = tasks_[slot];
  const sim::Time delay =
      task.failures == 0 ? sim::Time::Zero() : spec_.retry_backoff.DelayAfter(task.failures);
  if (delay == sim::Time::Zero()) {
    Enqueue(slot);
    return;
  }
  task.state = TaskState::kPending;
  task.reason = TaskReason::kNone;
  ++backing_off_;
  UpdateSuppression();
  // A pending task has no lifecycle timer, so the backoff keeps its own there (Reclaim cancels
  // it when the task's agent brings its container back).
  task.timer = sim_.ScheduleAfter(delay, [this, slot] {
    tasks_[slot].timer = {};
    --backing_off_;
    Enqueue(slot);
  });
}

namespace {

size_t CountDistinct(std::vector<uint64_t> jobs) {
  std::sort(jobs.begin(), jobs.end());
  return static_cast<size_t>(std::unique(jobs.begin(), jobs.end()) - jobs.begin());
}

}  // namespace

size_t Framework::JobsIn(const std::vector<std::vector<TaskSlot>>& launches) const {
  std::vector<uint64_t> jobs;
  for (const auto& offer : launches) {
    for (TaskSlot t : offer) jobs.push_back(tasks_[t].job);
  }
  return CountDistinct(std::move(jobs));
}

size_t Framework::jobs_not_fully_placed(sim::Time submitted_from) const {
  if (job_mode()) {
    auto counts = [&](const JobEntry& j) { return j.counted && j.queued >= submitted_from; };
    // The job being decided, unless every task of it is placed: shared-state holds the placed
    // ones as claims until the commit, so a job with claims is not placed yet either.
    const bool unplaced = !attempt_.tasks.empty() || !claims_.empty();
    size_t n = (deciding_ && counts(attempt_) && unplaced) ? 1 : 0;
    for (const JobEntry& j : jobs_) n += counts(j) ? 1 : 0;
    for (const JobEntry& j : jobs_delayed_) n += counts(j) ? 1 : 0;
    return n;
  }
  if (batch_) return batch_->WaitingJobsSubmittedFrom(submitted_from);
  std::vector<uint64_t> jobs;
  auto add = [&](TaskSlot t) {
    if (tasks_[t].submitted >= submitted_from) jobs.push_back(tasks_[t].job);
  };
  for (size_t i = 0; i < pending_.size(); ++i) add(pending_.slot(i));
  for (const auto& offer : pending_answer_launches_) {
    for (TaskSlot t : offer) add(t);
  }
  return CountDistinct(std::move(jobs));
}

bool Framework::Reclaim(TaskSlot slot) {
  Task& waiting = tasks_[slot];
  if (waiting.state == TaskState::kPending && waiting.timer.valid()) {  // waiting out a backoff
    sim_.Cancel(waiting.timer);
    waiting.timer = {};
    --backing_off_;
    ++active_;
    CountPlacement(waiting, waiting.agent, +1);
    UpdateSuppression();
    return true;
  }
  if (job_mode()) return ReclaimQueuedJobTask(slot);
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (pending_.slot(i) != slot) continue;
    const uint32_t stamp = pending_.NewStamp();
    pending_.Mark(i, stamp);
    pending_.RemoveMarked(stamp, i);
    Task& task = tasks_[slot];
    CountDemand(task, -1);
    ++active_;
    CountPlacement(task, task.agent, +1);
    UpdateSuppression();
    return true;
  }
  return false;
}

void Framework::CountPlacement(Task& task, AgentId agent, int delta) {
  if (delta > 0) {
    task.placement_counted = true;
    ++per_agent_[agent.value];
    JobTally& tally = job_on_agent_[JobOnAgent{task.job, agent.value}];
    ++tally.tasks;
    if (task.different_machine) ++tally.different_machine;
    return;
  }
  if (!task.placement_counted) return;  // a recorded task: placed by the trace, never counted
  task.placement_counted = false;
  auto it = per_agent_.find(agent.value);
  if (it != per_agent_.end() && --it->second == 0) per_agent_.erase(it);
  auto j = job_on_agent_.find(JobOnAgent{task.job, agent.value});
  SIM_CHECK(j != job_on_agent_.end() && j->second.tasks > 0);
  --j->second.tasks;
  if (task.different_machine) --j->second.different_machine;
  if (j->second.tasks == 0) job_on_agent_.erase(j);
}

// From now on shapes tell jobs apart: the tasks already queued get such shapes too, or a task
// refused for its job's sake would make a policy skip a same-sized task of another job.
void Framework::StartTrackingJobs() {
  tracks_jobs_ = true;
  for (size_t i = 0; i < pending_.size(); ++i) {
    Task& task = tasks_[pending_.slot(i)];
    shapes_.Release(task);
    task.shape = shapes_.Acquire(task, /*by_job=*/true);
    pending_.SetShape(i, task.shape);
  }
}

bool Framework::JobAllows(const Task& task, AgentId agent) const {
  auto it = job_on_agent_.find(JobOnAgent{task.job, agent.value});
  if (it == job_on_agent_.end()) return true;
  return task.different_machine ? it->second.tasks == 0 : it->second.different_machine == 0;
}

void Framework::Finalize(TaskSlot slot) {
  // Any task registered with job_waits_ (SWF gangs are, under every architecture); Find ignores
  // the others.
  if (tasks_[slot].first_launch.IsMax()) job_waits_.EndedUnlaunched(tasks_[slot]);
  shapes_.Release(tasks_[slot]);
  tasks_.Remove(slot);
}

void Framework::CountDemand(const Task& task, int delta) {
  auto same = [&](const plugins::PendingDemand& d) {
    return d.has_image == task.has_image &&
           (task.has_image ? d.image == task.image
                           : d.os == task.os && d.image_version == task.image_version);
  };
  auto it = std::find_if(demand_.begin(), demand_.end(), same);
  if (it == demand_.end()) {
    demand_.push_back(plugins::PendingDemand{task.os, task.image_version, task.image,
                                             task.has_image, 0, Resources()});
    it = demand_.end() - 1;
  }
  if (delta > 0) {
    ++it->tasks;
    it->resources += task.resources;
  } else {
    SIM_CHECK(it->tasks > 0);
    --it->tasks;
    it->resources -= task.resources;
  }
}

const BatchQueue& Framework::UseBatchQueue(BatchPolicy policy) {
  SIM_CHECK_MSG(!batch_ && pending_.empty() && active_ == 0,
                "batch mode must be chosen before any work arrives");
  batch_ = std::make_unique<BatchQueue>(policy);
  return *batch_;
}

void Framework::SubmitGang(const Task& prototype, uint32_t width, sim::Time estimate) {
  SIM_CHECK_MSG(batch_ != nullptr, "SubmitGang needs UseBatchQueue first");
  SIM_CHECK(width > 0);
  Task task = prototype;
  task.framework = id_;
  task.state = TaskState::kPending;
  task.submitted = sim_.Now();
  task.queued = sim_.Now();
  task.allocated = task.resources;
  task.shape = shapes_.Acquire(task, tracks_jobs_);
  if (!batch_shape_set_) {
    batch_like_ = task;
    batch_shape_set_ = true;
  }
  SIM_CHECK_MSG(ShapeTable::KeyOf(task) == ShapeTable::KeyOf(batch_like_),
                "the tasks of a batch queue must share one shape");
  std::vector<TaskSlot> slots(width);
  for (uint32_t i = 0; i < width; ++i) {
    task.id = prototype.id + i;
    task.draw_key = sim::CombineKey(prototype.draw_key, i);
    if (i > 0) shapes_.Acquire(task, tracks_jobs_);  // each task is released when it is finalized
    slots[i] = tasks_.Add(task);
    job_waits_.Submitted(tasks_[slots[i]], /*new_job=*/i == 0, rounds_busy_);
    signals_.task_submitted.Emit(tasks_[slots[i]]);
  }
  if (const TaskReason why = feasible_(task); why != TaskReason::kNone) {
    for (TaskSlot s : slots) {
      Task& t = tasks_[s];
      t.state = TaskState::kUnschedulable;
      t.reason = why;
      t.ended = sim_.Now();
      signals_.task_ended.Emit(t, /*final=*/true);
      Finalize(s);
    }
    return;
  }
  batch_->Submit(task.job, sim_.Now(), estimate, std::move(slots));
  // A job for schedulers[] as any framework's: its first attempt is the queue's next pass.
  signals_.job_submitted.Emit(id_);
  unattempted_jobs_.push_back(sim_.Now());
  if (master_.suppressed(id_)) {
    master_.Revive(id_);
  } else {
    master_.DemandAppeared(id_);
  }
}

void Framework::BatchRound() {
  std::vector<HeldOffer> offers;
  offers.swap(held_);
  std::erase_if(offers, [&](const HeldOffer& h) { return !master_.IsOfferValid(h.slot, h.id); });
  if (offers.empty()) return;
  // Every job queued so far is considered by this pass: their first attempt.
  for (sim::Time submitted : unattempted_jobs_) {
    signals_.job_first_attempt.Emit(id_, sim_.Now() - submitted);
  }
  unattempted_jobs_.clear();
  // Processors per offer: how many batch tasks fit in it (their charge on that agent).
  std::vector<int64_t> procs(offers.size(), 0);
  std::vector<Resources> charge(offers.size());
  int64_t free = 0;
  for (size_t o = 0; o < offers.size() && batch_shape_set_; ++o) {
    const plugins::AgentInfo& agent = master_.agent(offers[o].agent);
    if (!plugins::CanRun(agent.os, agent.os_version, agent.isolation, batch_like_.os,
                         batch_like_.image_version)) {
      continue;
    }
    const auto shape = plugins::AgentShape::Of(agent, runtime_.MemOverheadMiB(agent.isolation));
    charge[o] = plugins::Charge(shape, batch_like_.resources);
    const Resources& offered = master_.offer(offers[o].slot).resources;
    int64_t fit = -1;
    for (int k = 0; k < plugins::kMaxResourceKinds; ++k) {
      if (charge[o].Raw(k) <= 0) continue;
      const int64_t n = offered.Raw(k) / charge[o].Raw(k);
      fit = fit < 0 ? n : std::min(fit, n);
    }
    procs[o] = std::max<int64_t>(fit, 0);
    free += procs[o];
  }
  std::vector<TaskSlot> launch;
  batch_->Pass(sim_.Now(), free, launch);
  // Gang launch: every task of every job started, first-fit across the offers.
  std::vector<std::vector<TaskSlot>> launches(offers.size());
  size_t o = 0;
  for (TaskSlot t : launch) {
    while (o < offers.size() && procs[o] == 0) ++o;
    SIM_CHECK_MSG(o < offers.size(), "the batch queue started more tasks than were offered");
    --procs[o];
    tasks_[t].allocated = charge[o];
    launches[o].push_back(t);
  }
  Answer(std::move(offers), std::move(launches), RoundTiming{sim_.Now(), rounds_busy_});
}

}  // namespace clustersim::models
