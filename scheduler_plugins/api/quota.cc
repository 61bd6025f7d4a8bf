#include "scheduler_plugins/api/quota.h"

namespace clustersim::plugins {

sim::Result<RoleQuotas> ParseRoleQuotas(PolicyParams& params) {
  RoleQuotas quotas;
  SIM_ASSIGN_OR_RETURN(PolicyParams * map, params.Map("quotas"));
  if (map == nullptr) return quotas;
  for (const std::string& role : map->Keys()) {
    // Mesos 1.11's quota handler rejects it: "Updating quota on nested role '...' is not
    // supported yet" (quota_handler.cpp:451-459, UPDATE_QUOTA) and "Setting quota on nested role"
    // (quota_handler.cpp:802-808, the older SET_QUOTA).
    if (role.find('/') != std::string::npos) {
      return map->Error(role, "a top-level role: Mesos 1.11 has quota on top-level roles only");
    }
    SIM_ASSIGN_OR_RETURN(PolicyParams * q, map->Map(role));
    if (q == nullptr) return map->Error(role, "a mapping with 'guarantee' and/or 'limit'");
    RoleQuota quota;
    SIM_ASSIGN_OR_RETURN(quota.guarantee, q->ResourceVector("guarantee", Resources()));
    SIM_ASSIGN_OR_RETURN(quota.limit, q->ResourceVector("limit", Resources()));
    quota.limit_kinds = q->ResourceKindsNamed("limit");
    for (int k = 0; k < kMaxResourceKinds; ++k) {
      if (quota.HasLimit(k) && quota.limit.Raw(k) < quota.guarantee.Raw(k)) {
        return q->Error("limit", "a limit at least the guarantee in every resource");
      }
    }
    quotas.emplace(role, quota);
  }
  return quotas;
}

}  // namespace clustersim::plugins
