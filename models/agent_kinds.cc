#include "models/agent_kinds.h"

#include <fmt/format.h>

#include <algorithm>

namespace clustersim::models {

bool IsBuiltinAttribute(std::string_view name) {
  return name == kOsAttribute || name == kOsVersionAttribute || name == kIsolationAttribute;
}

void AddBuiltinAttributes(Os os, OsVersion version, Isolation isolation,
                          std::vector<plugins::Attribute>& attributes) {
  attributes.emplace_back(kOsAttribute, plugins::OsName(os));
  if (version != OsVersion::kNone) {
    attributes.emplace_back(kOsVersionAttribute, plugins::OsVersionName(version));
  }
  attributes.emplace_back(kIsolationAttribute, plugins::IsolationName(isolation));
  std::sort(attributes.begin(), attributes.end());
}

std::vector<plugins::Attribute> AgentAttributes(const AgentGroupSpec& group, int index) {
  std::vector<plugins::Attribute> attributes = group.attributes;
  if (group.racks > 0) attributes.emplace_back("rack", fmt::format("r{}", index % group.racks));
  AddBuiltinAttributes(group.os, group.os_version, group.isolation, attributes);
  return attributes;
}

namespace {

// Could some agent of the group carry the attributes the constraints require? Its agents differ
// only in their rack: one attribute set per rack its agents use.
bool SomeAgentMatches(const AgentGroupSpec& group, const ConstraintSpec& constraints) {
  if (constraints.attributes.empty()) return true;
  const int distinct = group.racks > 0 ? std::min(group.count, group.racks) : 1;
  for (int i = 0; i < distinct; ++i) {
    if (plugins::AttributesMatch(constraints.attributes, AgentAttributes(group, i))) return true;
  }
  return false;
}

}  // namespace

std::vector<AgentKind> GroupKindsFor(const ScenarioSpec& spec, const ConstraintSpec& constraints) {
  std::vector<AgentKind> kinds;
  for (const AgentGroupSpec& g : spec.groups) {
    if (g.count <= 0 || !SomeAgentMatches(g, constraints)) continue;
    const plugins::AgentShape shape{g.os, g.os_version, g.isolation,
                                    spec.runtime.For(g.isolation).mem_overhead_mib};
    kinds.push_back(AgentKind{shape, g.resources});
  }
  return kinds;
}

TaskReason WhyUnschedulable(const plugins::TaskNeeds& task, std::span<const AgentKind> kinds,
                            bool cluster_has_agents) {
  for (const AgentKind& kind : kinds) {
    if (plugins::Fits(task, kind.shape, kind.capacity)) return TaskReason::kNone;
  }
  // Rare (the task is unschedulable): a second pass tells why.
  bool os_seen = false, image_runs = false;
  for (const AgentKind& kind : kinds) {
    os_seen |= kind.shape.os == task.os;
    image_runs |= plugins::CanRun(kind.shape.os, kind.shape.os_version, kind.shape.isolation,
                                  task.os, task.image_version);
  }
  if (!cluster_has_agents) return TaskReason::kNoAgents;
  if (kinds.empty()) return TaskReason::kConstraintUnmet;
  if (!os_seen) return TaskReason::kNoMatchingOs;
  if (!image_runs) return TaskReason::kImageIncompatible;
  return TaskReason::kTooLarge;
}

}  // namespace clustersim::models
