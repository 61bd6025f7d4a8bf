#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/framework/batch_queue.h"
#include "models/signals.h"
#include "models/spec.h"
#include "models/task.h"
#include "scheduler_plugins/api/cluster_view.h"
#include "sim/simulator.h"
#include "sim/status.h"

namespace clustersim::models {

// A task handed to the cluster by a replay: its slot, and its id to tell the slot's reuse.
struct TraceTask {
  TaskSlot slot = kNoTask;
  uint64_t id = 0;
};

// What a trace replay may do to the cluster, as narrow capabilities. A host implements every one
// (they are pure), so a replay never finds at run time that its host lacks what it needs; each
// replay keeps only the capabilities it uses. Implemented by Cluster.

// The trace's machines.
class TraceAgents {
 public:
  // Registers a new agent now (a trace's machine ADD). The store and pull settings come from
  // `like_group` (an index into spec().groups, or the trace defaults when negative).
  virtual AgentId AddAgent(plugins::AgentInfo info, int like_group) = 0;
  virtual void AgentDown(AgentId agent) = 0;
  virtual void AgentUp(AgentId agent) = 0;
  // Changes an agent's capacity (a machine UPDATE). Outstanding offers on it are rescinded; its
  // tasks keep running, and what they hold beyond the new capacity is overcommit.
  virtual void UpdateAgent(AgentId agent, const Resources& capacity) = 0;

 protected:
  ~TraceAgents() = default;
};

// Demand replays: tasks handed to a framework's queue (ids are assigned here).
class TraceSubmit {
 public:
  virtual void Submit(size_t framework, Task task) = 0;
  virtual uint64_t NewJobId() = 0;

 protected:
  ~TraceSubmit() = default;
};

// Demand replays that learn a task's run time after submitting it (Google 2011's look-ahead).
class TraceTaskDurations {
 public:
  // Submit, returning a handle for SetTaskDuration (empty if the task ended at once, e.g.
  // unschedulable).
  virtual TraceTask SubmitTracked(size_t framework, Task task) = 0;
  // Gives a submitted open-ended task (a service) its run time once the trace tells it: a running
  // task then finishes at max(now, running + duration); a pending one will run for `duration`.
  // False if the task has ended.
  virtual bool SetTaskDuration(TraceTask task, sim::Time duration) = 0;

 protected:
  ~TraceTaskDurations() = default;
};

// Rigid parallel jobs (SWF) through batch frameworks.
class TraceGangs {
 public:
  // Puts a framework in batch mode with this queue policy (before its first job).
  virtual void UseBatchQueue(size_t framework, BatchPolicy policy) = 0;
  // The statistics of a framework's batch queue (UseBatchQueue first).
  virtual BatchStats QueueStats(size_t framework) const = 0;
  // Hands a batch framework a job of `width` tasks like `prototype` that launch together (ids are
  // assigned here); its queue plans with `estimate`.
  virtual void SubmitGang(size_t framework, Task prototype, uint32_t width, sim::Time estimate) = 0;

 protected:
  ~TraceGangs() = default;
};

// Recorded replays: the production scheduler's own placements.
class TraceRecorded {
 public:
  // Launches `task` (ids are assigned here; task.submitted is the trace's submit time) on `agent`
  // now, with the agent's OS (and without its image unless the agent can run it), bypassing offers,
  // straight to RUNNING with no pull or start latency. A service (task.service) runs until
  // EndRecorded; any other task ends after task.duration in task.end_state, unless EndRecorded
  // comes first. Recorded tasks are never retried. Capacity may be exceeded: the excess is counted
  // as overcommit. Precondition: the trace's machine is up. The scenario's own faults and
  // maintenance may still have taken its agent out: then nothing starts and the handle is empty,
  // for the replay to count as a task with no machine (see TakesRecordedLaunch).
  virtual TraceTask LaunchRecorded(size_t framework, Task task, AgentId agent) = 0;
  // Whether a recorded launch onto `agent` would start: not when the scenario's faults or
  // maintenance have taken it out — crashed or cut off (found out by the master or not yet),
  // unreachable, removed, down for maintenance.
  virtual bool TakesRecordedLaunch(AgentId agent) const = 0;
  // Ends a recorded task now in `state` for `reason`. False if it had already ended (e.g. LOST
  // with its agent).
  virtual bool EndRecorded(TraceTask task, TaskState state, TaskReason reason) = 0;
  // Agent-seconds so far during which some agent's tasks held more than its capacity.
  virtual double OvercommitMachineSeconds() const = 0;

 protected:
  ~TraceRecorded() = default;
};

// Stops the run with an input error (a malformed row in strict mode, an unreadable file); the
// runner reports it and exits 2, after flushing what ran.
class TraceErrors {
 public:
  virtual void Fail(sim::Status error) = 0;

 protected:
  ~TraceErrors() = default;
};

// Everything a replay is handed when it starts; it keeps the parts it uses. Building one needs
// every capability, so a host that lacks one does not compile.
struct TraceHost {
  sim::Simulator& simulator;
  const ScenarioSpec& spec;
  TraceErrors& errors;
  // The cluster's signals, for replays that follow their tasks (a DAG task starts when its
  // parents' tasks have ended).
  ClusterSignals& signals;
  TraceAgents& agents;
  TraceSubmit& submit;
  TraceTaskDurations& durations;
  TraceGangs& gangs;
  TraceRecorded& recorded;
};

// A trace replay: streams records from files and turns them into agent and task events at their
// times. Memory must not grow with the trace's length, only with what is live.
class TraceSource {
 public:
  virtual ~TraceSource() = default;
  // Called once, after the scenario's own agents and frameworks are registered, at time 0. The
  // host's parts outlive the source.
  virtual void Start(const TraceHost& host) = 0;
  // Entries for summary.json's "trace" object (e.g. skipped_rows), in a stable order. Values are
  // deterministic: a function of the trace and the scenario.
  virtual std::vector<std::pair<std::string, double>> Report() const = 0;
  // Further summary.json objects of this replay (e.g. "swf"), each a name and its entries in a
  // stable order; integral values are written as integers, NaN (a statistic of nothing) as null.
  // A dotted name nests ("trace.jobs" is the object "jobs" inside "trace").
  struct Section {
    std::string name;
    std::vector<std::pair<std::string, double>> values;
  };
  virtual std::vector<Section> Sections() const { return {}; }
  // When the run should end, if the replay decides it (a recorded replay ends with its trace);
  // nullopt: the scenario's duration. Known once the source is made, before Start.
  virtual std::optional<sim::Time> RunEnd() const { return std::nullopt; }
};

}  // namespace clustersim::models
