#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "scheduler_plugins/api/policy_params.h"
#include "scheduler_plugins/api/resources.h"
#include "sim/status.h"

namespace clustersim::plugins {

// One role's quota, as Mesos 1.9+ has it (mesos.proto QuotaConfig): a guarantee the allocator
// offers first and holds headroom for, and a limit the role's consumption never exceeds. A kind
// missing from `limit_kinds` has no limit (Mesos's ResourceLimits: an absent name is unlimited);
// a kind missing from the guarantee is guaranteed nothing (ResourceQuantities: absent is zero).
struct RoleQuota {
  Resources guarantee;
  Resources limit;
  uint32_t limit_kinds = 0;  // bit k: limit[k] applies

  bool HasLimit(int kind) const { return (limit_kinds >> kind) & 1u; }
  bool HasGuarantee() const { return !guarantee.IsZero(); }
  bool operator==(const RoleQuota&) const = default;
};

// Role name -> quota.
using RoleQuotas = std::map<std::string, RoleQuota>;

// Reads `quotas: {ROLE: {guarantee: {cpus: 10, mem: 20GiB}, limit: {...}}}` from `params` (the
// master's `quotas` or drf-quota's legacy parameter). Errors, located by the params: a limit below
// its guarantee in some kind, and a nested role (`eng/web`) — Mesos 1.11 accepts quota on
// top-level roles only (quota_handler.cpp:451-459 and 802-808).
sim::Result<RoleQuotas> ParseRoleQuotas(PolicyParams& params);

}  // namespace clustersim::plugins
