#pragma once

// Model-level test support: a ScenarioSpec builder, a recorder of the model's signals, and two
// harnesses that build the simulator and the models directly (DrfAllocator and FirstFitPlacement,
// no registry):
//   ClusterHarness — a whole models::Cluster from a ScenarioSpec (frameworks, workloads, failures);
//   MasterHarness  — a Master with scripted frameworks: the test receives the offers and answers
//                    them itself, for the allocator's rules (filters, timeouts, rescinds).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/agent/container_runtime.h"
#include "models/cluster.h"
#include "models/master/master.h"
#include "models/signals.h"
#include "models/spec.h"
#include "models/task_table.h"
#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/api/feasibility.h"
#include "sim/simulator.h"
#include "sim/time.h"
#include "tests/support/builders.h"

namespace clustersim::test {

using models::Isolation;
using models::Os;
using models::OsVersion;
using models::TaskState;
using plugins::AgentId;
using plugins::FrameworkId;
using plugins::Resources;

inline sim::Time Sec(double s) { return sim::Time::FromSeconds(s); }

// --- Scenario ------------------------------------------------------------------------------------

// A workload of `tasks` identical tasks submitted as one job at time zero ("cpus:1;mem:4096").
models::WorkloadSpec Backlog(int tasks, std::string_view resources, double duration_s);
// Jobs of `tasks_per_job` tasks arriving as a Poisson process of `rate_per_s` jobs per second.
models::WorkloadSpec PoissonJobs(double rate_per_s, int tasks_per_job, std::string_view resources,
                                 double duration_s);

// Builds a ScenarioSpec. Defaults differ from a scenario file's in one way: container start
// latencies are constants (docker 1 s, process 5 s, hyperv 11 s) so that times can be asserted
// exactly; extraction rates, overheads, the pull and executor registration timeouts keep their
// defaults.
class ScenarioBuilder {
 public:
  ScenarioBuilder();

  ScenarioBuilder& Seed(uint64_t seed);
  ScenarioBuilder& AllocationInterval(sim::Time t);
  ScenarioBuilder& OfferTimeout(sim::Time t);
  ScenarioBuilder& MinAllocatable(std::vector<Resources> any_of);
  ScenarioBuilder& StartLatency(Isolation isolation, double seconds);
  ScenarioBuilder& ExtractRate(Isolation isolation, double mib_per_s);
  ScenarioBuilder& PullTimeout(sim::Time t);
  ScenarioBuilder& RegistrationTimeout(sim::Time t);  // runtime.executor_registration_timeout

  // Layers and images. Image layers are named by digest, base first; a layer must exist.
  uint32_t Layer(std::string digest, double download_mib, double disk_mib);
  uint32_t Image(std::string name, Os os, OsVersion version, std::vector<std::string> layers);

  // Agent groups. The returned reference is valid until the next group is added.
  models::AgentGroupSpec& LinuxAgents(std::string name, int count, std::string_view resources);
  models::AgentGroupSpec& WindowsAgents(std::string name, int count, OsVersion version,
                                        Isolation isolation, std::string_view resources);
  // A framework (role defaults to its name) with no workload. The returned reference is valid
  // until the next framework is added.
  models::FrameworkSpec& Framework(std::string name, std::string role = "");

  models::ScenarioSpec& spec() { return spec_; }
  models::ScenarioSpec Build() const { return spec_; }

 private:
  models::ScenarioSpec spec_;
};

// --- Signals -------------------------------------------------------------------------------------

struct TaskEvent {
  enum Kind { kSubmitted, kLaunched, kStarting, kRunning, kEnded };
  Kind kind;
  sim::Time at;
  uint64_t task = 0;
  uint32_t framework = 0;
  uint32_t agent = 0;
  TaskState state = TaskState::kPending;
  bool final = false;
  uint64_t job = 0;
  models::TaskReason reason = models::TaskReason::kNone;  // as the task was when signalled
};

struct OfferEvent {
  enum Kind { kSent, kAccepted, kDeclined, kRescinded };
  Kind kind;
  sim::Time at;
  uint64_t offer = 0;
  uint32_t framework = 0;
  uint32_t agent = 0;
  Resources resources;
  int launched = 0;
};

// Records every signal of a cluster, in emission order.
class SignalLog {
 public:
  void Connect(models::ClusterSignals& signals, const sim::Simulator& sim);

  std::vector<TaskEvent> tasks;
  std::vector<OfferEvent> offers;
  std::vector<std::pair<sim::Time, int>> cycles;  // (time, offers made)
  std::vector<std::pair<sim::Time, uint32_t>> agents_down;
  std::vector<std::pair<sim::Time, uint32_t>> agents_up;
  std::vector<std::pair<sim::Time, uint32_t>> agents_removed;
  std::vector<std::pair<sim::Time, uint32_t>> agents_unreachable;
  std::vector<std::pair<sim::Time, uint32_t>> agents_reregistered;
  std::vector<std::pair<sim::Time, uint32_t>> agents_deactivated;
  std::vector<std::pair<sim::Time, uint32_t>> agents_reactivated;

  size_t Count(TaskEvent::Kind kind) const;
  size_t Count(OfferEvent::Kind kind) const;
  size_t OffersTo(uint32_t framework, OfferEvent::Kind kind = OfferEvent::kSent) const;
  // Task ends in `state`, final or retried.
  size_t Ended(TaskState state, bool final) const;
  std::vector<TaskEvent> Of(uint64_t task) const;
  // Every task end (kEnded event), in order.
  std::vector<TaskEvent> Ends() const;
};

// --- Harnesses -----------------------------------------------------------------------------------

// A whole cluster: Simulator(spec.seed) + models::Cluster with DrfAllocator and one
// FirstFitPlacement per framework.
class ClusterHarness {
 public:
  explicit ClusterHarness(models::ScenarioSpec spec);
  ClusterHarness(const ClusterHarness&) = delete;
  ClusterHarness& operator=(const ClusterHarness&) = delete;

  // Runs Master::CheckInvariants() after every event (counted in invariant_sweeps()) and after
  // every allocation cycle, from now on.
  void CheckInvariantsAfterEveryEvent();
  // Registers agents and frameworks and starts workloads (RunUntil does it if not done).
  void Start();
  // Runs to `end` (absolute simulated time); returns the events executed by this call.
  uint64_t RunUntil(sim::Time end);

  sim::Simulator& sim() { return sim_; }
  models::Cluster& cluster() { return *cluster_; }
  models::Master& master() { return cluster_->master(); }
  models::Framework& framework(size_t i) { return *cluster_->frameworks()[i]; }
  const models::ScenarioSpec& spec() const { return spec_; }
  const SignalLog& log() const { return log_; }
  uint64_t invariant_sweeps() const { return sweeps_; }

  // Dominant share of framework `i` (allocated + offered) over the cluster total.
  double DominantShare(size_t i) const;
  // Submits a hand-built task to framework `i` now (id assigned from a private counter).
  void Submit(size_t i, models::Task task);

 private:
  models::ScenarioSpec spec_;  // before cluster_: the cluster keeps a reference
  sim::Simulator sim_;
  std::unique_ptr<models::Cluster> cluster_;
  SignalLog log_;
  bool started_ = false;
  bool cycle_hooked_ = false;
  uint64_t sweeps_ = 0;
  uint64_t next_manual_id_ = 1'000'000;
};

// A hand-built task: PENDING, `resources` requested and charged, no image.
models::Task MakeTask(std::string_view resources, double duration_s, Os os = Os::kLinux);

// A Master whose frameworks are the test: offers are recorded (and passed to `on_offer` if set),
// the test answers with Accept / Decline. Agents and frameworks are added by hand; the container
// runtime and image puller are the real ones (with the spec's runtime and images).
class MasterHarness {
 public:
  struct Received {
    sim::Time at;
    FrameworkId framework;
    models::OfferSlot slot;
    plugins::OfferId id;
    AgentId agent;
    Resources resources;
    std::string role;  // the offer's role (its subscription's)
  };
  struct Ended {
    sim::Time at;
    FrameworkId framework;
    models::TaskSlot task;
    TaskState state = TaskState::kPending;
  };

  explicit MasterHarness(models::ScenarioSpec spec = ScenarioBuilder().Build(),
                         plugins::DrfTieBreak tie_break = plugins::DrfTieBreak::kMesos);
  MasterHarness(const MasterHarness&) = delete;
  MasterHarness& operator=(const MasterHarness&) = delete;

  AgentId AddAgent(std::string name, std::string_view resources, Os os = Os::kLinux,
                   OsVersion version = OsVersion::kNone, Isolation isolation = Isolation::kDocker);
  // An agent with static reservations: `unreserved` plus, per (role, resources), that much
  // reserved for the role (Mesos's "cpus(role1):2"); its capacity is the sum.
  AgentId AddReservedAgent(std::string name, std::string_view unreserved,
                           std::vector<std::pair<std::string, std::string_view>> reserved);
  // An agent as given, plus the built-in attributes (os, os_version, isolation) every agent of a
  // cluster carries.
  AgentId AddAgent(plugins::AgentInfo info);
  FrameworkId AddFramework(std::string name, std::string role = "", double weight = 1.0,
                           models::AgentAccess access = {});
  // A framework with several roles (Mesos's MULTI_ROLE; Master::AddFramework's registration form).
  FrameworkId AddMultiRoleFramework(std::string name, std::vector<std::string> roles);
  // Sets one role's quota (the others kept) through Master::UpdateRoleQuotas: `limit` lists the
  // limited kinds by name ("cpus:0;mem:0" limits both to zero); empty: no limit.
  void UpdateQuota(const std::string& role, std::string_view guarantee,
                   std::string_view limit = "");
  // Mesos's removeSlave: the agent goes (its offers rescinded, its tasks LOST, filters for it
  // dropped); no cycle.
  void RemoveAgent(AgentId agent);
  // Mesos's updateSlave with a new total: Master::UpdateAgentCapacity.
  void UpdateAgentTotal(AgentId agent, std::string_view total);
  // Mesos's updateSlave with other attributes (user ones; the built-in os/isolation ones kept).
  void UpdateAgentAttributes(AgentId agent, std::vector<plugins::Attribute> attributes);
  // Mesos's deactivateFramework / activateFramework / suppressOffers / reviveOffers (all roles).
  void DeactivateFramework(FrameworkId f) { master_->DeactivateFramework(f); }
  void ActivateFramework(FrameworkId f) { master_->ActivateFramework(f); }
  void Suppress(FrameworkId f) { master_->Suppress(f); }
  void Revive(FrameworkId f) { master_->Revive(f); }
  // `framework` already uses `resources` on `agent` (Mesos's addSlave with `used`): a running
  // service task launched there now, without an offer. Ending the task (Master::EndTask) is
  // Mesos's recoverResources of them.
  models::TaskSlot Use(FrameworkId framework, AgentId agent, std::string_view resources);
  // Runs what is due at the current instant (the cycles its events triggered), as Mesos's
  // Clock::settle() with the clock paused.
  void Settle() { RunUntil(sim_.Now()); }
  // Starts the periodic cycles (RunUntil does it if not done).
  void Start();
  uint64_t RunUntil(sim::Time end);

  // A PENDING task of `framework` in the task table, ready to be launched by Accept.
  models::TaskSlot NewTask(FrameworkId framework, std::string_view resources, double duration_s,
                           bool service = false);
  void Accept(const Received& offer, std::vector<models::TaskSlot> tasks, sim::Time refuse);
  void Decline(const Received& offer, sim::Time refuse);
  // Mesos's recoverResources with filters = None: the offer back, no filter.
  void Return(const Received& offer) { Decline(offer, sim::Time::Zero()); }
  // Mesos's Clock::advance: runs everything due up to now + `by`.
  void Advance(sim::Time by) { RunUntil(sim_.Now() + by); }

  // Offers received by `framework`, in order.
  std::vector<Received> OffersTo(FrameworkId framework) const;
  // Offers received by `framework` and still outstanding, in order.
  std::vector<Received> Outstanding(FrameworkId framework) const;
  // Offers received by `framework` at exactly time `at`.
  std::vector<Received> OffersAt(FrameworkId framework, sim::Time at) const;

  std::vector<Received> received;
  std::vector<Received> rescinded;  // the offer as it was received
  std::vector<Ended> ended;
  // Called for each offer as it arrives (after recording). May answer it.
  std::function<void(const Received&)> on_offer;
  // Inverse offers received (Master::Callbacks::inverse_offers), one per agent, in order; the
  // hook may answer them (Master::AnswerInverseOffer).
  struct InverseReceived {
    sim::Time at;
    FrameworkId framework;
    AgentId agent;
    models::Unavailability unavailability;
  };
  std::vector<InverseReceived> inverse_offers;
  std::function<void(const InverseReceived&)> on_inverse_offer;

  models::Master& master() { return *master_; }
  const plugins::DrfAllocator& drf() const { return drf_; }  // the master's policy
  sim::Simulator& sim() { return sim_; }
  models::TaskTable& tasks() { return tasks_; }
  models::ContainerRuntime& runtime() { return *runtime_; }
  const SignalLog& log() const { return log_; }

 private:
  models::ScenarioSpec spec_;
  sim::Simulator sim_;
  models::TaskTable tasks_;
  models::ClusterSignals signals_;
  plugins::DrfAllocator drf_;
  std::unique_ptr<models::ContainerRuntime> runtime_;
  std::unique_ptr<models::Master> master_;
  SignalLog log_;
  bool started_ = false;
  uint64_t next_task_id_ = 1;
};

}  // namespace clustersim::test
