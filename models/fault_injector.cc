#include "models/fault_injector.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/check.h"

namespace clustersim::models {

FaultInjector::FaultInjector(sim::Simulator& sim, const ScenarioSpec& spec, Master& master,
                             const std::vector<uint32_t>& agent_group)
    : sim_(sim), spec_(spec), master_(master), agent_group_(agent_group) {}

void FaultInjector::Start() {
  entries_.reserve(spec_.faults.size());
  for (size_t i = 0; i < spec_.faults.size(); ++i) {
    entries_.push_back(Entry{&spec_.faults[i], std::make_unique<sim::Rng>(sim_.random().Stream(
                                                   fmt::format("faults.{}", i)))});
  }
  for (Entry& entry : entries_) {
    if (entry.spec->at <= entry.spec->until) {
      sim_.Schedule(std::max(entry.spec->at, sim_.Now()), [this, &entry] { Fire(entry); });
    }
  }
}

std::vector<AgentId> FaultInjector::Targets(const FaultSpec& f) const {
  std::vector<AgentId> targets;
  for (uint32_t a = 0; a < master_.agent_count(); ++a) {
    const plugins::AgentInfo& info = master_.agent(AgentId(a));
    bool hit = true;
    if (!f.agents.empty()) {
      hit = std::find(f.agents.begin(), f.agents.end(), info.name) != f.agents.end();
    } else if (!f.group.empty()) {
      const uint32_t g = a < agent_group_.size() ? agent_group_[a] : ~0u;
      hit = g < spec_.groups.size() && spec_.groups[g].name == f.group;
    } else if (!f.rack.empty()) {
      hit = std::any_of(info.attributes.begin(), info.attributes.end(),
                        [&](const auto& kv) { return kv.first == "rack" && kv.second == f.rack; });
    }
    if (hit) targets.push_back(AgentId(a));
  }
  return targets;
}

std::vector<AgentId> FaultInjector::Choose(Entry& entry) {
  const FaultSpec& f = *entry.spec;
  std::vector<AgentId> pool = Targets(f);
  size_t n = pool.size();
  if (f.count > 0) {
    n = std::min(pool.size(), static_cast<size_t>(f.count));
  } else if (f.fraction < 1) {
    // At least one agent when the fraction is above 0 and there is one to hit.
    n = std::min(pool.size(),
                 std::max<size_t>(
                     1, static_cast<size_t>(std::llround(f.fraction * static_cast<double>(n)))));
  }
  // A partial Fisher-Yates shuffle on the entry's own stream.
  for (size_t i = 0; i < n; ++i) {
    const size_t j =
        i + static_cast<size_t>(entry.rng->Uniform01() * static_cast<double>(pool.size() - i));
    std::swap(pool[i], pool[std::min(j, pool.size() - 1)]);
  }
  pool.resize(n);
  std::sort(pool.begin(), pool.end());
  return pool;
}

// Frameworks register in the order of spec.frameworks (Cluster), so the name's index is the id.
void FaultInjector::DisconnectFramework(const FaultSpec& f) {
  const auto it = std::find_if(spec_.frameworks.begin(), spec_.frameworks.end(),
                               [&](const FrameworkSpec& fw) { return fw.name == f.framework; });
  SIM_CHECK_MSG(it != spec_.frameworks.end(), "framework_disconnect names no framework");
  const FrameworkId id(static_cast<uint32_t>(it - spec_.frameworks.begin()));
  // Already disconnected (or removed): this fault changes nothing, and its reconnection must not
  // cut the running one short.
  if (!master_.DisconnectScheduler(id) || f.duration.IsMax()) return;
  sim_.ScheduleAfter(f.duration, [this, id] { master_.ReconnectScheduler(id); });
}

void FaultInjector::Fire(Entry& entry) {
  const FaultSpec& f = *entry.spec;
  if (f.kind == FaultSpec::Kind::kMasterFailover) {
    master_.FailOver(f.election, f.reregistration_window);
  } else if (f.kind == FaultSpec::Kind::kFrameworkDisconnect) {
    DisconnectFramework(f);
  } else {
    const bool crash = f.kind == FaultSpec::Kind::kAgentCrash;
    for (AgentId agent : Choose(entry)) {
      // A fault that found the host already down (or cut off) changes nothing, and neither its
      // repair nor that of a fault another one superseded (a partition, then a crash) may end
      // the fault in force early.
      const uint64_t ticket = crash ? master_.CrashAgent(agent) : master_.PartitionAgent(agent);
      if (ticket == 0 || f.duration.IsMax()) continue;
      sim_.ScheduleAfter(f.duration,
                         [this, agent, crash, ticket] { master_.EndFault(agent, ticket, crash); });
    }
  }
  if (f.every_s) ScheduleNext(entry, sim_.Now());
}

void FaultInjector::ScheduleNext(Entry& entry, sim::Time after) {
  const double gap = std::max(0.0, entry.spec->every_s->Sample(*entry.rng));
  const sim::Time at = after + sim::Time::FromSeconds(gap);
  if (at > entry.spec->until) return;
  sim_.Schedule(at, [this, &entry] { Fire(entry); });
}

}  // namespace clustersim::models
