#include "scheduler_plugins/api/registry.h"

namespace clustersim::plugins {

AllocatorRegistry& Allocators() {
  static AllocatorRegistry registry("allocator");
  return registry;
}

PlacementRegistry& Placements() {
  static PlacementRegistry registry("placement");
  return registry;
}

}  // namespace clustersim::plugins
