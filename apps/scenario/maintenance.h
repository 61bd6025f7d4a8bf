#pragma once

// The scenario's `maintenance:` list and a framework's `maintenance:` key: Mesos's maintenance
// schedule and how a framework answers inverse offers (models/master/maintenance_ops.cc,
// models/framework/framework_maintenance.cc). Documented in scenarios/README.md, "Maintenance
// and draining".

#include <vector>

#include "apps/config/warnings.h"
#include "apps/config/yaml_value.h"
#include "models/spec.h"
#include "sim/status.h"

namespace clustersim::apps {

// Reads `maintenance:` into spec.maintenance, one window per batch. Precondition: the cluster's
// groups are parsed.
//   maintenance:
//     - {machines: [web-0, web-1], start: 10m, duration: 5m}
//     - {groups: [win2019, win2022], start: 1h, duration: 10m, batch: 4, gap: 5m,
//        drain: {before: 1m, max_grace_period: 10s}}
sim::Status ParseMaintenance(const YamlValue& value, models::ScenarioSpec& spec);

// A framework's `maintenance: accept | decline | {response: accept, ahead: 5m}`.
sim::Status ParseFrameworkMaintenance(YamlMap& framework, models::FrameworkSpec& f);

// Warns about window machines no agent of the scenario's groups is named (a trace's agents are
// not scheduled), and about a drain.prepull with no runtime.image_updates to pull.
void CheckMaintenanceMachines(const YamlValue& root, const models::ScenarioSpec& spec,
                              std::vector<Warning>& out);

}  // namespace clustersim::apps
