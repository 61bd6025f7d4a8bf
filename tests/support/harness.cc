#include "tests/support/harness.h"

#include <algorithm>
#include <utility>

#include "models/agent_kinds.h"
#include "models/master/offer.h"
#include "scheduler_plugins/placements/first_fit.h"

namespace clustersim::test {
namespace {

void SetResourceDistributions(models::WorkloadSpec& w, std::string_view resources) {
  const Resources r = Res(resources);
  w.cpus = sim::Distribution::Constant(r.cpus());
  w.mem_mib = sim::Distribution::Constant(r.mem());
  w.disk_mib = sim::Distribution::Constant(r.disk());
  w.gpus = sim::Distribution::Constant(r.gpus());
}

models::RuntimeSpec& RuntimeFor(models::ContainerRuntimeSpec& rt, Isolation isolation) {
  switch (isolation) {
    case Isolation::kDocker:
      return rt.docker;
    case Isolation::kProcess:
      return rt.process;
    case Isolation::kHyperV:
      return rt.hyperv;
  }
  return rt.docker;
}

}  // namespace

models::WorkloadSpec Backlog(int tasks, std::string_view resources, double duration_s) {
  models::WorkloadSpec w;
  w.initial_jobs = 1;
  w.arrival = models::ArrivalKind::kNone;
  w.tasks_per_job = sim::Distribution::Constant(tasks);
  w.duration_s = sim::Distribution::Constant(duration_s);
  SetResourceDistributions(w, resources);
  return w;
}

models::WorkloadSpec PoissonJobs(double rate_per_s, int tasks_per_job, std::string_view resources,
                                 double duration_s) {
  models::WorkloadSpec w;
  w.arrival = models::ArrivalKind::kPoisson;
  w.rate_per_s = rate_per_s;
  w.tasks_per_job = sim::Distribution::Constant(tasks_per_job);
  w.duration_s = sim::Distribution::Constant(duration_s);
  SetResourceDistributions(w, resources);
  return w;
}

// --- ScenarioBuilder -----------------------------------------------------------------------------

ScenarioBuilder::ScenarioBuilder() {
  spec_.name = "test";
  spec_.seed = 1;
  spec_.runtime.docker.start_latency_s = sim::Distribution::Constant(1);
  spec_.runtime.process.start_latency_s = sim::Distribution::Constant(5);
  spec_.runtime.hyperv.start_latency_s = sim::Distribution::Constant(11);
}

ScenarioBuilder& ScenarioBuilder::Seed(uint64_t seed) {
  spec_.seed = seed;
  return *this;
}
ScenarioBuilder& ScenarioBuilder::AllocationInterval(sim::Time t) {
  spec_.master.allocation_interval = t;
  return *this;
}
ScenarioBuilder& ScenarioBuilder::OfferTimeout(sim::Time t) {
  spec_.master.offer_timeout = t;
  return *this;
}
ScenarioBuilder& ScenarioBuilder::MinAllocatable(std::vector<Resources> any_of) {
  spec_.master.min_allocatable = std::move(any_of);
  return *this;
}
ScenarioBuilder& ScenarioBuilder::StartLatency(Isolation isolation, double seconds) {
  RuntimeFor(spec_.runtime, isolation).start_latency_s = sim::Distribution::Constant(seconds);
  return *this;
}
ScenarioBuilder& ScenarioBuilder::ExtractRate(Isolation isolation, double mib_per_s) {
  RuntimeFor(spec_.runtime, isolation).extract_mib_per_s = mib_per_s;
  return *this;
}
ScenarioBuilder& ScenarioBuilder::RegistrationTimeout(sim::Time t) {
  spec_.runtime.executor_registration_timeout = t;
  return *this;
}

ScenarioBuilder& ScenarioBuilder::PullTimeout(sim::Time t) {
  spec_.runtime.pull_timeout = t;
  return *this;
}

uint32_t ScenarioBuilder::Layer(std::string digest, double download_mib, double disk_mib) {
  spec_.images.layers.push_back(models::LayerSpec{std::move(digest), download_mib, disk_mib});
  return static_cast<uint32_t>(spec_.images.layers.size() - 1);
}

uint32_t ScenarioBuilder::Image(std::string name, Os os, OsVersion version,
                                std::vector<std::string> layers) {
  models::ImageSpec image;
  image.name = std::move(name);
  image.os = os;
  image.version = version;
  for (const std::string& digest : layers) {
    const auto layer = spec_.images.FindLayer(digest);
    if (!layer) {
      ADD_FAILURE() << "ScenarioBuilder::Image: unknown layer " << digest;
      continue;
    }
    image.layers.push_back(*layer);
  }
  spec_.images.images.push_back(std::move(image));
  return static_cast<uint32_t>(spec_.images.images.size() - 1);
}

models::AgentGroupSpec& ScenarioBuilder::LinuxAgents(std::string name, int count,
                                                     std::string_view resources) {
  models::AgentGroupSpec g;
  g.name = std::move(name);
  g.count = count;
  g.os = Os::kLinux;
  g.os_version = OsVersion::kNone;
  g.isolation = Isolation::kDocker;
  g.resources = Res(resources);
  spec_.groups.push_back(std::move(g));
  return spec_.groups.back();
}

models::AgentGroupSpec& ScenarioBuilder::WindowsAgents(std::string name, int count,
                                                       OsVersion version, Isolation isolation,
                                                       std::string_view resources) {
  models::AgentGroupSpec& g = LinuxAgents(std::move(name), count, resources);
  g.os = Os::kWindows;
  g.os_version = version;
  g.isolation = isolation;
  return g;
}

models::FrameworkSpec& ScenarioBuilder::Framework(std::string name, std::string role) {
  models::FrameworkSpec f;
  f.role = role.empty() ? name : std::move(role);
  f.name = std::move(name);
  f.workload.initial_jobs = 0;
  f.workload.arrival = models::ArrivalKind::kNone;
  spec_.frameworks.push_back(std::move(f));
  return spec_.frameworks.back();
}

// --- SignalLog -----------------------------------------------------------------------------------

void SignalLog::Connect(models::ClusterSignals& s, const sim::Simulator& sim) {
  const sim::Simulator* simp = &sim;
  auto task_event = [this, simp](TaskEvent::Kind kind) {
    return [this, simp, kind](const models::Task& t) {
      tasks.push_back(TaskEvent{kind, simp->Now(), t.id, t.framework.value, t.agent.value, t.state,
                                false, t.job, t.reason});
    };
  };
  s.task_submitted.Connect(task_event(TaskEvent::kSubmitted));
  s.task_launched.Connect(task_event(TaskEvent::kLaunched));
  s.task_starting.Connect(task_event(TaskEvent::kStarting));
  s.task_running.Connect(task_event(TaskEvent::kRunning));
  s.task_ended.Connect([this, simp](const models::Task& t, bool final) {
    tasks.push_back(TaskEvent{TaskEvent::kEnded, simp->Now(), t.id, t.framework.value,
                              t.agent.value, t.state, final, t.job, t.reason});
  });
  auto offer_event = [this, simp](OfferEvent::Kind kind) {
    return [this, simp, kind](const models::Offer& o) {
      offers.push_back(OfferEvent{kind, simp->Now(), o.id.value, o.framework.value, o.agent.value,
                                  o.resources, 0});
    };
  };
  s.offer_sent.Connect(offer_event(OfferEvent::kSent));
  s.offer_declined.Connect(offer_event(OfferEvent::kDeclined));
  s.offer_rescinded.Connect(offer_event(OfferEvent::kRescinded));
  s.offer_accepted.Connect([this, simp](const models::Offer& o, int launched) {
    offers.push_back(OfferEvent{OfferEvent::kAccepted, simp->Now(), o.id.value, o.framework.value,
                                o.agent.value, o.resources, launched});
  });
  s.allocation_cycle.Connect([this](sim::Time t, int n) { cycles.emplace_back(t, n); });
  s.agent_down.Connect([this, simp](AgentId a) { agents_down.emplace_back(simp->Now(), a.value); });
  s.agent_up.Connect([this, simp](AgentId a) { agents_up.emplace_back(simp->Now(), a.value); });
  auto agent_event = [simp](std::vector<std::pair<sim::Time, uint32_t>>& log) {
    return [&log, simp](AgentId a) { log.emplace_back(simp->Now(), a.value); };
  };
  s.agent_removed.Connect(agent_event(agents_removed));
  s.agent_unreachable.Connect(agent_event(agents_unreachable));
  s.agent_reregistered.Connect(agent_event(agents_reregistered));
  s.agent_deactivated.Connect(agent_event(agents_deactivated));
  s.agent_reactivated.Connect(agent_event(agents_reactivated));
}

size_t SignalLog::Count(TaskEvent::Kind kind) const {
  return std::count_if(tasks.begin(), tasks.end(),
                       [&](const TaskEvent& e) { return e.kind == kind; });
}
size_t SignalLog::Count(OfferEvent::Kind kind) const {
  return std::count_if(offers.begin(), offers.end(),
                       [&](const OfferEvent& e) { return e.kind == kind; });
}
size_t SignalLog::OffersTo(uint32_t framework, OfferEvent::Kind kind) const {
  return std::count_if(offers.begin(), offers.end(), [&](const OfferEvent& e) {
    return e.kind == kind && e.framework == framework;
  });
}
size_t SignalLog::Ended(TaskState state, bool final) const {
  return std::count_if(tasks.begin(), tasks.end(), [&](const TaskEvent& e) {
    return e.kind == TaskEvent::kEnded && e.state == state && e.final == final;
  });
}
std::vector<TaskEvent> SignalLog::Ends() const {
  std::vector<TaskEvent> out;
  for (const TaskEvent& e : tasks) {
    if (e.kind == TaskEvent::kEnded) out.push_back(e);
  }
  return out;
}
std::vector<TaskEvent> SignalLog::Of(uint64_t task) const {
  std::vector<TaskEvent> out;
  for (const TaskEvent& e : tasks) {
    if (e.task == task) out.push_back(e);
  }
  return out;
}

// --- ClusterHarness ------------------------------------------------------------------------------

ClusterHarness::ClusterHarness(models::ScenarioSpec spec)
    : spec_(std::move(spec)), sim_(spec_.seed) {
  std::vector<std::unique_ptr<plugins::PlacementPolicy>> placements;
  for (size_t i = 0; i < spec_.frameworks.size(); ++i) {
    placements.push_back(std::make_unique<plugins::FirstFitPlacement>());
  }
  cluster_ = std::make_unique<models::Cluster>(
      sim_, spec_, std::make_unique<plugins::DrfAllocator>(), std::move(placements));
  log_.Connect(cluster_->signals(), sim_);
}

void ClusterHarness::CheckInvariantsAfterEveryEvent() {
  cluster_->master().set_cycle_checks(true);
  sim_.SetTickHook(1, [this] {
    ++sweeps_;
    if (started_) cluster_->master().CheckInvariants();
  });
  // Allocation cycles run as end-of-instant actions, not events: sweep once each has made its
  // offers too (the models sweep there themselves only in debug builds).
  if (!cycle_hooked_) {
    cycle_hooked_ = true;
    cluster_->signals().allocation_cycle.Connect(
        [this](sim::Time, int) { cluster_->master().CheckInvariants(); });
  }
}

void ClusterHarness::Start() {
  if (started_) return;
  started_ = true;
  cluster_->Start();
}

uint64_t ClusterHarness::RunUntil(sim::Time end) {
  Start();
  return sim_.RunUntil(end);
}

double ClusterHarness::DominantShare(size_t i) const {
  const models::Master& m = cluster_->master();
  const FrameworkId f(static_cast<uint32_t>(i));
  return m.FrameworkAllocated(f).DominantShare(m.cluster_total());
}

void ClusterHarness::Submit(size_t i, models::Task task) {
  task.id = next_manual_id_++;
  task.draw_key = task.id;
  cluster_->frameworks()[i]->Submit(std::move(task));
}

models::Task MakeTask(std::string_view resources, double duration_s, Os os) {
  models::Task t;
  t.resources = Res(resources);
  t.allocated = t.resources;
  t.os = os;
  t.duration = sim::Time::FromSeconds(duration_s);
  return t;
}

// --- MasterHarness -------------------------------------------------------------------------------

MasterHarness::MasterHarness(models::ScenarioSpec spec, plugins::DrfTieBreak tie_break)
    : spec_(std::move(spec)), sim_(spec_.seed), drf_(tie_break) {
  runtime_ = std::make_unique<models::ContainerRuntime>(
      sim_, tasks_, spec_,
      models::ContainerRuntime::Callbacks{
          [this](models::TaskSlot t) { signals_.task_starting.Emit(tasks_[t]); },
          [this](models::TaskSlot t) { signals_.task_running.Emit(tasks_[t]); },
          [this](models::TaskSlot t, TaskState s) { master_->OnTaskEnded(t, s); }});
  master_ = std::make_unique<models::Master>(
      sim_, spec_.master, tasks_, *runtime_, drf_, signals_,
      models::Master::Callbacks{
          [this](FrameworkId f, std::span<const models::OfferSlot> slots) {
            // Copy first: an answer given inside on_offer frees the slot for reuse.
            std::vector<Received> batch;
            for (models::OfferSlot s : slots) {
              const models::Offer& o = master_->offer(s);
              const std::string& role = master_->role(master_->framework(o.subscription).role).name;
              batch.push_back(Received{sim_.Now(), f, s, o.id, o.agent, o.resources, role});
            }
            for (const Received& r : batch) {
              received.push_back(r);
              if (on_offer) on_offer(r);
            }
          },
          [this](FrameworkId f, models::OfferSlot slot) {
            for (auto it = received.rbegin(); it != received.rend(); ++it) {
              if (it->slot == slot && it->framework == f) {
                rescinded.push_back(*it);
                rescinded.back().at = sim_.Now();
                return;
              }
            }
            ADD_FAILURE() << "rescind of an offer never received";
          },
          [this](FrameworkId f, models::TaskSlot t) {
            ended.push_back(Ended{sim_.Now(), f, t, tasks_[t].state});
          },
          /*demand=*/{}, /*reclaim=*/{},
          [this](FrameworkId f, std::span<const models::InverseOffer> offers) {
            for (const models::InverseOffer& o : offers) {
              inverse_offers.push_back(InverseReceived{sim_.Now(), f, o.agent, o.unavailability});
              if (on_inverse_offer) on_inverse_offer(inverse_offers.back());
            }
          }});
  log_.Connect(signals_, sim_);
}

AgentId MasterHarness::AddAgent(std::string name, std::string_view resources, Os os,
                                OsVersion version, Isolation isolation) {
  plugins::AgentInfo info;
  info.name = std::move(name);
  info.os = os;
  info.os_version = version;
  info.isolation = isolation;
  info.capacity = Res(resources);
  return AddAgent(std::move(info));
}

AgentId MasterHarness::AddAgent(plugins::AgentInfo info) {
  runtime_->puller().AddAgent(100.0 * 1024, 100, 3,
                              spec_.runtime.For(info.isolation).extract_mib_per_s);
  models::AddBuiltinAttributes(info.os, info.os_version, info.isolation, info.attributes);
  return master_->AddAgent(std::move(info));
}

AgentId MasterHarness::AddReservedAgent(
    std::string name, std::string_view unreserved,
    std::vector<std::pair<std::string, std::string_view>> reserved) {
  plugins::AgentInfo info;
  info.name = std::move(name);
  info.capacity = Res(unreserved);
  std::sort(reserved.begin(), reserved.end());
  for (const auto& [role, amount] : reserved) {
    info.reservations.emplace_back(role, Res(amount));
    info.capacity += Res(amount);
  }
  return AddAgent(std::move(info));
}

void MasterHarness::UpdateQuota(const std::string& role, std::string_view guarantee,
                                std::string_view limit) {
  plugins::RoleQuota quota;
  quota.guarantee = Res(guarantee);
  quota.limit = Res(limit);
  size_t start = 0;
  while (start < limit.size()) {
    const size_t end = std::min(limit.find(';', start), limit.size());
    const std::string_view item = limit.substr(start, end - start);
    const int kind = plugins::ResourceKinds::Find(item.substr(0, item.find(':')));
    if (kind >= 0) quota.limit_kinds |= 1u << kind;
    start = end + 1;
  }
  master_->UpdateRoleQuotas({{role, quota}});
}

void MasterHarness::RemoveAgent(AgentId agent) {
  master_->AgentDown(agent, models::TaskReason::kAgentRemoved);
}

void MasterHarness::UpdateAgentTotal(AgentId agent, std::string_view total) {
  master_->UpdateAgentCapacity(agent, Res(total));
}

void MasterHarness::UpdateAgentAttributes(AgentId agent,
                                          std::vector<plugins::Attribute> attributes) {
  const plugins::AgentInfo& info = master_->agent(agent);
  models::AddBuiltinAttributes(info.os, info.os_version, info.isolation, attributes);
  master_->UpdateAgentAttributes(agent, std::move(attributes));
}

models::TaskSlot MasterHarness::Use(FrameworkId framework, AgentId agent,
                                    std::string_view resources) {
  const models::TaskSlot task = NewTask(framework, resources, 1e6, /*service=*/true);
  master_->LaunchRecorded(task, agent);
  return task;
}

FrameworkId MasterHarness::AddFramework(std::string name, std::string role, double weight,
                                        models::AgentAccess access) {
  if (role.empty()) role = name;
  return master_->AddFramework(std::move(name), std::move(role), weight, std::move(access));
}

FrameworkId MasterHarness::AddMultiRoleFramework(std::string name, std::vector<std::string> roles) {
  return master_->AddFramework(
      models::FrameworkRegistration{.name = std::move(name), .roles = std::move(roles)});
}

void MasterHarness::Start() {
  if (started_) return;
  started_ = true;
  master_->Start();
}

uint64_t MasterHarness::RunUntil(sim::Time end) {
  Start();
  return sim_.RunUntil(end);
}

models::TaskSlot MasterHarness::NewTask(FrameworkId framework, std::string_view resources,
                                        double duration_s, bool service) {
  models::Task t = MakeTask(resources, duration_s);
  t.id = next_task_id_++;
  t.draw_key = t.id;
  t.framework = framework;
  t.service = service;
  t.submitted = sim_.Now();
  t.queued = sim_.Now();
  return tasks_.Add(t);
}

void MasterHarness::Accept(const Received& offer, std::vector<models::TaskSlot> launch,
                           sim::Time refuse) {
  ASSERT_TRUE(master_->IsOfferValid(offer.slot, offer.id)) << "accept of a stale offer";
  master_->Accept(offer.slot, launch, refuse);
}

void MasterHarness::Decline(const Received& offer, sim::Time refuse) {
  ASSERT_TRUE(master_->IsOfferValid(offer.slot, offer.id)) << "decline of a stale offer";
  master_->Decline(offer.slot, refuse);
}

std::vector<MasterHarness::Received> MasterHarness::OffersTo(FrameworkId framework) const {
  std::vector<Received> out;
  for (const Received& r : received) {
    if (r.framework == framework) out.push_back(r);
  }
  return out;
}

std::vector<MasterHarness::Received> MasterHarness::Outstanding(FrameworkId framework) const {
  std::vector<Received> out;
  for (const Received& r : received) {
    if (r.framework == framework && master_->IsOfferValid(r.slot, r.id)) out.push_back(r);
  }
  return out;
}

std::vector<MasterHarness::Received> MasterHarness::OffersAt(FrameworkId framework,
                                                             sim::Time at) const {
  std::vector<Received> out;
  for (const Received& r : received) {
    if (r.framework == framework && r.at == at) out.push_back(r);
  }
  return out;
}

}  // namespace clustersim::test
