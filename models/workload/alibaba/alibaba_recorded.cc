#include "models/workload/alibaba/alibaba_recorded.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>

#include "models/workload/trace_io/line_reader.h"

namespace clustersim::models {

TaskState AlibabaRecordedReplay::StateOf(std::string_view status) {
  if (status == "Failed") return TaskState::kFailed;
  if (status == "Cancelled" || status == "Interrupted") return TaskState::kKilled;
  return TaskState::kFinished;
}

AlibabaRecordedReplay::AlibabaRecordedReplay(const ScenarioSpec& spec,
                                             const AlibabaMachineReplay* machines,
                                             std::vector<std::string> task_files,
                                             std::vector<std::string> instance_files)
    : spec_(spec),
      machines_(machines),
      task_files_(std::move(task_files)),
      instance_files_(std::move(instance_files)),
      errors_(spec.trace.strict) {}

sim::Result<std::unique_ptr<AlibabaRecordedReplay>> AlibabaRecordedReplay::Open(
    const ScenarioSpec& spec, const AlibabaMachineReplay* machines,
    std::vector<std::string> task_files, std::vector<std::string> instance_files) {
  std::unique_ptr<AlibabaRecordedReplay> source(
      new AlibabaRecordedReplay(spec, machines, std::move(task_files), std::move(instance_files)));
  AlibabaRecordedReplay& s = *source;
  // Instances in start order; the scan also finds the table's last time, the replay's end.
  TimeOrderedTable::Options options;
  int64_t* last = &s.last_instance_time_;  // outlives the table's classifier, as `s` does
  SIM_RETURN_IF_ERROR(s.instances_in_.Scan(
      s.instance_files_, options,
      [last](std::string_view line, std::string_view&, double& time, std::string& error) {
        AlibabaBatchReplay::InstanceRow row;
        if (auto e = AlibabaBatchReplay::ParseInstance(line, row)) {
          error = std::move(*e);
          return false;
        }
        *last = std::max({*last, row.start_time, row.end_time});
        time = static_cast<double>(row.start_time);
        return true;
      },
      s.errors_));
  if (s.errors_.failed()) return s.errors_.fatal();
  // batch_task, indexed by job for the instances' plans.
  TimeOrderedTable::Options index;
  index.grouped = true;
  index.random_access_only = true;
  index.on_unit = [&s](const TableUnit& unit, std::string_view job) {
    s.task_index_.emplace_back(std::hash<std::string_view>()(job), unit);
  };
  SIM_RETURN_IF_ERROR(
      s.tasks_in_.Scan(s.task_files_, index, AlibabaBatchReplay::ClassifyTask, s.errors_));
  if (s.errors_.failed()) return s.errors_.fatal();
  std::stable_sort(s.task_index_.begin(), s.task_index_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  s.task_index_.shrink_to_fit();  // kept for the whole run: no doubling slack
  s.run_end_ =
      spec.trace.duration ? *spec.trace.duration : sim::Time::Seconds(s.last_instance_time_);
  return source;
}

void AlibabaRecordedReplay::Start(const TraceHost& host) {
  pump_.Bind(host);
  submit_ = &host.submit;
  launches_ = &host.recorded;
  os_ = std::make_unique<TraceOsMapper>(spec_.trace.os, spec_.images, pump_.simulator().random());
  // Rows with no start (0: not started in the trace) come first in start order.
  pump_.Run(instances_in_,
            {.due =
                 [](const TableUnit& u) {
                   return sim::Time::Seconds(std::max<int64_t>(0, static_cast<int64_t>(u.time)));
                 },
             .handle = [this](const TableUnit& u) { Launch(u); }});
}

std::optional<Resources> AlibabaRecordedReplay::PlanOf(std::string_view job_name,
                                                       std::string_view task) {
  if (cached_job_ != job_name) {
    cached_job_.assign(job_name);
    cached_plans_.clear();
    cached_job_end_ = -1;
    const size_t key = std::hash<std::string_view>()(job_name);
    auto it = std::lower_bound(task_index_.begin(), task_index_.end(), key,
                               [](const auto& e, size_t k) { return e.first < k; });
    const double mem_size = spec_.trace.machine_size.mem();
    for (; it != task_index_.end() && it->first == key; ++it) {
      const sim::Status read =
          tasks_in_.ForEachRow(it->second, [&](uint64_t, std::string_view line) {
            AlibabaBatchReplay::TaskRow r;
            if (AlibabaBatchReplay::ParseTask(line, r) || r.job_name != job_name) return;
            cached_plans_.emplace_back(std::string(r.task_name),
                                       Resources::Of(r.cpus, r.mem_frac * mem_size));
            cached_job_end_ = std::max(cached_job_end_, r.end_time);
          });
      if (!read.ok()) {
        pump_.Stop(read);
        return std::nullopt;
      }
    }
  }
  for (const auto& [name, plan] : cached_plans_) {
    if (name == task) return plan;
  }
  return std::nullopt;
}

AlibabaRecordedReplay::Job& AlibabaRecordedReplay::JobOf(std::string_view job_name, int64_t end) {
  const int64_t now = pump_.simulator().Now().micros();
  // Forget the jobs whose instances have all ended (a job with an open-ended instance stays).
  while (!expiry_.empty() && sim::Time::Seconds(expiry_.top().first).micros() < now) {
    auto it = jobs_.find(expiry_.top().second);
    if (it != jobs_.end() && it->second.last_end == expiry_.top().first) jobs_.erase(it);
    expiry_.pop();
  }
  auto [it, inserted] = jobs_.try_emplace(std::string(job_name));
  Job& job = it->second;
  const int64_t before = job.last_end;
  if (inserted) {
    job.id = submit_->NewJobId();
    job.os = os_->DrawJob();
    ++jobs_seen_;
    job.last_end = end;
  } else if (job.last_end >= 0) {
    job.last_end = end < 0 ? -1 : std::max(job.last_end, end);
  }
  // One entry per change of a job's end, not per instance; stale ones are skipped when popped.
  if (job.last_end >= 0 && (inserted || job.last_end != before)) {
    expiry_.emplace(job.last_end, it->first);
  }
  return job;
}

void AlibabaRecordedReplay::Launch(const TableUnit& unit) {
  const sim::Status read = instances_in_.ForEachRow(unit, [&](uint64_t, std::string_view line) {
    AlibabaBatchReplay::InstanceRow row;
    if (AlibabaBatchReplay::ParseInstance(line, row)) return;  // counted by the scan
    if (row.start_time <= 0) {
      ++without_start_;
      return;
    }
    const std::optional<Resources> plan = PlanOf(row.job_name, row.task_name);
    if (pump_.stopped()) return;
    if (!plan) {
      ++orphan_rows_;
      return;
    }
    std::array<std::string_view, 15> f;
    SplitFields(line, ',', f);
    machine_.assign(f[7]);
    const std::optional<AgentId> agent = machines_->UpAgent(machine_);
    if (!agent || !launches_->TakesRecordedLaunch(*agent)) {  // before the job is counted
      ++no_machine_;
      return;
    }
    const bool has_end = row.end_time > 0 && row.end_time >= row.start_time;
    const Job& job = JobOf(row.job_name, has_end ? std::max(row.end_time, cached_job_end_) : -1);
    Task task;
    task.job = job.id;
    TraceOsMapper::Apply(job.os, task);
    task.resources = *plan;
    task.submit_known = false;  // the table records starts, not submissions
    task.submitted = pump_.simulator().Now();
    if (has_end) {
      task.duration = sim::Time::Seconds(row.end_time - row.start_time);
      task.end_state = StateOf(row.status);
      if (task.end_state == TaskState::kFailed) task.end_reason = TaskReason::kTraceFailed;
      if (task.end_state == TaskState::kKilled) task.end_reason = TaskReason::kTraceKilled;
    } else {
      task.service = true;  // runs until the replay ends
      task.duration = sim::Time::Max();
      ++without_end_;
    }
    const TraceTask launched = launches_->LaunchRecorded(0, std::move(task), *agent);
    ++(launched.slot != kNoTask ? launched_ : no_machine_);
  });
  if (!read.ok()) pump_.Stop(read);
}

std::vector<std::pair<std::string, double>> AlibabaRecordedReplay::Report() const {
  const auto d = [](uint64_t v) { return static_cast<double>(v); };
  return {{"instance_rows", d(instances_in_.rows())},
          {"task_rows", d(tasks_in_.rows())},
          {"skipped_rows", d(errors_.count())},
          {"instances_launched", d(launched_)},
          {"instances_no_machine", d(no_machine_)},
          {"instances_without_start", d(without_start_)},
          {"instances_without_end", d(without_end_)},
          {"orphan_instance_rows", d(orphan_rows_)},
          {"jobs", d(jobs_seen_)},
          {"replay_end_s", run_end_ ? run_end_->seconds() : 0.0},
          {"overcommit_machine_seconds",
           launches_ != nullptr ? launches_->OvercommitMachineSeconds() : 0.0}};
}

}  // namespace clustersim::models
