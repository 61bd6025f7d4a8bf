#pragma once

#include <string>
#include <utility>
#include <vector>

#include "models/spec.h"
#include "models/task.h"
#include "scheduler_plugins/api/cluster_view.h"
#include "sim/simulator.h"
#include "sim/status.h"

namespace clustersim::models {

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
  // Stops the run with an input error (a malformed row in strict mode, an unreadable file);
  // the runner reports it and exits 2, after flushing what ran.
  virtual void Fail(sim::Status error) = 0;
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
};

}  // namespace clustersim::models
