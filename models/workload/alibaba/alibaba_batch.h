#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/workload/alibaba/alibaba_reader.h"
#include "models/workload/table_pump.h"
#include "models/workload/trace_io/csv_table_io.h"
#include "models/workload/trace_os_mapping.h"
#include "models/workload/trace_source.h"
#include "sim/status.h"

namespace clustersim::models {

// The dependencies of one job's tasks, held in a Boost.Graph adjacency list: vertex i is the job's
// i-th task, an edge runs from a parent to its child.
class JobDag {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;

  // Builds the graph of tasks named `names` (in row order). A parent number no task of the job
  // has is dropped and counted in `missing_parents`. Errors: two tasks with the same number, a
  // cycle (including a task that depends on itself).
  static sim::Result<JobDag> Build(const std::vector<std::string_view>& names,
                                   uint64_t& missing_parents);

  size_t tasks() const { return boost::num_vertices(graph_); }
  size_t edges() const { return boost::num_edges(graph_); }
  size_t parents(size_t task) const { return boost::in_degree(task, graph_); }
  std::vector<size_t> children(size_t task) const;
  // A topological order of the tasks (parents before children).
  const std::vector<size_t>& order() const { return order_; }

 private:
  Graph graph_;
  std::vector<size_t> order_;
};

// Demand replay of Alibaba 2018 batch jobs (batch_task.csv, optionally batch_instance.csv, in the
// documented formats; see trace_2018.md and schema.txt in alibaba/clusterdata).
//
// batch_task rows: task_name, instance_num, job_name, task_type, status, start_time, end_time,
// plan_cpu (100 = 1 core), plan_mem (normalised to [0, 100]: x machine_size.mem / 100). A job is
// its consecutive rows with one job_name (the file need not be sorted by time: TimeOrderedTable
// merges its runs). It is submitted at its tasks' earliest start_time; a task's instances are
// submitted when every instance of all its parents has ended — FINISHED; if a parent's instance
// ends otherwise (failed, killed, lost, unschedulable) the task and its descendants are abandoned
// and counted, as the trace's scheduler would not run them either.
//
// Instance run times: from batch_instance rows (instance_name, task_name, job_name, task_type,
// status, start_time, end_time, machine_id, seq_no, total_seq_no, cpu_avg, cpu_max, mem_avg,
// mem_max) with status Terminated and 0 < start <= end: end - start, in row order, one per
// instance; instances without such a row run the mean of their task's recorded ones, or the task's
// own end_time - start_time when it has none. batch_instance is indexed by job (one entry of ~48
// bytes per contiguous job group) in a first pass, so its rows need not be in any order.
class AlibabaBatchReplay final : public TraceSource {
 public:
  using TaskRow = AlibabaTaskRow;
  using InstanceRow = AlibabaInstanceRow;
  // Row parsing and the TimeOrderedTable classifiers (alibaba_reader.h).
  static constexpr auto ParseTask = &ParseAlibabaTaskRow;
  static constexpr auto ParseInstance = &ParseAlibabaInstanceRow;
  static constexpr auto ClassifyTask = &ClassifyAlibabaTask;
  static constexpr auto ClassifyInstance = &ClassifyAlibabaInstance;
  // ClassifyTask for the job's submission time: the earliest start_time of its tasks that started
  // (start_time 0: not started, as the recorded replay and trace-info read it); +infinity for a
  // job none of whose tasks started.
  static bool ClassifyStartedTask(std::string_view line, std::string_view& job, double& time,
                                  std::string& error);

  AlibabaBatchReplay(const ScenarioSpec& spec, std::vector<std::string> task_files,
                     std::vector<std::string> instance_files);

  void Start(const TraceHost& host) override;
  std::vector<std::pair<std::string, double>> Report() const override;

 private:
  struct DagTask {
    Resources resources;
    std::vector<sim::Time> durations;  // per instance
    uint32_t instances = 0;
    uint32_t left = 0;          // instances not ended yet
    uint32_t parents_left = 0;  // parents not done yet
    bool parent_failed = false;
    bool failed = false;
    uint64_t first_id = 0;
  };
  struct Job {
    uint64_t id = 0;
    JobDag dag;
    std::vector<DagTask> tasks;
    std::vector<std::pair<uint64_t, uint32_t>> by_first_id;  // (first task id, task), ascending
    size_t tasks_left = 0;
    TraceOsMapper::JobOs os;
  };

  // A batch_task row of the job being started.
  struct JobRow {
    std::string name;
    int64_t instances, start, end;
    double cpus, mem_frac;
  };

  void StartJob(const TableUnit& unit);
  // Recorded instance run times, from the job's batch_instance rows (tasks by name).
  sim::Status ReadRecordedDurations(const std::string& job_name,
                                    const std::unordered_map<std::string_view, uint32_t>& by_name,
                                    Job& job);
  // Instances without a recorded run time: the mean of their task's, else the task's own span.
  void FillDurations(const std::vector<JobRow>& rows, Job& job);
  void Release(Job& job, uint32_t task);
  // The task's instances have all ended (or it was abandoned): unblock its children.
  void Done(Job& job, uint32_t task, bool failed);
  void OnSubmitted(const Task& task);
  void OnEnded(const Task& task, bool final);

  const ScenarioSpec& spec_;
  std::vector<std::string> task_files_;
  std::vector<std::string> instance_files_;
  TraceSubmit* submit_ = nullptr;
  std::unique_ptr<TraceOsMapper> os_;
  RowErrors errors_;
  RowErrors job_errors_;
  TimeOrderedTable tasks_in_;
  TimeOrderedTable instances_in_;
  std::vector<std::pair<size_t, TableUnit>> instance_index_;  // (hash of job_name, unit), sorted
  TablePump pump_;
  std::unordered_map<uint64_t, std::unique_ptr<Job>> live_;
  // The task whose instances are being submitted (its first id is learnt from task_submitted).
  Job* submitting_job_ = nullptr;
  uint32_t submitting_task_ = 0;

  uint64_t jobs_ = 0;
  uint64_t tasks_ = 0;
  uint64_t instances_ = 0;
  uint64_t edges_ = 0;
  uint64_t missing_parents_ = 0;
  uint64_t abandoned_tasks_ = 0;
  uint64_t recorded_durations_ = 0;
  uint64_t tasks_without_duration_ = 0;
  uint64_t jobs_never_started_ = 0;
  uint64_t orphan_instance_rows_ = 0;
};

}  // namespace clustersim::models
