#pragma once

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

// What a trace replay may do to the cluster while it runs. Implemented by Cluster.
class TraceHost {
 public:
  virtual ~TraceHost() = default;
  virtual sim::Simulator& simulator() = 0;
  virtual const ScenarioSpec& spec() const = 0;
  // Registers a new agent now (a trace's machine ADD). The store and pull settings come from
  // `like_group` (an index into spec().groups, or the trace defaults when negative).
  virtual AgentId AddAgent(plugins::AgentInfo info, int like_group) = 0;
  virtual void AgentDown(AgentId agent) = 0;
  virtual void AgentUp(AgentId agent) = 0;
  // Demand mode: hands a task to a framework's queue (ids are assigned here).
  virtual void Submit(size_t framework, Task task) = 0;
  virtual uint64_t NewJobId() = 0;
  // The cluster's signals, for replays that follow their tasks (a DAG task starts when its
  // parents' tasks have ended). Null if this host has none.
  virtual ClusterSignals* TaskSignals() { return nullptr; }
  // Demand mode, rigid parallel jobs (SWF): puts a framework in batch mode with this queue policy
  // (before its first job) and returns its queue, alive as long as the host, for statistics.
  // Null if this host has no batch frameworks.
  virtual const BatchQueue* UseBatchQueue(size_t /*framework*/, BatchPolicy /*policy*/) {
    return nullptr;
  }
  // Hands a batch framework a job of `width` tasks like `prototype` that launch together (ids are
  // assigned here); its queue plans with `estimate`.
  virtual void SubmitGang(size_t /*framework*/, Task /*prototype*/, uint32_t /*width*/,
                          sim::Time /*estimate*/) {
    Fail(sim::Status::Error("this trace host cannot run batch jobs"));
  }
  // Stops the run with an input error (a malformed row in strict mode, an unreadable file);
  // the runner reports it and exits 2, after flushing what ran.
  virtual void Fail(sim::Status error) = 0;

  // --- Machine updates, re-timed and recorded tasks (Google 2011) -----------------------------
  // Changes an agent's capacity (a machine UPDATE). Outstanding offers on it are rescinded; its
  // tasks keep running, and what they hold beyond the new capacity is overcommit.
  virtual void UpdateAgent(AgentId /*agent*/, const Resources& /*capacity*/) {
    Fail(sim::Status::Error("this trace host cannot change agent capacities"));
  }
  // Demand mode: Submit, returning a handle for SetTaskDuration (empty if the task ended at once,
  // e.g. unschedulable).
  virtual TraceTask SubmitTracked(size_t framework, Task task) {
    Submit(framework, std::move(task));
    return {};
  }
  // Gives a submitted open-ended task (a service) its run time once the trace tells it: a running
  // task then finishes at max(now, running + duration); a pending one will run for `duration`.
  // False if the task has ended.
  virtual bool SetTaskDuration(TraceTask /*task*/, sim::Time /*duration*/) { return false; }
  // Recorded mode: launches `task` (ids are assigned here; task.submitted is the trace's submit
  // time) on `agent` now, bypassing offers, straight to RUNNING with no pull or start latency. A
  // service (task.service) runs until EndRecorded; any other task ends after task.duration in
  // task.end_state, unless EndRecorded comes first. Recorded tasks are never retried. Capacity
  // may be exceeded: the excess is counted as overcommit. Precondition: the agent is up.
  virtual TraceTask LaunchRecorded(size_t /*framework*/, Task /*task*/, AgentId /*agent*/) {
    Fail(sim::Status::Error("this trace host cannot replay recorded placements"));
    return {};
  }
  // Ends a recorded task now in `state`. False if it had already ended (e.g. LOST with its agent).
  virtual bool EndRecorded(TraceTask /*task*/, TaskState /*state*/) { return false; }
  // Agent-seconds so far during which some agent's tasks held more than its capacity.
  virtual double OvercommitMachineSeconds() const { return 0; }
};

// A trace replay: streams records from files and turns them into agent and task events at their
// times. Memory must not grow with the trace's length, only with what is live.
class TraceSource {
 public:
  virtual ~TraceSource() = default;
  // Called once, after the scenario's own agents and frameworks are registered, at time 0.
  virtual void Start(TraceHost& host) = 0;
  // Entries for summary.json's "trace" object (e.g. skipped_rows), in a stable order. Values are
  // deterministic: a function of the trace and the scenario.
  virtual std::vector<std::pair<std::string, double>> Report() const = 0;
  // Further summary.json objects of this replay (e.g. "swf"), each a name and its entries in a
  // stable order; integral values are written as integers. A dotted name nests ("trace.jobs" is
  // the object "jobs" inside "trace").
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
