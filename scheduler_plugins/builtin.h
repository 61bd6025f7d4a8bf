#pragma once

#include "sim/status.h"

namespace clustersim::plugins {

// Registers the in-tree allocator and placement policies into Allocators() / Placements().
// Idempotent: a second call does nothing.
sim::Status RegisterBuiltinPolicies();

}  // namespace clustersim::plugins
