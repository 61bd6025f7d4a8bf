#include "models/workload/alibaba/alibaba_batch.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/graph/topological_sort.hpp>
#include <cmath>
#include <iterator>
#include <limits>

#include "models/workload/trace_io/line_reader.h"
#include "sim/check.h"
#include "sim/input_limits.h"

namespace clustersim::models {

sim::Result<JobDag> JobDag::Build(const std::vector<std::string_view>& names,
                                  uint64_t& missing_parents) {
  JobDag dag;
  dag.graph_ = Graph(names.size());
  std::vector<DagTaskName> parsed;
  parsed.reserve(names.size());
  std::unordered_map<int64_t, size_t> by_number;
  for (size_t v = 0; v < names.size(); ++v) {
    parsed.push_back(ParseDagTaskName(names[v]));
    if (!parsed.back().dag) continue;
    auto [it, inserted] = by_number.emplace(parsed.back().number, v);
    if (!inserted) {
      return sim::Status::Error(fmt::format("tasks '{}' and '{}' have the same number {}",
                                            names[it->second], names[v], parsed.back().number));
    }
  }
  for (size_t v = 0; v < names.size(); ++v) {
    for (int64_t p : parsed[v].parents) {
      if (p == parsed[v].number) {
        return sim::Status::Error(fmt::format("task '{}' depends on itself", names[v]));
      }
      auto it = by_number.find(p);
      if (it == by_number.end()) {
        ++missing_parents;
        continue;
      }
      if (!boost::edge(it->second, v, dag.graph_).second)
        boost::add_edge(it->second, v, dag.graph_);
    }
  }
  std::vector<size_t> reversed;
  reversed.reserve(names.size());
  try {
    boost::topological_sort(dag.graph_, std::back_inserter(reversed));
  } catch (const boost::not_a_dag&) {
    return sim::Status::Error("the task dependencies form a cycle");
  }
  dag.order_.assign(reversed.rbegin(), reversed.rend());
  return dag;
}

std::vector<size_t> JobDag::children(size_t task) const {
  std::vector<size_t> out;
  for (auto [it, end] = boost::out_edges(task, graph_); it != end; ++it) {
    out.push_back(boost::target(*it, graph_));
  }
  return out;
}

AlibabaBatchReplay::AlibabaBatchReplay(const ScenarioSpec& spec,
                                       std::vector<std::string> task_files,
                                       std::vector<std::string> instance_files)
    : spec_(spec),
      task_files_(std::move(task_files)),
      instance_files_(std::move(instance_files)),
      errors_(spec.trace.strict),
      job_errors_(spec.trace.strict, "job") {}

void AlibabaBatchReplay::Start(const TraceHost& host) {
  pump_.Bind(host);
  submit_ = &host.submit;
  os_ = std::make_unique<TraceOsMapper>(spec_.trace.os, spec_.images, pump_.simulator().random());
  host.signals.task_submitted.Connect([this](const Task& t) { OnSubmitted(t); });
  host.signals.task_ended.Connect([this](const Task& t, bool final) { OnEnded(t, final); });

  TimeOrderedTable::Options options;
  options.grouped = true;
  options.unit_time = UnitTime::kMin;
  options.stop = pump_.InterruptPoll();
  sim::Status scanned = tasks_in_.Scan(task_files_, options, ClassifyStartedTask, errors_);
  if (!scanned.ok()) return pump_.Stop(scanned);

  if (!instance_files_.empty()) {
    TimeOrderedTable::Options index;
    index.grouped = true;
    index.random_access_only = true;
    index.stop = pump_.InterruptPoll();
    index.on_unit = [this](const TableUnit& unit, std::string_view job) {
      instance_index_.emplace_back(std::hash<std::string_view>()(job), unit);
    };
    scanned = instances_in_.Scan(instance_files_, index, ClassifyInstance, errors_);
    if (!scanned.ok()) return pump_.Stop(scanned);
    std::stable_sort(instance_index_.begin(), instance_index_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    instance_index_.shrink_to_fit();
  }
  // Jobs that never started sort last, and are only counted (StartJob).
  pump_.Run(tasks_in_, {.due =
                            [this](const TableUnit& u) {
                              return std::isinf(u.time) ? pump_.simulator().Now()
                                                        : sim::Time::FromSeconds(u.time);
                            },
                        .handle = [this](const TableUnit& u) { StartJob(u); }});
}

bool AlibabaBatchReplay::ClassifyStartedTask(std::string_view line, std::string_view& job,
                                             double& time, std::string& error) {
  if (!ClassifyTask(line, job, time, error)) return false;
  if (time <= 0) time = std::numeric_limits<double>::infinity();
  return true;
}

void AlibabaBatchReplay::StartJob(const TableUnit& unit) {
  if (std::isinf(unit.time)) {  // in the trace, none of its tasks started
    ++jobs_never_started_;
    return;
  }
  std::vector<JobRow> rows;
  std::string job_name;
  sim::Status read = tasks_in_.ForEachRow(unit, [&](uint64_t, std::string_view line) {
    TaskRow r;
    if (ParseTask(line, r)) return;
    if (rows.empty()) job_name.assign(r.job_name);
    rows.push_back(JobRow{std::string(r.task_name), r.instances, r.start_time, r.end_time, r.cpus,
                          r.mem_frac});
  });
  if (!read.ok()) return pump_.Stop(read);
  if (rows.empty()) return;
  // Each row is within a job's bound (the row parser); their sum is held at once too.
  int64_t instances = 0;
  for (const JobRow& r : rows) instances += r.instances;
  if (instances > sim::kMaxInputTasksPerJob) {
    if (!job_errors_.Add(tasks_in_.file(unit.file), unit.line,
                         fmt::format("job '{}': its tasks have {} instances in all; a job may have "
                                     "at most {}",
                                     job_name, instances, sim::kMaxInputTasksPerJob))) {
      pump_.Stop(job_errors_.fatal());
    }
    return;
  }

  std::vector<std::string_view> names;
  names.reserve(rows.size());
  for (const JobRow& r : rows) names.push_back(r.name);
  auto dag = JobDag::Build(names, missing_parents_);
  if (!dag.ok()) {
    if (!job_errors_.Add(tasks_in_.file(unit.file), unit.line,
                         fmt::format("job '{}': {}", job_name, dag.error()))) {
      pump_.Stop(job_errors_.fatal());
    }
    return;
  }

  auto job = std::make_unique<Job>();
  job->id = submit_->NewJobId();
  job->dag = std::move(*dag);
  job->os = os_->DrawJob();
  job->tasks.resize(rows.size());
  job->tasks_left = rows.size();
  edges_ += job->dag.edges();
  std::unordered_map<std::string_view, uint32_t> by_name;
  const double mem_size = spec_.trace.machine_size.mem();
  for (uint32_t i = 0; i < rows.size(); ++i) {
    DagTask& t = job->tasks[i];
    t.resources = Resources::Of(rows[i].cpus, rows[i].mem_frac * mem_size);
    t.instances = static_cast<uint32_t>(rows[i].instances);
    t.parents_left = static_cast<uint32_t>(job->dag.parents(i));
    by_name.emplace(rows[i].name, i);
  }

  read = ReadRecordedDurations(job_name, by_name, *job);
  if (!read.ok()) return pump_.Stop(read);
  FillDurations(rows, *job);

  ++jobs_;
  Job& j = *job;
  live_.emplace(j.id, std::move(job));
  // The roots (not parents_left: a root that ends at once, unschedulable, may bring a child's to
  // zero, and that child is released by Done).
  for (size_t v : j.dag.order()) {
    if (j.dag.parents(v) == 0) Release(j, static_cast<uint32_t>(v));
  }
}

sim::Status AlibabaBatchReplay::ReadRecordedDurations(
    const std::string& job_name, const std::unordered_map<std::string_view, uint32_t>& by_name,
    Job& job) {
  if (instance_index_.empty()) return sim::Status::Ok();
  const size_t key = std::hash<std::string_view>()(job_name);
  auto it = std::lower_bound(instance_index_.begin(), instance_index_.end(), key,
                             [](const auto& e, size_t k) { return e.first < k; });
  for (; it != instance_index_.end() && it->first == key; ++it) {
    SIM_RETURN_IF_ERROR(instances_in_.ForEachRow(it->second, [&](uint64_t, std::string_view line) {
      InstanceRow r;
      if (ParseInstance(line, r) || r.job_name != job_name) return;
      auto task = by_name.find(r.task_name);
      if (task == by_name.end()) {
        ++orphan_instance_rows_;
        return;
      }
      DagTask& t = job.tasks[task->second];
      if (r.status != "Terminated" || r.start_time <= 0 || r.end_time < r.start_time) return;
      if (t.durations.size() >= t.instances) return;
      t.durations.push_back(sim::Time::Seconds(r.end_time - r.start_time));
      ++recorded_durations_;
    }));
  }
  return sim::Status::Ok();
}

void AlibabaBatchReplay::FillDurations(const std::vector<JobRow>& rows, Job& job) {
  for (uint32_t i = 0; i < rows.size(); ++i) {
    DagTask& t = job.tasks[i];
    sim::Time fill;
    if (!t.durations.empty()) {
      int64_t sum = 0;
      for (sim::Time d : t.durations) sum += d.micros();
      fill = sim::Time::Micros(sum / static_cast<int64_t>(t.durations.size()));
    } else if (rows[i].start > 0 && rows[i].end >= rows[i].start) {
      fill = sim::Time::Seconds(rows[i].end - rows[i].start);
    } else if (t.instances > 0) {
      // Still running (or never started) when the trace was cut: its instances run until the
      // replay ends, as the other replays run a task whose end the trace does not give, and
      // its DAG children wait for it.
      ++tasks_without_duration_;
      fill = sim::Time::Max();
    }
    t.durations.resize(t.instances, fill);
    for (sim::Time& d : t.durations) d = std::max(d, sim::Time::Micros(1));
  }
}

void AlibabaBatchReplay::Release(Job& job, uint32_t index) {
  DagTask& t = job.tasks[index];
  if (t.parent_failed) {
    ++abandoned_tasks_;
    return Done(job, index, /*failed=*/true);
  }
  ++tasks_;
  if (t.instances == 0) return Done(job, index, /*failed=*/false);
  t.left = t.instances;
  instances_ += t.instances;
  Task task;
  task.job = job.id;
  task.resources = t.resources;
  TraceOsMapper::Apply(job.os, task);
  submitting_job_ = &job;
  submitting_task_ = index;
  for (uint32_t i = 0; i < t.instances; ++i) {
    task.duration = t.durations[i];
    task.service = task.duration == sim::Time::Max();
    submit_->Submit(0, task);
  }
  submitting_job_ = nullptr;
  std::vector<sim::Time>().swap(t.durations);
}

void AlibabaBatchReplay::OnSubmitted(const Task& task) {
  if (submitting_job_ == nullptr || task.job != submitting_job_->id) return;
  DagTask& t = submitting_job_->tasks[submitting_task_];
  if (t.first_id != 0) return;
  t.first_id = task.id;
  SIM_CHECK(submitting_job_->by_first_id.empty() ||
            submitting_job_->by_first_id.back().first < task.id);
  submitting_job_->by_first_id.emplace_back(task.id, submitting_task_);
}

void AlibabaBatchReplay::OnEnded(const Task& task, bool final) {
  if (!final) return;
  auto found = live_.find(task.job);
  if (found == live_.end()) return;
  Job& job = *found->second;
  auto it = std::upper_bound(job.by_first_id.begin(), job.by_first_id.end(),
                             std::make_pair(task.id, ~uint32_t{0}));
  SIM_CHECK(it != job.by_first_id.begin());
  const uint32_t index = std::prev(it)->second;
  DagTask& t = job.tasks[index];
  SIM_CHECK(task.id - t.first_id < t.instances && t.left > 0);
  if (task.state != TaskState::kFinished) t.failed = true;
  if (--t.left == 0) Done(job, index, t.failed);
}

void AlibabaBatchReplay::Done(Job& job, uint32_t index, bool failed) {
  sim::Simulator& sim = pump_.simulator();
  const uint64_t id = job.id;
  for (size_t child : job.dag.children(index)) {
    DagTask& c = job.tasks[child];
    if (failed) c.parent_failed = true;
    if (--c.parents_left == 0) {
      // Not from inside the task_ended signal: the child starts in an event of its own.
      sim.Schedule(sim.Now(), [this, id, child] {
        auto it = live_.find(id);
        if (it != live_.end()) Release(*it->second, static_cast<uint32_t>(child));
      });
    }
  }
  if (--job.tasks_left == 0) {
    sim.Schedule(sim.Now(), [this, id] { live_.erase(id); });
  }
}

std::vector<std::pair<std::string, double>> AlibabaBatchReplay::Report() const {
  return {{"task_rows", static_cast<double>(tasks_in_.rows())},
          {"instance_rows", static_cast<double>(instances_in_.rows())},
          {"skipped_rows", static_cast<double>(errors_.count())},
          {"skipped_jobs", static_cast<double>(job_errors_.count())},
          {"jobs", static_cast<double>(jobs_)},
          {"tasks", static_cast<double>(tasks_)},
          {"instances", static_cast<double>(instances_)},
          {"dag_edges", static_cast<double>(edges_)},
          {"missing_parents", static_cast<double>(missing_parents_)},
          {"abandoned_tasks", static_cast<double>(abandoned_tasks_)},
          {"recorded_instance_durations", static_cast<double>(recorded_durations_)},
          {"tasks_without_duration", static_cast<double>(tasks_without_duration_)},
          {"jobs_never_started", static_cast<double>(jobs_never_started_)},
          {"orphan_instance_rows", static_cast<double>(orphan_instance_rows_)}};
}

}  // namespace clustersim::models
