#include "apps/scenario/frameworks.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "apps/scenario/agent_access.h"
#include "apps/scenario/images.h"
#include "apps/scenario/maintenance.h"
#include "apps/scenario/readers.h"
#include "scheduler_plugins/api/registry.h"

namespace clustersim::apps {
namespace {

using models::ScenarioSpec;
using sim::Result;
using sim::Status;

// Refuses workloads that cannot finish: more live tasks at the start than kMaxLiveTasks, or more
// jobs over the run than kMaxSubmittedJobs (estimated from means).
Status CheckWorkloadSize(const YamlValue& value, sim::Time run, const models::WorkloadSpec& w) {
  const double tasks_per_job = std::max(1.0, w.tasks_per_job.Mean());
  const double initial_tasks = static_cast<double>(w.initial_jobs) * tasks_per_job;
  if (initial_tasks > static_cast<double>(kMaxLiveTasks)) {
    return value.Fail(fmt::format(
        "initial_jobs × mean tasks_per_job is {:g} tasks; at most {} tasks may be live at once",
        initial_tasks, kMaxLiveTasks));
  }
  if (w.arrival == models::ArrivalKind::kNone) return Status::Ok();
  const sim::Time stop = std::min(w.stop, run);
  const double window_s = stop > w.start ? (stop - w.start).seconds() : 0;
  double jobs = static_cast<double>(w.initial_jobs) + w.rate_per_s * window_s;
  if (w.max_jobs >= 0) jobs = std::min(jobs, static_cast<double>(w.max_jobs));
  if (jobs > static_cast<double>(kMaxSubmittedJobs)) {
    return value.Fail(fmt::format(
        "rate × arrival window submits about {:g} jobs; at most {} are allowed (lower 'rate', "
        "set 'stop' or 'max_jobs')",
        jobs, kMaxSubmittedJobs));
  }
  return Status::Ok();
}

// Reads a workload's keys from `m` (ParseWorkload, and WorkloadKeys with an empty map).
Status ParseWorkloadKeys(YamlMap& m, const ScenarioSpec& spec, models::WorkloadSpec& w) {
  const YamlValue& value = m.value();
  SIM_RETURN_IF_ERROR(ReadInt(m, "initial_jobs", w.initial_jobs, 0, kMaxLiveTasks));
  if (auto v = m.Optional("arrival")) {
    SIM_ASSIGN_OR_RETURN(w.arrival,
                         v->AsEnum<models::ArrivalKind>({{"none", models::ArrivalKind::kNone},
                                                         {"poisson", models::ArrivalKind::kPoisson},
                                                         {"fixed", models::ArrivalKind::kFixed}}));
  }
  if (auto v = m.Optional("rate")) {
    SIM_ASSIGN_OR_RETURN(w.rate_per_s, ReadRateIn(*v));
  }
  if (w.arrival != models::ArrivalKind::kNone && w.rate_per_s <= 0) {
    return value.Fail("an arrival process needs 'rate' (jobs per unit time, like 2/s)");
  }
  SIM_RETURN_IF_ERROR(ReadDuration(m, "start", w.start));
  SIM_RETURN_IF_ERROR(ReadDuration(m, "stop", w.stop));
  SIM_RETURN_IF_ERROR(ReadInt(m, "max_jobs", w.max_jobs, 0, INT64_MAX));
  if (auto v = m.Optional("tasks_per_job")) {
    SIM_ASSIGN_OR_RETURN(w.tasks_per_job,
                         ParseDistribution(*v, Quantity::kNumber, kMaxTasksPerJob));
  }
  if (auto v = m.Optional("duration")) {
    if (v->IsScalar() && v->AsString().ok() && *v->AsString() == "service") {
      w.service = true;
    } else {
      SIM_ASSIGN_OR_RETURN(w.duration_s, ParseDistribution(*v, Quantity::kDuration));
    }
  }
  if (auto v = m.Optional("resources")) {
    SIM_ASSIGN_OR_RETURN(YamlMap r, v->AsMap());
    SIM_RETURN_IF_ERROR(ReadDistribution(r, "cpus", Quantity::kNumber, w.cpus));
    SIM_RETURN_IF_ERROR(ReadDistribution(r, "mem", Quantity::kSizeMiB, w.mem_mib));
    SIM_RETURN_IF_ERROR(ReadDistribution(r, "disk", Quantity::kSizeMiB, w.disk_mib));
    SIM_RETURN_IF_ERROR(ReadDistribution(r, "gpus", Quantity::kNumber, w.gpus));
    SIM_RETURN_IF_ERROR(r.Finish());
  }
  SIM_RETURN_IF_ERROR(CheckWorkloadSize(value, spec.duration, w));
  SIM_RETURN_IF_ERROR(ReadDouble(m, "windows_fraction", w.windows_fraction, 0, 1));
  if (auto v = m.Optional("images")) {
    SIM_ASSIGN_OR_RETURN(auto refs, v->Elements());
    for (const YamlValue& ref : refs) {
      SIM_ASSIGN_OR_RETURN(uint32_t image, ImageRef(ref, spec.images));
      w.images.push_back(image);
    }
    bool has_os[plugins::kOsCount] = {false, false};
    for (uint32_t i : w.images) has_os[static_cast<int>(spec.images.images[i].os)] = true;
    if (w.windows_fraction > 0 && !has_os[1]) {
      return v->Fail("windows_fraction > 0 but no Windows image is listed");
    }
    if (w.windows_fraction < 1 && !has_os[0]) {
      return v->Fail("windows_fraction < 1 but no Linux image is listed");
    }
  }
  SIM_RETURN_IF_ERROR(ReadDouble(m, "image_zipf", w.image_zipf_s, 0, 10));
  if (auto v = m.Optional("constraints")) {
    SIM_ASSIGN_OR_RETURN(YamlMap c, v->AsMap());
    SIM_RETURN_IF_ERROR(
        ReadInt(c, "max_tasks_per_agent", w.constraints.max_tasks_per_agent, 0, 1'000'000));
    if (auto a = c.Optional("attributes")) {
      SIM_ASSIGN_OR_RETURN(w.constraints.attributes, ParseAttributes(*a));
    }
    SIM_RETURN_IF_ERROR(c.Finish());
  }
  return Status::Ok();
}

Status ParseWorkload(const YamlValue& value, const ScenarioSpec& spec, models::WorkloadSpec& w) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_RETURN_IF_ERROR(ParseWorkloadKeys(m, spec, w));
  return m.Finish();
}

// The keys a workload reads: what ParseWorkload asks an empty workload for (every key is optional
// and asked for), so the list cannot drift from the parser.
const std::vector<std::string>& WorkloadKeys() {
  static const std::vector<std::string> keys = [] {
    auto doc = LoadYamlString("{}", "workload keys");
    SIM_CHECK(doc.ok());
    auto m = doc->Root().AsMap();
    SIM_CHECK(m.ok());
    models::WorkloadSpec unused;
    SIM_CHECK(ParseWorkloadKeys(*m, ScenarioSpec(), unused).ok());
    return m->known();
  }();
  return keys;
}

// A framework's `workload:`; the workload keys written beside it instead are pointed at their
// place by the framework map's Finish.
Status ReadWorkload(YamlMap& framework, const ScenarioSpec& spec, models::WorkloadSpec& w) {
  framework.KeysBelongUnder("workload", WorkloadKeys());
  if (auto v = framework.Optional("workload")) return ParseWorkload(*v, spec, w);
  return Status::Ok();
}

// `role: r` (default: the framework's name) or `roles: [r1, r2]` (a multi-role framework, Mesos's
// MULTI_ROLE), not both; role paths as Mesos allows them, each listed once.
Status ParseFrameworkRoles(YamlMap& m, models::FrameworkSpec& f) {
  f.role = f.name;
  auto role = m.Optional("role");
  auto roles = m.Optional("roles");
  if (role && roles) return roles->Fail("give either role or roles, not both");
  if (role) {
    SIM_ASSIGN_OR_RETURN(f.role, role->AsString());
    return CheckRolePath(*role, f.role);
  }
  if (!roles) return Status::Ok();
  if (!roles->IsSequence() || roles->size() == 0) {
    return roles->Error("roles: a non-empty list of role paths ([web, batch])");
  }
  SIM_ASSIGN_OR_RETURN(auto items, roles->Elements());
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(std::string path, item.AsString());
    SIM_RETURN_IF_ERROR(CheckRolePath(item, path));
    if (std::find(f.roles.begin(), f.roles.end(), path) != f.roles.end()) {
      return item.Fail(fmt::format("role '{}' is listed twice", path));
    }
    f.roles.push_back(std::move(path));
  }
  f.role = f.roles.front();
  return Status::Ok();
}

// One list: an OR of non-zero quantities ([{cpus: 1, mem: 1GiB}, {gpus: 1}]); [] is Mesos's
// empty list, anything is worth offering (hierarchical.cpp:2835-2840).
Result<std::vector<plugins::Resources>> ParseQuantityList(const YamlValue& value) {
  constexpr std::string_view kForm =
      "a list of quantities, any of which makes an offer worth making ([{cpus: 1, mem: 1GiB}]; "
      "[]: any offer)";
  if (!value.IsSequence()) return value.Error(kForm);
  SIM_ASSIGN_OR_RETURN(auto items, value.Elements());
  std::vector<plugins::Resources> out;
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(plugins::Resources r, ParseResources(item));
    if (r.IsZero()) return item.Fail("a quantity must name some resource above zero");
    out.push_back(r);
  }
  return out;
}

// Mesos's FrameworkInfo.offer_filters[role].min_allocatable_resources: a list applies to every
// role of the framework, a mapping names roles, each of which must be the framework's.
Status ParseFrameworkMinAllocatable(const YamlValue& value, models::FrameworkSpec& f) {
  const std::vector<std::string> roles = f.Roles();
  if (!value.IsMap()) {
    SIM_ASSIGN_OR_RETURN(auto any_of, ParseQuantityList(value));
    for (const std::string& role : roles) f.min_allocatable[role] = any_of;
    return Status::Ok();
  }
  SIM_ASSIGN_OR_RETURN(auto entries, value.Entries());
  for (auto& [role, list] : entries) {
    if (std::find(roles.begin(), roles.end(), role) == roles.end()) {
      return list.Fail(fmt::format("'{}' is not a role of framework '{}'", role, f.name));
    }
    SIM_ASSIGN_OR_RETURN(f.min_allocatable[role], ParseQuantityList(list));
  }
  return Status::Ok();
}

// `retry_backoff: {initial: 1s, factor: 1.15, max: 5m}` (each key optional, Marathon's defaults
// otherwise), or `retry_backoff: none` for immediate retries.
Status ParseRetryBackoff(const YamlValue& value, models::RetryBackoffSpec& b) {
  if (!value.IsMap()) {
    SIM_ASSIGN_OR_RETURN(std::string word, value.AsString());
    if (word != "none") {
      return value.Error(
          "'none' or a map {initial: <duration>, factor: <number >= 1>, max: "
          "<duration>}");
    }
    b.initial = sim::Time::Zero();
    b.max = sim::Time::Zero();
    return Status::Ok();
  }
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_RETURN_IF_ERROR(
      ReadDurationKey(m, "initial", {.min = kMinInterval, .zero_ok = true}, b.initial));
  if (auto v = m.Optional("factor")) {
    SIM_ASSIGN_OR_RETURN(b.factor, v->AsDouble(1.0, 1e6));
  }
  SIM_RETURN_IF_ERROR(ReadDurationKey(m, "max", {.min = kMinInterval, .zero_ok = true}, b.max));
  return m.Finish();
}

// What a framework does about failed and killed tasks: retries, and how its agents' failures and
// kills reach it.
Status ReadFailureKeys(YamlMap& m, models::FrameworkSpec& f) {
  SIM_RETURN_IF_ERROR(ReadInt(m, "max_retries", f.max_retries, 0, 250));
  if (auto v = m.Optional("retry_backoff")) {
    SIM_RETURN_IF_ERROR(ParseRetryBackoff(*v, f.retry_backoff));
  }
  SIM_RETURN_IF_ERROR(ReadBool(m, "partition_aware", f.partition_aware));
  SIM_RETURN_IF_ERROR(ReadBool(m, "checkpoint", f.checkpoint));
  if (auto v = m.Optional("sigterm_exit")) {
    SIM_ASSIGN_OR_RETURN(f.sigterm_exit, ReadDurationIn(*v, {.zero_ok = true}));
  }
  SIM_RETURN_IF_ERROR(ReadDurationKey(m, "failover_timeout", {.zero_ok = true, .infinite_ok = true},
                                      f.failover_timeout));
  return Status::Ok();
}

}  // namespace

Status ParseFrameworks(const YamlValue& value, ScenarioSpec& spec,
                       std::vector<PolicyChoice>& placements) {
  SIM_ASSIGN_OR_RETURN(auto items, value.Elements());
  std::map<std::string, double> role_weights;
  const auto placement_names = plugins::Placements().Names();
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, item.AsMap());
    models::FrameworkSpec f;
    SIM_ASSIGN_OR_RETURN(YamlValue name, m.Required("name"));
    SIM_ASSIGN_OR_RETURN(f.name, name.AsString());
    for (const auto& other : spec.frameworks) {
      if (other.name == f.name)
        return name.Fail(fmt::format("duplicate framework name '{}'", f.name));
    }
    SIM_RETURN_IF_ERROR(ParseFrameworkRoles(m, f));
    // A framework's weight is sugar for its roles': it must agree with master.role_weights and
    // with the other frameworks of each role.
    if (auto v = m.Optional("weight")) {
      SIM_ASSIGN_OR_RETURN(f.weight, v->AsDouble(1e-9, 1e9));
      for (const std::string& role : f.Roles()) {
        auto [it, inserted] = role_weights.try_emplace(role, f.weight);
        if (!inserted && it->second != f.weight) {
          return v->Fail(fmt::format("role '{}' already has weight {}", role, it->second));
        }
        auto master = spec.master.role_weights.find(role);
        if (master != spec.master.role_weights.end() && master->second != f.weight) {
          return v->Fail(
              fmt::format("role '{}' has weight {} in master.role_weights", role, master->second));
        }
      }
    }
    PolicyChoice placement{"first-fit", std::nullopt};
    if (auto v = m.Optional("placement")) {
      SIM_ASSIGN_OR_RETURN(placement, ParsePolicyChoice(*v, placement_names, "placement"));
    }
    f.placement = placement.name;
    SIM_RETURN_IF_ERROR(ReadInt(m, "max_tasks_per_offer", f.max_tasks_per_offer, 0, 1'000'000'000));
    SIM_RETURN_IF_ERROR(ReadDurationKey(m, "refuse_seconds",
                                        {.min = kMinInterval, .zero_ok = true, .infinite_ok = true},
                                        f.refuse));
    if (auto v = m.Optional("decision_time")) {
      SIM_ASSIGN_OR_RETURN(YamlMap d, v->AsMap());
      SIM_RETURN_IF_ERROR(ReadDuration(d, "per_offer", f.decision_per_offer));
      SIM_RETURN_IF_ERROR(ReadDuration(d, "per_task", f.decision_per_task));
      SIM_RETURN_IF_ERROR(ReadDuration(d, "per_job", f.decision_per_job));
      if (f.decision_per_offer.IsMax() || f.decision_per_task.IsMax() ||
          f.decision_per_job.IsMax()) {
        return v->Fail("decision times must be finite");
      }
      SIM_RETURN_IF_ERROR(d.Finish());
    }
    SIM_RETURN_IF_ERROR(ReadDurationKey(m, "job_retry_delay",
                                        {.min = kMinInterval, .zero_ok = true}, f.job_retry_delay));
    if (auto v = m.Optional("suppress_when_idle")) {
      SIM_ASSIGN_OR_RETURN(f.suppress_when_idle, v->AsBool());
    }
    SIM_RETURN_IF_ERROR(ReadFailureKeys(m, f));
    SIM_RETURN_IF_ERROR(ParseFrameworkMaintenance(m, f));
    SIM_RETURN_IF_ERROR(ParseAgentAccess(m, f));
    if (auto v = m.Optional("min_allocatable")) {
      SIM_RETURN_IF_ERROR(ParseFrameworkMinAllocatable(*v, f));
    }
    SIM_RETURN_IF_ERROR(ReadWorkload(m, spec, f.workload));
    SIM_RETURN_IF_ERROR(m.Finish());
    spec.frameworks.push_back(std::move(f));
    placements.push_back(std::move(placement));
  }
  // Frameworks of one role share its weight, whichever of them (or master.role_weights) stated it.
  spec.master.role_weights.insert(role_weights.begin(), role_weights.end());
  for (auto& f : spec.frameworks) {
    auto it = spec.master.role_weights.find(f.role);
    if (it != spec.master.role_weights.end()) f.weight = it->second;
  }
  return Status::Ok();
}

}  // namespace clustersim::apps
