#pragma once

// A framework's `offer_constraints` and `capabilities` keys: which agents it may be offered at
// all (Mesos 1.11 OfferConstraints and the GPU_RESOURCES capability; models/master/
// offer_constraints.h). Documented in scenarios/README.md, "Offer constraints".

#include "apps/config/yaml_value.h"
#include "models/spec.h"
#include "sim/status.h"

namespace clustersim::apps {

// Reads the two keys from the framework's mapping into `f`. Precondition: f.role is set.
//   offer_constraints: [[{attribute: os, equals: linux}], ...]   # groups for every role
//   offer_constraints: {ROLE: [[...]], ...}                      # groups by role
//   capabilities: [gpu_resources]
sim::Status ParseAgentAccess(YamlMap& framework, models::FrameworkSpec& f);

}  // namespace clustersim::apps
