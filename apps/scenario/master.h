#pragma once

// The scenario's `master:` section: architecture, allocation cycle, allocator, cost model, role
// weights, quotas, scheduled updates, agent health. Documented in scenarios/README.md, "`master`".

#include "apps/config/yaml_value.h"
#include "apps/scenario.h"
#include "models/spec.h"
#include "sim/status.h"

namespace clustersim::apps {

// Reads `master:` into spec.master and the allocator choice.
sim::Status ParseMaster(const YamlValue& value, models::ScenarioSpec& spec,
                        PolicyChoice& allocator);

// Quota is the master's (master.quotas): drf-quota's legacy `quotas` parameter feeds it; naming
// quotas in both places is an error.
sim::Status ApplyDrfQuotaAlias(Scenario& scenario);

}  // namespace clustersim::apps
