#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/workload/alibaba/alibaba_batch.h"
#include "models/workload/alibaba/alibaba_machines.h"
#include "models/workload/table_pump.h"
#include "models/workload/trace_io/csv_table_io.h"
#include "models/workload/trace_os_mapping.h"
#include "models/workload/trace_source.h"

namespace clustersim::models {

// Recorded replay of Alibaba 2018 batch instances (trace mode `recorded`): the production
// scheduler's own placements as a baseline. Each batch_instance row with a start_time > 0 is
// launched at that time on its recorded machine_id (an agent of the machine_meta replay, which
// must be in service then) through TraceHost::LaunchRecorded: no offer, no pull, no start
// latency; capacity may be exceeded and is reported as overcommit_machine_seconds. It requests
// its task's plan_cpu / plan_mem (from batch_task, as in demand mode) and runs until its
// end_time, ending in the state its status records (Terminated -> FINISHED, Failed -> FAILED,
// Cancelled / Interrupted -> KILLED, anything else -> FINISHED); a row with no end (end_time <=
// 0 or before its start) runs until the replay ends: trace.duration, else the latest start or
// end time of the table.
//
// Memory: batch_instance is read through TimeOrderedTable by start_time (O(runs)), batch_task is
// indexed by job (one entry of ~48 bytes per contiguous job group) and read back one job at a time.
// A job (its simulated id and OS draw) is kept until the later of its tasks' and its instances'
// recorded ends, or for the whole run if an instance has no end; an instance of a job that starts
// after that gets a new job.
class AlibabaRecordedReplay final : public TraceSource {
 public:
  // Scans batch_instance (to find the replay's end) and checks the tables; malformed rows are
  // counted, or in strict mode the first one is the error. `machines` is the machine_meta replay
  // started before this one (it outlives it).
  static sim::Result<std::unique_ptr<AlibabaRecordedReplay>> Open(
      const ScenarioSpec& spec, const AlibabaMachineReplay* machines,
      std::vector<std::string> task_files, std::vector<std::string> instance_files);

  void Start(const TraceHost& host) override;
  std::vector<std::pair<std::string, double>> Report() const override;
  std::optional<sim::Time> RunEnd() const override { return run_end_; }

  // The state a batch_instance status ends in.
  static TaskState StateOf(std::string_view status);

 private:
  struct Job {
    uint64_t id = 0;
    TraceOsMapper::JobOs os;
    int64_t last_end = -1;  // seconds; the latest end of its instances so far (-1: one has none)
  };

  AlibabaRecordedReplay(const ScenarioSpec& spec, const AlibabaMachineReplay* machines,
                        std::vector<std::string> task_files,
                        std::vector<std::string> instance_files);
  void Launch(const TableUnit& unit);
  // The plan of `task` in job `job_name` (cpus, mem), from batch_task; nullopt if not there.
  std::optional<Resources> PlanOf(std::string_view job_name, std::string_view task);
  Job& JobOf(std::string_view job_name, int64_t end);

  const ScenarioSpec& spec_;
  const AlibabaMachineReplay* machines_;
  std::vector<std::string> task_files_;
  std::vector<std::string> instance_files_;
  TraceSubmit* submit_ = nullptr;  // job ids
  TraceRecorded* launches_ = nullptr;
  std::unique_ptr<TraceOsMapper> os_;
  RowErrors errors_;
  TimeOrderedTable instances_in_;
  TimeOrderedTable tasks_in_;
  std::vector<std::pair<size_t, TableUnit>> task_index_;  // (hash of job_name, unit), sorted
  std::string cached_job_;  // the job whose plans are in cached_plans_
  std::vector<std::pair<std::string, Resources>> cached_plans_;
  int64_t cached_job_end_ = -1;  // its tasks' latest end_time
  std::unordered_map<std::string, Job> jobs_;
  // (last end, job name): when a job may be forgotten; checked lazily.
  std::priority_queue<std::pair<int64_t, std::string>, std::vector<std::pair<int64_t, std::string>>,
                      std::greater<>>
      expiry_;
  std::optional<sim::Time> run_end_;
  // The latest start or end time instances_in_'s classifier has seen: after Open's scan, the
  // table's last time. A member, not a local of Open: the table keeps its classifier and calls it
  // again as it reads the rows during the run.
  int64_t last_instance_time_ = 0;
  TablePump pump_;
  std::string machine_;  // scratch for machine lookups

  uint64_t launched_ = 0;
  uint64_t no_machine_ = 0;
  uint64_t without_start_ = 0;
  uint64_t without_end_ = 0;
  uint64_t orphan_rows_ = 0;
  uint64_t jobs_seen_ = 0;
};

}  // namespace clustersim::models
