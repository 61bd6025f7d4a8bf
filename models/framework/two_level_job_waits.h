#pragma once

#include <cstdint>
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
// A job is the tasks of one job id submitted at one instant; a retried task is not one.
class TwoLevelJobWaits {
 public:
  // A task of a job joins the queue; `busy` is the decision time of every round started so far
  // (a round in progress did not consider it).
  void Submitted(const Task& task, sim::Time busy);
  // The first launch of `task`, decided by a round that started at `round_start` after `busy` of
  // earlier rounds' decision time. The job's wait when this was its last task, else nothing.
  std::optional<sim::Time> Launched(const Task& task, sim::Time round_start, sim::Time busy);
  // A task that never launched ended: its job will not be fully placed.
  void EndedUnlaunched(const Task& task);
  size_t open_jobs() const { return open_.size(); }

 private:
  struct Key {
    uint64_t job;
    int64_t submitted_us;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<uint64_t>()(k.job * 0x9e3779b97f4a7c15ULL ^
                                   static_cast<uint64_t>(k.submitted_us));
    }
  };
  struct OpenJob {
    uint32_t unlaunched = 0;
    bool can_complete = true;  // no task of it ended unlaunched
    sim::Time busy_at_submission;
  };
  static Key KeyOf(const Task& task) { return Key{task.job, task.submitted.micros()}; }
  // One task of the job is launched or gone; drops the job when none is left.
  OpenJob* Leave(const Task& task, bool* last);

  std::unordered_map<Key, OpenJob, KeyHash> open_;
};

}  // namespace clustersim::models
