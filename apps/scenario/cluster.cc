#include "apps/scenario/cluster.h"

#include <fmt/format.h>

#include <algorithm>

#include "apps/config/units.h"
#include "apps/scenario/images.h"
#include "apps/scenario/readers.h"
#include "models/agent_kinds.h"

namespace clustersim::apps {
namespace {

using models::ScenarioSpec;
using sim::Result;
using sim::Status;

// Agents over all groups, this one's `count` included, within kMaxAgents.
Status CheckTotalAgents(const YamlValue& count_v, int64_t count, const ScenarioSpec& spec) {
  int64_t total = count;
  for (const auto& g : spec.groups) total += g.count;
  if (total <= kMaxAgents) return Status::Ok();
  return count_v.Fail(
      fmt::format("the groups have {} agents in all; at most {} are allowed", total, kMaxAgents));
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

}  // namespace

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
    SIM_ASSIGN_OR_RETURN(g.os, ParseOs(os));
    if (auto v = m.Optional("version")) {
      if (g.os != plugins::Os::kWindows) return v->Fail("only Windows agents have a version");
      SIM_ASSIGN_OR_RETURN(g.os_version, ParseWindowsVersion(*v));
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

}  // namespace clustersim::apps
