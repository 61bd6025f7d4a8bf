#include "models/workload/google2011/google2011_replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "models/workload/framework_mapping.h"
#include "models/workload/google2011/google2011_demand.h"
#include "models/workload/google2011/google2011_format.h"
#include "models/workload/google2011/google2011_recorded.h"
#include "models/workload/trace_io/warn_once.h"
#include "sim/check.h"
#include "sim/input_limits.h"

namespace clustersim::models {

using google2011::EventType;
using google2011::MachineEventType;

namespace {

double OrZero(double v) { return std::isnan(v) ? 0.0 : v; }

}  // namespace

size_t Google2011Replay::KeyHash::operator()(const Key& k) const {
  return static_cast<size_t>(sim::Mix64(k.job * 0x9e3779b97f4a7c15ULL + k.index));
}

sim::Result<std::unique_ptr<TraceSource>> Google2011Replay::Open(const ScenarioSpec& spec) {
  const TraceSpec& t = spec.trace;
  const std::vector<std::string>* tasks = t.Paths("task_events");
  SIM_CHECK(tasks != nullptr && !tasks->empty());  // MakeTraceSource's check
  const bool recorded = t.mode == ReplayMode::kRecorded;
  std::unique_ptr<Google2011Replay> replay;
  if (recorded) {
    replay = std::make_unique<Google2011RecordedReplay>(spec);
  } else {
    replay = std::make_unique<Google2011DemandReplay>(spec);
  }
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
  } else if (recorded) {
    // The last task event: the last row of the last task_events file (files are in time order).
    SIM_ASSIGN_OR_RETURN(replay->run_end_, Google2011RecordedReplay::LastTaskTime(tasks->back()));
  }
  // The runner ends the run here (runner.cc: RunEnd, else the scenario's duration).
  replay->count_until_ = (replay->run_end_ ? *replay->run_end_ : spec.duration).micros();
  return std::unique_ptr<TraceSource>(std::move(replay));
}

Google2011Replay::Google2011Replay(const ScenarioSpec& spec)
    : spec_(spec),
      trace_(spec.trace),
      machine_reader_(spec.trace.strict),
      task_reader_(spec.trace.strict),
      job_reader_(spec.trace.strict) {
  // Normalised values become resources times the machine size: a row whose product passes a
  // resource amount's bound is malformed (MachineCapacity, Requests).
  const Resources& size = spec.trace.machine_size;
  machine_reader_.set_scale(size.cpus(), size.mem(), size.disk());
  task_reader_.set_scale(size.cpus(), size.mem(), size.disk());
}

void Google2011Replay::Start(const TraceHost& host) {
  sim_ = &host.simulator;
  failure_ = &host.errors;
  agents_ = &host.agents;
  launches_ = &host.recorded;
  const sim::RandomStreams& streams = sim_->random();
  machine_os_draws_.emplace(streams, "trace.google2011.machine_os");
  job_os_draws_.emplace(streams, "trace.google2011.job_os");
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
    WarnOnce(fmt::format(
        "clustersim: warning: {} (malformed rows are skipped and counted in trace.skipped_rows; "
        "trace.strict stops instead)",
        first_error));
  }
}

void Google2011Replay::AdvanceMachineRow() {
  machine_row_ = machine_reader_.Next(mrow_);
  CheckReader(machine_reader_.status(), machine_reader_.skipped(), machine_reader_.first_error());
}

void Google2011Replay::AdvanceJobRow() {
  job_row_ = job_reader_.Next(jrow_);
  CheckReader(job_reader_.status(), job_reader_.skipped(), job_reader_.first_error());
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
  while (!Halted() && job_row_ && jrow_.time <= t) {
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
}

void Google2011Replay::Pump() {
  if (stopped_) return;
  const int64_t now = sim_->Now().micros();
  while (!Halted() && machine_row_ && mrow_.time <= now) {
    OnMachine(mrow_);
    AdvanceMachineRow();
  }
  if (!Halted()) ReadTasks(now);
  ReadJobsUntil(now);  // job rows the task rows have not pulled yet, for trace.jobs
  if (Halted()) return;
  int64_t next = NextTaskWake();
  if (machine_row_) next = std::min(next, mrow_.time);
  if (job_row_ && jrow_.time <= count_until_) next = std::min(next, jrow_.time);
  if (next == kNever) return;
  SIM_CHECK(next > now);
  sim_->Schedule(sim::Time::Micros(next), [this] { Pump(); });
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
        if (machines_.size() >= static_cast<size_t>(sim::kMaxInputAgents)) {
          // Refused, not skipped: a replay missing machines would be silently wrong.
          stopped_ = true;
          failure_->Fail(sim::Status::Error(fmt::format(
              "{}: machine {} would be the trace's agent {}; a run has at most {} agents",
              machine_reader_.lines().Where(), row.machine, machines_.size() + 1,
              sim::kMaxInputAgents)));
          return;
        }
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

// Counted on SUBMIT rows in both modes, so that the counter describes the input (the recorded
// replay takes its requests from SCHEDULE rows, which may give what the SUBMIT lacked).
void Google2011Replay::CountMissingRequest(const google2011::TaskEvent& row) {
  if (std::isnan(row.cpus) || std::isnan(row.mem)) ++counts_.missing_requests;
}

Resources Google2011Replay::Requests(const google2011::TaskEvent& row) {
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
  sim::Rng rng = machine_os_draws_->For(machine);
  os_->AssignMachine(info, rng);
}

const TraceOsMapper::JobOs& Google2011Replay::JobOsOf(uint64_t job) {
  if (last_job_ != job) {
    sim::Rng rng = job_os_draws_->For(job);
    last_job_ = job;
    last_job_os_ = os_->DrawJob(rng);
  }
  return last_job_os_;
}

void Google2011Replay::ApplyJobOs(uint64_t job, Task& task) {
  task.job = job;
  TraceOsMapper::Apply(JobOsOf(job), task);
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
  ReportMode(r);
  // Only when there are some, as the samples have none (their summaries stay as they were).
  if (const uint64_t after =
          task_reader_.after_window() + machine_reader_.after_window() + job_reader_.after_window();
      after > 0) {
    r.emplace_back("after_window_rows", d(after));
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
