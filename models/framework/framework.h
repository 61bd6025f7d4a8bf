#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <span>
#include <unordered_map>
#include <vector>

#include "models/framework/batch_queue.h"
#include "models/framework/pending_queue.h"
#include "models/framework/shape_table.h"
#include "models/framework/two_level_job_waits.h"
#include "models/master/master.h"
#include "models/scheduler/job_schedulers.h"
#include "models/signals.h"
#include "models/spec.h"
#include "models/task_table.h"
#include "scheduler_plugins/api/placement_policy.h"
#include "sim/simulator.h"

namespace clustersim::models {

// A Mesos framework's scheduler: a queue of pending tasks, answered offers, retries.
//
// Offers arriving while the scheduler is idle start a decision round: the placement policy picks
// tasks for the offers it holds, and the answer (accepts with launches, declines with
// `refuse_seconds` filters) reaches the master after the framework's decision time,
// `per_offer × offers + per_task × tasks launched`. Offers arriving during a round wait for the
// next one. It suppresses offers when it has nothing pending and revives when work appears. A
// FAILED or LOST attempt is retried up to `max_retries` times, each after its `retry_backoff`
// delay (Marathon's exponential backoff), then the task ends in that state.
//
// Batch mode (UseBatchQueue; SWF replay): work comes as rigid parallel jobs (SubmitGang) kept in a
// BatchQueue instead of the task queue and placement policy. Every decision round makes one pass
// of the queue over all the processors (whole cpus) offered, launches each started job's tasks at
// once, first-fit across the offers, and declines the rest with no filter (refuse 0), whatever
// `refuse_seconds` says: the blocked head may fit as soon as anything frees. Rounds take no
// simulated time (decision_time is ignored) and batch tasks are never retried.
class Framework {
 public:
  // Why no agent of the cluster could ever run this task (OS, version, isolation, size, the
  // framework's attribute constraints); TaskReason::kNone if some agent could.
  using Feasibility = std::function<TaskReason(const Task&)>;

  Framework(sim::Simulator& sim, Master& master, TaskTable& tasks, FrameworkId id,
            const FrameworkSpec& spec, plugins::PlacementPolicy& placement,
            const ContainerRuntime& runtime, ClusterSignals& signals, Feasibility feasible,
            JobSchedulers* job_schedulers = nullptr);

  FrameworkId id() const { return id_; }
  const FrameworkSpec& spec() const { return spec_; }

  // Takes a new task (state, times and framework are set here). Unschedulable tasks end at once.
  // Returns its slot, or kNoTask if it ended at once.
  TaskSlot Submit(Task task);
  // A recorded trace replay's task, placed by the trace: launched on `agent` now through
  // Master::LaunchRecorded (no offer, overcommit allowed), never retried. task.submitted is kept
  // (the trace's submit time). Returns its slot.
  TaskSlot LaunchRecorded(Task task, AgentId agent);
  void OnOffers(std::span<const OfferSlot> offers);
  void OnRescinded(OfferSlot slot);
  void OnTaskEnded(TaskSlot slot);
  // The task's agent came back with its container still running (Master::Callbacks::reclaim):
  // takes the task back as active on task.agent when it still waits in the queue for its
  // relaunch. O(pending).
  bool Reclaim(TaskSlot slot);
  // Inverse offers (framework_maintenance.cc): answered at once with FrameworkSpec's response;
  // an accepting framework plans to move its tasks off each agent before its window.
  void OnInverseOffers(std::span<const InverseOffer> offers);

  // Batch mode: call before the first SubmitGang. The queue lives as long as the framework.
  const BatchQueue& UseBatchQueue(BatchPolicy policy);
  // Batch mode: a job of `width` tasks like `prototype` (ids prototype.id, prototype.id + 1, ...)
  // that launch together; the queue plans with `estimate`, the tasks run for prototype.duration.
  void SubmitGang(const Task& prototype, uint32_t width, sim::Time estimate);
  const BatchQueue* batch_queue() const { return batch_.get(); }

  // Tasks not launched yet: queued, waiting out a retry backoff, or placed in a decision round
  // whose answer is not out yet.
  size_t pending() const {
    return pending_.size() + backing_off_ + answering_ + (batch_ ? batch_->waiting_tasks() : 0) +
           job_tasks_;
  }
  // Jobs submitted at or after `submitted_from` with tasks not launched yet, at the end of a run
  // (never fully placed). O(pending).
  size_t jobs_not_fully_placed(sim::Time submitted_from = sim::Time::Zero()) const;
  // Tasks waiting out their retry backoff before going back to the queue.
  size_t backing_off() const { return backing_off_; }
  uint64_t tasks_finished() const { return finished_; }
  // Queued tasks (not those of a round in progress) by image, for ClusterView::framework_demand.
  std::span<const plugins::PendingDemand> demand() const { return demand_; }
  size_t active_tasks() const { return active_; }

 private:
  struct HeldOffer {
    OfferSlot slot;
    plugins::OfferId id;
    AgentId agent;
  };
  class Round;
  // Monolithic and shared-state (framework_jobs.cc): a job's tasks not launched yet, with its
  // scheduling attempts so far.
  struct JobEntry {
    uint64_t job = 0;
    std::vector<TaskSlot> tasks;
    sim::Time queued;      // submitted (its wait ends at its first attempt)
    sim::Time requeued;    // last joined the queue (submitted, or back from job_retry_delay)
    sim::Time queue_time;  // spent in the queue over its attempts so far
    uint64_t ticket = 0;   // its place in the monolithic scheduler's one queue (JobSchedulers)
    uint32_t attempts = 0;
    bool placed_any = false;
    bool counted = true;  // a job of the metrics (a retried task's entry is not)
  };
  struct Claim {
    TaskSlot task;
    AgentId agent;
    uint64_t sequence;  // the agent's commit count when the copy was taken
  };

  void StartRound();
  // Job mode (monolithic, shared-state): the next attempt, if nothing is in progress.
  void NextAttempt();
  void BeginAttempt();
  void FinishAttempt();
  void EnqueueJobTask(TaskSlot slot, bool new_job);
  // Places the attempted job's tasks on the cell as it stands; claims go to claims_. Returns the
  // time the policy charged (PlacementContext::ChargeDecisionTime).
  sim::Time PlaceAttempt();
  // Launches the claims that survive conflict detection; returns how many did and did not.
  struct CommitCounts {
    uint32_t committed = 0, conflicted = 0;
  };
  CommitCounts CommitClaims();
  void AbandonAttemptedJob();
  // Job mode's Reclaim: the task leaves the job it waits in (not one being attempted).
  bool ReclaimQueuedJobTask(TaskSlot slot);
  // Distinct jobs among a round's launches (decision_per_job under two-level).
  size_t JobsIn(const std::vector<std::vector<TaskSlot>>& launches) const;
  bool job_mode() const { return job_schedulers_ != nullptr; }
  void BatchRound();
  // When a two-level round started, and the decision time of the rounds started before it.
  struct RoundTiming {
    sim::Time started;
    sim::Time busy_before;
  };
  // Sends the round's answers; returns how many of its launches were lost to rescinded offers.
  // `refuse_by_offer` (may be empty) and `suppress`: what the placement asked of the answer
  // (PlacementContext::SetRefuse, Suppress).
  size_t Answer(std::vector<HeldOffer> offers, std::vector<std::vector<TaskSlot>> launches,
                RoundTiming timing, std::vector<sim::Time> refuse_by_offer = {},
                bool suppress = false);
  void Enqueue(TaskSlot slot);
  // A launch on an offer rescinded while the framework decided: the master's TASK_LOST,
  // REASON_INVALID_OFFERS, for an attempt that never reached the agent.
  void LaunchDropped(TaskSlot slot);
  // Signals the ended attempt and retries it (after the backoff) or finalizes the task.
  void EndAttempt(TaskSlot slot);
  // Back to the queue after the retry backoff of its failures so far.
  void RetryLater(TaskSlot slot);
  void Finalize(TaskSlot slot);
  void CountDemand(const Task& task, int delta);
  void UpdateSuppression();
  // The per-agent tallies of an active task: +1 when placed, -1 when it ends or its launch fails.
  void CountPlacement(Task& task, AgentId agent, int delta);
  // Whether the job tallies let `task` join `agent`.
  bool JobAllows(const Task& task, AgentId agent) const;
  void StartTrackingJobs();
  // Maintenance (framework_maintenance.cc). Moves the round's offers of agents an accepting
  // framework avoids (window starting within maintenance_ahead) to the back; returns how many
  // are usable.
  size_t SetAsideMaintenanceOffers(std::vector<HeldOffer>& offers) const;
  // Kills this framework's tasks on the agent (kMovedForMaintenance), to be relaunched.
  void MoveOffAgent(AgentId agent, sim::Time window_start);
  // Whether a task ended this way goes back to the queue without counting as a failure retry
  // decision (drained, moved for maintenance).
  static bool RelaunchedAfterKill(const Task& task);

  sim::Simulator& sim_;
  Master& master_;
  TaskTable& tasks_;
  FrameworkId id_;
  const FrameworkSpec& spec_;
  plugins::PlacementPolicy& placement_;
  const ContainerRuntime& runtime_;
  ClusterSignals& signals_;
  Feasibility feasible_;

  PendingQueue pending_;
  std::vector<HeldOffer> held_;
  // The answer of the round in progress, sent when the decision time has passed.
  std::vector<HeldOffer> pending_answer_offers_;
  std::vector<std::vector<TaskSlot>> pending_answer_launches_;
  std::vector<sim::Time> pending_answer_refuse_;
  bool pending_answer_suppress_ = false;
  RoundTiming pending_answer_timing_;
  sim::Time rounds_busy_;  // two-level: the decision time of every round started
  TwoLevelJobWaits job_waits_;
  bool deciding_ = false;
  size_t answering_ = 0;      // tasks in pending_answer_launches_
  sim::Time answering_busy_;  // the decision time of the round being answered
  size_t backing_off_ = 0;    // failed tasks waiting out their retry backoff
  size_t active_ = 0;
  uint64_t finished_ = 0;
  // Tasks of this framework per agent, for max_tasks_per_agent constraints.
  std::unordered_map<uint32_t, uint32_t> per_agent_;
  // Per (job, agent): the job's active tasks there, and how many of them are different-machine
  // ones (which no other task of the job may join). Checked once a different-machine task came.
  struct JobOnAgent {
    uint64_t job;
    uint32_t agent;
    bool operator==(const JobOnAgent&) const = default;
  };
  struct JobOnAgentHash {
    size_t operator()(const JobOnAgent& k) const {
      return std::hash<uint64_t>()(k.job * 0x9e3779b97f4a7c15ULL ^ k.agent);
    }
  };
  struct JobTally {
    uint32_t tasks = 0;
    uint32_t different_machine = 0;
  };
  std::unordered_map<JobOnAgent, JobTally, JobOnAgentHash> job_on_agent_;
  bool tracks_jobs_ = false;  // a different-machine task was submitted
  ShapeTable shapes_;
  std::vector<plugins::PendingDemand> demand_;  // one entry per image (or OS, without one)
  std::unique_ptr<BatchQueue> batch_;           // batch mode only
  Task batch_like_;                             // batch mode: the shape every batch task shares
  bool batch_shape_set_ = false;
  // Job mode: the scheduler it answers to (monolithic turns, shared-state sequence numbers).
  JobSchedulers* job_schedulers_ = nullptr;
  std::deque<JobEntry> jobs_;          // waiting for an attempt, FIFO
  std::deque<JobEntry> jobs_delayed_;  // waiting out job_retry_delay, FIFO (one delay each)
  JobEntry attempt_;                   // the job of the attempt in progress (deciding_)
  std::vector<Claim> claims_;
  sim::Time attempt_busy_;
  bool turn_requested_ = false;
  bool attempt_due_ = false;  // NextAttempt is scheduled for this instant
  size_t job_tasks_ = 0;      // tasks in jobs_, jobs_delayed_ and attempt_
  // Jobs not in a decision round yet, by submission time (two-level: every round considers all).
  std::deque<sim::Time> unattempted_jobs_;
  uint64_t last_job_ = ~0ULL;  // the job of the task submitted last
  sim::Time last_job_submitted_ = sim::Time::Max();
  // Accepting frameworks: agents whose move is planned, with their window's start (a set: a
  // window over a million agents plans a million moves).
  std::set<std::pair<AgentId, sim::Time>> moves_planned_;
};

}  // namespace clustersim::models
