#include "models/workload/swf/swf_replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/workload/framework_mapping.h"
#include "models/workload/swf/swf_format.h"
#include "models/workload/trace_io/csv_table_io.h"
#include "models/workload/trace_io/warn_once.h"
#include "sim/check.h"

namespace clustersim::models {

sim::Result<std::unique_ptr<TraceSource>> SwfReplay::Open(const ScenarioSpec& spec) {
  const TraceSpec& t = spec.trace;
  SIM_CHECK(t.paths.size() == 1 && t.paths[0].second.size() == 1);  // MakeTraceSource's check
  SIM_ASSIGN_OR_RETURN(std::unique_ptr<SwfReader> reader, SwfReader::Open(t.paths[0].second[0]));
  std::unique_ptr<SwfReplay> source(new SwfReplay(spec, std::move(reader)));
  const SwfHeader& header = source->reader_->header();
  source->policy_ = t.Options<SwfOptions>().queue;

  // The frameworks that take the jobs become batch frameworks: they must have no workload of
  // their own.
  const size_t used = t.map.by == FrameworkMapping::By::kAll ? 1 : spec.frameworks.size();
  for (size_t f = 0; f < used; ++f) {
    const WorkloadSpec& w = spec.frameworks[f].workload;
    if (w.initial_jobs > 0 || w.arrival != ArrivalKind::kNone) {
      return sim::Status::Error(fmt::format(
          "frameworks[{}] ('{}') takes the SWF jobs as a batch framework and cannot also have a "
          "workload",
          f, spec.frameworks[f].name));
    }
    source->frameworks_.push_back(f);
  }

  const int64_t header_procs = header.max_procs > 0 ? header.max_procs : header.max_nodes;
  if (spec.groups.empty()) {
    if (header_procs <= 0) {
      return sim::Status::Error(fmt::format(
          "{}: the header gives neither '; MaxProcs:' nor '; MaxNodes:', and the scenario has no "
          "cluster",
          source->reader_->path()));
    }
    const int64_t nodes = header.max_nodes;
    if (nodes > 0 && header_procs % nodes == 0) {
      source->nodes_ = nodes;
      source->cpus_per_node_ = header_procs / nodes;
    } else {
      source->nodes_ = header_procs;
      source->cpus_per_node_ = 1;
    }
    source->cluster_procs_ = header_procs;
    if (source->nodes_ > sim::kMaxInputAgents) {
      // The key that asked for the agents: MaxNodes when it set their number, else MaxProcs.
      const bool by_nodes = source->nodes_ == nodes;
      return sim::Status::Error(fmt::format(
          "{}:{}: '; {}: {}' makes a cluster of {} agents; at most {} are allowed (give the "
          "scenario a cluster, or MaxNodes)",
          source->reader_->path(), by_nodes ? header.max_nodes_line : header.max_procs_line,
          by_nodes ? "MaxNodes" : "MaxProcs", by_nodes ? header.max_nodes : header.max_procs,
          source->nodes_, sim::kMaxInputAgents));
    }
  } else {
    for (const AgentGroupSpec& g : spec.groups) {
      if (plugins::CanRun(g.os, g.os_version, g.isolation, Os::kLinux, OsVersion::kNone)) {
        source->cluster_procs_ +=
            static_cast<int64_t>(g.count) * static_cast<int64_t>(std::floor(g.resources.cpus()));
      }
    }
  }
  source->max_procs_ = header_procs > 0 ? header_procs : source->cluster_procs_;
  return std::unique_ptr<TraceSource>(std::move(source));
}

SwfReplay::SwfReplay(const ScenarioSpec& spec, std::unique_ptr<SwfReader> reader)
    : spec_(spec), reader_(std::move(reader)) {}

void SwfReplay::Start(const TraceHost& host) {
  sim_ = &host.simulator;
  failure_ = &host.errors;
  submit_ = &host.submit;
  gangs_ = &host.gangs;
  for (int64_t i = 0; i < nodes_; ++i) {
    plugins::AgentInfo info;
    info.name = fmt::format("swf-{}", i);
    info.os = Os::kLinux;
    info.isolation = plugins::Isolation::kDocker;
    info.capacity = Resources::Of(static_cast<double>(cpus_per_node_), 0);
    host.agents.AddAgent(std::move(info), -1);
  }
  for (size_t f : frameworks_) gangs_->UseBatchQueue(f, policy_);
  if (!ReadNext()) return;
  sim_->Schedule(sim::Time::FromSeconds(next_.submit_s), [this] { Arrive(); });
}

bool SwfReplay::ReadNext() {
  if (failed_) return false;
  for (;;) {
    switch (reader_->Next(next_)) {
      case SwfReader::Row::kEnd:
        return false;
      case SwfReader::Row::kError:
        failed_ = true;
        failure_->Fail(reader_->error());
        return false;
      case SwfReader::Row::kMalformed:
        if (spec_.trace.strict) {
          failed_ = true;
          failure_->Fail(reader_->error());
          return false;
        }
        // Counted by the reader; the first few named on stderr, as the other formats do.
        WarnMalformed(reader_->error().message());
        continue;
      case SwfReader::Row::kJob:
        break;
    }
    if (SwfSkipped(next_, max_procs_) || SwfWidth(next_) > cluster_procs_) {
      ++skipped_;
      continue;
    }
    return true;
  }
}

void SwfReplay::WarnMalformed(const std::string& message) {
  if (malformed_warned_ > RowErrors::kMaxWarnings) return;
  if (++malformed_warned_ <= RowErrors::kMaxWarnings) {
    WarnOnce(fmt::format("clustersim: warning: {} (row skipped)", message));
    return;
  }
  WarnOnce(
      "clustersim: warning: further malformed rows are skipped silently and counted in "
      "summary.json trace.skipped_rows");
}

void SwfReplay::Arrive() {
  const sim::Time now = sim_->Now();
  sim::Time at;
  do {
    Submit(next_);
    if (!ReadNext()) return;
    at = sim::Time::FromSeconds(next_.submit_s);
  } while (at == now);
  sim_->Schedule(at, [this] { Arrive(); });
}

void SwfReplay::Submit(const SwfJob& job) {
  const int64_t width = SwfWidth(job);
  const sim::Time run = sim::Time::FromSeconds(job.run_s);
  const sim::Time estimate = sim::Time::FromSeconds(SwfEstimate(job));
  if (run > estimate) ++killed_at_estimate_;
  Task task;
  task.job = submit_->NewJobId();
  task.resources = Resources::Of(1, 0);
  task.os = Os::kLinux;
  task.duration = std::min(run, estimate);
  // The batch system killed it: its tasks end KILLED, though the queue's statistics (wait,
  // slowdown, makespan) count it ended like any other.
  if (run > estimate) {
    task.end_state = TaskState::kKilled;
    task.end_reason = TaskReason::kEstimateExceeded;
  }
  task.job_tasks = static_cast<uint32_t>(width);
  TraceJobKeys keys;
  keys.user_id = job.user;
  const size_t framework = frameworks_[MapToFramework(spec_.trace.map, frameworks_.size(), keys)];
  gangs_->SubmitGang(framework, std::move(task), static_cast<uint32_t>(width), estimate);
}

std::vector<std::pair<std::string, double>> SwfReplay::Report() const {
  return {{"rows", static_cast<double>(reader_->rows())},
          {"skipped_rows", static_cast<double>(reader_->malformed())}};
}

std::vector<TraceSource::Section> SwfReplay::Sections() const {
  BatchStats s;
  if (gangs_ != nullptr) {
    for (size_t f : frameworks_) s.Merge(gangs_->QueueStats(f));
  }
  // NaN: no job started (or ended) yet, written as null (results/summary.cc, Number).
  const double none = std::numeric_limits<double>::quiet_NaN();
  const double mean_wait = s.started > 0 ? s.sum_wait_s / static_cast<double>(s.started) : none;
  const double max_wait = s.started > 0 ? s.max_wait_s : none;
  const double bsld = s.ended > 0 ? s.sum_bounded_slowdown / static_cast<double>(s.ended) : none;
  const double makespan = s.ended > 0 ? (s.last_end - s.first_submit).seconds() : none;
  return {Section{"swf",
                  {{"jobs", static_cast<double>(s.submitted)},
                   {"skipped", static_cast<double>(skipped_)},
                   {"mean_wait_s", mean_wait},
                   {"max_wait_s", max_wait},
                   {"mean_bounded_slowdown", bsld},
                   {"makespan_s", makespan},
                   {"unfinished", static_cast<double>(s.submitted - s.ended)},
                   {"killed_at_estimate", static_cast<double>(killed_at_estimate_)}}}};
}

}  // namespace clustersim::models
