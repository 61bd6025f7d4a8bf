#pragma once

// The scenario's `faults:` list: agent crashes and partitions and master failovers, at fixed
// times or as seeded processes, over named agents, a group, a rack, or a random part of them.
// Documented in scenarios/README.md, "Faults".

#include <vector>

#include "apps/config/warnings.h"
#include "apps/config/yaml_value.h"
#include "models/spec.h"
#include "sim/status.h"

namespace clustersim::apps {

// Reads `faults:` into spec.faults. Precondition: spec.groups is parsed (names, groups and racks
// are checked against it).
//   faults:
//     - {kind: agent_crash, at: 30m, agents: [linux-3], duration: 10m}
//     - {kind: agent_partition, at: 1h, group: win2019, fraction: 0.5, duration: 5m}
//     - {kind: agent_crash, rack: r2, at: 2h, every: 6h, count: 1}
//     - {kind: master_failover, at: 3h, election: 10s, reregistration_window: 1m}
//     - {kind: framework_disconnect, framework: batch, at: 1h, duration: 5m}
sim::Status ParseFaults(const YamlValue& value, models::ScenarioSpec& spec);

// A framework_disconnect with a reconnection, of a framework that states no failover_timeout:
// with Mesos's default of 0 the master removes it at the disconnection, which is rarely what a
// scenario with a reconnection means. A stated timeout, however short, is taken as meant.
void CheckFrameworkDisconnects(const YamlValue& root, const models::ScenarioSpec& spec,
                               std::vector<Warning>& out);

}  // namespace clustersim::apps
