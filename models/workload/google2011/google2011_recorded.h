#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/workload/google2011/google2011_replay.h"

namespace clustersim::models {

// The recorded replay of a Google 2011 trace (google2011_replay.h, "Recorded mode"): the
// production scheduler's own placements, launched on their recorded machines (TraceRecorded).
class Google2011RecordedReplay final : public Google2011Replay {
 public:
  explicit Google2011RecordedReplay(const ScenarioSpec& spec) : Google2011Replay(spec) {}
  // The time of the last task event (the last row of the last task_events file).
  static sim::Result<sim::Time> LastTaskTime(const std::string& last_file);

 private:
  // Recorded mode: a (job, index) submitted and/or running.
  struct Recorded {
    int64_t submit = -1;     // the pending in-window SUBMIT; -1: none
    TraceTask task;          // the running task, if any
    bool submitted = false;  // a SUBMIT row was seen (not only a SCHEDULE)
  };

  void ReadTasks(int64_t now) override;
  int64_t NextTaskWake() const override { return task_row_ ? trow_.time : kNever; }
  void ReportMode(std::vector<std::pair<std::string, double>>& r) const override;
  void OnRecordedTask(const google2011::TaskEvent& row);

  std::unordered_map<Key, Recorded, KeyHash> recorded_tasks_;
  uint64_t tasks_launched_ = 0, tasks_no_machine_ = 0, tasks_evicted_ = 0;
};

}  // namespace clustersim::models
