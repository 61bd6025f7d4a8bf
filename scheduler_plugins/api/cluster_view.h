#pragma once

#include <string>
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

  // nullptr if the agent has no such attribute. O(#attributes).
  const std::string* Attribute(std::string_view key) const;
};

struct RoleInfo {
  RoleId id;
  std::string name;
  double weight = 1.0;
};

struct FrameworkInfo {
  FrameworkId id;
  std::string name;
  RoleId role;
  // Position in registration order; the tie-breaker of every ordering policy.
  uint32_t registration_order = 0;
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

  virtual size_t framework_count() const = 0;
  virtual const FrameworkInfo& framework(FrameworkId id) const = 0;
  virtual bool framework_active(FrameworkId id) const = 0;
  // Allocated to its tasks plus offered to it and not yet answered (Mesos counts both).
  virtual const Resources& framework_allocated(FrameworkId id) const = 0;

  // Sum of the capacities of active agents.
  virtual const Resources& cluster_total() const = 0;
};

}  // namespace clustersim::plugins
