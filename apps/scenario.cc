#include "apps/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "apps/config/ranges.h"
#include "apps/config/units.h"
#include "apps/scenario/cluster.h"
#include "apps/scenario/external_checks.h"
#include "apps/scenario/faults.h"
#include "apps/scenario/frameworks.h"
#include "apps/scenario/images.h"
#include "apps/scenario/maintenance.h"
#include "apps/scenario/master.h"
#include "apps/scenario/policy_params.h"
#include "apps/scenario/readers.h"
#include "apps/scenario/trace.h"
#include "scheduler_plugins/api/registry.h"

namespace clustersim::apps {

// The name becomes a folder name under --out: no separators, no "..", nothing a shell mangles.
sim::Status CheckOutputName(const YamlValue& v, const std::string& name) {
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (plain && !name.empty() && name != "." && name != "..") return sim::Status::Ok();
  return v.Error("a name of letters, digits, '.', '_' and '-' (it names the output folder)");
}

namespace {

using models::ScenarioSpec;
using sim::Result;
using sim::Status;

// timeseries.csv gets a row per sample_interval of the run: at most kMaxSamples. `where`: the key
// that sets the run's length.
Status CheckSampleCount(const YamlValue& where, const ScenarioSpec& spec) {
  const int64_t samples = RunLength(spec).micros() / spec.results.sample_interval.micros();
  if (samples <= kMaxSamples) return Status::Ok();
  return where.Fail(
      fmt::format("{} / results.sample_interval is {} samples; at most {} are allowed (raise "
                  "sample_interval)",
                  spec.trace.enabled && spec.trace.duration ? "trace.duration" : "duration",
                  samples, kMaxSamples));
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
    if (spec.results.warmup >= RunLength(spec)) {
      // "expected a duration shorter than the run (1h), got 2h": nothing would be measured.
      return v->Error(
          fmt::format("a duration shorter than the run ({}), the start of the run "
                      "that summary.json's metrics leave out",
                      FormatDuration(RunLength(spec))));
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
    SIM_ASSIGN_OR_RETURN(const int64_t seeds, v->AsInt(1, kMaxSeedsPerCell));
    compare.seeds = static_cast<int>(seeds);
  }
  return m.Finish();
}

}  // namespace

sim::Time RunLength(const ScenarioSpec& spec) {
  return spec.trace.enabled && spec.trace.duration ? *spec.trace.duration : spec.duration;
}

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
  SIM_RETURN_IF_ERROR(CheckOutputName(name, spec.name));
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
  std::optional<YamlValue> trace = top.Optional("trace");
  if (const auto& v = trace) {
    const std::filesystem::path source(doc.source_name());
    std::error_code ec;  // the non-throwing form: any path a user gives must give a message
    const std::string base_dir =
        std::filesystem::exists(source, ec) ? source.parent_path().string() : std::string();
    SIM_RETURN_IF_ERROR(ParseTrace(*v, base_dir, spec));
  }
  if (auto v = top.Optional("faults")) SIM_RETURN_IF_ERROR(ParseFaults(*v, spec));
  std::optional<YamlValue> results = top.Optional("results");
  if (results) SIM_RETURN_IF_ERROR(ParseResults(*results, spec));
  const YamlValue length_key = spec.trace.enabled && spec.trace.duration ? trace->Child("duration")
                               : duration                                ? *duration
                                                                         : top.value();
  SIM_RETURN_IF_ERROR(CheckSampleCount(length_key, spec));
  if (auto v = top.Optional("compare")) SIM_RETURN_IF_ERROR(ParseCompare(*v, scenario.compare));
  SIM_RETURN_IF_ERROR(top.Finish());

  // Build each policy once, so that bad policy parameters are reported now, not mid-run.
  const sim::RandomStreams streams(spec.seed);
  SIM_ASSIGN_OR_RETURN(const auto allocator, BuildAllocator(scenario, streams));
  SIM_ASSIGN_OR_RETURN(const auto placements, BuildPlacements(scenario, streams));
  SIM_RETURN_IF_ERROR(CheckExternalPolicies(scenario, *allocator, placements));
  SIM_RETURN_IF_ERROR(ApplyDrfQuotaAlias(scenario));
  return scenario;
}

Result<std::unique_ptr<plugins::AllocatorPolicy>> BuildAllocator(
    const Scenario& scenario, const sim::RandomStreams& streams) {
  return BuildPolicy<plugins::AllocatorPolicy>(plugins::Allocators(), scenario.allocator,
                                               streams.Stream("policy.allocator"));
}

Result<std::vector<std::unique_ptr<plugins::PlacementPolicy>>> BuildPlacements(
    const Scenario& scenario, const sim::RandomStreams& streams) {
  std::vector<std::unique_ptr<plugins::PlacementPolicy>> out;
  for (size_t f = 0; f < scenario.placements.size(); ++f) {
    SIM_ASSIGN_OR_RETURN(auto policy,
                         BuildPolicy<plugins::PlacementPolicy>(
                             plugins::Placements(), scenario.placements[f],
                             streams.Stream("policy.placement." + scenario.spec.frameworks[f].name),
                             scenario.spec.frameworks[f].name));
    out.push_back(std::move(policy));
  }
  return out;
}

}  // namespace clustersim::apps
