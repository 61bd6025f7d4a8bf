#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "models/task.h"
#include "sim/time.h"

namespace clustersim::models {

// Queue policies of a batch framework (rigid parallel jobs, as in the Parallel Workloads Archive).
enum class BatchPolicy {
  kFcfs,  // start the queue head while it fits
  kEasy,  // FCFS, then EASY backfilling behind a reservation for the blocked head
};

// What the jobs of a batch queue did so far. Waits count at a job's start, the bounded slowdown
// at its end: max(1, (wait + run) / max(run, tau)) with tau = 10 s.
struct BatchStats {
  static constexpr double kSlowdownTauSeconds = 10;
  uint64_t submitted = 0;
  uint64_t started = 0;
  uint64_t ended = 0;
  double sum_wait_s = 0;
  double max_wait_s = 0;
  double sum_bounded_slowdown = 0;
  sim::Time first_submit = sim::Time::Max();
  sim::Time last_end = sim::Time::Zero();

  // Sums, maxima and extremes of several queues (one per framework).
  void Merge(const BatchStats& other);
};

// The queue of one batch framework. A job is a gang of `width` tasks, one per processor, that
// start together and plan with the user's run-time `estimate` (the job ends at or before
// start + estimate; its tasks' durations are the caller's business). The queue knows nothing of
// offers: the framework counts the processors offered to it and asks for one pass.
//
// The rules, exactly (they are the oracle's in tests/models/swf_replay_test.cc):
// - queue order is submission order;
// - FCFS starts the queue head while its width fits in the free processors;
// - EASY, when the head is still blocked: shadow = the earliest estimated end (start + estimate)
//   of a running job at which enough processors are free for the head, counting every running
//   job whose estimated end <= shadow; extra = processors free at the shadow time - head width.
//   Then, in queue order, each other job that fits now starts if it ends (now + estimate) by the
//   shadow time, or if width <= extra; only a job ending after the shadow time consumes extra.
//
// Memory: the waiting and running jobs. Pass is O(running) plus O(waiting) for EASY (FCFS looks
// at the head only); Submit and TaskEnded are O(1) and O(running).
class BatchQueue {
 public:
  explicit BatchQueue(BatchPolicy policy) : policy_(policy) {}

  // A job arrives at `now`: its tasks (all PENDING, width = tasks.size() >= 1) in the framework's
  // task table.
  void Submit(uint64_t job, sim::Time now, sim::Time estimate, std::vector<TaskSlot> tasks);

  // One scheduling pass at `now` with `free` processors available. Appends the tasks of the jobs it
  // starts to `launch`, job after job in start order; those jobs run until their last task ends.
  // Precondition: every job ending at or before `now` has been reported through TaskEnded.
  void Pass(sim::Time now, int64_t free, std::vector<TaskSlot>& launch);

  // One task of a running job ended at `now`; the job ends with its last task.
  void TaskEnded(uint64_t job, sim::Time now);

  size_t waiting_jobs() const { return waiting_.size() - head_; }
  // Waiting jobs submitted at or after `from` (schedulers[].jobs.not_fully_placed). O(waiting).
  size_t WaitingJobsSubmittedFrom(sim::Time from) const {
    size_t n = 0;
    for (size_t i = head_; i < waiting_.size(); ++i) n += waiting_[i].submitted >= from ? 1 : 0;
    return n;
  }
  size_t waiting_tasks() const { return waiting_tasks_; }
  const BatchStats& stats() const { return stats_; }

 private:
  struct Waiting {
    uint64_t job;
    sim::Time submitted;
    sim::Time estimate;
    std::vector<TaskSlot> tasks;
  };
  struct Running {
    uint64_t job;
    uint32_t width;
    uint32_t remaining;  // tasks not ended yet
    sim::Time submitted;
    sim::Time started;
    sim::Time estimated_end;
  };

  void Start(Waiting& job, sim::Time now, int64_t& free, std::vector<TaskSlot>& launch);
  void CompactWaiting();

  BatchPolicy policy_;
  // Waiting jobs in queue order from head_ on (the started prefix is dropped now and then).
  std::vector<Waiting> waiting_;
  size_t head_ = 0;
  size_t waiting_tasks_ = 0;
  // Running jobs, sorted by estimated end (ties: start order).
  std::vector<Running> running_;
  BatchStats stats_;
};

}  // namespace clustersim::models
