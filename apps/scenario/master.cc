#include "apps/scenario/master.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "apps/scenario/policy_params.h"
#include "apps/scenario/readers.h"
#include "scheduler_plugins/api/registry.h"

namespace clustersim::apps {
namespace {

using models::ScenarioSpec;
using sim::Result;
using sim::Status;

// master.cost_model: true/false, or a mapping with the two actors' costs in microseconds
// (enabled unless `enabled: false`). See models/master/cost_model.h for the defaults and their
// sources.
Status ParseAllocatorCost(const YamlValue& value, models::MasterCostSpec::Allocator& a) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  constexpr double kMax = 1e9;  // microseconds
  SIM_RETURN_IF_ERROR(ReadDouble(m, "per_cycle_us", a.per_cycle_us, 0, kMax));
  SIM_RETURN_IF_ERROR(ReadDouble(m, "per_agent_us", a.per_agent_us, 0, kMax));
  SIM_RETURN_IF_ERROR(ReadDouble(m, "per_sorted_framework_us", a.per_sorted_framework_us, 0, kMax));
  SIM_RETURN_IF_ERROR(ReadDouble(m, "per_framework_us", a.per_framework_us, 0, kMax));
  SIM_RETURN_IF_ERROR(ReadDouble(m, "per_offer_us", a.per_offer_us, 0, kMax));
  SIM_RETURN_IF_ERROR(ReadDouble(m, "per_recover_us", a.per_recover_us, 0, kMax));
  return m.Finish();
}

Status ParseMasterActorCost(const YamlValue& value, models::MasterCostSpec::MasterActor& a) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  constexpr double kMax = 1e9;  // microseconds
  SIM_RETURN_IF_ERROR(ReadDouble(m, "per_offer_us", a.per_offer_us, 0, kMax));
  SIM_RETURN_IF_ERROR(ReadDouble(m, "per_accept_us", a.per_accept_us, 0, kMax));
  SIM_RETURN_IF_ERROR(ReadDouble(m, "per_decline_us", a.per_decline_us, 0, kMax));
  SIM_RETURN_IF_ERROR(ReadDouble(m, "per_status_update_us", a.per_status_update_us, 0, kMax));
  return m.Finish();
}

Status ParseMasterCost(const YamlValue& value, models::MasterCostSpec& cost) {
  if (!value.IsMap()) {
    SIM_ASSIGN_OR_RETURN(cost.enabled, value.AsBool());
    return Status::Ok();
  }
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  // The one-actor layout before issue 14 had these keys at this level.
  for (std::string_view old : {"per_cycle_us", "per_agent_us", "per_framework_us", "per_offer_us",
                               "per_accept_us", "per_decline_us", "per_status_update_us"}) {
    if (auto v = m.Optional(old)) {
      return v->Fail(fmt::format(
          "{} moved: the cost model has two actors now, `allocator: {{per_cycle_us, "
          "per_agent_us, per_sorted_framework_us, per_framework_us, per_offer_us, "
          "per_recover_us}}` and `master: {{per_offer_us, per_accept_us, per_decline_us, "
          "per_status_update_us}}` (see CHANGES.md)",
          old));
    }
  }
  cost.enabled = true;
  SIM_RETURN_IF_ERROR(ReadBool(m, "enabled", cost.enabled));
  if (auto v = m.Optional("allocator")) SIM_RETURN_IF_ERROR(ParseAllocatorCost(*v, cost.allocator));
  if (auto v = m.Optional("master")) SIM_RETURN_IF_ERROR(ParseMasterActorCost(*v, cost.master));
  return m.Finish();
}

Result<plugins::RoleQuotas> ParseMasterQuotas(const YamlValue& master) {
  SIM_ASSIGN_OR_RETURN(YamlMap map, master.AsMap());
  YamlPolicyParams params(std::move(map), /*top=*/false);
  SIM_ASSIGN_OR_RETURN(plugins::RoleQuotas quotas, plugins::ParseRoleQuotas(params));
  SIM_RETURN_IF_ERROR(params.FinishNested());
  return quotas;
}

// {eng: 2, eng/web: 1}: role path -> weight in [1e-9, 1e9]. A path needs no framework (it weighs a
// subtree).
Status ParseRoleWeights(const YamlValue& value, std::map<std::string, double>& weights) {
  SIM_ASSIGN_OR_RETURN(auto entries, value.Entries());
  for (const auto& [role, v] : entries) {
    SIM_RETURN_IF_ERROR(CheckRolePath(v, role));
    // The bounds of a framework's `weight`, which is sugar for its role's.
    SIM_ASSIGN_OR_RETURN(weights[role], v.AsDouble(1e-9, 1e9));
  }
  return Status::Ok();
}

// master.updates: [{at: 10m, role_weights: {eng: 3}, quotas: {eng: {guarantee: {..}}}}], applied
// in time order. `quotas` has master.quotas's schema and sets the roles it lists.
Status ParseMasterUpdates(const YamlValue& value, std::vector<models::MasterUpdateSpec>& updates) {
  SIM_ASSIGN_OR_RETURN(auto items, value.Elements());
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, item.AsMap());
    models::MasterUpdateSpec update;
    SIM_ASSIGN_OR_RETURN(YamlValue at, m.Required("at"));
    SIM_ASSIGN_OR_RETURN(update.at, ReadDurationIn(at, {.zero_ok = true}));
    if (auto v = m.Optional("role_weights")) {
      SIM_RETURN_IF_ERROR(ParseRoleWeights(*v, update.role_weights));
    }
    if (m.Optional("quotas")) {
      SIM_ASSIGN_OR_RETURN(update.quotas, ParseMasterQuotas(item));
    }
    if (update.role_weights.empty() && update.quotas.empty()) {
      return item.Fail("an update needs role_weights and/or quotas");
    }
    SIM_RETURN_IF_ERROR(m.Finish());
    updates.push_back(std::move(update));
  }
  std::stable_sort(updates.begin(), updates.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
  return Status::Ok();
}

// Options of the master beyond its cycle: role weights, fairness exclusions, scheduled updates.
Status ParseMasterRoles(YamlMap& m, models::MasterSpec& master) {
  if (auto v = m.Optional("role_weights")) {
    SIM_RETURN_IF_ERROR(ParseRoleWeights(*v, master.role_weights));
  }
  if (auto v = m.Optional("fair_sharing_excluded_resource_names")) {
    SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
    for (const YamlValue& item : items) {
      SIM_ASSIGN_OR_RETURN(std::string name, item.AsString());
      master.fair_sharing_excluded_resource_names.push_back(std::move(name));
    }
  }
  if (auto v = m.Optional("updates")) SIM_RETURN_IF_ERROR(ParseMasterUpdates(*v, master.updates));
  return Status::Ok();
}

// Mesos's agent health flags (master/flags.cpp:527-558; 160-166 for the rate limit).
Status ParseAgentHealth(YamlMap& m, models::MasterSpec& master) {
  // flags.cpp:537-543: agent_ping_timeout must lie in [1 s, 15 min].
  if (auto v = m.Optional("agent_ping_timeout")) {
    SIM_ASSIGN_OR_RETURN(master.agent_ping_timeout,
                         ReadDurationIn(*v, {.min = sim::Time::Seconds(1)}));
    if (master.agent_ping_timeout > sim::Time::Seconds(15 * 60)) {
      return v->Fail("agent_ping_timeout must be at most 15m (Mesos's range is 1s to 15m)");
    }
  }
  SIM_RETURN_IF_ERROR(
      ReadInt(m, "max_agent_ping_timeouts", master.max_agent_ping_timeouts, 1, 1'000'000));
  if (auto v = m.Optional("agent_removal_rate_limit")) {
    SIM_ASSIGN_OR_RETURN(const double per_second, ReadRateIn(*v));
    if (!(per_second > 0) || 1.0 / per_second > 1e9) {
      return v->Fail("agent_removal_rate_limit must be a positive rate like 1/min");
    }
    master.agent_removal_interval = sim::Time::FromSeconds(1.0 / per_second);
  }
  SIM_RETURN_IF_ERROR(ReadBool(m, "reregistration_kills_non_partition_aware",
                               master.reregistration_kills_non_partition_aware));
  return Status::Ok();
}

// master.architecture and master.shared_state (issue 16).
Status ParseArchitecture(YamlMap& m, models::MasterSpec& master) {
  using models::Architecture;
  if (auto v = m.Optional("architecture")) {
    SIM_ASSIGN_OR_RETURN(master.architecture,
                         v->AsEnum<Architecture>({{"two-level", Architecture::kTwoLevel},
                                                  {"monolithic", Architecture::kMonolithic},
                                                  {"shared-state", Architecture::kSharedState}}));
  }
  if (auto v = m.Optional("offer_granularity")) {
    SIM_ASSIGN_OR_RETURN(master.offer_whole_cell,
                         v->AsEnum<bool>({{"agent", false}, {"cell", true}}));
  }
  if (auto v = m.Optional("shared_state")) {
    SIM_ASSIGN_OR_RETURN(YamlMap s, v->AsMap());
    if (auto c = s.Optional("conflicts")) {
      SIM_ASSIGN_OR_RETURN(master.shared_state.coarse_conflicts,
                           c->AsEnum<bool>({{"fine", false}, {"coarse", true}}));
    }
    if (auto c = s.Optional("commit")) {
      SIM_ASSIGN_OR_RETURN(master.shared_state.all_or_nothing,
                           c->AsEnum<bool>({{"incremental", false}, {"all-or-nothing", true}}));
    }
    SIM_RETURN_IF_ERROR(s.Finish());
  }
  return Status::Ok();
}

// drf-quota's legacy `quotas` parameter, which the alias hands to the master; empty for any other
// allocator.
Result<plugins::RoleQuotas> DrfQuotaAliasQuotas(const Scenario& scenario) {
  if (scenario.allocator.name != "drf-quota" || !scenario.allocator.params) {
    return plugins::RoleQuotas();
  }
  SIM_ASSIGN_OR_RETURN(YamlMap map, scenario.allocator.params->AsMap());
  YamlPolicyParams params(std::move(map));
  return plugins::ParseRoleQuotas(params);
}

}  // namespace

Status ParseMaster(const YamlValue& value, ScenarioSpec& spec, PolicyChoice& allocator) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_RETURN_IF_ERROR(ParseArchitecture(m, spec.master));
  // 0 = event driven.
  SIM_RETURN_IF_ERROR(ReadDurationKey(m, "allocation_interval",
                                      {.min = kMinInterval, .zero_ok = true},
                                      spec.master.allocation_interval));
  if (auto v = m.Optional("offer_timeout")) {
    SIM_ASSIGN_OR_RETURN(sim::Time t,
                         ReadDurationIn(*v, {.min = kMinInterval, .infinite_ok = true}));
    if (!t.IsMax()) spec.master.offer_timeout = t;
  }
  if (auto v = m.Optional("min_allocatable")) {
    SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
    spec.master.min_allocatable.clear();
    for (const YamlValue& item : items) {
      SIM_ASSIGN_OR_RETURN(plugins::Resources r, ParseResources(item));
      spec.master.min_allocatable.push_back(r);
    }
  }
  if (auto v = m.Optional("allocator")) {
    SIM_ASSIGN_OR_RETURN(allocator,
                         ParsePolicyChoice(*v, plugins::Allocators().Names(), "allocator"));
  }
  spec.master.allocator = allocator.name;
  if (auto v = m.Optional("cost_model")) {
    SIM_RETURN_IF_ERROR(ParseMasterCost(*v, spec.master.cost));
  }
  if (m.Optional("quotas")) {
    SIM_ASSIGN_OR_RETURN(spec.master.quotas, ParseMasterQuotas(value));
  }
  SIM_RETURN_IF_ERROR(ParseMasterRoles(m, spec.master));
  SIM_RETURN_IF_ERROR(ReadBool(m, "filter_gpu_resources", spec.master.filter_gpu_resources));
  SIM_RETURN_IF_ERROR(ParseAgentHealth(m, spec.master));
  return m.Finish();
}

// Quota is the master's (master.quotas); drf-quota's `quotas` feed it, and naming quotas in both
// places is ambiguous.
Status ApplyDrfQuotaAlias(Scenario& scenario) {
  SIM_ASSIGN_OR_RETURN(plugins::RoleQuotas alias, DrfQuotaAliasQuotas(scenario));
  if (alias.empty()) return Status::Ok();
  if (!scenario.spec.master.quotas.empty()) {
    return scenario.allocator.params->Child("quotas").Fail(
        "quotas are set both here (drf-quota's legacy parameter) and in master.quotas; keep "
        "master.quotas only");
  }
  scenario.spec.master.quotas = std::move(alias);
  return Status::Ok();
}

}  // namespace clustersim::apps
