#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/workload/google2011/google2011_replay.h"

namespace clustersim::models {

// The demand replay of a Google 2011 trace (google2011_replay.h, "Demand mode"): every SUBMIT is
// a task handed to a framework at its SUBMIT time, its run time learnt by reading `lookahead`
// ahead of simulated time, or later (TraceTaskDurations) for tasks released open-ended.
class Google2011DemandReplay final : public Google2011Replay {
 public:
  explicit Google2011DemandReplay(const ScenarioSpec& spec);
  void Start(const TraceHost& host) override;

 private:
  // Demand mode: a submission waiting for simulated time to reach its SUBMIT.
  struct Held {
    int64_t submit = 0;
    int64_t sched = -1;  // -1: not seen
    int64_t end = -1;    // -1: not seen
    uint64_t job = 0;
    uint32_t index = 0;
    uint32_t framework = 0;
    bool different_machine = false;
    Resources resources;
  };
  // Demand mode: a released task whose end was not known, waiting for it.
  struct OpenTask {
    TraceTask task;
    int64_t sched = -1;  // its run's start in trace time; -1: never scheduled (yet)
    // SUBMITted before the window (t = 0): without a SCHEDULE by its end, it ran from time 0.
    bool before_window = false;
  };

  void ReadTasks(int64_t now) override;
  int64_t NextTaskWake() const override;
  void ReportMode(std::vector<std::pair<std::string, double>>& r) const override;
  void OnDemandTask(const google2011::TaskEvent& row);
  void Release(int64_t now);
  void FixEnd(const OpenTask& open, int64_t end);
  Held* FindHeld(const Key& key);

  const sim::Time lookahead_;
  TraceTaskDurations* durations_ = nullptr;
  std::deque<Held> held_;  // in SUBMIT order; held_[i] has sequence number held_base_ + i
  uint64_t held_base_ = 0;
  std::unordered_map<Key, uint64_t, KeyHash> held_index_;  // key -> its held run without an end
  std::unordered_map<Key, OpenTask, KeyHash> open_;
  uint64_t tasks_submitted_ = 0, tasks_open_ended_ = 0, tasks_never_scheduled_ = 0;
  uint64_t late_ends_ = 0;
};

}  // namespace clustersim::models
