#pragma once

// The scenario's `cluster:` section: agent groups (OS and version, isolation, resources,
// attributes, racks, reservations, image store and pulls, failures). Documented in
// scenarios/README.md, "`cluster.groups[]`".

#include "apps/config/yaml_value.h"
#include "models/spec.h"
#include "sim/status.h"

namespace clustersim::apps {

// Reads `cluster: {groups: [...]}` into spec.groups. Precondition: the image catalog is parsed
// (preloaded_images name its images).
sim::Status ParseCluster(const YamlValue& value, models::ScenarioSpec& spec);

}  // namespace clustersim::apps
