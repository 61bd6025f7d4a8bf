#include "models/workload/google2011/google2011_demand.h"

#include <algorithm>
#include <limits>

#include "models/workload/google2011/google2011_format.h"

namespace clustersim::models {

using google2011::EventType;

namespace {

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}

}  // namespace

Google2011DemandReplay::Google2011DemandReplay(const ScenarioSpec& spec)
    : Google2011Replay(spec), lookahead_(spec.trace.Options<Google2011Options>().lookahead) {}

void Google2011DemandReplay::Start(const TraceHost& host) {
  durations_ = &host.durations;
  Google2011Replay::Start(host);
}

// Task rows are read `lookahead` ahead; the submissions due now are released after the machine
// rows.
void Google2011DemandReplay::ReadTasks(int64_t now) {
  const int64_t horizon = SaturatingAdd(now, lookahead_.micros());
  while (!Halted() && task_row_ && trow_.time <= horizon) {
    ReadJobsUntil(trow_.time);
    if (Halted()) break;
    OnDemandTask(trow_);
    AdvanceTaskRow();
  }
  if (!Halted()) Release(now);
}

int64_t Google2011DemandReplay::NextTaskWake() const {
  int64_t next = kNever;
  if (!held_.empty()) next = std::min(next, held_.front().submit);
  if (task_row_) next = std::min(next, trow_.time - lookahead_.micros());
  return next;
}

void Google2011DemandReplay::ReportMode(std::vector<std::pair<std::string, double>>& r) const {
  const auto d = [](uint64_t v) { return static_cast<double>(v); };
  r.insert(r.end(), {{"lookahead_s", lookahead_.seconds()},
                     {"tasks_submitted", d(tasks_submitted_)},
                     {"tasks_open_ended", d(tasks_open_ended_)},
                     {"tasks_never_scheduled", d(tasks_never_scheduled_)},
                     {"late_ends", d(late_ends_)}});
}

Google2011DemandReplay::Held* Google2011DemandReplay::FindHeld(const Key& key) {
  auto it = held_index_.find(key);
  if (it == held_index_.end()) return nullptr;
  return &held_[it->second - held_base_];
}

void Google2011DemandReplay::OnDemandTask(const google2011::TaskEvent& row) {
  const Key key{row.job, row.index};
  switch (row.type) {
    case EventType::kSubmit: {
      ++counts_.submits;
      if (auto it = open_.find(key); it != open_.end()) {
        FixEnd(it->second, row.time);
        open_.erase(it);
        ++counts_.resubmitted_while_open;
      }
      if (auto it = held_index_.find(key); it != held_index_.end()) {
        held_[it->second - held_base_].end = row.time;
        held_index_.erase(it);
        ++counts_.resubmitted_while_open;
      }
      Held h;
      h.submit = row.time;
      h.job = row.job;
      h.index = row.index;
      h.framework = FrameworkOf(row);
      h.different_machine = row.different_machine == 1;
      CountMissingRequest(row);
      h.resources = Requests(row);
      held_index_[key] = held_base_ + held_.size();
      held_.push_back(h);
      return;
    }
    case EventType::kSchedule: {
      ++counts_.schedules;
      if (Held* h = FindHeld(key)) {
        if (h->sched < 0) {
          h->sched = row.time;
        } else {
          ++counts_.double_schedules;
        }
      } else if (auto it = open_.find(key); it != open_.end()) {
        if (it->second.sched < 0) {
          it->second.sched = row.time;
        } else {
          ++counts_.double_schedules;
        }
      } else {
        ++counts_.schedule_without_submit;
      }
      return;
    }
    case EventType::kUpdatePending:
    case EventType::kUpdateRunning:
      ++counts_.updates_ignored;
      return;
    default:  // terminal
      ++counts_.ends;
      if (auto it = held_index_.find(key); it != held_index_.end()) {
        held_[it->second - held_base_].end = row.time;
        held_index_.erase(it);
      } else if (auto o = open_.find(key); o != open_.end()) {
        FixEnd(o->second, row.time);
        open_.erase(o);
      } else {
        ++counts_.terminal_without_submit;
      }
      return;
  }
}

void Google2011DemandReplay::FixEnd(const OpenTask& open, int64_t end) {
  // Submitted before the window and never seen scheduled: it was running when the window opened.
  const int64_t start = open.sched >= 0 ? open.sched : (open.before_window ? 0 : -1);
  // Never scheduled in the trace: it should not run at all; the least it can do is end at once.
  const int64_t run = start < 0 ? 1 : std::max<int64_t>(1, end - start);
  if (durations_->SetTaskDuration(open.task, sim::Time::Micros(run))) ++late_ends_;
}

void Google2011DemandReplay::Release(int64_t now) {
  while (!held_.empty() && held_.front().submit <= now) {
    const Held h = held_.front();
    const uint64_t seq = held_base_;
    held_.pop_front();
    ++held_base_;
    const Key key{h.job, h.index};
    bool current = false;
    if (auto it = held_index_.find(key); it != held_index_.end() && it->second == seq) {
      held_index_.erase(it);
      current = true;
    }
    // Where its run starts: its SCHEDULE; for a task submitted before the window and never seen
    // scheduled, time 0 (it was running when the window opened).
    const int64_t run_start =
        h.sched >= 0 ? h.sched : (h.submit == google2011::kBeforeWindow ? 0 : -1);
    Task task;
    ApplyJobOs(h.job, task);
    task.resources = h.resources;
    task.different_machine = h.different_machine;
    if (h.end >= 0) {
      if (run_start < 0) {
        ++tasks_never_scheduled_;
        continue;
      }
      task.duration = sim::Time::Micros(std::max<int64_t>(1, h.end - run_start));
      durations_->SubmitTracked(h.framework, std::move(task));
      ++tasks_submitted_;
      continue;
    }
    task.service = true;
    task.duration = sim::Time::Max();
    const TraceTask ref = durations_->SubmitTracked(h.framework, std::move(task));
    ++tasks_submitted_;
    ++tasks_open_ended_;
    // Its SCHEDULE may still come (beyond the look-ahead when it was released): the open task
    // takes it then, so that its run time does not depend on the look-ahead; time 0 stands in
    // for a t = 0 submission only at its end, if none came (FixEnd).
    if (current && ref.slot != kNoTask) {
      open_[key] = OpenTask{ref, h.sched, h.submit == google2011::kBeforeWindow};
    }
  }
}

}  // namespace clustersim::models
