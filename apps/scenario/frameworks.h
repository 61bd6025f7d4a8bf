#pragma once

// The scenario's `frameworks:` list: roles and weights, placement policy, offer handling,
// decision times, retries, maintenance and agent access, and each framework's synthetic workload.
// Documented in scenarios/README.md, "`frameworks[]`" and "`frameworks[].workload`".

#include <vector>

#include "apps/config/yaml_value.h"
#include "apps/scenario.h"
#include "models/spec.h"
#include "sim/status.h"

namespace clustersim::apps {

// Reads `frameworks:` into spec.frameworks, one placement choice per framework, and merges the
// frameworks' weights into spec.master.role_weights. Precondition: the master section and the
// image catalog are parsed (weights are checked against master.role_weights; workloads name
// images).
sim::Status ParseFrameworks(const YamlValue& value, models::ScenarioSpec& spec,
                            std::vector<PolicyChoice>& placements);

}  // namespace clustersim::apps
