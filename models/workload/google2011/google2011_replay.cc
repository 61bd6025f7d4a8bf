#include "models/workload/google2011/google2011_replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "models/workload/framework_mapping.h"
#include "models/workload/google2011/google2011_format.h"
#include "sim/check.h"

namespace clustersim::models {

using google2011::EventType;
using google2011::MachineEventType;

namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// splitmix64's finaliser: a bijective 64-bit mix.
uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? kNever : r;
}

double OrZero(double v) { return std::isnan(v) ? 0.0 : v; }

TaskState StateOf(EventType type) {
  switch (type) {
    case EventType::kFinish:
      return TaskState::kFinished;
    case EventType::kFail:
      return TaskState::kFailed;
    case EventType::kLost:
      return TaskState::kLost;
    default:  // KILL, EVICT (Borg preempted it)
      return TaskState::kKilled;
  }
}

}  // namespace

size_t Google2011Replay::KeyHash::operator()(const Key& k) const {
  return static_cast<size_t>(Mix64(k.job * 0x9e3779b97f4a7c15ULL + k.index));
}

sim::Result<std::unique_ptr<TraceSource>> Google2011Replay::Open(const ScenarioSpec& spec) {
  const TraceSpec& t = spec.trace;
  const std::vector<std::string>* tasks = t.Paths("task_events");
  if (tasks == nullptr || tasks->empty()) {
    return sim::Status::Error(
        "a google2011 trace needs task_events files (paths: {task_events: [...]}, or file names "
        "containing 'task_events')");
  }
  std::unique_ptr<Google2011Replay> replay(new Google2011Replay(spec));
  SIM_RETURN_IF_ERROR(replay->task_reader_.Open(*tasks));
  if (const auto* machines = t.Paths("machine_events"); machines != nullptr && !machines->empty()) {
    SIM_RETURN_IF_ERROR(replay->machine_reader_.Open(*machines));
    replay->has_machine_events_ = true;
  }
  if (const auto* jobs = t.Paths("job_events"); jobs != nullptr && !jobs->empty()) {
    SIM_RETURN_IF_ERROR(replay->job_reader_.Open(*jobs));
    replay->has_job_events_ = true;
  }
  if (t.duration) {
    replay->run_end_ = *t.duration;
  } else if (replay->recorded_) {
    // The last task event: the last row of the last task_events file (files are in time order).
    SIM_ASSIGN_OR_RETURN(std::string last, ReadLastLine(tasks->back()));
    google2011::TaskEvent row;
    if (last.empty() || !google2011::ParseRow(last, row).empty() ||
        row.time == google2011::kAfterWindow) {
      return sim::Status::Error(fmt::format(
          "{}: cannot tell the replay's end from the last row; set trace.duration", tasks->back()));
    }
    replay->run_end_ = sim::Time::Micros(row.time);
  }
  // The runner ends the run here (runner.cc: RunEnd, else the scenario's duration).
  replay->count_until_ = (replay->run_end_ ? *replay->run_end_ : spec.duration).micros();
  return std::unique_ptr<TraceSource>(std::move(replay));
}

Google2011Replay::Google2011Replay(const ScenarioSpec& spec)
    : spec_(spec),
      trace_(spec.trace),
      lookahead_(spec.trace.Options<Google2011Options>().lookahead),
      recorded_(spec.trace.mode == ReplayMode::kRecorded),
      machine_reader_(spec.trace.strict),
      task_reader_(spec.trace.strict),
      job_reader_(spec.trace.strict) {}

void Google2011Replay::Start(const TraceHost& host) {
  sim_ = &host.simulator;
  failure_ = &host.errors;
  agents_ = &host.agents;
  durations_ = &host.durations;
  launches_ = &host.recorded;
  const sim::RandomStreams& streams = sim_->random();
  machine_salt_ = streams.Stream("trace.google2011.machine_os").Next();
  job_salt_ = streams.Stream("trace.google2011.job_os").Next();
  os_ = std::make_unique<TraceOsMapper>(trace_.os, spec_.images, streams);
  if (has_machine_events_) AdvanceMachineRow();
  if (has_job_events_) AdvanceJobRow();
  AdvanceTaskRow();
  Pump();
}

void Google2011Replay::CheckReader(const sim::Status& status, uint64_t skipped,
                                   const std::string& first_error) {
  if (!status.ok()) {
    stopped_ = true;
    failure_->Fail(status);
    return;
  }
  if (skipped > 0 && !warned_) {
    warned_ = true;
    std::fprintf(stderr,
                 "clustersim: warning: %s (malformed rows are skipped and counted in "
                 "trace.skipped_rows; trace.strict stops instead)\n",
                 first_error.c_str());
  }
}

void Google2011Replay::AdvanceMachineRow() {
  machine_row_ = machine_reader_.Next(mrow_);
  CheckReader(machine_reader_.status(), machine_reader_.skipped(), machine_reader_.first_error());
  if (machine_row_ && mrow_.time == google2011::kAfterWindow) machine_row_ = false;
}

void Google2011Replay::AdvanceJobRow() {
  job_row_ = job_reader_.Next(jrow_);
  CheckReader(job_reader_.status(), job_reader_.skipped(), job_reader_.first_error());
  if (job_row_ && jrow_.time == google2011::kAfterWindow) job_row_ = false;
}

void Google2011Replay::ReadJobsUntil(int64_t t) {
  // Forget the jobs whose end lies before t: task rows from now on are at t or later (both tables
  // are in time order), and past its end a job has no task to map. A job ended at t stays, for a
  // task row at that same instant.
  while (!ended_jobs_.empty() && ended_jobs_.front().first < t) {
    auto it = jobs_.find(ended_jobs_.front().second);
    if (it != jobs_.end() && it->second.ended == ended_jobs_.front().first) jobs_.erase(it);
    ended_jobs_.pop_front();
  }
  while (!stopped_ && job_row_ && jrow_.time <= t) {
    OnJob(jrow_);
    AdvanceJobRow();
  }
}

void Google2011Replay::OnJob(const google2011::JobEvent& row) {
  if (row.time > google2011::kBeforeWindow && row.time <= count_until_) {
    ++counts_.job_rows_in_window[static_cast<int>(row.type)];
  }
  JobInfo& job = jobs_[row.job];
  if (!row.user.empty()) job.user.assign(row.user);
  if (row.scheduling_class >= 0) job.scheduling_class = row.scheduling_class;
  if (google2011::IsTerminal(row.type)) {
    job.ended = row.time;
    ended_jobs_.emplace_back(row.time, row.job);
  } else if (row.type == EventType::kSubmit) {
    job.ended = -1;  // resubmitted
  }
}

void Google2011Replay::AdvanceTaskRow() {
  task_row_ = task_reader_.Next(trow_);
  CheckReader(task_reader_.status(), task_reader_.skipped(), task_reader_.first_error());
  if (task_row_ && trow_.time == google2011::kAfterWindow) task_row_ = false;
}

// One wake-up: everything due now, then the next wake-up. In recorded mode machine and task rows
// are merged in time order (machines first at equal times, so a task can land on a machine added
// at the same instant); in demand mode task rows are read `lookahead` ahead, and the submissions
// due now are released after the machine rows.
void Google2011Replay::Pump() {
  if (stopped_) return;
  sim::Simulator& sim = *sim_;
  const int64_t now = sim.Now().micros();
  if (recorded_) {
    while (!stopped_) {
      const bool machine = machine_row_ && mrow_.time <= now;
      const bool task = task_row_ && trow_.time <= now;
      if (!machine && !task) break;
      if (machine && (!task || mrow_.time <= trow_.time)) {
        OnMachine(mrow_);
        AdvanceMachineRow();
      } else {
        ReadJobsUntil(trow_.time);
        if (stopped_) break;
        OnRecordedTask(trow_);
        AdvanceTaskRow();
      }
    }
  } else {
    while (!stopped_ && machine_row_ && mrow_.time <= now) {
      OnMachine(mrow_);
      AdvanceMachineRow();
    }
    const int64_t horizon = SaturatingAdd(now, lookahead_.micros());
    while (!stopped_ && task_row_ && trow_.time <= horizon) {
      ReadJobsUntil(trow_.time);
      if (stopped_) break;
      OnDemandTask(trow_);
      AdvanceTaskRow();
    }
    if (!stopped_) Release(now);
  }
  ReadJobsUntil(now);  // job rows the task rows have not pulled yet, for trace.jobs
  if (stopped_) return;
  int64_t next = kNever;
  if (machine_row_) next = std::min(next, mrow_.time);
  if (job_row_ && jrow_.time <= count_until_) next = std::min(next, jrow_.time);
  if (recorded_) {
    if (task_row_) next = std::min(next, trow_.time);
  } else {
    if (!held_.empty()) next = std::min(next, held_.front().submit);
    if (task_row_) next = std::min(next, trow_.time - lookahead_.micros());
  }
  if (next == kNever) return;
  SIM_CHECK(next > now);
  sim.Schedule(sim::Time::Micros(next), [this] { Pump(); });
}

Resources Google2011Replay::MachineCapacity(double cpus, double mem) const {
  const Resources& size = trace_.machine_size;
  return Resources::Of(cpus * size.cpus(), mem * size.mem(), size.disk());
}

void Google2011Replay::OnMachine(const google2011::MachineEvent& row) {
  auto it = machines_.find(row.machine);
  switch (row.type) {
    case MachineEventType::kAdd: {
      if (it == machines_.end()) {
        Machine m;
        if (std::isnan(row.cpus) || std::isnan(row.mem)) ++counts_.machines_missing_capacity;
        m.cpus = std::isnan(row.cpus) ? 1.0 : row.cpus;
        m.mem = std::isnan(row.mem) ? 1.0 : row.mem;
        plugins::AgentInfo info;
        info.name = std::to_string(row.machine);
        AssignMachineOs(row.machine, info);
        info.capacity = MachineCapacity(m.cpus, m.mem);
        m.agent = agents_->AddAgent(std::move(info), -1);
        m.up = true;
        machines_.emplace(row.machine, m);
        ++counts_.machine_adds;
        return;
      }
      Machine& m = it->second;
      const double cpus = std::isnan(row.cpus) ? m.cpus : row.cpus;
      const double mem = std::isnan(row.mem) ? m.mem : row.mem;
      if (cpus != m.cpus || mem != m.mem) {
        m.cpus = cpus;
        m.mem = mem;
        agents_->UpdateAgent(m.agent, MachineCapacity(cpus, mem));
      }
      if (m.up) {
        ++counts_.duplicate_adds;
      } else {
        agents_->AgentUp(m.agent);
        m.up = true;
        ++counts_.machine_readds;
      }
      return;
    }
    case MachineEventType::kRemove:
      if (it == machines_.end() || !it->second.up) {
        ++counts_.unknown_machine_events;
        return;
      }
      it->second.up = false;
      agents_->AgentDown(it->second.agent);
      ++counts_.machine_removes;
      return;
    case MachineEventType::kUpdate: {
      if (it == machines_.end()) {
        ++counts_.unknown_machine_events;
        return;
      }
      Machine& m = it->second;
      const double cpus = std::isnan(row.cpus) ? m.cpus : row.cpus;
      const double mem = std::isnan(row.mem) ? m.mem : row.mem;
      ++counts_.machine_updates;
      if (cpus == m.cpus && mem == m.mem) return;
      m.cpus = cpus;
      m.mem = mem;
      agents_->UpdateAgent(m.agent, MachineCapacity(cpus, mem));
      return;
    }
  }
}

Resources Google2011Replay::Requests(const google2011::TaskEvent& row) {
  if (std::isnan(row.cpus) || std::isnan(row.mem)) ++counts_.missing_requests;
  const Resources& size = trace_.machine_size;
  return Resources::Of(OrZero(row.cpus) * size.cpus(), OrZero(row.mem) * size.mem(),
                       OrZero(row.disk) * size.disk());
}

uint32_t Google2011Replay::FrameworkOf(const google2011::TaskEvent& row) {
  TraceJobKeys keys{row.user, std::nullopt, row.scheduling_class, row.priority};
  const bool by_user = trace_.map.by == FrameworkMapping::By::kUser;
  const bool by_class = trace_.map.by == FrameworkMapping::By::kSchedulingClass;
  if (has_job_events_ &&
      ((by_user && row.user.empty()) || (by_class && row.scheduling_class < 0))) {
    if (auto it = jobs_.find(row.job); it != jobs_.end()) {
      const JobInfo& job = it->second;
      if (by_user && !job.user.empty()) {
        keys.user = job.user;
        ++counts_.tasks_mapped_by_job_events;
      } else if (by_class && job.scheduling_class >= 0) {
        keys.scheduling_class = job.scheduling_class;
        ++counts_.tasks_mapped_by_job_events;
      }
    }
  }
  return MapToFramework(trace_.map, spec_.frameworks.size(), keys);
}

void Google2011Replay::AssignMachineOs(uint64_t machine, plugins::AgentInfo& info) const {
  sim::Rng rng(Mix64(machine_salt_ ^ Mix64(machine)));
  os_->AssignMachine(info, rng);
}

const TraceOsMapper::JobOs& Google2011Replay::JobOsOf(uint64_t job) {
  if (last_job_ != job) {
    sim::Rng rng(Mix64(job_salt_ ^ Mix64(job)));
    last_job_ = job;
    last_job_os_ = os_->DrawJob(rng);
  }
  return last_job_os_;
}

void Google2011Replay::ApplyJobOs(uint64_t job, Task& task) {
  task.job = job;
  TraceOsMapper::Apply(JobOsOf(job), task);
}

// --- Demand mode ---------------------------------------------------------------------------------

Google2011Replay::Held* Google2011Replay::FindHeld(const Key& key) {
  auto it = held_index_.find(key);
  if (it == held_index_.end()) return nullptr;
  return &held_[it->second - held_base_];
}

void Google2011Replay::OnDemandTask(const google2011::TaskEvent& row) {
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

void Google2011Replay::FixEnd(const OpenTask& open, int64_t end) {
  // Never scheduled in the trace: it should not run at all; the least it can do is end at once.
  const int64_t run = open.sched < 0 ? 1 : std::max<int64_t>(1, end - open.sched);
  if (durations_->SetTaskDuration(open.task, sim::Time::Micros(run))) ++counts_.late_ends;
}

void Google2011Replay::Release(int64_t now) {
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
        ++counts_.tasks_never_scheduled;
        continue;
      }
      task.duration = sim::Time::Micros(std::max<int64_t>(1, h.end - run_start));
      durations_->SubmitTracked(h.framework, std::move(task));
      ++counts_.tasks_submitted;
      continue;
    }
    task.service = true;
    task.duration = sim::Time::Max();
    const TraceTask ref = durations_->SubmitTracked(h.framework, std::move(task));
    ++counts_.tasks_submitted;
    ++counts_.tasks_open_ended;
    if (current && ref.slot != kNoTask) open_[key] = OpenTask{ref, run_start};
  }
}

// --- Recorded mode -------------------------------------------------------------------------------

void Google2011Replay::OnRecordedTask(const google2011::TaskEvent& row) {
  const Key key{row.job, row.index};
  switch (row.type) {
    case EventType::kSubmit: {
      ++counts_.submits;
      Recorded& r = recorded_tasks_[key];
      if (r.task.slot != kNoTask && launches_->EndRecorded(r.task, TaskState::kKilled)) {
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
      if (r.task.slot != kNoTask && launches_->EndRecorded(r.task, TaskState::kKilled)) {
        ++counts_.double_schedules;
      }
      r.task = {};
      const int64_t submit = r.submit;
      r.submit = -1;
      auto m = row.has_machine ? machines_.find(row.machine) : machines_.end();
      if (m == machines_.end() || !m->second.up) {
        ++counts_.tasks_no_machine;
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
      ++counts_.tasks_launched;
      return;
    }
    case EventType::kUpdatePending:
    case EventType::kUpdateRunning:
      ++counts_.updates_ignored;
      return;
    default: {  // terminal
      ++counts_.ends;
      auto it = recorded_tasks_.find(key);
      if (it == recorded_tasks_.end()) {
        ++counts_.terminal_without_submit;
        return;
      }
      if (it->second.task.slot != kNoTask &&
          launches_->EndRecorded(it->second.task, StateOf(row.type)) &&
          row.type == EventType::kEvict) {
        ++counts_.tasks_evicted;
      }
      recorded_tasks_.erase(it);
      return;
    }
  }
}

std::vector<std::pair<std::string, double>> Google2011Replay::Report() const {
  const auto d = [](uint64_t v) { return static_cast<double>(v); };
  std::vector<std::pair<std::string, double>> r = {
      {"skipped_rows",
       d(task_reader_.skipped() + machine_reader_.skipped() + job_reader_.skipped())},
      {"task_rows", d(task_reader_.rows())},
      {"machine_rows", d(machine_reader_.rows())},
      {"machines", d(machines_.size())},
      {"machine_adds", d(counts_.machine_adds)},
      {"machine_readds", d(counts_.machine_readds)},
      {"machine_removes", d(counts_.machine_removes)},
      {"machine_updates", d(counts_.machine_updates)},
      {"machines_missing_capacity", d(counts_.machines_missing_capacity)},
      {"unknown_machine_events", d(counts_.unknown_machine_events + counts_.duplicate_adds)},
      {"submit_rows", d(counts_.submits)},
      {"schedule_rows", d(counts_.schedules)},
      {"end_rows", d(counts_.ends)},
      {"update_rows_ignored", d(counts_.updates_ignored)},
      {"terminal_without_submit", d(counts_.terminal_without_submit)},
      {"schedule_without_submit", d(counts_.schedule_without_submit)},
      {"resubmitted_while_open", d(counts_.resubmitted_while_open)},
      {"double_schedules", d(counts_.double_schedules)},
      {"missing_requests", d(counts_.missing_requests)},
  };
  if (recorded_) {
    r.insert(r.end(), {{"tasks_launched", d(counts_.tasks_launched)},
                       {"tasks_no_machine", d(counts_.tasks_no_machine)},
                       {"tasks_evicted", d(counts_.tasks_evicted)},
                       {"replay_end_s", run_end_ ? run_end_->seconds() : 0.0}});
  } else {
    r.insert(r.end(), {{"lookahead_s", lookahead_.seconds()},
                       {"tasks_submitted", d(counts_.tasks_submitted)},
                       {"tasks_open_ended", d(counts_.tasks_open_ended)},
                       {"tasks_never_scheduled", d(counts_.tasks_never_scheduled)},
                       {"late_ends", d(counts_.late_ends)}});
  }
  r.emplace_back("overcommit_machine_seconds",
                 launches_ != nullptr ? launches_->OvercommitMachineSeconds() : 0.0);
  if (has_job_events_) {
    r.insert(r.end(), {{"job_rows", d(job_reader_.rows())},
                       {"tasks_mapped_by_job_events", d(counts_.tasks_mapped_by_job_events)},
                       {"jobs_held", d(jobs_.size())}});
  }
  return r;
}

std::vector<TraceSource::Section> Google2011Replay::Sections() const {
  if (!has_job_events_) return {};
  const auto n = [&](EventType type) {
    return static_cast<double>(counts_.job_rows_in_window[static_cast<int>(type)]);
  };
  return {Section{"trace.jobs",
                  {{"submitted", n(EventType::kSubmit)},
                   {"scheduled", n(EventType::kSchedule)},
                   {"evicted", n(EventType::kEvict)},
                   {"failed", n(EventType::kFail)},
                   {"finished", n(EventType::kFinish)},
                   {"killed", n(EventType::kKill)},
                   {"lost", n(EventType::kLost)},
                   {"updates", n(EventType::kUpdatePending) + n(EventType::kUpdateRunning)},
                   {"window_end_s", sim::Time::Micros(count_until_).seconds()}}}};
}

}  // namespace clustersim::models
