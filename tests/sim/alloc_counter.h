#pragma once

#include <cstdint>

namespace clustersim::sim::test {

// Counts calls to the global operator new (all forms) in the sim_tests binary, which replaces it
// (alloc_counter.cc). Used to check that the hot paths allocate nothing once warm.
uint64_t AllocationCount();

}  // namespace clustersim::sim::test
