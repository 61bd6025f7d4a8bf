#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/os.h"
#include "scheduler_plugins/api/resources.h"
#include "sim/time.h"

namespace clustersim::plugins {

struct AgentInfo {
  AgentId id;
  std::string name;
  Os os = Os::kLinux;
  OsVersion os_version = OsVersion::kNone;
  Isolation isolation = Isolation::kDocker;
  Resources capacity;
  // Sorted by key; few entries (rack, failure domain, ...).
  std::vector<std::pair<std::string, std::string>> attributes;
  // Static reservations: role name -> resources of `capacity` offered only to that role's
  // frameworks. Sorted by role; their sum is contained in `capacity`.
  std::vector<std::pair<std::string, Resources>> reservations;
  // How fast the agent fetches and unpacks images, for policies that estimate start latency.
  // 0 when unknown.
  double pull_bandwidth_mibps = 0;
  double extract_mib_per_s = 0;

  // nullptr if the agent has no such attribute. O(#attributes).
  const std::string* Attribute(std::string_view key) const;
};

struct RoleInfo {
  RoleId id;
  std::string name;
  double weight = 1.0;
};

// One framework in one of its roles: what an allocator sorts. A framework registered with several
// roles (Mesos's MULTI_ROLE) is one client in the framework sorter of each of its roles
// (hierarchical.cpp:759-770); the view lists one FrameworkInfo per (framework, role), its
// *subscriptions*, each with its own id, allocation and offer count, sharing the framework's name,
// registration order and `owner` (API version 6). Offers made to a subscription are for its role.
struct FrameworkInfo {
  FrameworkId id;  // the subscription's
  std::string name;
  RoleId role;
  // Position in registration order: the last tie-breaker of every ordering policy. It stands in
  // for Mesos's framework ids, `<master id>-0000`, `-0001`, ... in registration order
  // (master.cpp:11971-11976), by which Mesos's DRF sorter breaks its last ties.
  uint32_t registration_order = 0;
  // The framework (scheduler) this subscription belongs to, dense in registration order. When no
  // framework has several roles, owner == id for every framework. (API version 6.)
  FrameworkId owner;
};

// A framework's pending work (queued, not yet placed) for one image — tasks without an image are
// grouped per OS: how many tasks, their summed resources, and what they need to run. What an
// allocator needs to steer an agent towards the framework that can use it (Mesos's
// requestResources), at a granularity that stays small (one entry per image the framework uses).
struct PendingDemand {
  Os os = Os::kLinux;
  OsVersion image_version = OsVersion::kNone;
  ImageId image;
  bool has_image = false;
  uint32_t tasks = 0;  // entries may stay with 0 tasks once drained
  Resources resources;
};

// What policies may read of the cluster. Implemented by the master; policies never see the
// models themselves. Every accessor is O(1) unless stated. References stay valid until the next
// event; ids are dense (0 .. count-1).
class ClusterView {
 public:
  virtual ~ClusterView() = default;

  virtual sim::Time now() const = 0;

  virtual size_t agent_count() const = 0;
  virtual const AgentInfo& agent(AgentId id) const = 0;
  // False while the agent is down (failed, removed, not yet registered).
  virtual bool agent_active(AgentId id) const = 0;
  // Resources neither allocated to tasks nor held in outstanding offers.
  virtual const Resources& agent_available(AgentId id) const = 0;
  // MiB the agent would have to download to run `image` (0 when every layer is cached).
  virtual double image_missing_mib(AgentId id, ImageId image) const = 0;

  virtual size_t role_count() const = 0;
  virtual const RoleInfo& role(RoleId id) const = 0;
  // Sum over the role's frameworks of allocated + offered resources.
  virtual const Resources& role_allocated(RoleId id) const = 0;
  // How many offers the master has made to the role's frameworks (API version 4). Mesos's DRF
  // sorter breaks share ties by this count: Allocation::add increments it once per offer piece,
  // for the client and every ancestor (sorter/drf/sorter.hpp:316-333, sorter.cpp:319-367;
  // hierarchical.cpp:3180-3182). Answers and finished tasks leave it alone. It starts again from
  // zero at a master failover (AllocatorPolicy::AllocatorRestarted) and then also counts, as
  // Mesos's new allocator does, each agent on which the role's frameworks have tasks when the
  // agent is added back (addSlave and addFramework -> trackAllocatedResources); so does the
  // reregistration of an agent that was unreachable (API version 10).
  virtual uint64_t role_offer_count(RoleId id) const = 0;
  // The weight of a role path, whether or not a role of that name has frameworks: roles form a
  // tree by their `/`-separated paths (Mesos's role sorter, sorter/drf/sorter.cpp:73-169), and a
  // weight set on `eng` applies to the subtree `eng` even when only `eng/web` has frameworks;
  // Mesos keeps weights of absent paths (sorter/drf/sorter.hpp:142-146). 1.0 when none is set
  // (Mesos DEFAULT_WEIGHT, master/constants.hpp:180). O(log #weights) in the master; the default
  // looks the name up among role(): O(#roles). For policies that order a role tree; they cache it
  // and re-read it in AllocatorPolicy::RoleWeightsChanged. (API version 5.)
  virtual double role_weight(std::string_view path) const {
    for (size_t r = 0; r < role_count(); ++r) {
      const RoleInfo& info = role(RoleId(static_cast<uint32_t>(r)));
      if (info.name == path) return info.weight;
    }
    return 1.0;
  }
  // Resource kinds left out of fair-share computations, one bit per ResourceKind (bit k = kind
  // k): Mesos's --fair_sharing_excluded_resource_names (master/flags.cpp:477-485), which the DRF
  // sorter skips in calculateShare (sorter/drf/sorter.cpp:577-581). O(1). (API version 5.)
  virtual uint32_t fairness_excluded_kinds() const { return 0; }

  virtual size_t framework_count() const = 0;
  virtual const FrameworkInfo& framework(FrameworkId id) const = 0;
  virtual bool framework_active(FrameworkId id) const = 0;
  // Allocated to its tasks plus offered to it and not yet answered (Mesos counts both). After a
  // master failover, only on agents that have reregistered since, as Mesos's new allocator knows
  // them (the same for role_allocated and cluster_total; a refinement of version 10's values, not
  // of its interface: plugins built for it load unchanged).
  virtual const Resources& framework_allocated(FrameworkId id) const = 0;
  // How many offers the master has made to the framework (API version 4), and allocations
  // recovered since the last master failover (version 10; see role_offer_count).
  // Every offer also changes framework_allocated, so a policy learns of a new count through
  // AllocatorPolicy::AllocationChanged.
  virtual uint64_t framework_offer_count(FrameworkId id) const = 0;
  // The framework's pending work by image (see PendingDemand), or empty when the view does not
  // know it (API version 2; the default knows nothing). O(1); the span is valid until the next
  // event.
  virtual std::span<const PendingDemand> framework_demand(FrameworkId id) const { return {}; }

  // Sum of the capacities of active agents (after a master failover: of those reregistered).
  virtual const Resources& cluster_total() const = 0;
};

}  // namespace clustersim::plugins
