#include "apps/scenario/faults.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "apps/config/distribution_spec.h"
#include "apps/config/ranges.h"
#include "apps/config/units.h"
#include "apps/scenario/readers.h"
#include "models/agent_kinds.h"

namespace clustersim::apps {
namespace {

using models::FaultSpec;
using sim::Result;
using sim::Status;

// Agent names of the scenario's groups, as the cluster names them (models/cluster.cc).
bool AgentNameExists(const models::ScenarioSpec& spec, const std::string& name) {
  for (const models::AgentGroupSpec& g : spec.groups) {
    if (g.count == 1 && g.name == name) return true;
    for (int i = 0; g.count > 1 && i < g.count; ++i) {
      if (fmt::format("{}-{}", g.name, i) == name) return true;
    }
  }
  return false;
}

bool RackExists(const models::ScenarioSpec& spec, const std::string& rack) {
  for (const models::AgentGroupSpec& g : spec.groups) {
    for (int r = 0; r < std::min(g.racks, g.count); ++r) {
      if (fmt::format("r{}", r) == rack) return true;
    }
  }
  return false;
}

Status ParseTargets(YamlMap& m, const models::ScenarioSpec& spec, FaultSpec& f) {
  int selectors = 0;
  if (auto v = m.Optional("agents")) {
    ++selectors;
    SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
    if (items.empty()) return v->Fail("agents: name at least one agent");
    for (const YamlValue& item : items) {
      SIM_ASSIGN_OR_RETURN(std::string name, item.AsString());
      if (!AgentNameExists(spec, name)) {
        return item.Fail(fmt::format(
            "no agent '{}' in cluster.groups (a group of count n names its agents NAME-0 .. "
            "NAME-(n-1), a group of one agent NAME)",
            name));
      }
      f.agents.push_back(std::move(name));
    }
  }
  if (auto v = m.Optional("group")) {
    ++selectors;
    SIM_ASSIGN_OR_RETURN(f.group, v->AsString());
    const bool known =
        std::any_of(spec.groups.begin(), spec.groups.end(),
                    [&](const models::AgentGroupSpec& g) { return g.name == f.group; });
    if (!known) return v->Fail(fmt::format("no group '{}' in cluster.groups", f.group));
  }
  if (auto v = m.Optional("rack")) {
    ++selectors;
    SIM_ASSIGN_OR_RETURN(f.rack, v->AsString());
    if (!RackExists(spec, f.rack)) {
      return v->Fail(fmt::format(
          "no agent is on rack '{}' (a group with racks: n puts its agents on racks r0 .. "
          "r(n-1))",
          f.rack));
    }
  }
  if (selectors > 1) return m.value().Fail("give at most one of agents, group and rack");
  if (auto v = m.Optional("fraction")) {
    SIM_ASSIGN_OR_RETURN(f.fraction, v->AsDouble(0, 1));
    if (!(f.fraction > 0)) return v->Fail("fraction must be above 0");
  }
  if (auto v = m.Optional("count")) {
    SIM_ASSIGN_OR_RETURN(const int64_t count, v->AsInt(1, 1'000'000'000));
    f.count = static_cast<int>(count);
  }
  if (m.Has("fraction") && m.Has("count"))
    return m.value().Fail("give fraction or count, not both");
  return Status::Ok();
}

Status ParseTiming(YamlMap& m, FaultSpec& f) {
  SIM_ASSIGN_OR_RETURN(YamlValue at, m.Required("at"));
  SIM_ASSIGN_OR_RETURN(f.at, ReadDurationIn(at, {.zero_ok = true}));
  if (auto v = m.Optional("every")) {
    // A plain duration is the mean of exponential gaps (a Poisson process of faults).
    // Checked before the exponential is made: one of mean 0 is an invariant violation, not an
    // input error (mutated hunt seed 225724, `every: 0s`).
    SIM_ASSIGN_OR_RETURN(sim::Distribution every, ParseDistribution(*v, Quantity::kDuration));
    if (!(every.Mean() >= kMinFailureMean.seconds())) {
      return v->Fail(
          fmt::format("every must average at least {}", FormatDuration(kMinFailureMean)));
    }
    if (v->IsScalar() && std::isfinite(every.Mean())) {
      every = sim::Distribution::Exponential(every.Mean());
    }
    f.every_s = every;
  }
  if (auto v = m.Optional("until")) {
    SIM_ASSIGN_OR_RETURN(f.until, ReadDurationIn(*v, {.zero_ok = true}));
  }
  return Status::Ok();
}

// A framework's scheduler losing its connection: only a two-level framework that places through
// offers has one to lose (a monolithic or shared-state scheduler, or a recorded replay, launches
// without offers, and nothing here would hold it back).
Status ParseDisconnect(const YamlValue& value, YamlMap& m, const models::ScenarioSpec& spec,
                       FaultSpec& f) {
  SIM_ASSIGN_OR_RETURN(YamlValue name, m.Required("framework"));
  SIM_ASSIGN_OR_RETURN(f.framework, name.AsString());
  const bool known =
      std::any_of(spec.frameworks.begin(), spec.frameworks.end(),
                  [&](const models::FrameworkSpec& fw) { return fw.name == f.framework; });
  if (!known) return name.Fail(fmt::format("no framework '{}' in frameworks", f.framework));
  if (spec.master.architecture != models::Architecture::kTwoLevel) {
    return value.Fail(
        "framework_disconnect needs master.architecture: two-level (a monolithic or shared-state "
        "scheduler takes no offers)");
  }
  if (spec.trace.enabled && spec.trace.mode == models::ReplayMode::kRecorded) {
    return value.Fail(
        "framework_disconnect cannot apply to a recorded replay (the trace launches its tasks "
        "without offers)");
  }
  if (auto v = m.Optional("duration")) {
    SIM_ASSIGN_OR_RETURN(f.duration,
                         ReadDurationIn(*v, {.min = sim::Time::Micros(1), .infinite_ok = true}));
  }
  return Status::Ok();
}

Result<FaultSpec> ParseFault(const YamlValue& value, const models::ScenarioSpec& spec) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  FaultSpec f;
  SIM_ASSIGN_OR_RETURN(YamlValue kind, m.Required("kind"));
  SIM_ASSIGN_OR_RETURN(f.kind,
                       kind.AsEnum<FaultSpec::Kind>(
                           {{"agent_crash", FaultSpec::Kind::kAgentCrash},
                            {"agent_partition", FaultSpec::Kind::kAgentPartition},
                            {"master_failover", FaultSpec::Kind::kMasterFailover},
                            {"framework_disconnect", FaultSpec::Kind::kFrameworkDisconnect}}));
  SIM_RETURN_IF_ERROR(ParseTiming(m, f));
  if (f.kind == FaultSpec::Kind::kFrameworkDisconnect) {
    SIM_RETURN_IF_ERROR(ParseDisconnect(value, m, spec, f));
    SIM_RETURN_IF_ERROR(m.Finish());
    return f;
  }
  if (f.kind == FaultSpec::Kind::kMasterFailover) {
    SIM_RETURN_IF_ERROR(ReadDurationKey(m, "election", {.zero_ok = true}, f.election));
    SIM_RETURN_IF_ERROR(
        ReadDurationKey(m, "reregistration_window", {.zero_ok = true}, f.reregistration_window));
    SIM_RETURN_IF_ERROR(m.Finish());
    return f;
  }
  SIM_RETURN_IF_ERROR(ParseTargets(m, spec, f));
  if (auto v = m.Optional("duration")) {
    SIM_ASSIGN_OR_RETURN(f.duration,
                         ReadDurationIn(*v, {.min = sim::Time::Micros(1), .infinite_ok = true}));
  } else if (f.kind == FaultSpec::Kind::kAgentPartition) {
    return value.Fail("an agent_partition needs 'duration' (when it heals; inf: never)");
  }
  SIM_RETURN_IF_ERROR(m.Finish());
  return f;
}

}  // namespace

namespace {

// Whether the scenario's framework named `name` states its failover_timeout.
bool StatesFailoverTimeout(const YamlValue& root, const std::string& name) {
  const YamlValue list = root.Child("frameworks");
  if (!list.IsSequence()) return false;
  auto items = list.Elements();
  if (!items.ok()) return false;
  for (const YamlValue& fw : *items) {
    auto fw_name = fw.Child("name").AsString();
    if (fw_name.ok() && *fw_name == name) return fw.Child("failover_timeout").IsDefined();
  }
  return false;
}

}  // namespace

void CheckFrameworkDisconnects(const YamlValue& root, const models::ScenarioSpec& spec,
                               std::vector<Warning>& out) {
  const YamlValue list = root.Child("faults");
  if (!list.IsSequence()) return;
  auto items = list.Elements();
  if (!items.ok() || items->size() != spec.faults.size()) return;
  for (size_t i = 0; i < spec.faults.size(); ++i) {
    const FaultSpec& f = spec.faults[i];
    if (f.kind != FaultSpec::Kind::kFrameworkDisconnect || f.duration.IsMax()) continue;
    // A timeout stated shorter than the disconnection is taken as meant (a study of removals).
    if (StatesFailoverTimeout(root, f.framework)) continue;
    const YamlValue at = (*items)[i].Child("framework");
    out.push_back(Warning{
        at.Location(), at.path(),
        fmt::format("framework '{}' states no failover_timeout, so it has Mesos's default, 0s: "
                    "the master removes it at this disconnection, kills its tasks and never "
                    "offers it anything again, so its reconnection {} later changes nothing "
                    "(set frameworks[].failover_timeout to at least {} to keep it, or 0s to "
                    "mean this)",
                    f.framework, FormatDuration(f.duration), FormatDuration(f.duration))});
  }
}

Status ParseFaults(const YamlValue& value, models::ScenarioSpec& spec) {
  SIM_ASSIGN_OR_RETURN(auto items, value.Elements());
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(FaultSpec f, ParseFault(item, spec));
    spec.faults.push_back(std::move(f));
  }
  return Status::Ok();
}

}  // namespace clustersim::apps
