#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/quota.h"
#include "scheduler_plugins/api/resources.h"

namespace clustersim::models {

// The quota accounting of one allocation cycle, as Mesos 1.11's __generateOffers keeps it
// (src/master/allocator/mesos/hierarchical.cpp, "H" below):
//   consumed quota of a top-level role with quota = its reservations, allocated or not, plus its
//     unreserved allocation (offered or allocated), its subroles' included (H:2024-2044;
//     Role::quotaOfferedOrConsumed, hierarchical.hpp:165-169);
//   required headroom = sum over quota roles of (guarantee - consumed), clamped at 0 (H:2046-2061);
//   available headroom = total - allocated - unallocated reservations (H:2063-2094; clustersim has
//     no revocable resources, the last term of H:2091).
// The master rebuilds it at the start of each cycle with quotas (Begin, Add*, Finish), then the
// stages query it and record their offers. Quota is per exact role (getQuota, H:2948-2953); a
// nested role (`eng/web`, split on '/') counts toward its top-level role's consumption but is not
// capped by that role's limit (Mesos test QuotaWithNestedRoleAllocation).
//
// Resource vectors are per kind: a guarantee's absent kinds are 0 (ResourceQuantities), a limit's
// absent kinds unlimited (ResourceLimits, RoleQuota::limit_kinds).
class QuotaLedger {
 public:
  // Replaces every quota (Master::UpdateQuotas); roles already known are re-resolved.
  void SetQuotas(plugins::RoleQuotas quotas);
  const plugins::RoleQuotas& quotas() const { return quotas_; }
  bool active() const { return !entries_.empty(); }
  // A role of the master appeared (RoleIds dense, in order).
  void AddRole(std::string name);

  // --- Setup of a cycle: Begin, then every role's allocation and every free reservation. ------
  void Begin(const plugins::Resources& total);
  // How many times Begin ran: the cycles that rebuilt the ledger.
  uint64_t rebuilds() const { return rebuilds_; }
  void AddAllocation(plugins::RoleId role, const plugins::Resources& allocated);
  // A reservation for `role_name` (any role, with frameworks or not) that nothing uses.
  void AddFreeReservation(const std::string& role_name, const plugins::Resources& free);
  void Finish();

  // --- Queries during the stages. -------------------------------------------------------------
  // Quota roles with a guarantee not yet met and a framework registered: stage 1's roles.
  size_t unmet_roles() const { return unmet_roles_; }
  // Whether the role's own guarantee is registered and not yet met. O(1).
  bool HasUnmetGuarantee(plugins::RoleId role) const {
    const int32_t e = exact_[role.index()];
    return e != kNone && entries_[e].unmet;
  }
  // Replaces `out` with the roles HasUnmetGuarantee holds for, in no particular order. O(quotas).
  void CollectUnmetRoles(std::vector<plugins::RoleId>& out) const;
  // The role's own guarantee minus its consumption (zero for a role without a guarantee).
  plugins::Resources Unsatisfied(plugins::RoleId role) const;
  // `additional` shrunk, in each kind the role's own quota limits, to limit - consumed - `offering`
  // (H:2310-2316 in stage 1, with `offering` the guaranteed part; H:2464-2469 in stage 2).
  plugins::Resources CapByLimit(plugins::RoleId role, const plugins::Resources& additional,
                                const plugins::Resources& offering) const;
  // `additional` shrunk to the headroom surplus, available - required, while some headroom is
  // required (H:2318-2329, H:2471-2486).
  plugins::Resources CapByHeadroom(const plugins::Resources& additional) const;

  // --- Offers made by the stages. --------------------------------------------------------------
  // Stage 1 offered `guaranteed` + `additional` unreserved resources to `role` (H:2350-2362).
  void OfferedInStage1(plugins::RoleId role, const plugins::Resources& guaranteed,
                       const plugins::Resources& additional);
  // Stage 2 offered `additional` unreserved resources to `role` (H:2509-2516): the role's
  // consumption grows only if it has a quota of its own.
  void OfferedInStage2(plugins::RoleId role, const plugins::Resources& additional);

 private:
  static constexpr int32_t kNone = -1;
  struct Entry {
    std::string role;
    plugins::RoleQuota quota;
    plugins::Resources consumed;
    bool registered = false;  // the role has appeared (has a framework)
    plugins::RoleId role_id;  // if registered
    bool unmet = false;       // counted in unmet_roles_
  };
  // The entry of the top-level role of `name` (the part before the first '/'), or kNone.
  int32_t TopEntryOf(const std::string& name) const;
  void Resolve(size_t role);
  void Consume(Entry& entry, const plugins::Resources& amount);

  plugins::RoleQuotas quotas_;  // as last set
  std::vector<Entry> entries_;
  std::map<std::string, int32_t> by_name_;
  std::vector<std::string> role_names_;  // by RoleId
  std::vector<int32_t> exact_;           // by RoleId: the role's own quota entry, or kNone
  std::vector<int32_t> top_;             // by RoleId: its top-level role's entry, or kNone
  plugins::Resources required_;
  plugins::Resources available_;
  size_t unmet_roles_ = 0;
  uint64_t rebuilds_ = 0;
};

}  // namespace clustersim::models
