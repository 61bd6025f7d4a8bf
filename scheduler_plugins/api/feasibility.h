#pragma once

#include <span>
#include <string>
#include <utility>

#include "scheduler_plugins/api/cluster_view.h"
#include "scheduler_plugins/api/os.h"
#include "scheduler_plugins/api/resources.h"

namespace clustersim::plugins {

// Whether a task can go to an agent: the one set of rules that the submission check ("could any
// agent ever run it?"), the framework's placement round ("can it go to this offer now?") and so
// every placement policy apply.
//
// A pair (task, agent) is feasible when
//   1. the agent carries every attribute the task's framework requires (AttributesMatch), and
//   2. the task fits the agent's kind and room (Fits): its image runs there (CanRun: OS, Windows
//      base version, isolation) and its resources, plus the memory a container costs on that
//      isolation (Hyper-V's utility VM), fit in the room left.
// Rule 1 depends only on (framework, agent kind), so callers evaluate it once per agent kind —
// an agent group's attribute sets, a trace's machine shape, an offer's agent — never per task.

using Attribute = std::pair<std::string, std::string>;

// What a task asks of an agent: resources, and the OS and base version of its image.
struct TaskNeeds {
  const Resources& resources;
  Os os = Os::kLinux;
  OsVersion image_version = OsVersion::kNone;
};

// An agent's kind, as far as rule 2 goes.
struct AgentShape {
  Os os = Os::kLinux;
  OsVersion os_version = OsVersion::kNone;
  Isolation isolation = Isolation::kDocker;
  // Memory a container costs on this agent beyond its task's own (RuntimeSpec's
  // mem_overhead_mib for the agent's isolation; 0: none).
  double mem_overhead_mib = 0;

  static AgentShape Of(const AgentInfo& agent, double mem_overhead_mib) {
    return AgentShape{agent.os, agent.os_version, agent.isolation, mem_overhead_mib};
  }
};

// The resources a task takes on an agent of this shape: its own plus the container's memory
// overhead. O(1).
inline Resources Charge(const AgentShape& agent, const Resources& task) {
  Resources r = task;
  if (agent.mem_overhead_mib > 0) r.Set(kMem, r.mem() + agent.mem_overhead_mib);
  return r;
}

// Rule 2: can the task run on an agent of `agent`'s shape with `room` unclaimed (its capacity for
// "ever", what is left of an offer for "now")? O(resource kinds).
inline bool Fits(const TaskNeeds& task, const AgentShape& agent, const Resources& room) {
  if (!CanRun(agent.os, agent.os_version, agent.isolation, task.os, task.image_version)) {
    return false;
  }
  if (agent.mem_overhead_mib <= 0) return room.Contains(task.resources);
  return room.Contains(Charge(agent, task.resources));
}

// Rule 1: does an agent with `attributes` carry every (key, value) of `required`? A key's first
// entry counts, as in AgentInfo::Attribute. O(required x attributes).
bool AttributesMatch(std::span<const Attribute> required, std::span<const Attribute> attributes);

}  // namespace clustersim::plugins
