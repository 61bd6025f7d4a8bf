#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/master/cost_model.h"
#include "scheduler_plugins/api/os.h"
#include "scheduler_plugins/api/quota.h"
#include "scheduler_plugins/api/resources.h"
#include "sim/check.h"
#include "sim/distribution.h"
#include "sim/time.h"

// Everything a scenario describes, as plain validated values. The runner fills these from YAML;
// the models only read them. Units: time as sim::Time, sizes in MiB, bandwidth in MiB/s.
namespace clustersim::models {

using plugins::Isolation;
using plugins::Os;
using plugins::OsVersion;
using plugins::Resources;

struct LayerSpec {
  std::string digest;
  double download_mib = 0;  // compressed size fetched over the network
  double disk_mib = 0;      // size once extracted, what the image store's budget counts
};

struct ImageSpec {
  std::string name;
  Os os = Os::kLinux;
  OsVersion version = OsVersion::kNone;
  std::vector<uint32_t> layers;  // indices into ImageCatalog::layers, base first
  // A servicing update (runtime.image_updates) publishes `updated_to`, this image rebuilt on the
  // updated base (ImageCatalog::Publish), at `updated_at`; launches from then on run that one.
  // -1: not updated (yet).
  int32_t updated_to = -1;
  sim::Time updated_at = sim::Time::Max();
  // The image as the scenario declared it, which every update rebuilds; -1: this one.
  int32_t declared_as = -1;
};

// A monthly servicing release (runtime.image_updates): at `at`, every image of `os` (and of
// `version`, unless kNone) is rebuilt on its base with `layer` as the base's delta. Windows Server
// Core's monthly delta is 0.23 GB for ltsc2019 and 0.27 GB for ltsc2022
// (shared/traces/container-start-latency-references.md lines 52-53, the MS Containers blog's
// "Reducing the size of Windows Server container images"; line 86: "Monthly updates re-pull only
// the 0.23-0.27 GB delta layer" — of the base image; the images built on it are rebuilt and their
// own layers pulled again, Publish).
struct ImageUpdateSpec {
  sim::Time at = sim::Time::Zero();
  Os os = Os::kWindows;
  OsVersion version = OsVersion::kNone;
  uint32_t layer = 0;  // index into ImageCatalog::layers
};

// Images share layers by digest, so pulling an image fetches only the layers an agent lacks.
struct ImageCatalog {
  std::vector<LayerSpec> layers;
  std::vector<ImageSpec> images;
  std::vector<ImageUpdateSpec> updates;  // in time order

  std::optional<uint32_t> FindImage(std::string_view name) const;
  std::optional<uint32_t> FindLayer(std::string_view digest) const;
  // The image a launch of `image` at `now` runs: `image` with every update published by then.
  // O(updates of that image).
  uint32_t Current(uint32_t image, sim::Time now) const;
  // Applies `update` (not earlier than the previous one) to every image it matches that no update
  // has replaced yet: each gets a successor named "<name>+<layer digest>", the declared image
  // rebuilt on the serviced base — its first layer, then the update's layer (replacing an earlier
  // update's: Microsoft's base images carry one cumulative delta, replaced every month), then its
  // other layers rebuilt on top, each a new layer "<digest>@<update digest>" of the same sizes
  // (images built FROM the base are rebuilt on it and their layers pulled again: a layer is
  // stored on its parent chain). Returns how many images it updated.
  size_t Publish(const ImageUpdateSpec& update);
  // The layer `layer` rebuilt on the base serviced by `update` (made once, shared by the images
  // that have it).
  uint32_t RebuiltLayer(uint32_t layer, uint32_t update);
};

// How containers start under one isolation mode.
struct RuntimeSpec {
  sim::Distribution start_latency_s;  // STARTING -> RUNNING, image already extracted
  double extract_mib_per_s = 0;       // single-stream layer extraction rate
  double mem_overhead_mib = 0;        // added to each task's memory (Hyper-V utility VM)
};

struct ContainerRuntimeSpec {
  RuntimeSpec docker;   // Linux
  RuntimeSpec process;  // Windows, process isolation
  RuntimeSpec hyperv;   // Windows, Hyper-V isolation
  // A client-side deadline on one pull (a clustersim knob, as Nomad's or the kubelet's: neither
  // Mesos nor dockerd has one, facts doc §2.2): the task fails and its pull is let go, as at the
  // registration timeout.
  sim::Time pull_timeout = sim::Time::Max();
  // The agent's `executor_registration_timeout`: launch -> RUNNING (pull, extraction and start)
  // must take no longer, or the attempt FAILS (executor_registration_timeout). Max(): none.
  // Whichever of the two deadlines is earlier fires first.
  sim::Time executor_registration_timeout = sim::Time::Max();

  const RuntimeSpec& For(Isolation isolation) const;
  // Defaults grounded in shared/traces/container-start-latency-references.md (see spec.cc).
  static ContainerRuntimeSpec Defaults();
};

// What an agent fault is, as the master would see it (docs/mesos-agent-lifecycle-facts.md §8.2).
enum class FaultKind : uint8_t {
  kCrash,      // the host dies: the connection breaks at once, pings go unanswered
  kPartition,  // the network cuts it off: only the pings tell
};

struct FailureSpec {
  bool enabled = false;
  FaultKind kind = FaultKind::kCrash;
  sim::Distribution time_to_failure_s;  // MTBF as a distribution (exponential by default)
  sim::Distribution time_to_repair_s;   // MTTR
};

struct AgentGroupSpec {
  std::string name;
  int count = 0;
  Os os = Os::kLinux;
  OsVersion os_version = OsVersion::kNone;
  Isolation isolation = Isolation::kDocker;
  Resources resources;
  std::vector<std::pair<std::string, std::string>> attributes;  // sorted by key
  double image_store_mib = 100.0 * 1024;
  double pull_bandwidth_mibps = 100;
  int max_concurrent_downloads = 3;  // Docker's max-concurrent-downloads default
  std::vector<uint32_t> preloaded_images;
  // Overrides ContainerRuntimeSpec::executor_registration_timeout for this group's agents (an
  // agent flag in Mesos, so it can differ per host).
  std::optional<sim::Time> executor_registration_timeout;
  FailureSpec failures;
  int racks = 0;  // > 0: agents get attribute rack=r<index % racks>
  // Static reservations of each agent's resources: role name -> amount, sorted by role; their sum
  // fits in `resources`. Offered only to that role's frameworks.
  std::vector<std::pair<std::string, Resources>> reservations;
};

// A change to the master's settings at a given time (`master.updates`). Each setting is optional.
struct MasterUpdateSpec {
  sim::Time at = sim::Time::Zero();
  // Role path -> new weight (Mesos's /weights endpoint, master/weights_handler.cpp): no cycle
  // follows (hierarchical.cpp:1854-1870). Paths not listed keep theirs.
  std::map<std::string, double> role_weights;
  // Top-level role -> new quota (Mesos's UPDATE_QUOTA call, quota_handler.cpp): no cycle follows
  // (hierarchical.cpp:1840-1850). Roles not listed keep theirs; one with neither guarantee nor
  // limit goes back to no quota.
  plugins::RoleQuotas quotas;
};

// How tasks find machines (issue 16; the Omega paper's §3 taxonomy).
enum class Architecture : uint8_t {
  kTwoLevel,     // the Mesos master: offers from the allocator, accepted or declined (default)
  kMonolithic,   // one scheduler places every framework's jobs, one job at a time
  kSharedState,  // every framework schedules on its own copy of the cell, commits optimistically
};
const char* ArchitectureName(Architecture a);

// Shared-state commits (the Omega paper §5.3, the released simulator's ClaimDelta/commit).
struct SharedStateSpec {
  // fine: a claim conflicts when its machine no longer has room for it; coarse: when anything was
  // committed to its machine since the scheduler's copy was taken.
  bool coarse_conflicts = false;
  // all-or-nothing: one conflicting claim fails the whole transaction; incremental: the claims
  // that still fit commit, the others are retried. Not gang scheduling: in both, tasks that found
  // no room on the copy are simply not claimed and the rest commit (as the released simulator,
  // OmegaSimulation.scala:205-221).
  bool all_or_nothing = false;
};

struct MasterSpec {
  Architecture architecture = Architecture::kTwoLevel;
  // Two-level: each agent offered to the framework first in the allocator's order (Mesos), or
  // every free agent of a cycle to one framework (how the released Omega simulator modelled Mesos,
  // MesosSimulation.scala:406-490: its whole free cell per batched offer round).
  bool offer_whole_cell = false;
  SharedStateSpec shared_state;
  sim::Time allocation_interval = sim::Time::Seconds(1);  // Mesos DEFAULT_ALLOCATION_INTERVAL
  // An agent's available resources are offered only if they contain at least one of these
  // (Mesos --min_allocatable_resources default: cpus:0.01 | mem:32); empty, or with a zero
  // quantity: anything but nothing (NormalizedMinAllocatable).
  std::vector<Resources> min_allocatable = {Resources::Of(0.01, 0), Resources::Of(0, 32)};
  std::optional<sim::Time> offer_timeout;  // unset: offers wait for an answer forever
  std::string allocator = "drf";
  // Role name -> quota (top-level roles only, as Mesos 1.11). Empty: the single-pass cycle; any
  // quota: Mesos's two-stage cycle with headroom and limits (models/master/quota_stages.cc).
  plugins::RoleQuotas quotas;
  MasterCostSpec cost;  // the master's own processing time; off by default
  // Role path -> weight (Mesos --weights / the /weights endpoint); a path may have no framework
  // (it weighs its subtree). Not listed: 1. A framework's `weight` lands here for its role.
  std::map<std::string, double> role_weights;
  // Resource names left out of fair-share computations (Mesos
  // --fair_sharing_excluded_resource_names); names no agent has are ignored, as in Mesos.
  std::vector<std::string> fair_sharing_excluded_resource_names;
  std::vector<MasterUpdateSpec> updates;  // sorted by `at`
  // Mesos --filter_gpu_resources (default true, flags.cpp:487-501): an agent with GPUs is offered
  // only to frameworks with the GPU_RESOURCES capability (FrameworkSpec::gpu_resources).
  bool filter_gpu_resources = true;
  // Agent health (master/constants.hpp DEFAULT_AGENT_PING_TIMEOUT 15 s,
  // DEFAULT_MAX_AGENT_PING_TIMEOUTS 5; docs/mesos-agent-lifecycle-facts.md §1.1-1.2): the master
  // pings every agent every agent_ping_timeout and marks it unreachable on the
  // max_agent_ping_timeouts-th consecutive unanswered ping.
  sim::Time agent_ping_timeout = sim::Time::Seconds(15);
  int max_agent_ping_timeouts = 5;
  // --agent_removal_rate_limit (unset: none, Mesos's default) as the time between permits:
  // unreachable transitions wait for a permit, in the order they fall due.
  std::optional<sim::Time> agent_removal_interval;
  // What an agent reregistering after being unreachable brings back: since Mesos 1.5 every task
  // it reports returns RUNNING (commit 9d0cadc82, master.cpp:7011-7086); before 1.5 the tasks of
  // frameworks that are not partition-aware were killed. true: the pre-1.5 behaviour.
  bool reregistration_kills_non_partition_aware = false;
};

enum class ArrivalKind { kNone, kPoisson, kFixed };

struct ConstraintSpec {
  int max_tasks_per_agent = 0;                                  // 0: no limit
  std::vector<std::pair<std::string, std::string>> attributes;  // agent attribute must equal
};

struct WorkloadSpec {
  int initial_jobs = 0;  // submitted at time 0
  ArrivalKind arrival = ArrivalKind::kNone;
  double rate_per_s = 0;  // jobs per second (Poisson mean rate, or 1/interval for fixed)
  sim::Time start = sim::Time::Zero();
  sim::Time stop = sim::Time::Max();
  int64_t max_jobs = -1;  // < 0: unlimited
  sim::Distribution tasks_per_job = sim::Distribution::Constant(1);
  bool service = false;  // long-running: tasks never finish on their own
  sim::Distribution duration_s = sim::Distribution::Constant(60);
  sim::Distribution cpus = sim::Distribution::Constant(1);
  sim::Distribution mem_mib = sim::Distribution::Constant(1024);
  sim::Distribution disk_mib = sim::Distribution::Constant(0);
  sim::Distribution gpus = sim::Distribution::Constant(0);
  // OS of each task: P(windows); the task's image is then drawn among `images` of that OS.
  double windows_fraction = 0;
  std::vector<uint32_t> images;  // catalog indices, in popularity order
  double image_zipf_s = 1.0;
  ConstraintSpec constraints;
};

// One predicate on an agent attribute: Mesos 1.11's AttributeConstraint with an attribute_name
// selector (scheduler.proto:248-389; semantics in offer_constraints_filter.cpp:169-233).
struct AttributeConstraintSpec {
  enum class Predicate {
    kExists,
    kNotExists,
    kTextEquals,
    kTextNotEquals,
    kTextMatches,
    kTextNotMatches
  };
  std::string attribute;
  Predicate predicate = Predicate::kExists;
  std::string value;  // the text (equals) or the RE2 regex (matches); empty for (not_)exists
};

// A role's offer constraints (Mesos's OfferConstraints.RoleConstraints, scheduler.proto:455-470):
// an agent is offered to the role only if every predicate of at least one group holds (an OR of
// ANDs). Neither `groups` nor a group is empty.
struct RoleOfferConstraints {
  std::string role;
  std::vector<std::vector<AttributeConstraintSpec>> groups;
};

// How long a framework waits before it relaunches a task whose attempt FAILED or was LOST:
// initial × factor^(failures − 1), capped at `max`, where failures counts the task's failed
// attempts so far. Defaults: Marathon's backoffSeconds 1 s and backoffFactor 1.15 (Marathon's
// AppDefinition.scala DefaultBackoff / DefaultBackoffFactor, and the DC/OS Marathon parameters
// reference) and maxLaunchDelaySeconds 5 min (Marathon 1.8 docs/backoff.html, "default: 5
// minutes"; older AppDefinition.scala had 1 hour). Deliberate difference: Marathon keeps one
// delay per app, grown by any instance's failure; here each task has its own.
struct RetryBackoffSpec {
  sim::Time initial = sim::Time::Seconds(1);
  double factor = 1.15;
  sim::Time max = sim::Time::Seconds(300);

  // The delay before the relaunch that follows the `failures`-th failed attempt (failures >= 1).
  sim::Time DelayAfter(int failures) const;
};

struct FrameworkSpec {
  std::string name;
  std::string role;  // the first of `roles` when it has several
  // Every role of a multi-role framework (Mesos's MULTI_ROLE), in the given order; empty: `role`.
  std::vector<std::string> roles;
  // Its FrameworkInfo.offer_filters[role].min_allocatable_resources by role (each an OR of
  // non-zero quantities; empty: anything not nothing): replaces MasterSpec::min_allocatable for
  // the framework in that role. A role not listed: the master's.
  std::map<std::string, std::vector<Resources>> min_allocatable;
  double weight = 1.0;  // the role's weight
  std::string placement = "first-fit";
  int max_tasks_per_offer = 0;               // 0: unlimited
  sim::Time refuse = sim::Time::Seconds(5);  // Mesos Filters.refuse_seconds default
  sim::Time decision_per_offer = sim::Time::Zero();
  sim::Time decision_per_task = sim::Time::Zero();
  // Per job a round or attempt considers (two-level: jobs it placed tasks of; monolithic and
  // shared-state: the job attempted, whose unplaced tasks each cost decision_per_task).
  sim::Time decision_per_job = sim::Time::Zero();
  // Monolithic and shared-state: a job not fully placed tries again this much later, at the back
  // of its scheduler's queue (the released Omega simulator's 1 s).
  sim::Time job_retry_delay = sim::Time::Seconds(1);
  int max_retries = 3;
  RetryBackoffSpec retry_backoff;
  // Suppress offers whenever nothing is pending (and revive, clearing filters, when work comes).
  // false: stay subscribed and decline idle offers with `refuse` filters, as frameworks did before
  // Mesos had suppression; on large clusters with a trickle of work this avoids a full offer round
  // (every agent) per arrival.
  bool suppress_when_idle = true;
  // Offer constraints by role (at most one entry per role); a role without an entry sees every
  // agent.
  std::vector<RoleOfferConstraints> offer_constraints;
  bool gpu_resources = false;  // Mesos's GPU_RESOURCES framework capability
  // FrameworkInfo.Capability PARTITION_AWARE: its tasks on an unreachable agent end UNREACHABLE
  // rather than LOST (master.cpp:10974-10987).
  bool partition_aware = false;
  // FrameworkInfo.checkpoint. Mesos's default is false, but schedulers that keep services up
  // (Marathon, Aurora) set it: without it, a broken agent connection makes the framework's tasks
  // there LOST at once (master.cpp:1319-1331), before any ping is missed.
  bool checkpoint = true;
  // How long its tasks take to exit once killed (the executor's SIGTERM): a killed task ends at
  // this or at its kill grace period (SIGKILL), whichever is first. Mesos leaves it to the task;
  // unset: every task runs out the whole grace period (the slowest case).
  std::optional<sim::Time> sigterm_exit;
  // FrameworkInfo.failover_timeout: how long the master waits for a disconnected scheduler
  // (a framework_disconnect fault) before it removes the framework and kills its tasks. Mesos's
  // default is 0 (removed at the disconnect); Max: never.
  sim::Time failover_timeout = sim::Time::Zero();
  WorkloadSpec workload;
  // frameworks[].maintenance: how it answers inverse offers (scenarios/README.md, "Maintenance
  // and draining"). Decline (default): keeps its tasks and places on DRAINING agents as on any.
  // Accept: moves its tasks off the agent `ahead` of the window (kills them, relaunches them
  // elsewhere) and places nothing on an agent whose window starts within `ahead` (Marathon's
  // --draining_seconds).
  bool maintenance_accept = false;
  sim::Time maintenance_ahead = sim::Time::Seconds(300);

  std::vector<std::string> Roles() const { return roles.empty() ? std::vector{role} : roles; }
};

enum class ReplayMode { kDemand, kRecorded };

// Traces carry no OS, version or image: a seeded mapping assigns them.
struct TraceOsMapping {
  double windows_machines = 0;  // fraction of trace machines that are Windows
  double windows_tasks = 0;     // fraction of trace jobs that are Windows
  // Windows host versions, with weights; a Windows job's image is drawn among windows_images.
  std::vector<std::pair<OsVersion, double>> windows_versions = {{OsVersion::kLtsc2019, 1}};
  Isolation windows_isolation = Isolation::kProcess;
  std::vector<uint32_t> linux_images;    // catalog indices, most popular first
  std::vector<uint32_t> windows_images;  // catalog indices, most popular first
  double image_zipf_s = 1.0;
};

// How trace jobs map onto the scenario's frameworks.
struct FrameworkMapping {
  enum class By { kAll, kUser, kSchedulingClass, kPriorityBand };
  By by = By::kAll;
  // kPriorityBand: band i holds priorities < edges[i] (the last band the rest); band i goes to
  // framework i. kUser: users are hashed onto frameworks. kSchedulingClass: class c to framework
  // min(c, frameworks - 1). Applied by models/workload/framework_mapping.h, which also says which
  // formats have the fields.
  std::vector<int> priority_edges;
};

// A trace format's own settings, made by the format from its keys of the `trace:` block
// (models/workload/trace_format.h); each format derives its own.
class TraceFormatOptions {
 public:
  virtual ~TraceFormatOptions() = default;
};

// The settings every trace format shares; a format's own are in `options`.
// What a trace's machine removal is to the master (trace.machine_remove).
enum class MachineRemoval : uint8_t {
  kRemoved,  // known at once: the agent and its tasks go at the recorded time
  kCrash,    // a crash: the agent's connection breaks, its tasks are LOST 75-90 s later
};

struct TraceSpec {
  bool enabled = false;
  std::string format = "google2011";  // a name of the trace format registry
  // Files by table (each format names its tables: "task_events", "batch_task", "jobs", ...);
  // absolute or relative to the scenario.
  std::vector<std::pair<std::string, std::vector<std::string>>> paths;
  ReplayMode mode = ReplayMode::kDemand;
  bool strict = false;  // fail on the first malformed row instead of skipping and counting it
  FrameworkMapping map;
  // Normalised trace capacities and requests are scaled by this machine size.
  Resources machine_size = Resources::Of(64, 256 * 1024);
  TraceOsMapping os;
  std::optional<sim::Time> duration;  // recorded mode: replay end if the trace gives none
  // Unset: the format's own default (TraceFormatEntry::machine_removal).
  std::optional<MachineRemoval> machine_remove;
  // The format's own settings; null: its defaults.
  std::shared_ptr<const TraceFormatOptions> options;

  const std::vector<std::string>* Paths(std::string_view table) const {
    for (const auto& [name, files] : paths) {
      if (name == table) return &files;
    }
    return nullptr;
  }
  // The format's settings as its own type (the format's code knows it), or T's defaults when
  // unset. Settings of another format are a broken invariant (the registry pairs them).
  template <typename T>
  const T& Options() const {
    static const T kDefaults;
    if (options == nullptr) return kDefaults;
    const T* typed = dynamic_cast<const T*>(options.get());
    SIM_CHECK_MSG(typed != nullptr, "trace options of another format");
    return *typed;
  }
};

struct ResultsSpec {
  sim::Time sample_interval = sim::Time::Seconds(10);
  // summary.json's metrics cover [warmup, end]: the start-up transient (a prefill placing, queues
  // filling) is left out, as the Omega paper measures a day after its prefill. Zero: the whole run.
  sim::Time warmup = sim::Time::Zero();
  bool events_binpb = false;
  bool tasks_csv = true;
};

// One entry of the scenario's `faults:` (scenarios/README.md, "Faults"): a fault at a fixed time,
// or a seeded process of them, over named agents, a group or a rack, all or a random part.
struct FaultSpec {
  enum class Kind : uint8_t { kAgentCrash, kAgentPartition, kMasterFailover, kFrameworkDisconnect };
  Kind kind = Kind::kAgentCrash;
  sim::Time at;                              // the (first) fault
  std::optional<sim::Distribution> every_s;  // a process: time between faults after `at`
  sim::Time until = sim::Time::Max();        // no fault of the process after this
  // Which agents (agent faults): names, or a group's, or those of a rack (rack attribute value,
  // across groups); empty: every agent of the cell.
  std::vector<std::string> agents;
  std::string group;
  std::string rack;
  double fraction = 1;  // of those, chosen at random at each fault
  int count = 0;        // > 0: this many of them instead of `fraction`
  // A crash's time to the host's return (Max: never); a partition's time to heal.
  sim::Time duration = sim::Time::Max();
  // kFrameworkDisconnect: the framework whose scheduler disconnects; `duration` is the time to
  // its reconnection (Max: never).
  std::string framework;
  // kMasterFailover: the new leader's election, and the window the agents reregister over.
  sim::Time election = sim::Time::Seconds(10);  // ZooKeeper session timeout (constants.hpp)
  sim::Time reregistration_window = sim::Time::Seconds(1);  // agents' registration backoff
};

// One maintenance window of `maintenance:`, over named agents (a rolling form is expanded into
// one window per batch when parsed). Scheduled at t = 0 (the operator posts the schedule).
struct MaintenanceWindowSpec {
  std::vector<std::string> machines;  // agent names
  sim::Time start;
  sim::Time duration = sim::Time::Max();  // Max: infinite (the machines never come UP)
  // drain: DRAIN_AGENT each agent `drain_before` the window's start, with its max_grace_period.
  bool drain = false;
  sim::Time drain_before = sim::Time::Seconds(60);
  std::optional<sim::Time> drain_max_grace;
  // drain.prepull: when the drain starts, the agent pulls the servicing update of every image it
  // holds (runtime.image_updates published by then), so its first starts after the reboot are warm.
  bool drain_prepull = false;
};

struct ScenarioSpec {
  std::string name;
  uint64_t seed = 1;
  sim::Time duration = sim::Time::Seconds(3600);
  MasterSpec master;
  std::vector<AgentGroupSpec> groups;
  ImageCatalog images;
  ContainerRuntimeSpec runtime = ContainerRuntimeSpec::Defaults();
  std::vector<FrameworkSpec> frameworks;
  TraceSpec trace;
  ResultsSpec results;
  std::vector<FaultSpec> faults;
  std::vector<MaintenanceWindowSpec> maintenance;  // in the order given (batches in order)
};

}  // namespace clustersim::models
