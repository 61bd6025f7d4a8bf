#include "apps/scenario/maintenance.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <string>

#include "apps/config/ranges.h"

namespace clustersim::apps {
namespace {

using sim::Result;
using sim::Status;

// Agent names as Cluster::Start gives them: the group's name for a group of one, else name-i.
std::vector<std::string> GroupAgentNames(const models::AgentGroupSpec& g) {
  if (g.count == 1) return {g.name};
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(g.count));
  for (int i = 0; i < g.count; ++i) names.push_back(fmt::format("{}-{}", g.name, i));
  return names;
}

// One machine of a window and the node that named it (for errors).
struct Named {
  std::string name;
  YamlValue at;
};

Status ReadMachines(YamlMap& m, std::vector<Named>& out) {
  auto v = m.Optional("machines");
  if (!v) return Status::Ok();
  SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
  if (items.empty()) return v->Error("a non-empty list of agent names");
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(std::string name, item.AsString());
    out.push_back(Named{std::move(name), item});
  }
  return Status::Ok();
}

Status ReadGroups(YamlMap& m, const models::ScenarioSpec& spec, std::vector<Named>& out) {
  auto v = m.Optional("groups");
  if (!v) return Status::Ok();
  SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
  if (items.empty()) return v->Error("a non-empty list of group names");
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(std::string name, item.AsString());
    const models::AgentGroupSpec* group = nullptr;
    for (const auto& g : spec.groups) {
      if (g.name == name) group = &g;
    }
    if (group == nullptr)
      return item.Fail(fmt::format("no group named '{}' in cluster.groups", name));
    for (std::string& agent : GroupAgentNames(*group)) out.push_back(Named{std::move(agent), item});
  }
  return Status::Ok();
}

// drain: true | false | {before: 1m, max_grace_period: 10s, prepull: true}
Status ReadDrain(const YamlValue& v, models::MaintenanceWindowSpec& w) {
  if (v.IsScalar()) {
    SIM_ASSIGN_OR_RETURN(w.drain, v.AsBool());
    return Status::Ok();
  }
  SIM_ASSIGN_OR_RETURN(YamlMap d, v.AsMap());
  w.drain = true;
  if (auto b = d.Optional("before")) {
    SIM_ASSIGN_OR_RETURN(w.drain_before,
                         ReadDurationIn(*b, {.min = kMinInterval, .zero_ok = true}));
  }
  if (auto g = d.Optional("max_grace_period")) {
    SIM_ASSIGN_OR_RETURN(const sim::Time grace,
                         ReadDurationIn(*g, {.min = kMinInterval, .zero_ok = true}));
    w.drain_max_grace = grace;
  }
  if (auto p = d.Optional("prepull")) {
    SIM_ASSIGN_OR_RETURN(w.drain_prepull, p->AsBool());
  }
  return d.Finish();
}

// Mesos refuses a schedule naming a machine twice (master/maintenance.cpp,
// validation::schedule): a machine has one unavailability at a time.
Status CheckOnce(const std::vector<Named>& machines, size_t window,
                 std::map<std::string, size_t>& seen) {
  for (const Named& m : machines) {
    auto [it, inserted] = seen.try_emplace(m.name, window);
    if (!inserted) {
      return m.at.Fail(fmt::format(
          "agent '{}' is already in maintenance[{}]: a machine may appear in one window of the "
          "schedule only (as in Mesos)",
          m.name, it->second));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ParseMaintenance(const YamlValue& value, models::ScenarioSpec& spec) {
  SIM_ASSIGN_OR_RETURN(auto items, value.Elements());
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    const YamlValue& item = items[i];
    SIM_ASSIGN_OR_RETURN(YamlMap m, item.AsMap());
    std::vector<Named> machines;
    SIM_RETURN_IF_ERROR(ReadMachines(m, machines));
    SIM_RETURN_IF_ERROR(ReadGroups(m, spec, machines));
    if (machines.empty()) return item.Fail("a window needs 'machines' (agent names) or 'groups'");
    SIM_RETURN_IF_ERROR(CheckOnce(machines, i, seen));
    models::MaintenanceWindowSpec window;
    SIM_ASSIGN_OR_RETURN(YamlValue start, m.Required("start"));
    SIM_ASSIGN_OR_RETURN(window.start,
                         ReadDurationIn(start, {.min = sim::Time::Micros(1), .zero_ok = true}));
    if (auto d = m.Optional("duration")) {
      SIM_ASSIGN_OR_RETURN(window.duration,
                           ReadDurationIn(*d, {.min = kMinInterval, .infinite_ok = true}));
    }
    if (auto d = m.Optional("drain")) SIM_RETURN_IF_ERROR(ReadDrain(*d, window));
    int64_t batch = 0;
    sim::Time gap;
    std::optional<YamlValue> batch_v = m.Optional("batch");
    if (batch_v) {
      SIM_ASSIGN_OR_RETURN(batch, batch_v->AsInt(1, kMaxAgents));
      if (window.duration.IsMax()) {
        return batch_v->Fail("a rolling window (batch) needs a finite 'duration'");
      }
    }
    if (auto g = m.Optional("gap")) {
      if (!batch_v) return g->Fail("'gap' separates batches: set 'batch' too");
      SIM_ASSIGN_OR_RETURN(gap, ReadDurationIn(*g, {.min = kMinInterval, .zero_ok = true}));
    }
    SIM_RETURN_IF_ERROR(m.Finish());
    if (batch == 0) batch = static_cast<int64_t>(machines.size());
    // Batch k starts `gap` after batch k-1 ends: start + k × (duration + gap).
    for (size_t first = 0, k = 0; first < machines.size();
         first += static_cast<size_t>(batch), ++k) {
      models::MaintenanceWindowSpec w = window;
      w.start = window.start + (window.duration + gap) * static_cast<int64_t>(k);
      if (w.start > sim::Time::MaxInput()) {
        return item.Fail(fmt::format("batch {} would start past the largest time a run takes", k));
      }
      for (size_t a = first; a < std::min(machines.size(), first + static_cast<size_t>(batch));
           ++a) {
        w.machines.push_back(machines[a].name);
      }
      spec.maintenance.push_back(std::move(w));
    }
  }
  return Status::Ok();
}

Status ParseFrameworkMaintenance(YamlMap& framework, models::FrameworkSpec& f) {
  auto v = framework.Optional("maintenance");
  if (!v) return Status::Ok();
  if (v->IsScalar()) {
    SIM_ASSIGN_OR_RETURN(f.maintenance_accept,
                         v->AsEnum<bool>({{"accept", true}, {"decline", false}}));
    return Status::Ok();
  }
  SIM_ASSIGN_OR_RETURN(YamlMap m, v->AsMap());
  SIM_ASSIGN_OR_RETURN(YamlValue response, m.Required("response"));
  SIM_ASSIGN_OR_RETURN(f.maintenance_accept,
                       response.AsEnum<bool>({{"accept", true}, {"decline", false}}));
  if (auto a = m.Optional("ahead")) {
    if (!f.maintenance_accept) return a->Fail("'ahead' applies to response: accept");
    SIM_ASSIGN_OR_RETURN(f.maintenance_ahead,
                         ReadDurationIn(*a, {.min = kMinInterval, .zero_ok = true}));
  }
  return m.Finish();
}

void CheckMaintenanceMachines(const YamlValue& root, const models::ScenarioSpec& spec,
                              std::vector<Warning>& out) {
  const YamlValue list = root.Child("maintenance");
  if (!list.IsDefined() || !list.IsSequence()) return;
  std::set<std::string> known;
  for (const auto& g : spec.groups) {
    for (std::string& name : GroupAgentNames(g)) known.insert(std::move(name));
  }
  auto windows = list.Elements();
  if (!windows.ok()) return;
  for (const YamlValue& w : *windows) {
    if (const YamlValue drain = w.Child("drain"); drain.IsMap() && spec.images.updates.empty()) {
      const YamlValue prepull = drain.Child("prepull");
      auto on = prepull.IsDefined() ? prepull.AsBool() : sim::Result<bool>(false);
      if (on.ok() && *on) {
        out.push_back(Warning{prepull.Location(), prepull.path(),
                              "the scenario has no runtime.image_updates: there is nothing to "
                              "pre-pull (add the servicing releases, or drop prepull)"});
      }
    }
    const YamlValue machines = w.Child("machines");
    if (!machines.IsDefined() || !machines.IsSequence()) continue;
    auto names = machines.Elements();
    if (!names.ok()) continue;
    for (const YamlValue& n : *names) {
      auto name = n.AsString();
      if (!name.ok() || known.contains(*name)) continue;
      out.push_back(Warning{n.Location(), n.path(),
                            fmt::format("no agent of cluster.groups is named '{}': the window "
                                        "skips it (agents are GROUP-i, or GROUP for a group of "
                                        "one; a trace's agents cannot be scheduled)",
                                        *name)});
    }
  }
}

}  // namespace clustersim::apps
