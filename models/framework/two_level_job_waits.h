#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>

#include "models/task.h"
#include "sim/time.h"

namespace clustersim::models {

// Two-level: how long each job waited in its framework's queue until the decision round that
// launched its last task — the released Omega simulator's timeInQueueTillFullyScheduled
// (google/cluster-scheduler-simulator, CoreClusterSimulation.scala:1001-1014: at each dequeue,
// now - lastEnqueued; MesosSimulation.scala:195 dequeues a job at each offer it is handed). Every
// round considers every queued job and hands back what it did not place, so the wait is the time
// from submission to that round's start less the decision time of the rounds started in between.
// The monolithic and shared-state schedulers count it on their job entries (framework_jobs.cc).
//
// Jobs are numbered as they come (Task::job_ordinal) and kept in that order, 16 bytes each, from
// the oldest not yet placed or given up: a million single-task jobs waiting cost 16 MB. So that
// one job that never gets placed (a task nothing fits, retried for ever) does not keep every later
// job too, the run from the oldest open job is at most kMaxSpan long: an open job older than that
// moves to a side table of stragglers, and the finished jobs behind it go.
class TwoLevelJobWaits {
 public:
  // A task joins the queue, starting a new job or joining the last one; `busy` is the decision
  // time of every round started so far (a round in progress did not consider it). Sets its
  // job_ordinal.
  void Submitted(Task& task, bool new_job, sim::Time busy);
  // The first launch of `task`, decided by a round that started at `round_start` after `busy` of
  // earlier rounds' decision time. The job's wait when this was its last task, else nothing.
  std::optional<sim::Time> Launched(const Task& task, sim::Time round_start, sim::Time busy);
  // A task of a job ended before any launch: the job will not be fully placed.
  void EndedUnlaunched(const Task& task);
  // Jobs kept: from the oldest still open in the run to the newest, and the stragglers.
  size_t kept() const { return jobs_.size() + stragglers_.size(); }
  // The longest run of jobs kept in order; older open jobs are kept apart.
  static constexpr size_t kMaxSpan = 4096;

 private:
  struct Job {
    sim::Time busy_at_submission;
    uint32_t unlaunched = 0;
    bool can_complete = true;  // no task of it ended unlaunched
  };
  // The task's job, or nullptr when it has none (a recorded launch) or it is gone.
  Job* Find(const Task& task);
  // Drops the finished jobs at the front, moving open ones to stragglers_ while the run is longer
  // than kMaxSpan.
  void Trim();
  // Forgets a job that is over (no task left unlaunched).
  void Close(uint32_t ordinal);

  std::deque<Job> jobs_;
  std::unordered_map<uint32_t, Job> stragglers_;  // open jobs older than jobs_, by ordinal
  uint32_t first_ = 0;  // ordinal of jobs_.front() (ordinals wrap around; so does the difference)
  uint32_t next_ = 0;   // ordinal of the next job
};

}  // namespace clustersim::models
