#include "models/workload/google2011/google2011_recorded.h"

#include <fmt/format.h>

#include <utility>

#include "models/workload/trace_io/line_reader.h"

namespace clustersim::models {

using google2011::EventType;

namespace {

// The state and reason a terminal event ends a recorded task in.
std::pair<TaskState, TaskReason> EndOf(EventType type) {
  switch (type) {
    case EventType::kFinish:
      return {TaskState::kFinished, TaskReason::kNone};
    case EventType::kFail:
      return {TaskState::kFailed, TaskReason::kTraceFailed};
    case EventType::kLost:
      return {TaskState::kLost, TaskReason::kTraceLost};
    case EventType::kEvict:  // Borg preempted it
      return {TaskState::kKilled, TaskReason::kPreempted};
    default:  // KILL
      return {TaskState::kKilled, TaskReason::kTraceKilled};
  }
}

}  // namespace

sim::Result<sim::Time> Google2011RecordedReplay::LastTaskTime(const std::string& last_file) {
  SIM_ASSIGN_OR_RETURN(std::string last, ReadLastLine(last_file));
  google2011::TaskEvent row;
  if (last.empty() || !google2011::ParseRow(last, row).empty() ||
      row.time == google2011::kAfterWindow) {
    return sim::Status::Error(fmt::format(
        "{}: cannot tell the replay's end from the last row; set trace.duration", last_file));
  }
  return sim::Time::Micros(row.time);
}

// Machine rows come first at equal times (Pump), so a task can land on a machine added at the
// same instant.
void Google2011RecordedReplay::ReadTasks(int64_t now) {
  while (!Halted() && task_row_ && trow_.time <= now) {
    ReadJobsUntil(trow_.time);
    if (Halted()) break;
    OnRecordedTask(trow_);
    AdvanceTaskRow();
  }
}

void Google2011RecordedReplay::ReportMode(std::vector<std::pair<std::string, double>>& r) const {
  const auto d = [](uint64_t v) { return static_cast<double>(v); };
  r.insert(r.end(), {{"tasks_launched", d(tasks_launched_)},
                     {"tasks_no_machine", d(tasks_no_machine_)},
                     {"tasks_evicted", d(tasks_evicted_)},
                     {"replay_end_s", run_end_ ? run_end_->seconds() : 0.0}});
}

void Google2011RecordedReplay::OnRecordedTask(const google2011::TaskEvent& row) {
  const Key key{row.job, row.index};
  switch (row.type) {
    case EventType::kSubmit: {
      ++counts_.submits;
      CountMissingRequest(row);
      Recorded& r = recorded_tasks_[key];
      r.submitted = true;
      if (r.task.slot != kNoTask &&
          launches_->EndRecorded(r.task, TaskState::kKilled, TaskReason::kSuperseded)) {
        ++counts_.resubmitted_while_open;
      }
      r.task = {};
      r.submit = row.time > google2011::kBeforeWindow ? row.time : -1;
      return;
    }
    case EventType::kSchedule: {
      ++counts_.schedules;
      auto it = recorded_tasks_.find(key);
      if (it == recorded_tasks_.end()) {
        ++counts_.schedule_without_submit;
        it = recorded_tasks_.emplace(key, Recorded{}).first;
      }
      Recorded& r = it->second;
      if (r.task.slot != kNoTask &&
          launches_->EndRecorded(r.task, TaskState::kKilled, TaskReason::kSuperseded)) {
        ++counts_.double_schedules;
      }
      r.task = {};
      const int64_t submit = r.submit;
      r.submit = -1;
      auto m = row.has_machine ? machines_.find(row.machine) : machines_.end();
      if (m == machines_.end() || !m->second.up ||
          !launches_->TakesRecordedLaunch(m->second.agent)) {
        ++tasks_no_machine_;
        return;
      }
      Task task;
      ApplyJobOs(row.job, task);
      task.resources = Requests(row);
      task.service = true;
      task.duration = sim::Time::Max();
      task.submit_known = submit >= 0;
      task.submitted = submit >= 0 ? sim::Time::Micros(submit) : sim_->Now();
      r.task = launches_->LaunchRecorded(FrameworkOf(row), std::move(task), m->second.agent);
      ++(r.task.slot != kNoTask ? tasks_launched_ : tasks_no_machine_);
      return;
    }
    case EventType::kUpdatePending:
    case EventType::kUpdateRunning:
      ++counts_.updates_ignored;
      return;
    default: {  // terminal
      ++counts_.ends;
      auto it = recorded_tasks_.find(key);
      if (it == recorded_tasks_.end() || !it->second.submitted) {
        // As the demand replay counts it: a task scheduled without a SUBMIT still has none.
        ++counts_.terminal_without_submit;
        if (it == recorded_tasks_.end()) return;
      }
      const auto [state, reason] = EndOf(row.type);
      if (it->second.task.slot != kNoTask &&
          launches_->EndRecorded(it->second.task, state, reason) && row.type == EventType::kEvict) {
        ++tasks_evicted_;
      }
      recorded_tasks_.erase(it);
      return;
    }
  }
}

}  // namespace clustersim::models
