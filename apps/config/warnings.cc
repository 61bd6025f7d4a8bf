#include "apps/config/warnings.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "apps/config/units.h"
#include "apps/scenario/faults.h"
#include "apps/scenario/maintenance.h"
#include "models/agent_kinds.h"
#include "models/master/offer_constraints.h"
#include "scheduler_plugins/api/feasibility.h"

namespace clustersim::apps {
namespace {

using models::TaskReason;

void Add(std::vector<Warning>& out, const YamlValue& at, std::string message) {
  out.push_back(Warning{at.Location(), at.path(), std::move(message)});
}

// The entries of a mapping, or none if `v` is absent or not a mapping (LoadScenario has already
// rejected every ill-formed value; absent blocks are normal).
std::vector<std::pair<std::string, YamlValue>> EntriesOf(const YamlValue& v) {
  if (!v.IsDefined() || !v.IsMap()) return {};
  auto entries = v.Entries();
  return entries.ok() ? std::move(*entries) : std::vector<std::pair<std::string, YamlValue>>{};
}

std::vector<YamlValue> ElementsOf(const YamlValue& v) {
  if (!v.IsDefined() || !v.IsSequence()) return {};
  auto elements = v.Elements();
  return elements.ok() ? std::move(*elements) : std::vector<YamlValue>{};
}

// --- Resource names
// -------------------------------------------------------------------------------

void CheckResourceMap(const YamlValue& map, std::vector<Warning>& out) {
  for (const auto& [name, value] : EntriesOf(map)) {
    if (auto builtin = MeantBuiltin(name)) {
      Add(out, value,
          fmt::format("'{}' is read as a custom resource of its own, so no {} is given here; did "
                      "you mean {}? (rename the key; a custom resource needs a name further "
                      "from the built-ins cpus, mem, disk, gpus)",
                      name, *builtin, *builtin));
    }
  }
}

// --- Frameworks whose tasks can never run
// ---------------------------------------------------------

// One kind of task a synthetic workload draws: its OS and image (none: no base version).
struct TaskKind {
  plugins::Os os = plugins::Os::kLinux;
  plugins::OsVersion version = plugins::OsVersion::kNone;
  std::string image;  // "" if the workload lists no image of that OS
};

std::vector<TaskKind> TaskKindsOf(const models::WorkloadSpec& w,
                                  const models::ImageCatalog& catalog) {
  std::vector<TaskKind> kinds;
  for (const plugins::Os os : {plugins::Os::kLinux, plugins::Os::kWindows}) {
    const bool drawn = os == plugins::Os::kLinux ? w.windows_fraction < 1 : w.windows_fraction > 0;
    if (!drawn) continue;
    const size_t before = kinds.size();
    for (uint32_t i : w.images) {
      const models::ImageSpec& image = catalog.images[i];
      if (image.os == os) kinds.push_back(TaskKind{os, image.version, image.name});
    }
    if (kinds.size() == before) kinds.push_back(TaskKind{os, plugins::OsVersion::kNone, ""});
  }
  return kinds;
}

// The smallest task the workload can draw (SyntheticWorkload: negative draws become 0).
plugins::Resources SmallestTask(const models::WorkloadSpec& w) {
  auto low = [](const sim::Distribution& d) {
    const double v = d.Min();
    return std::isfinite(v) && v > 0 ? v : 0.0;
  };
  return plugins::Resources::Of(low(w.cpus), low(w.mem_mib), low(w.disk_mib), low(w.gpus));
}

std::string DescribeKind(const TaskKind& k) {
  if (!k.image.empty()) {
    return k.version == plugins::OsVersion::kNone
               ? fmt::format("image '{}' ({})", k.image, plugins::OsName(k.os))
               : fmt::format("image '{}' ({} {})", k.image, plugins::OsName(k.os),
                             plugins::OsVersionName(k.version));
  }
  return fmt::format("{} tasks", plugins::OsName(k.os));
}

// What is wrong and what to do, for tasks of kind `k` that no agent can run for `why`.
std::string ReasonAdvice(TaskReason why, const TaskKind& k, const plugins::Resources& smallest) {
  switch (why) {
    case TaskReason::kNoAgents:
      return "the cluster has no agent (every group has count 0); add agents";
    case TaskReason::kConstraintUnmet:
      return "no agent carries the attributes its constraints require; fix "
             "constraints.attributes or give a group those attributes";
    case TaskReason::kNoMatchingOs:
      return fmt::format(
          "no agent runs {0}; add a {0} agent group or stop drawing {0} tasks "
          "(windows_fraction, images)",
          plugins::OsName(k.os));
    case TaskReason::kImageIncompatible:
      return fmt::format(
          "no {} agent can run {} (a process-isolated host needs the image's "
          "version, a hyperv host that version or newer); add such a group or "
          "list another image",
          plugins::OsName(k.os), DescribeKind(k));
    default:
      return fmt::format(
          "its smallest task ({}, plus the container's memory overhead) is larger "
          "than every agent that could run it; lower workload.resources or add "
          "larger agents",
          smallest.ToString());
  }
}

// The node a warning about framework `f`'s tasks points at, by reason.
YamlValue ReasonNode(const YamlValue& framework, TaskReason why) {
  const YamlValue workload = framework.Child("workload");
  auto first_present = [&](std::initializer_list<YamlValue> nodes) {
    for (const YamlValue& n : nodes) {
      if (n.IsDefined()) return n;
    }
    return framework;
  };
  switch (why) {
    case TaskReason::kConstraintUnmet:
      return first_present({workload.Child("constraints").Child("attributes"), workload});
    case TaskReason::kNoMatchingOs:
    case TaskReason::kImageIncompatible:
      return first_present(
          {workload.Child("images"), workload.Child("windows_fraction"), workload});
    case TaskReason::kTooLarge:
      return first_present({workload.Child("resources"), workload});
    default:
      return first_present({workload});
  }
}

// Warns about each kind of `f`'s tasks that no agent can ever run, or once if none can for one
// reason.
void CheckFrameworkCanRun(const YamlValue& node, const models::FrameworkSpec& f,
                          const models::ScenarioSpec& spec, bool has_agents,
                          std::vector<Warning>& out) {
  const std::vector<TaskKind> kinds = TaskKindsOf(f.workload, spec.images);
  const std::vector<models::AgentKind> agents = models::GroupKindsFor(spec, f.workload.constraints);
  const plugins::Resources smallest = SmallestTask(f.workload);
  std::vector<std::pair<const TaskKind*, TaskReason>> never;
  for (const TaskKind& k : kinds) {
    const TaskReason why =
        models::WhyUnschedulable({smallest, k.os, k.version}, agents, has_agents);
    if (why != TaskReason::kNone) never.emplace_back(&k, why);
  }
  if (never.empty()) return;
  // Reasons that do not depend on the task's OS or image make one warning for the framework.
  const TaskReason first = never[0].second;
  const bool kind_free = kinds.size() == 1 || first == TaskReason::kNoAgents ||
                         first == TaskReason::kConstraintUnmet || first == TaskReason::kTooLarge;
  const bool one_reason =
      kind_free && never.size() == kinds.size() &&
      std::all_of(never.begin(), never.end(), [&](const auto& n) { return n.second == first; });
  if (one_reason) never.resize(1);
  for (const auto& [kind, why] : never) {
    const std::string whose = one_reason ? "none of its tasks can ever run"
                                         : fmt::format("its {} can never run", DescribeKind(*kind));
    Add(out, ReasonNode(node, why),
        fmt::format("framework '{}': {} ({}): {}", f.name, whose, models::TaskReasonName(why),
                    ReasonAdvice(why, *kind, smallest)));
  }
}

bool HasJobs(const models::WorkloadSpec& w) {
  return w.max_jobs != 0 && (w.initial_jobs > 0 || w.arrival != models::ArrivalKind::kNone);
}

// Initial jobs and arrivals both begin at `start`: one at or after the run's end submits nothing.
bool SubmitsTasks(const models::WorkloadSpec& w, sim::Time duration) {
  return HasJobs(w) && w.start < duration;
}

}  // namespace

std::optional<std::string_view> MeantBuiltin(std::string_view name) {
  static constexpr std::array<std::string_view, 4> kBuiltins = {"cpus", "mem", "disk", "gpus"};
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kAliases = {
      {{"cpu", "cpus"}, {"cores", "cpus"}, {"memory", "mem"}, {"ram", "mem"}, {"gpu", "gpus"}}};
  if (std::find(kBuiltins.begin(), kBuiltins.end(), name) != kBuiltins.end()) return std::nullopt;
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [alias, builtin] : kAliases) {
    if (lower == alias) return builtin;
  }
  // The nearest built-in or alias within 2 edits (ties: built-ins first, in order).
  std::optional<std::string_view> best;
  size_t best_distance = 3;
  auto consider = [&](std::string_view candidate, std::string_view builtin) {
    const size_t d = EditDistance(lower, candidate);
    if (d < best_distance) {
      best = builtin;
      best_distance = d;
    }
  };
  for (std::string_view builtin : kBuiltins) consider(builtin, builtin);
  for (const auto& [alias, builtin] : kAliases) consider(alias, builtin);
  return best;
}

std::string Warning::ToString() const {
  if (path.empty()) return fmt::format("{}: warning: {}", location, message);
  return fmt::format("{}: warning: {}: {}", location, path, message);
}

void CheckResourceNames(const YamlValue& root, std::vector<Warning>& out) {
  for (const YamlValue& group : ElementsOf(root.Child("cluster").Child("groups"))) {
    CheckResourceMap(group.Child("resources"), out);
    for (const auto& [role, amount] : EntriesOf(group.Child("reservations"))) {
      CheckResourceMap(amount, out);
    }
  }
  const YamlValue master = root.Child("master");
  for (const YamlValue& r : ElementsOf(master.Child("min_allocatable"))) CheckResourceMap(r, out);
  std::vector<YamlValue> quota_maps{master.Child("quotas"),
                                    master.Child("allocator").Child("quotas")};
  for (const YamlValue& update : ElementsOf(master.Child("updates"))) {
    quota_maps.push_back(update.Child("quotas"));
  }
  for (const YamlValue& quotas : quota_maps) {
    for (const auto& [role, quota] : EntriesOf(quotas)) {
      CheckResourceMap(quota.Child("guarantee"), out);
      CheckResourceMap(quota.Child("limit"), out);
    }
  }
}

// No framework with a workload and no trace: nothing is ever submitted.
void CheckSomethingIsSubmitted(const YamlValue& root, const models::ScenarioSpec& spec,
                               std::vector<Warning>& out) {
  if (spec.trace.enabled) return;
  const bool submits = std::any_of(
      spec.frameworks.begin(), spec.frameworks.end(),
      [&](const models::FrameworkSpec& f) { return SubmitsTasks(f.workload, spec.duration); });
  if (submits) return;
  Add(out, root.Child("frameworks"),
      spec.frameworks.empty()
          ? "no frameworks, so no task is ever submitted and the run measures nothing; add a "
            "framework with a workload (or a trace)"
          : "no framework submits a task (none has workload.initial_jobs or an arrival, with "
            "max_jobs above 0 and a start before the run's end), so the run measures nothing; "
            "give one a workload (or add a trace)");
}

void CheckFrameworksCanRun(const YamlValue& root, const models::ScenarioSpec& spec,
                           std::vector<Warning>& out) {
  CheckSomethingIsSubmitted(root, spec, out);
  // A trace may bring agents of any kind as it goes: nothing is known before the run.
  if (spec.trace.enabled) return;
  const bool has_agents = std::any_of(spec.groups.begin(), spec.groups.end(),
                                      [](const models::AgentGroupSpec& g) { return g.count > 0; });
  const YamlValue frameworks = root.Child("frameworks");
  for (size_t i = 0; i < spec.frameworks.size(); ++i) {
    const models::WorkloadSpec& w = spec.frameworks[i].workload;
    if (HasJobs(w) && !SubmitsTasks(w, spec.duration) && !spec.trace.enabled) {
      const YamlValue workload = frameworks.Index(i).Child("workload");
      const YamlValue start = workload.Child("start");
      Add(out, start.IsDefined() ? start : workload,
          fmt::format("framework '{}' submits nothing: its workload starts at {}, at or after "
                      "the run's end ({}); lower start or lengthen the run",
                      spec.frameworks[i].name, FormatDuration(w.start),
                      FormatDuration(spec.duration)));
    }
    if (!SubmitsTasks(w, spec.duration)) continue;
    CheckFrameworkCanRun(frameworks.Index(i), spec.frameworks[i], spec, has_agents, out);
  }
}

void CheckRolesExist(const YamlValue& root, const Scenario& scenario, std::vector<Warning>& out) {
  std::set<std::string> roles;
  for (const auto& f : scenario.spec.frameworks) {
    for (const std::string& role : f.Roles()) roles.insert(role);
  }
  const std::string known = fmt::format("{}", fmt::join(roles, ", "));
  // Role paths form a tree: a reservation, weight or priority on `eng` acts on `eng/web` too.
  auto check = [&](const std::string& role, const YamlValue& at, std::string_view what) {
    for (auto it = roles.lower_bound(role); it != roles.end() && it->starts_with(role); ++it) {
      if (it->size() == role.size() || (*it)[role.size()] == '/') return;
    }
    Add(out, at,
        fmt::format("{} for role '{}', which no framework has (roles: {}); it has no effect: "
                    "fix the role name or remove it",
                    what, role, known));
  };
  for (const YamlValue& group : ElementsOf(root.Child("cluster").Child("groups"))) {
    for (const auto& [role, amount] : EntriesOf(group.Child("reservations"))) {
      check(role, amount, "a reservation");
    }
  }
  // A quota covers the role's subroles (`eng` covers `eng/web`), and a guarantee holds back
  // headroom even with no framework in the role (Mesos): only a role nobody is in is suspect.
  auto check_quota = [&](const std::string& role, const YamlValue& at) {
    for (const std::string& r : roles) {
      if (r == role || r.rfind(role + "/", 0) == 0) return;
    }
    Add(out, at,
        fmt::format("a quota for role '{}', which no framework or subrole has (roles: {}); its "
                    "guarantee still holds back headroom from every other role, as in Mesos: fix "
                    "the role name or remove it",
                    role, known));
  };
  for (const auto& [role, w] : EntriesOf(root.Child("master").Child("role_weights"))) {
    check(role, w, "a weight");
  }
  for (const auto& [role, quota] : EntriesOf(root.Child("master").Child("quotas"))) {
    check_quota(role, quota);
  }
  for (const YamlValue& update : ElementsOf(root.Child("master").Child("updates"))) {
    for (const auto& [role, quota] : EntriesOf(update.Child("quotas"))) check_quota(role, quota);
  }
  if (!scenario.allocator.params) return;
  const YamlValue& params = *scenario.allocator.params;
  for (const auto& [role, quota] : EntriesOf(params.Child("quotas"))) check_quota(role, quota);
  for (const auto& [role, p] : EntriesOf(params.Child("priorities"))) check(role, p, "a priority");
}

void CheckRoleWeights(const YamlValue& root, const models::ScenarioSpec& spec,
                      std::vector<Warning>& out) {
  const YamlValue frameworks = root.Child("frameworks");
  std::map<std::string, size_t> stated;  // role -> the first framework stating its weight
  for (size_t i = 0; i < spec.frameworks.size(); ++i) {
    if (frameworks.Index(i).Child("weight").IsDefined())
      stated.try_emplace(spec.frameworks[i].role, i);
  }
  for (size_t i = 0; i < spec.frameworks.size(); ++i) {
    const YamlValue f = frameworks.Index(i);
    auto it = stated.find(spec.frameworks[i].role);
    if (it == stated.end() || f.Child("weight").IsDefined()) continue;
    const models::FrameworkSpec& from = spec.frameworks[it->second];
    const YamlValue role = f.Child("role");
    Add(out, role.IsDefined() ? role : f,
        fmt::format("framework '{}' inherits weight {:g} for role '{}' from framework '{}' "
                    "(frameworks[{}].weight) without stating it; state weight: {:g} here too, or "
                    "give it a role of its own",
                    spec.frameworks[i].name, from.weight, from.role, from.name, it->second,
                    from.weight));
  }
}

// Keys of the offer model that a monolithic or shared-state cell never consults.
void CheckArchitectureKeys(const YamlValue& root, const models::ScenarioSpec& spec,
                           std::vector<Warning>& out) {
  const YamlValue granularity = root.Child("master").Child("offer_granularity");
  if (spec.master.offer_whole_cell && !spec.master.quotas.empty()) {
    Add(out, granularity,
        "ignored with master.quotas: the quota stages offer agent by agent, as Mesos does");
  }
  if (spec.master.architecture == models::Architecture::kTwoLevel) {
    const YamlValue shared = root.Child("master").Child("shared_state");
    if (shared.IsDefined()) {
      Add(out, shared, "ignored unless master.architecture is shared-state");
    }
    return;
  }
  const std::string arch = models::ArchitectureName(spec.master.architecture);
  const YamlValue master = root.Child("master");
  for (const char* key : {"allocator", "quotas", "offer_timeout", "role_weights"}) {
    if (master.Child(key).IsDefined()) {
      Add(out, master.Child(key),
          fmt::format("ignored under architecture {}: frameworks place on the cell themselves, "
                      "without offers",
                      arch));
    }
  }
  const YamlValue frameworks = root.Child("frameworks");
  for (size_t i = 0; i < spec.frameworks.size(); ++i) {
    const YamlValue f = frameworks.Index(i);
    for (const char* key : {"refuse_seconds", "offer_constraints"}) {
      if (f.Child(key).IsDefined()) {
        Add(out, f.Child(key), fmt::format("ignored under architecture {} (no offers)", arch));
      }
    }
    if (f.Child("decision_time").Child("per_offer").IsDefined()) {
      Add(out, f.Child("decision_time").Child("per_offer"),
          fmt::format("ignored under architecture {}: a job attempt costs per_job + per_task x "
                      "its tasks not placed yet",
                      arch));
    }
  }
}

void CheckPreloadedImages(const YamlValue& root, const models::ScenarioSpec& spec,
                          std::vector<Warning>& out) {
  const YamlValue groups = root.Child("cluster").Child("groups");
  for (size_t g = 0; g < spec.groups.size(); ++g) {
    const models::AgentGroupSpec& group = spec.groups[g];
    const std::vector<YamlValue> refs = ElementsOf(groups.Index(g).Child("preloaded_images"));
    for (size_t k = 0; k < group.preloaded_images.size() && k < refs.size(); ++k) {
      const models::ImageSpec& image = spec.images.images[group.preloaded_images[k]];
      if (plugins::CanRun(group.os, group.os_version, group.isolation, image.os, image.version)) {
        continue;
      }
      const std::string host = group.os == plugins::Os::kWindows
                                   ? fmt::format("windows {} with {} isolation",
                                                 plugins::OsVersionName(group.os_version),
                                                 plugins::IsolationName(group.isolation))
                                   : std::string("linux");
      Add(out, refs[k],
          fmt::format("image '{}' is preloaded on group '{}' ({}), whose agents cannot run it; it "
                      "only takes their disk: remove it or preload an image they can run",
                      image.name, group.name, host));
    }
  }
}

// Why the framework may be offered none of the group's agents ("" if it may be offered some).
// The group's agents differ only in their rack, so one agent per rack in use stands for all.
std::string WhyGroupExcluded(const models::ScenarioSpec& spec, const models::FrameworkSpec& f,
                             const models::OfferConstraintsFilter& filter,
                             const models::AgentGroupSpec& group) {
  if (spec.master.filter_gpu_resources && !f.gpu_resources &&
      group.resources.Raw(plugins::kGpus) > 0) {
    return "gpus";
  }
  const int distinct = group.racks > 0 ? std::min(group.count, group.racks) : 1;
  for (int i = 0; i < distinct; ++i) {
    plugins::AgentInfo agent;
    agent.attributes = models::AgentAttributes(group, i);
    for (const std::string& role : f.Roles()) {
      if (!filter.IsAgentExcluded(role, agent)) return "";
    }
  }
  return "constraints";
}

void CheckFrameworkReachesAgents(const YamlValue& node, const models::ScenarioSpec& spec,
                                 const models::FrameworkSpec& f, std::vector<Warning>& out) {
  const auto filter = models::OfferConstraintsFilter::Create(f.offer_constraints);
  bool gpus = false;
  for (const models::AgentGroupSpec& group : spec.groups) {
    if (group.count <= 0) continue;
    const std::string why = WhyGroupExcluded(spec, f, filter, group);
    if (why.empty()) return;
    gpus |= why == "gpus";
  }
  const YamlValue constraints = node.Child("offer_constraints");
  const std::string gpu_advice =
      gpus ? "; agents with GPUs go only to frameworks with capabilities: [gpu_resources] "
             "(master.filter_gpu_resources)"
           : "";
  Add(out, constraints.IsDefined() ? constraints : node,
      fmt::format("framework '{}' is offered no agent: every agent of the cluster is excluded by "
                  "its offer constraints or GPU filtering{}; loosen offer_constraints or add "
                  "agents it accepts",
                  f.name, gpu_advice));
}

RunEstimate EstimateRunSize(const models::ScenarioSpec& spec) {
  RunEstimate e;
  double cpus = 0;
  for (const auto& g : spec.groups) {
    e.agents += g.count;
    cpus += g.count * g.resources.cpus();
  }
  double demand_cpus = 0;  // cpus the arrivals keep busy in steady state
  for (const auto& f : spec.frameworks) {
    const models::WorkloadSpec& w = f.workload;
    if (!SubmitsTasks(w, spec.duration)) continue;
    const double per_job = std::max(1.0, w.tasks_per_job.Mean());
    double jobs = w.initial_jobs;
    double rate = 0;  // tasks per second
    if (w.arrival != models::ArrivalKind::kNone) {
      const sim::Time stop = std::min(w.stop, spec.duration);
      jobs += w.rate_per_s * (stop > w.start ? (stop - w.start).seconds() : 0);
      rate = w.rate_per_s * per_job;
    }
    if (w.max_jobs >= 0) jobs = std::min(jobs, static_cast<double>(w.max_jobs));
    const double tasks = jobs * per_job;
    e.tasks += tasks;
    // Little's law: live = initial + arrival rate x time in the system; services never leave.
    const double stay = w.service ? spec.duration.seconds() : w.duration_s.Mean();
    e.peak_live_tasks += std::min(tasks, w.initial_jobs * per_job + rate * stay);
    demand_cpus += rate * stay * std::max(0.0, w.cpus.Mean());
  }
  // Arrivals the cluster cannot keep up with pile up: at worst every task is live at the end.
  if (demand_cpus > cpus) e.peak_live_tasks = e.tasks;
  e.peak_mib =
      (e.peak_live_tasks * kBytesPerLiveTask + static_cast<double>(e.agents) * kBytesPerAgent) /
      (1024.0 * 1024.0);
  return e;
}

void CheckRunSize(const YamlValue& root, const models::ScenarioSpec& spec,
                  std::vector<Warning>& out) {
  const RunEstimate e = EstimateRunSize(spec);
  if (e.tasks <= kWarnTasks && e.peak_live_tasks <= kWarnLiveTasks && e.peak_mib <= kWarnPeakMiB) {
    return;
  }
  const YamlValue at = root.Child("frameworks");
  Add(out, at.IsDefined() ? at : root,
      fmt::format("this run is huge: about {:.3g} tasks, up to {:.3g} live at once and {:.0f} MiB "
                  "of model state (estimated from rates, jobs, tasks_per_job and durations; see "
                  "scenarios/README.md, \"Run size\"); lower rates, jobs or the duration, or "
                  "expect a long run",
                  e.tasks, e.peak_live_tasks, e.peak_mib));
}

void CheckFrameworksReachAgents(const YamlValue& root, const models::ScenarioSpec& spec,
                                std::vector<Warning>& out) {
  // A trace may bring agents of any kind as it goes: nothing is known before the run.
  if (spec.trace.enabled) return;
  if (std::none_of(spec.groups.begin(), spec.groups.end(),
                   [](const models::AgentGroupSpec& g) { return g.count > 0; })) {
    return;  // CheckFrameworksCanRun says so
  }
  const YamlValue frameworks = root.Child("frameworks");
  for (size_t i = 0; i < spec.frameworks.size(); ++i) {
    CheckFrameworkReachesAgents(frameworks.Index(i), spec, spec.frameworks[i], out);
  }
}

// A recorded replay ends the run where its trace ends (or at trace.duration): a top-level
// duration (often a --set duration=...) does not shorten it, which surprises. Found by a review;
// the case with a trace.duration of its own by a test that shortened such a run with --set
// duration=20s and ran it for the trace's 163 s.
// A trace.duration ends the run in every mode and format: a top-level duration that differs is
// ignored just the same.
void CheckRecordedReplayDuration(const YamlValue& root, const models::ScenarioSpec& spec,
                                 std::vector<Warning>& out) {
  if (!spec.trace.enabled) return;
  const YamlValue duration = root.Child("duration");
  if (!duration.IsDefined()) return;
  if (spec.trace.mode != models::ReplayMode::kRecorded && !spec.trace.duration) return;
  if (!spec.trace.duration) {
    Add(out, duration,
        "a recorded replay runs to its trace's last event, not to this duration; set "
        "trace.duration to end it sooner");
  } else if (*spec.trace.duration != spec.duration) {
    Add(out, duration,
        fmt::format("a replay runs for its trace.duration ({}), not for this duration; "
                    "set trace.duration instead",
                    FormatDuration(*spec.trace.duration)));
  }
}

std::vector<Warning> ScenarioWarnings(const YamlValue& root, const Scenario& scenario) {
  std::vector<Warning> out;
  CheckResourceNames(root, out);
  CheckFrameworksCanRun(root, scenario.spec, out);
  CheckRolesExist(root, scenario, out);
  CheckRoleWeights(root, scenario.spec, out);
  CheckArchitectureKeys(root, scenario.spec, out);
  CheckPreloadedImages(root, scenario.spec, out);
  CheckFrameworksReachAgents(root, scenario.spec, out);
  CheckRunSize(root, scenario.spec, out);
  CheckRecordedReplayDuration(root, scenario.spec, out);
  CheckMaintenanceMachines(root, scenario.spec, out);   // apps/scenario/maintenance.cc
  CheckFrameworkDisconnects(root, scenario.spec, out);  // apps/scenario/faults.cc
  return out;
}

}  // namespace clustersim::apps
