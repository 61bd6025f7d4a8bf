#include "scheduler_plugins/builtin.h"

#include <memory>

#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/api/registry.h"
#include "scheduler_plugins/placements/first_fit.h"

namespace clustersim::plugins {

sim::Status RegisterBuiltinPolicies() {
  static const sim::Status status = [] {
    SIM_RETURN_IF_ERROR(Allocators().Register(
        "drf", "hierarchical weighted Dominant Resource Fairness (Mesos's default sorter)",
        [](PolicyParams&, const PolicyEnv&) -> sim::Result<std::unique_ptr<AllocatorPolicy>> {
          return std::unique_ptr<AllocatorPolicy>(std::make_unique<DrfAllocator>());
        }));
    SIM_RETURN_IF_ERROR(Placements().Register(
        "first-fit", "each task to the first offer that fits, in arrival order",
        [](PolicyParams&, const PolicyEnv&) -> sim::Result<std::unique_ptr<PlacementPolicy>> {
          return std::unique_ptr<PlacementPolicy>(std::make_unique<FirstFitPlacement>());
        }));
    return sim::Status::Ok();
  }();
  return status;
}

}  // namespace clustersim::plugins
