#pragma once

// The entry point of an out-of-tree policy plugin: a shared object that `clustersim --plugin
// path/to/libfoo.so` loads with dlopen() before it reads any scenario. It must export exactly this
// C function (no name mangling):
//
//   extern "C" int clustersim_register_plugins(clustersim::plugins::AllocatorRegistry* allocators,
//                                              clustersim::plugins::PlacementRegistry* placements,
//                                              int api_version);
//
// which registers its policies with Register(name, description, factory) and returns 0, or a
// non-zero kPlugin* code. `api_version` is the host's kPluginApiVersion: a plugin built against a
// different version must return kPluginVersionMismatch without touching the registries (the C++
// types it would use may differ). CLUSTERSIM_PLUGIN_ENTRY_POINT below declares it with the right
// linkage and checks the version for you:
//
//   CLUSTERSIM_PLUGIN_ENTRY_POINT(allocators, placements) {  // a function at global scope
//     if (!placements->Register("my-fit", "...", MyFactory).ok())
//       return clustersim::plugins::kPluginRegistrationFailed;
//     return clustersim::plugins::kPluginOk;
//   }
//
// Plugins are C++ and share the host's types, so they must be built with the same compiler,
// standard library and clustersim headers as the binary. They are never unloaded. The binary
// exports its symbols (-rdynamic), so a plugin resolves the plugin API's functions
// (Resources::DominantShare, CanRun, sim::Rng, ...) from the binary it is loaded into; linking the
// (position-independent) clustersim_plugin_api library as well is harmless.

#include "scheduler_plugins/api/registry.h"

namespace clustersim::plugins {

// 1: the first published API. 2: PolicyParams::Map/Keys/ResourceVector/ResourceKindsNamed,
// AllocatorPolicy::LimitOffer, ClusterView::framework_demand, AgentInfo reservations and pull
// rates. 3: feasibility.h (Fits, AttributesMatch), Resources::CheckedToFixed/kMaxAmount, checked
// Resources::Of/Set. 4: ClusterView::framework_offer_count/role_offer_count (pure virtual, so the
// view's layout changed), for Mesos's DRF tie-break. 5: role trees (ClusterView::role_weight,
// fairness_excluded_kinds, AllocatorPolicy::RoleWeightsChanged), quota in the master's cycle
// (AllocatorPolicy::VisitRolesInOrder/VisitRoleInOrder/OrderRoles, api/quota.h). 6: multi-role
// frameworks: ClusterView's frameworks are subscriptions, one per (framework, role), and
// FrameworkInfo::owner names the framework. 7: maintenance: OfferView::unavailable_start and
// unavailable_duration (the offer's agent's scheduled window, Mesos's Offer.unavailability).
// 8: PlacementContext exposes CanPlace's inputs, PolicyParams::Strings/Duration, PolicyEnv::owner.
// 9: AllocatorPolicy::WantsCyclePlan/PlanCycle and CyclePlan (a cycle laid out in one piece, for
// external allocators); PlacementContext::ChargeDecisionTime, task_id, SetRefuse, Suppress,
// task_job, task_different_machine, job_tally. 10: AllocatorPolicy::AllocatorRestarted, the offer
// counts restarting at a master failover (see scheduler_plugins/README.md, "API versions").
inline constexpr int kPluginApiVersion = 10;

inline constexpr int kPluginOk = 0;
inline constexpr int kPluginVersionMismatch = 1;
inline constexpr int kPluginRegistrationFailed = 2;

using RegisterPluginsFn = int(AllocatorRegistry* allocators, PlacementRegistry* placements,
                              int api_version);
inline constexpr const char* kPluginEntryPoint = "clustersim_register_plugins";

}  // namespace clustersim::plugins

#define CLUSTERSIM_PLUGIN_ENTRY_POINT(allocators, placements)                                     \
  static int ClustersimRegisterPluginsImpl(::clustersim::plugins::AllocatorRegistry* allocators,  \
                                           ::clustersim::plugins::PlacementRegistry* placements); \
  extern "C" __attribute__((visibility("default"))) int clustersim_register_plugins(              \
      ::clustersim::plugins::AllocatorRegistry* allocators,                                       \
      ::clustersim::plugins::PlacementRegistry* placements, int api_version) {                    \
    if (api_version != ::clustersim::plugins::kPluginApiVersion)                                  \
      return ::clustersim::plugins::kPluginVersionMismatch;                                       \
    return ClustersimRegisterPluginsImpl(allocators, placements);                                 \
  }                                                                                               \
  static int ClustersimRegisterPluginsImpl(::clustersim::plugins::AllocatorRegistry* allocators,  \
                                           ::clustersim::plugins::PlacementRegistry* placements)
