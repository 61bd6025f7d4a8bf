#include "apps/scenario/external_checks.h"

#include <fmt/format.h>

#include <map>

#include "scheduler_plugins/external/external_allocator.h"
#include "scheduler_plugins/external/external_placement.h"

namespace clustersim::apps {
namespace {

using sim::Result;
using sim::Status;

// `charge_wall_time` of an external policy (the YAML value, if set to true).
std::optional<YamlValue> WallTimeCharge(const PolicyChoice& choice) {
  if (choice.name != "external" || !choice.params) return std::nullopt;
  const YamlValue v = choice.params->Child("charge_wall_time");
  const Result<bool> on = v.AsBool();
  if (!on.ok() || !*on) return std::nullopt;
  return v;
}

// charge_wall_time adds a decision's wall time to simulated time where the model has a place for
// it: a two-level framework's decision round, a shared-state attempt (placed at its start), the
// allocator actor of master.cost_model. Elsewhere it would be dropped without a word: refused.
Status CheckWallTimeCharges(const Scenario& scenario) {
  const models::MasterSpec& master = scenario.spec.master;
  if (auto v = WallTimeCharge(scenario.allocator); v && !master.cost.enabled) {
    return v->Fail(
        "charge_wall_time on the allocator needs master.cost_model (without it an allocation "
        "cycle takes no simulated time to add the answer's to)");
  }
  if (master.architecture != models::Architecture::kMonolithic) return Status::Ok();
  for (const PolicyChoice& placement : scenario.placements) {
    if (auto v = WallTimeCharge(placement)) {
      return v->Fail(
          "charge_wall_time cannot apply under master.architecture: monolithic (its scheduler "
          "places at the end of the decision time, so the answer's time would come after it); "
          "expected two-level or shared-state");
    }
  }
  return Status::Ok();
}

// Keys that name one `shared:` process must start it the same way (the runner starts it once).
Status CheckSharedProcesses(
    const Scenario& scenario, const plugins::AllocatorPolicy& allocator,
    const std::vector<std::unique_ptr<plugins::PlacementPolicy>>& placements) {
  using plugins::external::PolicyProcess;
  std::map<std::string, std::pair<const PolicyProcess*, std::string>> first;  // name -> key path
  auto check = [&](const std::string& shared, const PolicyProcess& process,
                   const PolicyChoice& choice) -> Status {
    if (shared.empty()) return Status::Ok();
    const auto [it, added] = first.try_emplace(shared, &process, choice.params->path());
    const PolicyProcess& other = *it->second.first;
    if (added || (other.argv() == process.argv() && other.socket() == process.socket())) {
      return Status::Ok();
    }
    return choice.params->Child("shared").Fail(fmt::format(
        "{} starts the shared process '{}' with another command; expected the same `external` "
        "(or `socket`) in every key that names it",
        it->second.second, shared));
  };
  if (const auto* a = dynamic_cast<const plugins::external::ExternalAllocator*>(&allocator)) {
    SIM_RETURN_IF_ERROR(check(a->shared(), *a->process(), scenario.allocator));
  }
  for (size_t f = 0; f < placements.size(); ++f) {
    const auto* p = dynamic_cast<const plugins::external::ExternalPlacement*>(placements[f].get());
    if (p) SIM_RETURN_IF_ERROR(check(p->shared(), *p->process(), scenario.placements[f]));
  }
  return Status::Ok();
}

// Each external process logs to external-<name>.log in the output folder (apps/runner.cc,
// BindExternalPolicies): its `shared` name, else the framework's name, else `allocator`. Two
// processes must not share a log: a framework named `allocator`, or one named as another key's
// shared process, would interleave both processes' prints into one file.
Status CheckExternalLogNames(
    const Scenario& scenario, const plugins::AllocatorPolicy& allocator,
    const std::vector<std::unique_ptr<plugins::PlacementPolicy>>& placements) {
  struct Writer {
    std::string shared;  // empty: a process of its own
    std::string key;
  };
  std::map<std::string, Writer> writers;  // log name -> its first writer
  auto claim = [&](const std::string& own_name, const std::string& shared,
                   const PolicyChoice& choice) -> Status {
    const std::string name = shared.empty() ? own_name : shared;
    const auto [it, added] = writers.try_emplace(name, Writer{shared, choice.params->path()});
    if (added || (!shared.empty() && it->second.shared == shared)) return Status::Ok();
    return choice.params->Fail(fmt::format(
        "its process would log to external-{}.log, as {} does; expected a framework name or "
        "`shared` name used by one external process only (rename one of them)",
        name, it->second.key));
  };
  if (const auto* a = dynamic_cast<const plugins::external::ExternalAllocator*>(&allocator)) {
    SIM_RETURN_IF_ERROR(claim("allocator", a->shared(), scenario.allocator));
  }
  for (size_t f = 0; f < placements.size(); ++f) {
    const auto* p = dynamic_cast<const plugins::external::ExternalPlacement*>(placements[f].get());
    if (p) {
      SIM_RETURN_IF_ERROR(
          claim(scenario.spec.frameworks[f].name, p->shared(), scenario.placements[f]));
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckExternalPolicies(
    const Scenario& scenario, const plugins::AllocatorPolicy& allocator,
    const std::vector<std::unique_ptr<plugins::PlacementPolicy>>& placements) {
  SIM_RETURN_IF_ERROR(CheckSharedProcesses(scenario, allocator, placements));
  SIM_RETURN_IF_ERROR(CheckExternalLogNames(scenario, allocator, placements));
  return CheckWallTimeCharges(scenario);
}

}  // namespace clustersim::apps
