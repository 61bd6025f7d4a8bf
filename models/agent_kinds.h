#pragma once

// The kinds of agent a task's submission is checked against, and why none of them can ever run
// it. Shared by the cluster (a task that no kind can run ends UNSCHEDULABLE with that reason) and
// `clustersim validate` (a framework none of whose tasks can run is warned about before the run),
// so both give the same reason; both apply scheduler_plugins/api/feasibility.h.

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "models/spec.h"
#include "models/task.h"
#include "scheduler_plugins/api/feasibility.h"

namespace clustersim::models {

// An agent kind: OS, isolation, container overhead and capacity. Its attributes are already
// matched against one framework's constraints (feasibility rule 1 is per framework and kind).
struct AgentKind {
  plugins::AgentShape shape;
  Resources capacity;
};

// The attributes every agent carries, set from its OS, version and isolation, as an operator sets
// them with `--attributes` (Mesos's SlaveInfo has no OS field): `os` (linux, windows),
// `os_version` (Windows agents only: ltsc2016, ltsc2019, ltsc2022) and `isolation` (docker,
// process, hyperv). A scenario may not name a group attribute so.
inline constexpr std::string_view kOsAttribute = "os";
inline constexpr std::string_view kOsVersionAttribute = "os_version";
inline constexpr std::string_view kIsolationAttribute = "isolation";
bool IsBuiltinAttribute(std::string_view name);
// Adds the built-in attributes to `attributes` and sorts them by key.
void AddBuiltinAttributes(Os os, OsVersion version, Isolation isolation,
                          std::vector<plugins::Attribute>& attributes);

// The attributes agent `index` of the group registers with (Cluster::Start), sorted by key: the
// group's, its rack's and the built-in ones.
std::vector<plugins::Attribute> AgentAttributes(const AgentGroupSpec& group, int index);

// The kinds of the scenario's groups (those with agents) of which some agent carries every
// attribute `constraints` require, in group order. O(groups x racks x attributes).
std::vector<AgentKind> GroupKindsFor(const ScenarioSpec& spec, const ConstraintSpec& constraints);

// Why no kind of `kinds` (the framework's, attributes matched) can ever run `task`: kNone if one
// can, else the first rule that rules out all of them, in this order: kNoAgents (the cluster has
// no agent at all: `cluster_has_agents` false), kConstraintUnmet (agents exist but none carries
// the attributes: `kinds` empty), kNoMatchingOs, kImageIncompatible (OS present, base version or
// isolation wrong everywhere), kTooLarge. O(kinds x resource kinds).
TaskReason WhyUnschedulable(const plugins::TaskNeeds& task, std::span<const AgentKind> kinds,
                            bool cluster_has_agents);

}  // namespace clustersim::models
