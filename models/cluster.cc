#include "models/cluster.h"

#include <fmt/format.h>

#include <algorithm>

#include "scheduler_plugins/api/feasibility.h"
#include "scheduler_plugins/api/os.h"
#include "sim/check.h"
#include "sim/random.h"

namespace clustersim::models {

Cluster::Cluster(sim::Simulator& sim, const ScenarioSpec& spec,
                 std::unique_ptr<plugins::AllocatorPolicy> allocator,
                 std::vector<std::unique_ptr<plugins::PlacementPolicy>> placements,
                 std::unique_ptr<TraceSource> trace)
    : sim_(sim),
      spec_(spec),
      allocator_(std::move(allocator)),
      placements_(std::move(placements)),
      trace_(std::move(trace)) {
  SIM_CHECK(placements_.size() == spec.frameworks.size());
  runtime_ = std::make_unique<ContainerRuntime>(
      sim, tasks_, spec,
      ContainerRuntime::Callbacks{[this](TaskSlot t) { signals_.task_starting.Emit(tasks_[t]); },
                                  [this](TaskSlot t) { signals_.task_running.Emit(tasks_[t]); },
                                  [this](TaskSlot t, TaskState s) { master_->OnTaskEnded(t, s); }});
  master_ = std::make_unique<Master>(
      sim, spec.master, tasks_, *runtime_, *allocator_, signals_,
      Master::Callbacks{
          [this](FrameworkId f, std::span<const OfferSlot> offers) {
            frameworks_[f.index()]->OnOffers(offers);
          },
          [this](FrameworkId f, OfferSlot slot) { frameworks_[f.index()]->OnRescinded(slot); },
          [this](FrameworkId f, TaskSlot t) { frameworks_[f.index()]->OnTaskEnded(t); },
          [this](FrameworkId f) {
            return f.index() < frameworks_.size() ? frameworks_[f.index()]->demand()
                                                  : std::span<const plugins::PendingDemand>();
          },
          [this](FrameworkId f, TaskSlot t) { return frameworks_[f.index()]->Reclaim(t); },
          [this](FrameworkId f, std::span<const InverseOffer> offers) {
            frameworks_[f.index()]->OnInverseOffers(offers);
          }});
  AddAgentKinds();
}

void Cluster::AddAgentKinds() {
  kinds_.resize(spec_.frameworks.size());
  for (size_t f = 0; f < spec_.frameworks.size(); ++f) {
    kinds_[f] = GroupKindsFor(spec_, spec_.frameworks[f].workload.constraints);
  }
  for (const AgentGroupSpec& g : spec_.groups) has_agents_ |= g.count > 0;
}

void Cluster::AddAgentKind(const plugins::AgentInfo& agent) {
  has_agents_ = true;
  const auto shape = plugins::AgentShape::Of(agent, runtime_->MemOverheadMiB(agent.isolation));
  for (size_t f = 0; f < spec_.frameworks.size(); ++f) {
    if (plugins::AttributesMatch(spec_.frameworks[f].workload.constraints.attributes,
                                 agent.attributes)) {
      kinds_[f].push_back(AgentKind{shape, agent.capacity});
    }
  }
}

TaskReason Cluster::Unschedulable(const Task& task) const {
  return WhyUnschedulable({task.resources, task.os, task.image_version},
                          kinds_[task.framework.index()], has_agents_);
}

void Cluster::Start() {
  for (uint32_t g = 0; g < spec_.groups.size(); ++g) {
    const AgentGroupSpec& group = spec_.groups[g];
    for (int i = 0; i < group.count; ++i) {
      plugins::AgentInfo info;
      info.name = group.count == 1 ? group.name : fmt::format("{}-{}", group.name, i);
      info.os = group.os;
      info.os_version = group.os_version;
      info.isolation = group.isolation;
      info.capacity = group.resources;
      info.attributes = AgentAttributes(group, i);
      info.reservations = group.reservations;
      info.pull_bandwidth_mibps = group.pull_bandwidth_mibps;
      info.extract_mib_per_s = spec_.runtime.For(group.isolation).extract_mib_per_s;
      runtime_->AddAgent(group, group.isolation);
      const AgentId id(static_cast<uint32_t>(agent_group_.size()));
      for (uint32_t image : group.preloaded_images) runtime_->puller().Preload(id, ImageId(image));
      agent_group_.push_back(g);
      SIM_CHECK(master_->AddAgent(std::move(info)) == id);
      if (group.failures.enabled) {
        // One stream per agent: its failure times do not depend on anything the policies do.
        failure_rngs_.push_back(std::make_unique<sim::Rng>(
            sim_.random().Stream(fmt::format("failures.{}.{}", group.name, i))));
        ScheduleFailure(id, failure_rngs_.back().get(), group.failures);
      }
    }
  }
  // Monolithic and shared-state: the frameworks place on the cell themselves and never subscribe
  // to offers (they stay suppressed); the master keeps the agents, their health and the tasks.
  if (spec_.master.architecture != Architecture::kTwoLevel) {
    job_schedulers_ =
        std::make_unique<JobSchedulers>(spec_.master.architecture, spec_.master.shared_state);
  }
  for (size_t f = 0; f < spec_.frameworks.size(); ++f) {
    const FrameworkSpec& fs = spec_.frameworks[f];
    const FrameworkId id = master_->AddFramework(FrameworkRegistration{
        fs.name, fs.Roles(), fs.weight,
        AgentAccess{OfferConstraintsFilter::Create(fs.offer_constraints), fs.gpu_resources},
        fs.min_allocatable, fs.partition_aware, fs.checkpoint, fs.sigterm_exit,
        fs.failover_timeout});
    // Frameworks subscribe with their roles suppressed (Mesos >= 1.9 allows it) and revive when
    // their first work arrives; otherwise, with allocation_interval 0, an idle framework could
    // take the only cycle at time 0, decline, and leave the others waiting for ever.
    master_->Suppress(id);
    frameworks_.push_back(std::make_unique<Framework>(
        sim_, *master_, tasks_, id, fs, *placements_[f], *runtime_, signals_,
        [this](const Task& t) { return Unschedulable(t); }, job_schedulers_.get()));
    Framework* fw = frameworks_.back().get();
    workloads_.push_back(std::make_unique<SyntheticWorkload>(
        sim_, fs.workload, spec_.images, fs.name, &next_task_id_, &next_job_id_,
        [fw](Task t) { fw->Submit(std::move(t)); }));
    trace_keys_.push_back({TaskSourceKey(fs.name, TaskSource::kTrace), 0});
  }
  master_->Start();
  faults_ = std::make_unique<FaultInjector>(sim_, spec_, *master_, agent_group_);
  faults_->Start();
  ScheduleMaintenance();
  for (auto& w : workloads_) w->Start();
  if (trace_)
    trace_->Start(TraceHost{sim_, spec_, *this, signals_, *this, *this, *this, *this, *this});
}

AgentId Cluster::AddAgent(plugins::AgentInfo info, int like_group) {
  AgentGroupSpec defaults;
  const AgentGroupSpec& like =
      like_group >= 0 ? spec_.groups[static_cast<size_t>(like_group)] : defaults;
  info.pull_bandwidth_mibps = like.pull_bandwidth_mibps;
  AddBuiltinAttributes(info.os, info.os_version, info.isolation, info.attributes);
  info.extract_mib_per_s = spec_.runtime.For(info.isolation).extract_mib_per_s;
  runtime_->AddAgent(like, info.isolation);
  RememberShape(info);
  agent_group_.push_back(like_group >= 0 ? static_cast<uint32_t>(like_group) : ~0u);
  return master_->AddAgent(std::move(info));
}

bool Cluster::RoomForTraceTask() {
  if (static_cast<int64_t>(tasks_.live()) < max_live_tasks_) return true;
  if (error_.ok()) {
    Fail(sim::Status::Error(fmt::format(
        "trace.paths: at t = {:.6g} s the trace's tasks pass {} live at once (pending or running), "
        "the most a run may hold; replay less of it (trace.duration, or first_jobs for csv) or "
        "give it a larger cluster",
        sim_.Now().seconds(), max_live_tasks_)));
  }
  return false;
}

uint64_t Cluster::NextTraceDrawKey(size_t framework) {
  TraceKeys& keys = trace_keys_[framework];
  return sim::CombineKey(keys.source, keys.tasks++);
}

void Cluster::Submit(size_t framework, Task task) {
  if (!RoomForTraceTask()) return;
  task.id = next_task_id_++;
  task.draw_key = NextTraceDrawKey(framework);
  frameworks_[framework]->Submit(std::move(task));
}

void Cluster::RememberShape(const plugins::AgentInfo& info) {
  TraceShape shape{info.os, info.os_version, info.isolation, {}, info.attributes};
  for (int k = 0; k < plugins::kMaxResourceKinds; ++k) shape.capacity[k] = info.capacity.Raw(k);
  if (!trace_shapes_.insert(std::move(shape)).second) return;  // known
  AddAgentKind(info);
}

void Cluster::AgentDown(AgentId agent) {
  if (spec_.trace.machine_remove == MachineRemoval::kCrash) {
    master_->CrashAgent(agent);
  } else {
    master_->AgentDown(agent, TaskReason::kAgentRemoved);
  }
}

void Cluster::AgentUp(AgentId agent) {
  if (master_->agent_health(agent) != Master::AgentHealth::kHealthy) {
    master_->RestartAgent(agent);  // back as itself (with no task once found unreachable)
  } else {
    master_->AgentUp(agent);
  }
}

void Cluster::UpdateAgent(AgentId agent, const Resources& capacity) {
  plugins::AgentInfo shape = master_->agent(agent);
  shape.capacity = capacity;
  RememberShape(shape);
  master_->UpdateAgentCapacity(agent, capacity);
}

TraceTask Cluster::SubmitTracked(size_t framework, Task task) {
  if (!RoomForTraceTask()) return TraceTask{};
  task.id = next_task_id_++;
  task.draw_key = NextTraceDrawKey(framework);
  const uint64_t id = task.id;
  const TaskSlot slot = frameworks_[framework]->Submit(std::move(task));
  return slot == kNoTask ? TraceTask{} : TraceTask{slot, id};
}

bool Cluster::SetTaskDuration(TraceTask handle, sim::Time duration) {
  if (!IsLive(handle)) return false;
  Task& task = tasks_[handle.slot];
  task.service = false;
  task.duration = duration;
  // A task the master still counts RUNNING on a crashed (or refused, shut-down) agent has no
  // container left to end: the master ends it when it finds out, and a timer armed now would
  // end whatever attempt holds the slot by then.
  if (task.state == TaskState::kRunning &&
      master_->agent_health(task.agent) != Master::AgentHealth::kCrashed) {
    runtime_->RescheduleEnd(handle.slot);
  }
  return true;
}

bool Cluster::TakesRecordedLaunch(AgentId agent) const {
  return master_->agent_active(agent) &&
         master_->agent_health(agent) == Master::AgentHealth::kHealthy;
}

TraceTask Cluster::LaunchRecorded(size_t framework, Task task, AgentId agent) {
  if (!TakesRecordedLaunch(agent)) return TraceTask{};
  if (!RoomForTraceTask()) return TraceTask{};
  // The trace ran the task on this machine, so it runs what the machine runs, whatever OS its
  // job drew (trace.os): a Windows task on a Linux host would mix the per-OS figures. An image
  // that cannot run there is dropped (a recorded launch pulls nothing anyway).
  const plugins::AgentInfo& host = master_->agent(agent);
  if (task.os != host.os ||
      (task.has_image &&
       !plugins::CanRun(host.os, host.os_version, host.isolation, task.os, task.image_version))) {
    task.os = host.os;
    task.has_image = false;
    task.image = ImageId();
    task.image_version = plugins::OsVersion::kNone;
  }
  task.id = next_task_id_++;
  task.draw_key = NextTraceDrawKey(framework);
  const uint64_t id = task.id;
  return TraceTask{frameworks_[framework]->LaunchRecorded(std::move(task), agent), id};
}

bool Cluster::EndRecorded(TraceTask handle, TaskState state, TaskReason reason) {
  if (!IsLive(handle) || !IsActive(tasks_[handle.slot].state)) return false;
  master_->EndTask(handle.slot, state, reason);
  return true;
}

void Cluster::UseBatchQueue(size_t framework, BatchPolicy policy) {
  frameworks_[framework]->UseBatchQueue(policy);
}

BatchStats Cluster::QueueStats(size_t framework) const {
  return frameworks_[framework]->batch_queue()->stats();
}

void Cluster::SubmitGang(size_t framework, Task prototype, uint32_t width, sim::Time estimate) {
  prototype.id = next_task_id_;
  next_task_id_ += width;
  prototype.draw_key = NextTraceDrawKey(framework);  // its tasks combine it with their index
  frameworks_[framework]->SubmitGang(prototype, width, estimate);
}

void Cluster::Fail(sim::Status error) {
  if (error_.ok()) error_ = std::move(error);
  sim_.RequestStop();
}

// A group's failure process: up for time_to_failure, then a fault of the group's kind for
// time_to_repair (a crashed host back, a partition healed), and again.
void Cluster::ScheduleFailure(AgentId agent, sim::Rng* rng, const FailureSpec& failures) {
  const double up_for = std::max(0.0, failures.time_to_failure_s.Sample(*rng));
  sim_.ScheduleAfter(sim::Time::FromSeconds(up_for), [this, agent, rng, &failures] {
    const bool crash = failures.kind == FaultKind::kCrash;
    // A failure that found the host already down (another fault), or one a later fault
    // superseded, is not repaired by this process: that would end the other fault early
    // (FaultInjector::Fire).
    const uint64_t ticket = crash ? master_->CrashAgent(agent) : master_->PartitionAgent(agent);
    const double down_for = std::max(0.0, failures.time_to_repair_s.Sample(*rng));
    sim_.ScheduleAfter(sim::Time::FromSeconds(down_for),
                       [this, agent, rng, &failures, crash, ticket] {
                         master_->EndFault(agent, ticket, crash);
                         ScheduleFailure(agent, rng, failures);
                       });
  });
}

}  // namespace clustersim::models
