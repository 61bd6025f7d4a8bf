#pragma once

#include <array>
#include <compare>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/agent/container_runtime.h"
#include "models/agent_kinds.h"
#include "models/fault_injector.h"
#include "models/framework/framework.h"
#include "models/master/master.h"
#include "models/signals.h"
#include "models/spec.h"
#include "models/task_table.h"
#include "models/workload/synthetic.h"
#include "models/workload/trace_source.h"
#include "scheduler_plugins/api/allocator_policy.h"
#include "scheduler_plugins/api/feasibility.h"
#include "scheduler_plugins/api/placement_policy.h"
#include "sim/input_limits.h"
#include "sim/simulator.h"

namespace clustersim::models {

// A whole simulated cluster built from a validated ScenarioSpec: agents (with their image stores
// and failure processes), the master with its allocator policy, and the frameworks with their
// placement policies and workloads. The policies are built by the caller (through the registries)
// and owned here.
class Cluster final : private TraceAgents,
                      private TraceSubmit,
                      private TraceTaskDurations,
                      private TraceGangs,
                      private TraceRecorded,
                      private TraceErrors {
 public:
  // `trace` may be null (no trace replay).
  Cluster(sim::Simulator& sim, const ScenarioSpec& spec,
          std::unique_ptr<plugins::AllocatorPolicy> allocator,
          std::vector<std::unique_ptr<plugins::PlacementPolicy>> placements,
          std::unique_ptr<TraceSource> trace = nullptr);
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // Connect to signals before Start.
  ClusterSignals& signals() { return signals_; }
  // Registers agents and frameworks, starts the allocation cycles, workloads and failures.
  void Start();

  const ScenarioSpec& spec() const { return spec_; }
  sim::Simulator& simulator() { return sim_; }
  const sim::Simulator& simulator() const { return sim_; }
  const Master& master() const { return *master_; }
  Master& master() { return *master_; }
  const TaskTable& tasks() const { return tasks_; }
  const std::vector<std::unique_ptr<Framework>>& frameworks() const { return frameworks_; }
  const ContainerRuntime& runtime() const { return *runtime_; }
  // The scenario group each agent came from (~0u for agents a trace added with no group).
  uint32_t agent_group(AgentId id) const { return agent_group_[id.index()]; }

  // Why no agent of the scenario, nor one a trace registered, could ever run this task (kNone if
  // one could): the rules of scheduler_plugins/api/feasibility.h against each agent kind's
  // capacity (WhyUnschedulable). O(agent kinds).
  TaskReason Unschedulable(const Task& task) const;
  bool Feasible(const Task& task) const { return Unschedulable(task) == TaskReason::kNone; }

  const TraceSource* trace() const { return trace_.get(); }
  // The most tasks a trace may hold live at once (pending or running; default
  // sim::kMaxInputLiveTasks): a submission past it fails the run (RoomForTraceTask). Tests lower
  // it, as reaching the real bound takes ~10 GB.
  void set_max_live_tasks(int64_t n) { max_live_tasks_ = n; }
  // The error that stopped the run (a trace's malformed row in strict mode, an external policy's
  // failure), if any.
  const sim::Status& error() const { return error_; }
  // Stops the run with `error` (the first one is kept); what ran is written, as after Ctrl-C.
  void Fail(sim::Status error) override;

  // DRAIN_AGENT now (Master::DrainAgent; cluster_maintenance.cc): every task killed with its kill
  // grace period capped by `max_grace` (sim::Time::Max(): no cap), the agent DRAINED when none is
  // left and deactivated until reactivated; with `mark_gone`, then removed for ever. For faults
  // and scenarios; the scenario's `maintenance: [{drain: ...}]` uses it.
  void DrainAgent(AgentId agent, sim::Time max_grace, bool mark_gone);

 private:
  // The trace capabilities (trace_source.h)
  AgentId AddAgent(plugins::AgentInfo info, int like_group) override;
  // A trace's machine removal and return, as trace.machine_remove says the master sees them.
  void AgentDown(AgentId agent) override;
  void AgentUp(AgentId agent) override;
  void Submit(size_t framework, Task task) override;
  uint64_t NewJobId() override { return next_job_id_++; }
  void UseBatchQueue(size_t framework, BatchPolicy policy) override;
  BatchStats QueueStats(size_t framework) const override;
  void SubmitGang(size_t framework, Task prototype, uint32_t width, sim::Time estimate) override;
  void UpdateAgent(AgentId agent, const Resources& capacity) override;
  TraceTask SubmitTracked(size_t framework, Task task) override;
  bool SetTaskDuration(TraceTask task, sim::Time duration) override;
  TraceTask LaunchRecorded(size_t framework, Task task, AgentId agent) override;
  bool TakesRecordedLaunch(AgentId agent) const override;
  bool EndRecorded(TraceTask task, TaskState state, TaskReason reason) override;
  double OvercommitMachineSeconds() const override { return master_->overcommit_machine_seconds(); }
  // Adds an agent shape to trace_shapes_ (and its kind to kinds_) unless known.
  void RememberShape(const plugins::AgentInfo& info);
  // The submission check's agent kinds: every scenario group's, then each new trace shape's.
  void AddAgentKinds();
  void AddAgentKind(const plugins::AgentInfo& agent);
  // False, failing the run once with an error naming the bound and the time, when one more task
  // would pass max_live_tasks_: a trace asking for more work than a run can hold.
  bool RoomForTraceTask();
  // The Task::draw_key of the framework's next trace task: its position among them.
  uint64_t NextTraceDrawKey(size_t framework);
  bool IsLive(TraceTask task) const {
    return task.slot != kNoTask && tasks_.IsLive(task.slot) && tasks_[task.slot].id == task.id;
  }

  void ScheduleFailure(AgentId agent, sim::Rng* rng, const FailureSpec& failures);
  // Posts the scenario's maintenance windows at t = 0 (cluster_maintenance.cc).
  void ScheduleMaintenance();

  sim::Simulator& sim_;
  const ScenarioSpec& spec_;
  ClusterSignals signals_;
  TaskTable tasks_;
  std::unique_ptr<plugins::AllocatorPolicy> allocator_;
  std::vector<std::unique_ptr<plugins::PlacementPolicy>> placements_;
  std::unique_ptr<ContainerRuntime> runtime_;
  std::unique_ptr<Master> master_;
  std::unique_ptr<JobSchedulers> job_schedulers_;  // monolithic and shared-state only
  std::vector<std::unique_ptr<Framework>> frameworks_;
  std::vector<std::unique_ptr<SyntheticWorkload>> workloads_;
  std::vector<uint32_t> agent_group_;
  std::vector<std::unique_ptr<sim::Rng>> failure_rngs_;
  std::unique_ptr<TraceSource> trace_;
  std::unique_ptr<FaultInjector> faults_;
  sim::Status error_;
  // Agents registered by a trace beyond the scenario's groups: their shapes, for Feasible. A set:
  // a trace whose machines all differ (in attributes, say) brings as many shapes as machines.
  struct TraceShape {
    plugins::Os os;
    plugins::OsVersion os_version;
    plugins::Isolation isolation;
    std::array<int64_t, plugins::kMaxResourceKinds> capacity;
    std::vector<std::pair<std::string, std::string>> attributes;
    auto operator<=>(const TraceShape&) const = default;
  };
  std::set<TraceShape> trace_shapes_;
  std::vector<std::vector<AgentKind>> kinds_;  // by framework: the kinds whose attributes match
  bool has_agents_ = false;                    // some group or trace brought an agent
  uint64_t next_task_id_ = 1;
  uint64_t next_job_id_ = 1;
  struct TraceKeys {
    uint64_t source;  // TaskSourceKey(framework, kTrace)
    uint64_t tasks;   // trace tasks keyed so far
  };
  std::vector<TraceKeys> trace_keys_;  // by framework
  int64_t max_live_tasks_ = sim::kMaxInputLiveTasks;
  // By spec_.maintenance window: its agents (names resolved at Start).
  std::vector<std::vector<AgentId>> maintenance_agents_;
};

}  // namespace clustersim::models
