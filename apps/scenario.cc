#include "apps/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "apps/agent_access_config.h"
#include "apps/config/command_line.h"
#include "apps/config/distribution_spec.h"
#include "apps/config/ranges.h"
#include "apps/config/units.h"
#include "apps/config/warnings.h"
#include "apps/faults_config.h"
#include "apps/maintenance_config.h"
#include "apps/trace_config.h"
#include "models/agent_kinds.h"
#include "scheduler_plugins/api/registry.h"
#include "scheduler_plugins/external/external_allocator.h"
#include "scheduler_plugins/external/external_placement.h"

namespace clustersim::apps {
namespace {

using models::ScenarioSpec;
using sim::Result;
using sim::Status;

// --- Small typed readers for optional keys: leave `out` untouched when the key is absent. -------

Status ReadDuration(YamlMap& m, std::string_view key, sim::Time& out) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, v->AsDuration());
  }
  return Status::Ok();
}

Status ReadDouble(YamlMap& m, std::string_view key, double& out, double min, double max) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, v->AsDouble(min, max));
  }
  return Status::Ok();
}

template <typename Int>
Status ReadInt(YamlMap& m, std::string_view key, Int& out, int64_t min, int64_t max) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(const int64_t x, v->AsInt(min, max));
    out = static_cast<Int>(x);
  }
  return Status::Ok();
}

// A size up to kMaxResourceAmount MiB.
Status ReadSize(YamlMap& m, std::string_view key, double& out) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, ReadBoundedSize(*v));
  }
  return Status::Ok();
}

Status ReadDurationKey(YamlMap& m, std::string_view key, DurationRange range, sim::Time& out) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, ReadDurationIn(*v, range));
  }
  return Status::Ok();
}

Status ReadBool(YamlMap& m, std::string_view key, bool& out) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, v->AsBool());
  }
  return Status::Ok();
}

Status ReadDistribution(YamlMap& m, std::string_view key, Quantity q, sim::Distribution& out) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, ParseDistribution(*v, q));
  }
  return Status::Ok();
}

// Agents over all groups, this one's `count` included, within kMaxAgents.
Status CheckTotalAgents(const YamlValue& count_v, int64_t count, const ScenarioSpec& spec) {
  int64_t total = count;
  for (const auto& g : spec.groups) total += g.count;
  if (total <= kMaxAgents) return Status::Ok();
  return count_v.Fail(
      fmt::format("the groups have {} agents in all; at most {} are allowed", total, kMaxAgents));
}

// {cpus: 4, mem: 16GiB, disk: 100GiB, gpus: 0, <named scalar>: n}
Result<plugins::Resources> ParseResources(const YamlValue& value) {
  SIM_ASSIGN_OR_RETURN(auto entries, value.Entries());
  plugins::Resources r;
  for (auto& [name, v] : entries) {
    auto read = ReadResourceAmount(v, /*is_size=*/name == "mem" || name == "disk");
    if (!read.ok()) {
      // `memory: 8GiB`: a named scalar takes a plain number, but the name was meant as `mem`.
      if (const auto builtin = MeantBuiltin(name)) {
        return v.Fail(
            fmt::format("'{}' is no built-in resource (did you mean '{}'?); a named "
                        "scalar takes a plain number, got {}",
                        name, *builtin, v.Found()));
      }
      return read.status();
    }
    const double amount = *read;
    const int kind = plugins::ResourceKinds::FindOrAdd(name);
    if (kind < 0) {
      return v.Fail(
          fmt::format("too many resource kinds: at most {} named scalars besides "
                      "cpus, mem, disk, gpus",
                      plugins::kMaxResourceKinds - plugins::kBuiltinResourceKinds));
    }
    r.Set(kind, amount);
  }
  return r;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseAttributes(const YamlValue& value) {
  SIM_ASSIGN_OR_RETURN(auto entries, value.Entries());
  std::vector<std::pair<std::string, std::string>> attrs;
  for (auto& [k, v] : entries) {
    SIM_ASSIGN_OR_RETURN(std::string s, v.AsString());
    attrs.emplace_back(k, std::move(s));
  }
  std::sort(attrs.begin(), attrs.end());
  return attrs;
}

Result<PolicyChoice> ParsePolicyChoice(const YamlValue& value,
                                       const std::vector<std::string>& names,
                                       std::string_view kind) {
  PolicyChoice choice;
  // Never assign one YamlValue over another: yaml-cpp's Node assignment writes through the handle
  // and would replace the policy's mapping by its name.
  std::optional<YamlValue> name_in_map;
  if (value.IsMap()) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
    // {external: [program, args...], ...}: a policy in another process (issue 17).
    if ((m.Has("external") || m.Has("socket")) && !m.Has("name") &&
        std::find(names.begin(), names.end(), "external") != names.end()) {
      choice.name = "external";
      choice.params = value;
      return choice;
    }
    SIM_ASSIGN_OR_RETURN(YamlValue v, m.Required("name"));
    name_in_map.emplace(std::move(v));
    choice.params = value;
  }
  const YamlValue& name_value = name_in_map ? *name_in_map : value;
  SIM_ASSIGN_OR_RETURN(choice.name, name_value.AsString());
  if (std::find(names.begin(), names.end(), choice.name) == names.end()) {
    const std::optional<std::string> nearest = ClosestMatch(choice.name, names);
    return name_value.Fail(
        fmt::format("unknown {} policy '{}'{}; expected one of {}", kind, choice.name,
                    nearest ? fmt::format(" (did you mean '{}'?)", *nearest) : std::string(),
                    fmt::join(names, ", ")));
  }
  if (choice.name == "external" && !choice.params) {
    return value.Error("{external: [program, args...]}: an external policy needs its command");
  }
  return choice;
}

// --- Sections -----------------------------------------------------------------------------------

// The name becomes a folder name under --out: no separators, no "..", nothing a shell mangles.
Status CheckScenarioName(const YamlValue& v, const std::string& name) {
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (plain && !name.empty() && name != "." && name != "..") return Status::Ok();
  return v.Error("a name of letters, digits, '.', '_' and '-' (it names the output folder)");
}

// timeseries.csv gets a row per sample_interval of the run: at most kMaxSamples.
Status CheckSampleCount(const YamlValue& where, const ScenarioSpec& spec) {
  const int64_t samples = spec.duration.micros() / spec.results.sample_interval.micros();
  if (samples <= kMaxSamples) return Status::Ok();
  return where.Fail(
      fmt::format("duration / results.sample_interval is {} samples; at most {} are allowed (raise "
                  "sample_interval)",
                  samples, kMaxSamples));
}

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

// master.quotas: {ROLE: {guarantee: {..}, limit: {..}}} (defined below, with the policy params
// whose parser it shares with drf-quota's legacy `quotas`).
Result<plugins::RoleQuotas> ParseMasterQuotas(const YamlValue& master);

// A role path as Mesos accepts it (common/roles.cpp validate): `/`-separated components, none
// empty, `.` or `..`, no leading or trailing `/`. Roles form a tree by these paths.
Status CheckRolePath(const YamlValue& where, std::string_view role) {
  if (role.empty()) return where.Fail("a role name must not be empty");
  for (size_t begin = 0; begin <= role.size();) {
    size_t end = role.find('/', begin);
    if (end == std::string_view::npos) end = role.size();
    const std::string_view part = role.substr(begin, end - begin);
    if (part.empty() || part == "." || part == "..") {
      return where.Fail(fmt::format(
          "role '{}': path components must be non-empty and not '.' or '..' (Mesos role rules)",
          role));
    }
    begin = end + 1;
  }
  return Status::Ok();
}

// {eng: 2, eng/web: 1}: role path -> weight > 0. A path needs no framework (it weighs a subtree).
Status ParseRoleWeights(const YamlValue& value, std::map<std::string, double>& weights) {
  SIM_ASSIGN_OR_RETURN(auto entries, value.Entries());
  for (const auto& [role, v] : entries) {
    SIM_RETURN_IF_ERROR(CheckRolePath(v, role));
    SIM_ASSIGN_OR_RETURN(const double w, v.AsDouble(0, 1e9));
    if (w <= 0) return v.Fail("a role weight must be > 0");
    weights[role] = w;
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

Status ParseRuntimeSpec(const YamlValue& value, models::RuntimeSpec& rt) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_RETURN_IF_ERROR(
      ReadDistribution(m, "start_latency", Quantity::kDuration, rt.start_latency_s));
  if (auto v = m.Optional("extract_rate")) {
    SIM_ASSIGN_OR_RETURN(rt.extract_mib_per_s, ReadBandwidthIn(*v));
  }
  SIM_RETURN_IF_ERROR(ReadSize(m, "mem_overhead", rt.mem_overhead_mib));
  return m.Finish();
}

// A layer given inline ({digest: d, download: 100MB, disk: 300MiB}), added to the catalog, or a
// declared layer's digest.
Result<uint32_t> ParseLayerRef(const YamlValue& ref, models::ImageCatalog& catalog) {
  if (!ref.IsMap()) {
    SIM_ASSIGN_OR_RETURN(std::string digest, ref.AsString());
    auto index = catalog.FindLayer(digest);
    if (!index) return ref.Error("the digest of a layer declared under 'layers:' or inline");
    return *index;
  }
  SIM_ASSIGN_OR_RETURN(YamlMap lm, ref.AsMap());
  SIM_ASSIGN_OR_RETURN(YamlValue digest_value, lm.Required("digest"));
  SIM_ASSIGN_OR_RETURN(std::string digest, digest_value.AsString());
  if (catalog.FindLayer(digest)) {
    return digest_value.Fail(fmt::format("duplicate layer '{}'", digest));
  }
  models::LayerSpec layer;
  layer.digest = digest;
  SIM_ASSIGN_OR_RETURN(YamlValue dl, lm.Required("download"));
  SIM_ASSIGN_OR_RETURN(layer.download_mib, ReadBoundedSize(dl));
  layer.disk_mib = layer.download_mib;
  SIM_RETURN_IF_ERROR(ReadSize(lm, "disk", layer.disk_mib));
  SIM_RETURN_IF_ERROR(lm.Finish());
  catalog.layers.push_back(std::move(layer));
  return static_cast<uint32_t>(catalog.layers.size() - 1);
}

// runtime.image_updates: [{at, os, version (optional), layer}], in time order; each publishes,
// for every image of that OS (and version) not replaced yet, a successor with the layer on top.
Status ParseImageUpdates(const YamlValue& value, models::ImageCatalog& catalog) {
  SIM_ASSIGN_OR_RETURN(auto items, value.Elements());
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, item.AsMap());
    models::ImageUpdateSpec update;
    SIM_ASSIGN_OR_RETURN(YamlValue at, m.Required("at"));
    SIM_ASSIGN_OR_RETURN(update.at, ReadDurationIn(at, {.zero_ok = true}));
    if (!catalog.updates.empty() && update.at < catalog.updates.back().at) {
      return at.Fail("image updates must be listed in time order");
    }
    SIM_ASSIGN_OR_RETURN(YamlValue os, m.Required("os"));
    SIM_ASSIGN_OR_RETURN(update.os, os.AsEnum<plugins::Os>({{"linux", plugins::Os::kLinux},
                                                            {"windows", plugins::Os::kWindows}}));
    if (auto v = m.Optional("version")) {
      if (update.os != plugins::Os::kWindows) return v->Fail("only Windows images have a version");
      SIM_ASSIGN_OR_RETURN(update.version, v->AsEnum<plugins::OsVersion>(
                                               {{"ltsc2016", plugins::OsVersion::kLtsc2016},
                                                {"ltsc2019", plugins::OsVersion::kLtsc2019},
                                                {"ltsc2022", plugins::OsVersion::kLtsc2022}}));
    }
    SIM_ASSIGN_OR_RETURN(YamlValue layer, m.Required("layer"));
    SIM_ASSIGN_OR_RETURN(update.layer, ParseLayerRef(layer, catalog));
    SIM_RETURN_IF_ERROR(m.Finish());
    // A successor holds each layer once: an image that has the layer already is not updated by it.
    for (const models::ImageSpec& image : catalog.images) {
      const bool matches =
          image.updated_to < 0 && image.os == update.os &&
          (update.version == plugins::OsVersion::kNone || image.version == update.version);
      if (matches &&
          std::find(image.layers.begin(), image.layers.end(), update.layer) != image.layers.end()) {
        return layer.Fail(fmt::format("image '{}' already has layer '{}'", image.name,
                                      catalog.layers[update.layer].digest));
      }
    }
    if (catalog.Publish(update) == 0) {
      return item.Fail("no image of the catalog has that OS (and version) to update");
    }
  }
  return Status::Ok();
}

Status ParseRuntime(const YamlValue& value, ScenarioSpec& spec) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_RETURN_IF_ERROR(ReadDurationKey(m, "pull_timeout", {.min = kMinInterval, .infinite_ok = true},
                                      spec.runtime.pull_timeout));
  SIM_RETURN_IF_ERROR(ReadDurationKey(m, "executor_registration_timeout",
                                      {.min = kMinInterval, .infinite_ok = true},
                                      spec.runtime.executor_registration_timeout));
  if (auto v = m.Optional("image_updates")) {
    SIM_RETURN_IF_ERROR(ParseImageUpdates(*v, spec.images));
  }
  if (auto v = m.Optional("docker")) SIM_RETURN_IF_ERROR(ParseRuntimeSpec(*v, spec.runtime.docker));
  if (auto v = m.Optional("process"))
    SIM_RETURN_IF_ERROR(ParseRuntimeSpec(*v, spec.runtime.process));
  if (auto v = m.Optional("hyperv")) SIM_RETURN_IF_ERROR(ParseRuntimeSpec(*v, spec.runtime.hyperv));
  return m.Finish();
}

Result<models::LayerSpec> ParseLayerSizes(const YamlValue& value, std::string digest) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  models::LayerSpec layer;
  layer.digest = std::move(digest);
  SIM_ASSIGN_OR_RETURN(YamlValue dl, m.Required("download"));
  SIM_ASSIGN_OR_RETURN(layer.download_mib, ReadBoundedSize(dl));
  layer.disk_mib = layer.download_mib;
  SIM_RETURN_IF_ERROR(ReadSize(m, "disk", layer.disk_mib));
  SIM_RETURN_IF_ERROR(m.Finish());
  return layer;
}

Status ParseLayers(const YamlValue& value, models::ImageCatalog& catalog) {
  SIM_ASSIGN_OR_RETURN(auto entries, value.Entries());
  for (auto& [digest, v] : entries) {
    SIM_ASSIGN_OR_RETURN(models::LayerSpec layer, ParseLayerSizes(v, digest));
    catalog.layers.push_back(std::move(layer));
  }
  return Status::Ok();
}

Status ParseImages(const YamlValue& value, models::ImageCatalog& catalog) {
  SIM_ASSIGN_OR_RETURN(auto items, value.Elements());
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, item.AsMap());
    models::ImageSpec image;
    SIM_ASSIGN_OR_RETURN(YamlValue name, m.Required("name"));
    SIM_ASSIGN_OR_RETURN(image.name, name.AsString());
    if (catalog.FindImage(image.name))
      return name.Fail(fmt::format("duplicate image '{}'", image.name));
    SIM_ASSIGN_OR_RETURN(YamlValue os, m.Required("os"));
    SIM_ASSIGN_OR_RETURN(image.os, os.AsEnum<plugins::Os>({{"linux", plugins::Os::kLinux},
                                                           {"windows", plugins::Os::kWindows}}));
    if (auto v = m.Optional("version")) {
      if (image.os != plugins::Os::kWindows) return v->Fail("only Windows images have a version");
      SIM_ASSIGN_OR_RETURN(image.version, v->AsEnum<plugins::OsVersion>(
                                              {{"ltsc2016", plugins::OsVersion::kLtsc2016},
                                               {"ltsc2019", plugins::OsVersion::kLtsc2019},
                                               {"ltsc2022", plugins::OsVersion::kLtsc2022}}));
    } else if (image.os == plugins::Os::kWindows) {
      return item.Fail("a Windows image needs 'version' (ltsc2016, ltsc2019 or ltsc2022)");
    }
    SIM_ASSIGN_OR_RETURN(YamlValue layers, m.Required("layers"));
    SIM_ASSIGN_OR_RETURN(auto refs, layers.Elements());
    if (refs.empty()) return layers.Error("a non-empty list of layers");
    for (const YamlValue& ref : refs) {
      // A digest declared under 'layers:', or an inline {digest, download, disk}.
      SIM_ASSIGN_OR_RETURN(uint32_t layer, ParseLayerRef(ref, catalog));
      // The store pins and releases an image's layers one by one: each once.
      if (std::find(image.layers.begin(), image.layers.end(), layer) != image.layers.end()) {
        return ref.Fail(fmt::format("layer '{}' is listed twice: an image holds each layer once",
                                    catalog.layers[layer].digest));
      }
      image.layers.push_back(layer);
    }
    SIM_RETURN_IF_ERROR(m.Finish());
    catalog.images.push_back(std::move(image));
  }
  return Status::Ok();
}

Result<uint32_t> ImageRef(const YamlValue& v, const models::ImageCatalog& catalog) {
  SIM_ASSIGN_OR_RETURN(std::string name, v.AsString());
  auto index = catalog.FindImage(name);
  if (!index) {
    std::vector<std::string> names;
    for (const auto& i : catalog.images) names.push_back(i.name);
    return v.Error(names.empty()
                       ? std::string("an image of the catalog (the catalog is empty)")
                       : fmt::format("an image of the catalog ({})", fmt::join(names, ", ")));
  }
  return *index;
}

// One half of a failure process: `mean_key` (an exponential mean) or `dist_key` (any
// distribution), with a mean of at least kMinFailureMean: processes that fail or repair in
// (nearly) no time livelock the run.
Result<sim::Distribution> ParseFailureTime(YamlMap& m, const YamlValue& value,
                                           std::string_view mean_key, std::string_view dist_key) {
  if (auto v = m.Optional(mean_key)) {
    SIM_ASSIGN_OR_RETURN(const sim::Time t, ReadDurationIn(*v, {.min = kMinFailureMean}));
    return sim::Distribution::Exponential(t.seconds());
  }
  if (auto d = m.Optional(dist_key)) {
    SIM_ASSIGN_OR_RETURN(sim::Distribution dist, ParseDistribution(*d, Quantity::kDuration));
    if (!(dist.Mean() >= kMinFailureMean.seconds())) {
      return d->Fail(fmt::format("{} must have a mean of at least {} (it has {:g}s)", dist_key,
                                 FormatDuration(kMinFailureMean), dist.Mean()));
    }
    return dist;
  }
  return value.Fail(fmt::format("failures need '{}' (or '{}')", mean_key, dist_key));
}

Status ParseFailures(const YamlValue& value, models::FailureSpec& f) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  f.enabled = true;
  // mtbf / mttr are exponential means; time_to_failure / time_to_repair take any distribution.
  SIM_ASSIGN_OR_RETURN(f.time_to_failure_s, ParseFailureTime(m, value, "mtbf", "time_to_failure"));
  SIM_ASSIGN_OR_RETURN(f.time_to_repair_s, ParseFailureTime(m, value, "mttr", "time_to_repair"));
  if (auto v = m.Optional("kind")) {
    SIM_ASSIGN_OR_RETURN(
        f.kind, v->AsEnum<models::FaultKind>({{"crash", models::FaultKind::kCrash},
                                              {"partition", models::FaultKind::kPartition}}));
  }
  return m.Finish();
}

// `isolation:`, by OS: docker on Linux; process (default) or hyperv on Windows.
Status ParseIsolation(YamlMap& m, models::AgentGroupSpec& g) {
  g.isolation =
      g.os == plugins::Os::kLinux ? plugins::Isolation::kDocker : plugins::Isolation::kProcess;
  auto v = m.Optional("isolation");
  if (!v) return Status::Ok();
  if (g.os == plugins::Os::kLinux) {
    SIM_ASSIGN_OR_RETURN(g.isolation,
                         v->AsEnum<plugins::Isolation>({{"docker", plugins::Isolation::kDocker}}));
  } else {
    SIM_ASSIGN_OR_RETURN(g.isolation,
                         v->AsEnum<plugins::Isolation>({{"process", plugins::Isolation::kProcess},
                                                        {"hyperv", plugins::Isolation::kHyperV}}));
  }
  return Status::Ok();
}

// {role: {cpus: 4, mem: 8GiB}, ...}: per agent, offered only to that role's frameworks.
Status ParseReservations(const YamlValue& v, models::AgentGroupSpec& g) {
  SIM_ASSIGN_OR_RETURN(auto entries, v.Entries());
  plugins::Resources sum;
  for (auto& [role, amount] : entries) {
    SIM_ASSIGN_OR_RETURN(plugins::Resources r, ParseResources(amount));
    sum += r;
    g.reservations.emplace_back(role, r);
  }
  if (!g.resources.Contains(sum)) {
    return v.Fail(fmt::format("reservations ({}) exceed the agents' resources ({})", sum.ToString(),
                              g.resources.ToString()));
  }
  std::sort(g.reservations.begin(), g.reservations.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return Status::Ok();
}

// os, os_version and isolation come from the group's own keys (models/agent_kinds.h).
Status CheckNoBuiltinAttributes(const YamlValue& v,
                                const std::vector<std::pair<std::string, std::string>>& attrs) {
  for (const auto& [key, value] : attrs) {
    if (models::IsBuiltinAttribute(key)) {
      return v.Child(key).Fail(fmt::format(
          "'{}' is a built-in attribute every agent carries, set from the group's os, version "
          "and isolation; name this one differently",
          key));
    }
  }
  return Status::Ok();
}

Status ParseCluster(const YamlValue& value, ScenarioSpec& spec) {
  SIM_ASSIGN_OR_RETURN(YamlMap top, value.AsMap());
  SIM_ASSIGN_OR_RETURN(YamlValue groups_value, top.Required("groups"));
  SIM_RETURN_IF_ERROR(top.Finish());
  SIM_ASSIGN_OR_RETURN(auto groups, groups_value.Elements());
  if (groups.empty()) return groups_value.Error("at least one agent group");
  for (const YamlValue& gv : groups) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, gv.AsMap());
    models::AgentGroupSpec g;
    SIM_ASSIGN_OR_RETURN(YamlValue name, m.Required("name"));
    SIM_ASSIGN_OR_RETURN(g.name, name.AsString());
    for (const auto& other : spec.groups) {
      if (other.name == g.name) return name.Fail(fmt::format("duplicate group name '{}'", g.name));
    }
    SIM_ASSIGN_OR_RETURN(YamlValue count, m.Required("count"));
    SIM_ASSIGN_OR_RETURN(g.count, count.AsInt(0, kMaxAgents));
    SIM_RETURN_IF_ERROR(CheckTotalAgents(count, g.count, spec));
    SIM_ASSIGN_OR_RETURN(YamlValue os, m.Required("os"));
    SIM_ASSIGN_OR_RETURN(g.os, os.AsEnum<plugins::Os>({{"linux", plugins::Os::kLinux},
                                                       {"windows", plugins::Os::kWindows}}));
    if (auto v = m.Optional("version")) {
      if (g.os != plugins::Os::kWindows) return v->Fail("only Windows agents have a version");
      SIM_ASSIGN_OR_RETURN(g.os_version, v->AsEnum<plugins::OsVersion>(
                                             {{"ltsc2016", plugins::OsVersion::kLtsc2016},
                                              {"ltsc2019", plugins::OsVersion::kLtsc2019},
                                              {"ltsc2022", plugins::OsVersion::kLtsc2022}}));
    } else if (g.os == plugins::Os::kWindows) {
      return gv.Fail("a Windows group needs 'version' (ltsc2016, ltsc2019 or ltsc2022)");
    }
    SIM_RETURN_IF_ERROR(ParseIsolation(m, g));
    SIM_ASSIGN_OR_RETURN(YamlValue res, m.Required("resources"));
    SIM_ASSIGN_OR_RETURN(g.resources, ParseResources(res));
    if (auto v = m.Optional("attributes")) {
      SIM_ASSIGN_OR_RETURN(g.attributes, ParseAttributes(*v));
      SIM_RETURN_IF_ERROR(CheckNoBuiltinAttributes(*v, g.attributes));
    }
    SIM_RETURN_IF_ERROR(ReadInt(m, "racks", g.racks, 0, 1'000'000));
    if (auto v = m.Optional("reservations")) SIM_RETURN_IF_ERROR(ParseReservations(*v, g));
    SIM_RETURN_IF_ERROR(ReadSize(m, "image_store", g.image_store_mib));
    if (auto v = m.Optional("pull_bandwidth")) {
      SIM_ASSIGN_OR_RETURN(g.pull_bandwidth_mibps, ReadBandwidthIn(*v));
    }
    SIM_RETURN_IF_ERROR(
        ReadInt(m, "max_concurrent_downloads", g.max_concurrent_downloads, 1, 1024));
    if (auto v = m.Optional("preloaded_images")) {
      SIM_ASSIGN_OR_RETURN(auto refs, v->Elements());
      for (const YamlValue& ref : refs) {
        SIM_ASSIGN_OR_RETURN(uint32_t image, ImageRef(ref, spec.images));
        g.preloaded_images.push_back(image);
      }
    }
    if (auto v = m.Optional("executor_registration_timeout")) {
      SIM_ASSIGN_OR_RETURN(g.executor_registration_timeout,
                           ReadDurationIn(*v, {.min = kMinInterval, .infinite_ok = true}));
    }
    if (auto v = m.Optional("failures")) SIM_RETURN_IF_ERROR(ParseFailures(*v, g.failures));
    SIM_RETURN_IF_ERROR(m.Finish());
    spec.groups.push_back(std::move(g));
  }
  return Status::Ok();
}

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

Status ParseWorkload(const YamlValue& value, const ScenarioSpec& spec, models::WorkloadSpec& w) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
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
  return m.Finish();
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

// One list: an OR of non-zero quantities ([{cpus: 1, mem: 1GiB}, {gpus: 1}]).
Result<std::vector<plugins::Resources>> ParseQuantityList(const YamlValue& value) {
  constexpr std::string_view kForm =
      "a non-empty list of quantities, any of which makes an offer worth making "
      "([{cpus: 1, mem: 1GiB}])";
  if (!value.IsSequence() || value.size() == 0) return value.Error(kForm);
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
    SIM_RETURN_IF_ERROR(ReadInt(m, "max_retries", f.max_retries, 0, 250));
    if (auto v = m.Optional("retry_backoff")) {
      SIM_RETURN_IF_ERROR(ParseRetryBackoff(*v, f.retry_backoff));
    }
    if (auto v = m.Optional("suppress_when_idle")) {
      SIM_ASSIGN_OR_RETURN(f.suppress_when_idle, v->AsBool());
    }
    SIM_RETURN_IF_ERROR(ReadBool(m, "partition_aware", f.partition_aware));
    SIM_RETURN_IF_ERROR(ReadBool(m, "checkpoint", f.checkpoint));
    SIM_RETURN_IF_ERROR(ParseFrameworkMaintenance(m, f));
    SIM_RETURN_IF_ERROR(ParseAgentAccess(m, f));
    if (auto v = m.Optional("min_allocatable")) {
      SIM_RETURN_IF_ERROR(ParseFrameworkMinAllocatable(*v, f));
    }
    if (auto v = m.Optional("workload")) SIM_RETURN_IF_ERROR(ParseWorkload(*v, spec, f.workload));
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

Status ParseResults(const YamlValue& value, ScenarioSpec& spec) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_RETURN_IF_ERROR(
      ReadDurationKey(m, "sample_interval", {.min = kMinInterval}, spec.results.sample_interval));
  SIM_RETURN_IF_ERROR(ReadBool(m, "events_binpb", spec.results.events_binpb));
  SIM_RETURN_IF_ERROR(ReadBool(m, "tasks_csv", spec.results.tasks_csv));
  if (auto v = m.Optional("warmup")) {
    SIM_ASSIGN_OR_RETURN(spec.results.warmup, ReadDurationIn(*v, {.zero_ok = true}));
    // A trace that ends the run itself is checked when the run starts (apps/runner.cc).
    if (spec.results.warmup >= spec.duration) {
      // "expected a duration shorter than the run (1h), got 2h": nothing would be measured.
      return v->Error(
          fmt::format("a duration shorter than the run ({}), the start of the run "
                      "that summary.json's metrics leave out",
                      FormatDuration(spec.duration)));
    }
  }
  return m.Finish();
}

Status ParseCompare(const YamlValue& value, CompareSpec& compare) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  auto names = [&](std::string_view key, const std::vector<std::string>& valid,
                   std::string_view kind, std::vector<std::string>& out) -> Status {
    auto v = m.Optional(key);
    if (!v) return Status::Ok();
    SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
    for (const YamlValue& item : items) {
      SIM_ASSIGN_OR_RETURN(PolicyChoice choice, ParsePolicyChoice(item, valid, kind));
      if (choice.params) return item.Fail("compare lists policy names only");
      out.push_back(choice.name);
    }
    return Status::Ok();
  };
  SIM_RETURN_IF_ERROR(
      names("allocators", plugins::Allocators().Names(), "allocator", compare.allocators));
  SIM_RETURN_IF_ERROR(
      names("placements", plugins::Placements().Names(), "placement", compare.placements));
  if (auto v = m.Optional("seeds")) {
    SIM_ASSIGN_OR_RETURN(const int64_t seeds, v->AsInt(1, 10000));
    compare.seeds = static_cast<int>(seeds);
  }
  return m.Finish();
}

// Adapts a policy's YAML mapping to the plugin API's PolicyParams.
class YamlPolicyParams final : public plugins::PolicyParams {
 public:
  // `top`: the policy's own entry, whose `name` key is the policy's name, not a parameter.
  explicit YamlPolicyParams(std::optional<YamlMap> map, bool top = true) : map_(std::move(map)) {
    if (map_ && top) map_->Optional("name");
  }
  Result<double> Number(std::string_view key, double default_value, double min,
                        double max) override {
    if (!map_) return default_value;
    auto v = map_->Optional(key);
    if (!v) return default_value;
    return v->AsDouble(min, max);
  }
  Result<std::string> String(std::string_view key, std::string default_value) override {
    if (!map_) return default_value;
    auto v = map_->Optional(key);
    if (!v) return default_value;
    return v->AsString();
  }
  Status Error(std::string_view key, std::string_view expected) const override {
    if (map_) return map_->value().Child(key).Error(expected);
    return Status::Error(fmt::format("{}: expected {}", key, expected));
  }
  Result<plugins::PolicyParams*> Map(std::string_view key) override {
    if (!map_) return static_cast<plugins::PolicyParams*>(nullptr);
    auto v = map_->Optional(key);
    if (!v) return static_cast<plugins::PolicyParams*>(nullptr);
    if (!v->IsMap()) return v->Error("a mapping");
    SIM_ASSIGN_OR_RETURN(YamlMap m, v->AsMap());
    children_.push_back(std::make_unique<YamlPolicyParams>(std::move(m), /*top=*/false));
    return static_cast<plugins::PolicyParams*>(children_.back().get());
  }
  std::vector<std::string> Keys() const override {
    std::vector<std::string> keys;
    if (!map_) return keys;
    auto entries = map_->value().Entries();
    if (!entries.ok()) return keys;
    for (const auto& [k, v] : *entries) keys.push_back(k);
    return keys;
  }
  Result<plugins::Resources> ResourceVector(std::string_view key,
                                            plugins::Resources default_value) override {
    if (!map_) return default_value;
    auto v = map_->Optional(key);
    if (!v) return default_value;
    return ParseResources(*v);
  }
  Result<std::vector<std::string>> Strings(std::string_view key,
                                           std::vector<std::string> default_value) override {
    if (!map_) return default_value;
    auto v = map_->Optional(key);
    if (!v) return default_value;
    if (!v->IsSequence()) {
      SIM_ASSIGN_OR_RETURN(const std::string line, v->AsString());
      auto words = SplitCommandLine(line);
      if (!words.ok()) return v->Error("a command: a list [program, arg, ...] or one string");
      return words;
    }
    SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
    std::vector<std::string> out;
    for (const YamlValue& item : items) {
      SIM_ASSIGN_OR_RETURN(std::string word, item.AsString());
      out.push_back(std::move(word));
    }
    if (out.empty()) return v->Error("a command: a list [program, arg, ...] or one string");
    return out;
  }
  Result<sim::Time> Duration(std::string_view key, sim::Time default_value,
                             sim::Time min) override {
    if (!map_) return default_value;
    auto v = map_->Optional(key);
    if (!v) return default_value;
    return ReadDurationIn(*v, {.min = min});
  }
  uint32_t ResourceKindsNamed(std::string_view key) const override {
    if (!map_) return 0;
    auto entries = map_->value().Child(key).Entries();
    if (!entries.ok()) return 0;
    uint32_t kinds = 0;
    for (const auto& [name, v] : *entries) {
      const int kind = plugins::ResourceKinds::Find(name);
      if (kind >= 0) kinds |= 1u << kind;
    }
    return kinds;
  }
  // Rejects keys nobody read, here and in every nested mapping handed out.
  Status Finish() const {
    if (map_) SIM_RETURN_IF_ERROR(map_->Finish());
    return FinishNested();
  }
  // Rejects keys nobody read in the nested mappings handed out only (for a mapping whose own
  // keys another reader checks).
  Status FinishNested() const {
    for (const auto& child : children_) SIM_RETURN_IF_ERROR(child->Finish());
    return Status::Ok();
  }

 private:
  std::optional<YamlMap> map_;
  std::vector<std::unique_ptr<YamlPolicyParams>> children_;
};

Result<plugins::RoleQuotas> ParseMasterQuotas(const YamlValue& master) {
  SIM_ASSIGN_OR_RETURN(YamlMap map, master.AsMap());
  YamlPolicyParams params(std::move(map), /*top=*/false);
  SIM_ASSIGN_OR_RETURN(plugins::RoleQuotas quotas, plugins::ParseRoleQuotas(params));
  SIM_RETURN_IF_ERROR(params.FinishNested());
  return quotas;
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

template <typename Policy, typename Registry>
Result<std::unique_ptr<Policy>> Build(const Registry& registry, const PolicyChoice& choice,
                                      sim::Rng rng, std::string owner = {}) {
  std::optional<YamlMap> map;
  if (choice.params) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, choice.params->AsMap());
    map = std::move(m);
  }
  YamlPolicyParams params(std::move(map));
  plugins::PolicyEnv env{rng, std::move(owner)};
  SIM_ASSIGN_OR_RETURN(std::unique_ptr<Policy> policy, registry.Create(choice.name, params, env));
  SIM_RETURN_IF_ERROR(params.Finish());
  return policy;
}

}  // namespace

Result<Scenario> LoadScenario(const YamlDocument& doc) {
  Scenario scenario;
  scenario.source_name = doc.source_name();
  scenario.text = doc.text();
  for (const auto& o : doc.applied_overrides()) scenario.text += "\n# --set " + o;
  ScenarioSpec& spec = scenario.spec;
  scenario.allocator = PolicyChoice{"drf", std::nullopt};

  SIM_ASSIGN_OR_RETURN(YamlMap top, doc.Root().AsMap());
  SIM_ASSIGN_OR_RETURN(YamlValue name, top.Required("name"));
  SIM_ASSIGN_OR_RETURN(spec.name, name.AsString());
  SIM_RETURN_IF_ERROR(CheckScenarioName(name, spec.name));
  if (auto v = top.Optional("seed")) {
    SIM_ASSIGN_OR_RETURN(const int64_t seed, v->AsInt(0));
    spec.seed = static_cast<uint64_t>(seed);
  }
  std::optional<YamlValue> duration = top.Optional("duration");
  if (duration) {
    SIM_ASSIGN_OR_RETURN(spec.duration, ReadDurationIn(*duration, {}));
  }
  // Images first: agent groups and workloads refer to them.
  if (auto v = top.Optional("layers")) SIM_RETURN_IF_ERROR(ParseLayers(*v, spec.images));
  if (auto v = top.Optional("images")) SIM_RETURN_IF_ERROR(ParseImages(*v, spec.images));
  if (auto v = top.Optional("master"))
    SIM_RETURN_IF_ERROR(ParseMaster(*v, spec, scenario.allocator));
  if (auto v = top.Optional("runtime")) SIM_RETURN_IF_ERROR(ParseRuntime(*v, spec));
  // A trace may bring its own machines (Google machine_events, an SWF header): then `cluster` is
  // optional.
  const bool has_trace = top.Has("trace");
  if (auto cluster = top.Optional("cluster"); cluster || !has_trace) {
    SIM_ASSIGN_OR_RETURN(YamlValue c, top.Required("cluster"));
    SIM_RETURN_IF_ERROR(ParseCluster(c, spec));
  }
  SIM_ASSIGN_OR_RETURN(YamlValue frameworks, top.Required("frameworks"));
  SIM_RETURN_IF_ERROR(ParseFrameworks(frameworks, spec, scenario.placements));
  if (auto v = top.Optional("maintenance")) SIM_RETURN_IF_ERROR(ParseMaintenance(*v, spec));
  if (auto v = top.Optional("trace")) {
    const std::filesystem::path source(doc.source_name());
    std::error_code ec;  // the non-throwing form: any path a user gives must give a message
    const std::string base_dir =
        std::filesystem::exists(source, ec) ? source.parent_path().string() : std::string();
    SIM_RETURN_IF_ERROR(ParseTrace(*v, base_dir, spec));
  }
  if (auto v = top.Optional("faults")) SIM_RETURN_IF_ERROR(ParseFaults(*v, spec));
  std::optional<YamlValue> results = top.Optional("results");
  if (results) SIM_RETURN_IF_ERROR(ParseResults(*results, spec));
  SIM_RETURN_IF_ERROR(CheckSampleCount(duration ? *duration : top.value(), spec));
  if (auto v = top.Optional("compare")) SIM_RETURN_IF_ERROR(ParseCompare(*v, scenario.compare));
  SIM_RETURN_IF_ERROR(top.Finish());

  // Build each policy once, so that bad policy parameters are reported now, not mid-run.
  const sim::RandomStreams streams(spec.seed);
  SIM_ASSIGN_OR_RETURN(const auto allocator, BuildAllocator(scenario, streams));
  SIM_ASSIGN_OR_RETURN(const auto placements, BuildPlacements(scenario, streams));
  SIM_RETURN_IF_ERROR(CheckSharedProcesses(scenario, *allocator, placements));
  SIM_RETURN_IF_ERROR(CheckExternalLogNames(scenario, *allocator, placements));
  SIM_RETURN_IF_ERROR(ApplyDrfQuotaAlias(scenario));
  SIM_RETURN_IF_ERROR(CheckWallTimeCharges(scenario));
  return scenario;
}

Result<std::unique_ptr<plugins::AllocatorPolicy>> BuildAllocator(
    const Scenario& scenario, const sim::RandomStreams& streams) {
  return Build<plugins::AllocatorPolicy>(plugins::Allocators(), scenario.allocator,
                                         streams.Stream("policy.allocator"));
}

Result<std::vector<std::unique_ptr<plugins::PlacementPolicy>>> BuildPlacements(
    const Scenario& scenario, const sim::RandomStreams& streams) {
  std::vector<std::unique_ptr<plugins::PlacementPolicy>> out;
  for (size_t f = 0; f < scenario.placements.size(); ++f) {
    SIM_ASSIGN_OR_RETURN(auto policy,
                         Build<plugins::PlacementPolicy>(
                             plugins::Placements(), scenario.placements[f],
                             streams.Stream("policy.placement." + scenario.spec.frameworks[f].name),
                             scenario.spec.frameworks[f].name));
    out.push_back(std::move(policy));
  }
  return out;
}

}  // namespace clustersim::apps
