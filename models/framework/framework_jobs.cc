// Job-level scheduling for the monolithic and shared-state architectures (issue 16): the
// framework is a scheduler that looks at the cell itself, one job per attempt, as the released
// Omega simulator's schedulers do (google/cluster-scheduler-simulator at b882f26, src/main/scala/;
// file:line below).
//
// An attempt takes the job at the head of the framework's queue and keeps the scheduler busy for
// decision_per_job + decision_per_task x (its tasks not placed yet): getThinkTime,
// CoreClusterSimulation.scala:612-617, charged when the attempt starts.
// - monolithic: the framework's turn on the one scheduler (JobSchedulers) comes in the order its
//   head job joined the one queue (submitted, or back from a retry delay); when the decision time
//   is over the job is placed on the cell as it is then and launched at once, so nothing can
//   conflict (MonolithicSimulation.scala:128-160).
// - shared-state: the scheduler's private copy of the cell is taken when the attempt starts and the
//   job is placed on it (the released handleJob syncs the copy at the start and places on it at the
//   end of the think time, OmegaSimulation.scala:196-207: the same decision, since the copy does
//   not change meanwhile); the claims are committed when the decision time is over. A claim
//   conflicts when its machine lacks room for it now (fine-grained, "resource-fit") or took any
//   commit since the copy (coarse-grained, "sequence-numbers"); all-or-nothing commits nothing if
//   one claim conflicts (CellState.commit and causesConflict, CoreClusterSimulation.scala:849-935).
//   A transaction is counted only when the attempt claimed something; any conflict wastes the
//   attempt's whole decision time (OmegaSimulation.scala:214-255).
// Tasks not placed go back with their job to the back of the queue after job_retry_delay; a job is
// abandoned after more than 100 attempts that placed none of its tasks, or more than 1,000 in all
// (MonolithicSimulation.scala:165-191, OmegaSimulation.scala:259-281).
// Deliberate difference: every attempt's decision time counts in `busyness` (the scheduler is
// occupied); the released code records none for an attempt that placed nothing, so its busy time
// is busyness_useful + busyness_wasted here.

#include <algorithm>
#include <unordered_map>

#include "models/framework/framework.h"
#include "models/framework/framework_round.h"
#include "sim/check.h"

namespace clustersim::models {
namespace {

constexpr uint32_t kMaxAttemptsWithNothingPlaced = 100;
constexpr uint32_t kMaxAttempts = 1000;

}  // namespace

void Framework::EnqueueJobTask(TaskSlot slot, bool new_job) {
  Task& task = tasks_[slot];
  task.state = TaskState::kPending;
  task.reason = TaskReason::kNone;
  task.queued = sim_.Now();
  if (task.shape_by_job != tracks_jobs_) {
    shapes_.Release(task);
    task.shape = shapes_.Acquire(task, tracks_jobs_);
  }
  CountDemand(task, +1);
  ++job_tasks_;
  // The tasks of one job come one by one at the same instant: they join the entry of the first.
  if (!new_job && !jobs_.empty() && jobs_.back().job == task.job && jobs_.back().attempts == 0 &&
      jobs_.back().queued == sim_.Now()) {
    jobs_.back().tasks.push_back(slot);
  } else {
    // A retried task (it failed or was lost after its launch) is a job of its own, outside the
    // job metrics: its job was counted when it came.
    JobEntry entry;
    entry.job = task.job;
    entry.tasks = {slot};
    entry.queued = entry.requeued = sim_.Now();
    entry.ticket = job_schedulers_->NextTicket();
    entry.counted = new_job;
    jobs_.push_back(std::move(entry));
  }
  // After the instant's other submissions, so that an attempt sees the whole job.
  if (!attempt_due_) {
    attempt_due_ = true;
    sim_.ScheduleAfter(sim::Time::Zero(), [this] {
      attempt_due_ = false;
      NextAttempt();
    });
  }
}

void Framework::NextAttempt() {
  if (deciding_ || turn_requested_ || jobs_.empty()) return;
  if (job_schedulers_->architecture() == Architecture::kMonolithic) {
    turn_requested_ = true;
    job_schedulers_->RequestTurn(static_cast<uint32_t>(id_.index()), jobs_.front().ticket, [this] {
      turn_requested_ = false;
      BeginAttempt();
    });
    return;
  }
  BeginAttempt();
}

void Framework::BeginAttempt() {
  const bool monolithic = job_schedulers_->architecture() == Architecture::kMonolithic;
  while (!jobs_.empty() && jobs_.front().tasks.empty()) jobs_.pop_front();  // all reclaimed
  if (jobs_.empty()) {
    if (monolithic) job_schedulers_->EndTurn();
    return;
  }
  attempt_ = std::move(jobs_.front());
  jobs_.pop_front();
  if (attempt_.attempts == 0 && attempt_.counted) {
    signals_.job_first_attempt.Emit(id_, sim_.Now() - attempt_.queued);
  }
  // At every dequeue, as the released simulator's updateTimeInQueueStats
  // (CoreClusterSimulation.scala:1001-1014, called by handleJob, OmegaSimulation.scala:196).
  attempt_.queue_time += sim_.Now() - attempt_.requeued;
  ++attempt_.attempts;
  deciding_ = true;
  attempt_busy_ =
      spec_.decision_per_job + sim::Time::Micros(spec_.decision_per_task.micros() *
                                                 static_cast<int64_t>(attempt_.tasks.size()));
  claims_.clear();
  size_t placed = attempt_.tasks.size();  // monolithic: known at the end only
  if (!monolithic) {
    attempt_busy_ += PlaceAttempt();
    placed = claims_.size();
  }
  if (attempt_busy_ > sim::Time::Zero()) signals_.decision_started.Emit(id_, attempt_busy_, placed);
  sim_.ScheduleAfter(attempt_busy_, [this] { FinishAttempt(); });
}

sim::Time Framework::PlaceAttempt() {
  const CellState& cell = master_.cell();
  std::vector<plugins::OfferView> views;
  views.reserve(cell.agent_count());
  for (size_t a = 0; a < cell.agent_count(); ++a) {
    const AgentId agent(static_cast<uint32_t>(a));
    if (!cell.schedulable(agent) || cell.available(agent).IsZero()) continue;
    views.push_back(plugins::OfferView{plugins::OfferId(0), agent, cell.available(agent)});
  }
  PendingQueue queue;
  for (TaskSlot slot : attempt_.tasks) {
    const Task& task = tasks_[slot];
    queue.PushBack(slot, plugins::TaskView{task.resources, task.os, task.image_version, task.image,
                                           task.has_image, task.shape});
  }
  Round round(*this, queue, std::move(views));
  placement_.Place(round);
  const std::vector<std::vector<TaskSlot>> launches = round.TakeLaunches();
  round.RemovePlaced();  // CountDemand(-1) for each placed task
  for (size_t o = 0; o < launches.size(); ++o) {
    for (TaskSlot t : launches[o]) {
      const AgentId agent = round.offers()[o].agent;
      claims_.push_back(Claim{t, agent, job_schedulers_->sequence(agent)});
    }
  }
  attempt_.tasks.clear();
  for (size_t i = 0; i < queue.size(); ++i) attempt_.tasks.push_back(queue.slot(i));
  return round.charged();
}

Framework::CommitCounts Framework::CommitClaims() {
  const CellState& cell = master_.cell();
  const SharedStateSpec& rules = job_schedulers_->shared_state();
  const bool shared = job_schedulers_->architecture() == Architecture::kSharedState;
  // Room each claim still needs on its agent, the transaction's earlier claims included.
  std::unordered_map<uint32_t, Resources> taken;
  std::vector<uint8_t> ok(claims_.size(), 1);
  bool conflicted = false;
  for (size_t c = 0; c < claims_.size(); ++c) {
    const Claim& claim = claims_[c];
    const Resources& need = tasks_[claim.task].allocated;
    Resources& already = taken[claim.agent.value];
    const bool fits =
        cell.schedulable(claim.agent) && cell.available(claim.agent).Contains(already + need);
    const bool unchanged = !shared || !rules.coarse_conflicts ||
                           job_schedulers_->sequence(claim.agent) == claim.sequence;
    if (fits && unchanged) {
      already += need;
    } else {
      ok[c] = 0;
      conflicted = true;
    }
  }
  SIM_CHECK_MSG(shared || !conflicted, "a monolithic placement conflicted with itself");
  const bool commit_none = conflicted && rules.all_or_nothing;
  CommitCounts counts;
  std::vector<AgentId> touched;
  for (size_t c = 0; c < claims_.size(); ++c) {
    const Claim& claim = claims_[c];
    Task& task = tasks_[claim.task];
    if (!ok[c] || commit_none) {
      CountPlacement(task, claim.agent, -1);
      CountDemand(task, +1);
      attempt_.tasks.push_back(claim.task);
      ++counts.conflicted;
      continue;
    }
    ++counts.committed;
    --job_tasks_;
    ++active_;
    master_.LaunchPlaced(claim.task, claim.agent);
    attempt_.placed_any = true;
    if (touched.empty() || touched.back() != claim.agent) touched.push_back(claim.agent);
  }
  // Coarse-grained: a machine's sequence moves once per transaction that claimed on it.
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (AgentId a : touched) job_schedulers_->Committed(a);
  return counts;
}

void Framework::FinishAttempt() {
  const Architecture arch = job_schedulers_->architecture();
  // Monolithic places at the end of its decision time; a charge there is refused at load
  // (apps/scenario.cc, CheckWallTimeCharges), as it would come after the placement.
  if (arch == Architecture::kMonolithic) (void)PlaceAttempt();
  const CommitCounts commit = CommitClaims();
  const bool conflicted = commit.conflicted > 0;
  const bool busy = attempt_busy_ > sim::Time::Zero();
  if (arch == Architecture::kSharedState && !claims_.empty()) {
    signals_.transaction.Emit(id_, commit.committed, commit.conflicted);
    if (conflicted && busy) signals_.decision_lost.Emit(id_, attempt_busy_);
  } else if (arch == Architecture::kMonolithic && busy && claims_.empty()) {
    // Only monolithic announced this attempt with its whole job as `placed`; a shared-state
    // attempt that claimed nothing announced 0 and was never counted useful.
    signals_.decision_fruitless.Emit(id_, attempt_busy_);
  }
  claims_.clear();
  deciding_ = false;
  if (attempt_.tasks.empty() && attempt_.counted && attempt_.placed_any) {
    signals_.job_fully_placed.Emit(id_, attempt_.job, attempt_.queued, attempt_.queue_time);
  }
  if (!attempt_.tasks.empty()) {
    if ((attempt_.attempts > kMaxAttemptsWithNothingPlaced && !attempt_.placed_any) ||
        attempt_.attempts > kMaxAttempts) {
      AbandonAttemptedJob();
    } else {
      jobs_delayed_.push_back(std::move(attempt_));
      sim_.ScheduleAfter(spec_.job_retry_delay, [this] {
        jobs_.push_back(std::move(jobs_delayed_.front()));
        jobs_delayed_.pop_front();
        jobs_.back().ticket = job_schedulers_->NextTicket();  // back of the queue
        jobs_.back().requeued = sim_.Now();
        NextAttempt();
      });
    }
  }
  attempt_ = JobEntry{};
  // The framework's next job asks for its turn before this one passes on, so that the turn goes
  // to whichever job joined the queue first, this framework's or another's: the released
  // simulator's one FIFO (MonolithicSimulation.scala:109-136, 208-209). Passing the turn on first
  // made frameworks with backlogs alternate, one job each.
  NextAttempt();
  if (arch == Architecture::kMonolithic) job_schedulers_->EndTurn();
}

bool Framework::ReclaimQueuedJobTask(TaskSlot slot) {
  for (auto* queue : {&jobs_, &jobs_delayed_}) {
    for (auto job = queue->begin(); job != queue->end(); ++job) {
      auto it = std::find(job->tasks.begin(), job->tasks.end(), slot);
      if (it == job->tasks.end()) continue;
      job->tasks.erase(it);
      // An emptied entry stays (a delayed one has its timer); its attempt places nothing.
      Task& task = tasks_[slot];
      CountDemand(task, -1);
      --job_tasks_;
      ++active_;
      CountPlacement(task, task.agent, +1);
      return true;
    }
  }
  return false;
}

void Framework::AbandonAttemptedJob() {
  if (attempt_.counted) signals_.job_abandoned.Emit(id_, attempt_.queued);
  for (TaskSlot slot : attempt_.tasks) {
    Task& task = tasks_[slot];
    CountDemand(task, -1);
    --job_tasks_;
    task.state = TaskState::kUnschedulable;
    task.reason = TaskReason::kJobAbandoned;
    task.ended = sim_.Now();
    signals_.task_ended.Emit(task, /*final=*/true);
    Finalize(slot);
  }
  attempt_.tasks.clear();
}

}  // namespace clustersim::models
