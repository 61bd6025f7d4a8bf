#pragma once

// Checks on a scenario's external policies (policies in another process, issue 17) that need the
// whole scenario and the built policies: processes shared by several keys start alike, no two
// processes share a log file, and `charge_wall_time` is set only where the model has a place for
// the answer's time.

#include <memory>
#include <vector>

#include "apps/scenario.h"
#include "scheduler_plugins/api/allocator_policy.h"
#include "scheduler_plugins/api/placement_policy.h"
#include "sim/status.h"

namespace clustersim::apps {

sim::Status CheckExternalPolicies(
    const Scenario& scenario, const plugins::AllocatorPolicy& allocator,
    const std::vector<std::unique_ptr<plugins::PlacementPolicy>>& placements);

}  // namespace clustersim::apps
