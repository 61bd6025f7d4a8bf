#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/spec.h"
#include "models/workload/google2011/google2011_reader.h"
#include "models/workload/trace_os_mapping.h"
#include "models/workload/trace_source.h"
#include "sim/distribution.h"
#include "sim/random.h"
#include "sim/status.h"

namespace clustersim::models {

// Replays the Google cluster trace clusterdata-2011-2: machine_events drive the agents, and
// task_events drive the work in one of two modes. Simulated time is trace time: t = 0 rows
// ("before the window") happen at time 0, the window opens at 600 s.
//
// Jobs (optional job_events). Streamed beside task_events: before each task row is handled, every
// job row up to its time is read, and job rows also advance with simulated time. A job's user and
// scheduling class (from its rows, the latest non-empty value) stand in for a task row's missing
// ones when mapping tasks onto frameworks (by user or scheduling_class; counted in
// tasks_mapped_by_job_events). Memory: the jobs not yet ended (an ended job is forgotten once the
// task rows pass its end). summary.json's trace.jobs counts the job_events rows of each type
// with 0 < t <= the run's end (the trace window, as far as the run goes).
//
// Machines (both modes). ADD registers an agent named by the machine ID, capacity = normalised
// CPU and memory x trace.machine_size (disk: the machine size's disk); a missing value takes the
// machine's previous one, or 1.0 (the largest machine) for a new machine (counted). REMOVE is an
// agent failure (offers rescinded, tasks LOST); an ADD after a REMOVE brings the same agent back
// (with the new capacity); UPDATE changes the capacity (what running tasks hold beyond a cut is
// overcommit). OS, version and isolation come from trace.os by a draw keyed on the machine ID.
//
// Demand mode. Every SUBMIT is one simulated task, submitted to a framework (trace.
// map_to_frameworks) at its SUBMIT time with its requests x machine_size; its run time is the
// trace's, from its SCHEDULE to its end (EVICT, FAIL, FINISH, KILL or LOST), which lies later in
// the file. So the task_events reader runs `trace.lookahead` (default 1 h) of trace time ahead of
// simulated time and holds each submission until simulated time reaches its SUBMIT; by then any
// end within the look-ahead is known. Memory is the submissions of one look-ahead window plus the
// live open-ended tasks, independent of the trace's length. Cases:
//   - end known, SCHEDULE known: runs (end - SCHEDULE) once placed (the outcome is not replayed:
//     it FINISHES after that time);
//   - end known, never scheduled (killed while pending): not submitted, counted
//     (tasks_never_scheduled);
//   - end unknown at release (beyond the look-ahead, beyond the sample, or after the window):
//     submitted open-ended (a service, counted in tasks_open_ended). If the end shows up later the
//     task gets its run time then (late_ends): a running task finishes at its start + run time (or
//     at once if that has passed). Otherwise it runs until the replay ends;
//   - tasks SUBMITted before the window (t = 0) that end with no SCHEDULE seen count as
//     running from time 0 (they were running when the window opened: a sample cut after the
//     t = 0 SUBMITs lacks their t = 0 SCHEDULEs); a SCHEDULE that comes later, even beyond the
//     look-ahead, starts their run, whatever the look-ahead;
//   - a SUBMIT of a (job, index) whose previous run has no end yet ends that run at the new
//     SUBMIT (resubmitted_while_open): the trace cannot have two runs of one task at once, so
//     an end was lost (e.g. cut out of the sample).
//
// Recorded mode. The production scheduler's own placements: at each SCHEDULE the task is launched
// on the recorded machine (no offer, no pull, no start latency, capacity overcommit allowed and
// reported as overcommit_machine_seconds) and runs until its recorded end, whose kind it takes
// (FINISH -> FINISHED, FAIL -> FAILED, KILL and EVICT -> KILLED, LOST -> LOST); tasks with no
// recorded end run until the replay ends: the last task event (the last task_events row), or
// trace.duration. Its queue delay (summary.json queue_delay_s) is, per (job, index), the time
// from the latest SUBMIT inside the window (t > 0) to the next SCHEDULE; a terminal event drops a
// pending SUBMIT. Tasks scheduled with no such SUBMIT (submitted before the window) have none.
//
// Malformed rows (google2011_reader.h), out-of-range values included (a time past 2^61 us, a
// normalised value that times trace.machine_size passes 2^32): with trace.strict the run stops
// with "file:line: what"; otherwise they are skipped and counted (skipped_rows), and the first one
// is printed as a warning on stderr. Rows after the window (t = 2^63 - 1) are not replayed; they
// are counted in after_window_rows (present when non-zero) and reading goes on past them.
//
// Google2011Replay is what both modes share (machines, jobs, the task reader, the OS draws, the
// wake-ups); the modes' own state is in Google2011DemandReplay (google2011_demand.h) and
// Google2011RecordedReplay (google2011_recorded.h). Machines are not a replay of their own (as
// Alibaba's are) because the trace orders machine and task rows on one clock: one wake-up per
// instant handles both, machines first.
class Google2011Replay : public TraceSource {
 public:
  // Checks the trace's files (task_events required; machine_events optional: without it the
  // scenario's own cluster runs the tasks) and, in recorded mode, finds the replay's end.
  static sim::Result<std::unique_ptr<TraceSource>> Open(const ScenarioSpec& spec);

  void Start(const TraceHost& host) override;
  std::vector<std::pair<std::string, double>> Report() const override;
  // "trace.jobs" when job_events are read: submitted, scheduled, evicted, failed, finished,
  // killed, lost, updates (rows with 0 < t <= window_end_s), window_end_s.
  std::vector<Section> Sections() const override;
  std::optional<sim::Time> RunEnd() const override { return run_end_; }

 protected:
  struct Key {
    uint64_t job;
    uint32_t index;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  struct Machine {
    AgentId agent;
    bool up = false;
    double cpus = 1, mem = 1;  // normalised capacity
  };
  explicit Google2011Replay(const ScenarioSpec& spec);

  void AdvanceMachineRow();
  void AdvanceTaskRow();
  void AdvanceJobRow();
  // Handles the job rows with time <= t.
  void ReadJobsUntil(int64_t t);
  void OnJob(const google2011::JobEvent& row);
  void CheckReader(const sim::Status& status, uint64_t skipped, const std::string& first_error);
  // One wake-up: the machine rows due now, then the mode's task rows (ReadTasks), then the job
  // rows due now, then the next wake-up: one event per instant, so machines come first at equal
  // times and the order against the cluster's own events is the trace's.
  void Pump();
  void OnMachine(const google2011::MachineEvent& row);
  // The mode's part of a wake-up at `now`, and when it next needs one (kNever: not).
  virtual void ReadTasks(int64_t now) = 0;
  virtual int64_t NextTaskWake() const = 0;
  // The mode's entries of Report, after the shared ones.
  virtual void ReportMode(std::vector<std::pair<std::string, double>>& r) const = 0;

  Resources MachineCapacity(double cpus, double mem) const;
  // Counts a SUBMIT row with no cpu or memory request (trace.missing_requests).
  void CountMissingRequest(const google2011::TaskEvent& row);
  Resources Requests(const google2011::TaskEvent& row);
  uint32_t FrameworkOf(const google2011::TaskEvent& row);
  void AssignMachineOs(uint64_t machine, plugins::AgentInfo& info) const;
  const TraceOsMapper::JobOs& JobOsOf(uint64_t job);
  void ApplyJobOs(uint64_t job, Task& task);

  const ScenarioSpec& spec_;
  const TraceSpec& trace_;
  std::optional<sim::Time> run_end_;
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
  sim::Simulator* sim_ = nullptr;
  TraceErrors* failure_ = nullptr;
  TraceAgents* agents_ = nullptr;
  TraceRecorded* launches_ = nullptr;
  bool stopped_ = false;
  // Stopped by an input error, or the run is being interrupted (Ctrl-C): a read loop ends at
  // once rather than finish a chunk that may hold millions of rows (lookahead, the rows at t = 0),
  // and Pump schedules nothing more, since the run ends after this event.
  bool Halted() const { return stopped_ || sim_->interrupted(); }

  google2011::MachineEventReader machine_reader_;
  google2011::TaskEventReader task_reader_;
  google2011::JobEventReader job_reader_;
  bool has_machine_events_ = false;
  bool has_job_events_ = false;
  bool job_row_ = false;  // jrow_ holds the next job row
  google2011::JobEvent jrow_;
  // Job rows with t in (0, count_until_] are counted in trace.jobs: the run's end.
  int64_t count_until_ = 0;
  bool machine_row_ = false;  // mrow_ holds the next machine row
  bool task_row_ = false;     // trow_ holds the next task row
  google2011::MachineEvent mrow_;
  google2011::TaskEvent trow_;
  bool warned_ = false;

  std::unordered_map<uint64_t, Machine> machines_;
  // Jobs from job_events, until the task rows pass their end.
  struct JobInfo {
    std::string user;
    int scheduling_class = -1;
    int64_t ended = -1;  // time of its last terminal row; -1: not ended
  };
  std::unordered_map<uint64_t, JobInfo> jobs_;
  std::deque<std::pair<int64_t, uint64_t>> ended_jobs_;  // (end, job), in time order

  // The seeded OS mapping, its draws keyed on machine and job IDs, so they depend on neither the
  // order of the rows nor on how many were read, and need no memory per job.
  std::unique_ptr<TraceOsMapper> os_;
  std::optional<sim::KeyedStreams> machine_os_draws_;  // set at Start, from the run's streams
  std::optional<sim::KeyedStreams> job_os_draws_;
  uint64_t last_job_ = ~uint64_t{0};  // the job whose draw last_job_os_ holds
  TraceOsMapper::JobOs last_job_os_;

  struct Counts {
    uint64_t machine_adds = 0, machine_readds = 0, machine_removes = 0, machine_updates = 0;
    uint64_t machines_missing_capacity = 0, unknown_machine_events = 0, duplicate_adds = 0;
    uint64_t submits = 0, schedules = 0, ends = 0, updates_ignored = 0;
    uint64_t terminal_without_submit = 0, schedule_without_submit = 0;
    uint64_t resubmitted_while_open = 0, double_schedules = 0, missing_requests = 0;
    // Jobs.
    uint64_t tasks_mapped_by_job_events = 0;
    uint64_t job_rows_in_window[google2011::kEventTypes] = {};
  } counts_;
};

}  // namespace clustersim::models
