#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "scheduler_plugins/api/cluster_view.h"
#include "scheduler_plugins/api/function_ref.h"
#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/resources.h"

namespace clustersim::plugins {

// One allocation cycle laid out before any offer is made, for a policy that decides a cycle's
// order in one piece (an external allocator: one message per cycle, not one per agent). Agents in
// the master's visit order (stage 1's with quotas), each with what it may offer and the
// frameworks (subscriptions) that may take it, ascending: active, not suppressed, not excluded by
// offer constraints, not filtered for that amount, at least their min_allocatable. Reused from
// cycle to cycle by the master. (API version 9.)
struct CyclePlan {
  struct Agent {
    AgentId id;
    // Available unreserved resources, plus reservations of any role (a framework may be offered
    // only its own role's part of those: the master works it out).
    Resources offerable;
    uint32_t first = 0;  // its frameworks: eligible[first, first + count)
    uint32_t count = 0;
  };
  std::vector<Agent> agents;
  std::vector<FrameworkId> eligible;

  void Clear() {
    agents.clear();
    eligible.clear();
  }
};

// Master side: in what order frameworks are offered an agent's resources. This is the narrow part
// that varies between allocators (Mesos's Sorter::sort()); the master keeps all bookkeeping —
// available/offered/allocated resources, filters, suppression, offer ids — and tells the policy
// what changed so it can maintain its order incrementally. (Master::Allocate is this cycle, step
// by step; "each agent with offerable resources" are those that changed since the last cycle,
// the others being idle: see CellState; in a cycle triggered by agent registrations or updates
// alone, only those agents, as Mesos's generateOffers(slaveId).)
//
// The master drives one allocation cycle like this:
//   BeginCycle(view);
//   for each agent with offerable resources, in a seeded shuffled order:
//     while the agent has offerable resources left:
//       VisitInOrder(view, agent, visit)   // visit(f) returns true when f takes the offer
//         visit(f) asks LimitOffer(view, agent, f, offerable) how much f may be offered
//       -> AllocationChanged(view, f) for the framework that took it; stop if none did
// An agent is offered to each framework at most once per cycle. Without reservations and limits
// the first framework takes everything, so there is one VisitInOrder per agent; what is left
// (resources reserved for other roles, headroom held back) goes to later frameworks.
//
// With quotas (MasterSpec::quotas) the master runs Mesos's two-stage cycle itself (hierarchical.cpp
// __generateOffers, 1964-2541) and the policy only orders:
//   stage 1, for each agent: VisitRolesInOrder, and for each role with an unmet guarantee
//     VisitRoleInOrder (Mesos: roleSorter->sort(), frameworkSorter(role)->sort());
//   stage 2, for each agent: one VisitInOrder walking the whole order; the master makes offers
//     inside `visit` and returns true only once the agent is empty.
// Within one agent the order does not move: the master reports the agent's allocations after the
// visit returns, as Mesos sorts once per agent.
class AllocatorPolicy {
 public:
  virtual ~AllocatorPolicy() = default;

  // Per subscription (a framework in several roles has one id per role).
  virtual void FrameworkAdded(const ClusterView& view, FrameworkId id) = 0;
  // The framework was removed (its scheduler stayed away past its failover_timeout), once per
  // subscription, after its tasks ended and AllocationChanged reported their resources back, as
  // Mesos's master calls allocator->removeFramework (master.cpp:10548). It is never visited again;
  // AllocationChanged may still name it later (tasks on agents the allocator learns of at their
  // reregistration end then): ignore those.
  virtual void FrameworkRemoved(const ClusterView& view, FrameworkId id) = 0;
  // view.framework_allocated(id) changed (offer made, offer answered, task ended); after an offer,
  // view.framework_offer_count(id) and role_offer_count of its role grew too. The master
  // may coalesce: it calls this once per changed framework before the next call that orders or
  // limits (BeginCycle, VisitInOrder, TotalChanged, FrameworkAdded), not at every change.
  virtual void AllocationChanged(const ClusterView& view, FrameworkId id) = 0;
  // view.cluster_total() changed (agent added or removed): every share moved.
  virtual void TotalChanged(const ClusterView& view) = 0;
  // view.role_weight() changed for some paths (and RoleInfo::weight of the roles with those
  // names); the master does not run a cycle for it, as Mesos does not (hierarchical.cpp:1854-1870).
  // Default: as if every share moved. (API version 5.)
  virtual void RoleWeightsChanged(const ClusterView& view) { TotalChanged(view); }
  // A new leading master's allocator starts afresh (a master failover, at the election): Mesos
  // keeps no allocation counts across failovers (sorter/drf/sorter.hpp:398-405), so
  // view.framework_offer_count and role_offer_count start again from zero here and grow with
  // each offer and each allocation the new allocator recovers (ClusterView::role_offer_count).
  // Shares are unchanged. A policy that follows the counts as deltas starts them again.
  // Default: nothing. (API version 10.)
  virtual void AllocatorRestarted(const ClusterView& view) {}
  virtual void BeginCycle(const ClusterView& view) {}

  // Whether the policy wants PlanCycle. Asked once, when the master is built. (API version 9.)
  virtual bool WantsCyclePlan() const { return false; }
  // The cycle about to run (after BeginCycle, before the first VisitInOrder), if WantsCyclePlan:
  // VisitInOrder then answers from what the policy decided for each planned agent. The master
  // still checks every framework `visit` is called with, as for any policy. Returns simulated time
  // the decision took, which occupies the allocator when master.cost_model models it (an external
  // allocator's `charge_wall_time`); zero by default.
  virtual sim::Time PlanCycle(const ClusterView& view, const CyclePlan& plan) {
    return sim::Time::Zero();
  }

  // Calls `visit` on active frameworks in offer order for `agent` until it returns true.
  // Precondition: the policy's state is not changed by `visit` (the master reports the resulting
  // allocation only after it returns true). Should cost O(k log F) for the k frameworks visited.
  virtual void VisitInOrder(const ClusterView& view, AgentId agent,
                            FunctionRef<bool(FrameworkId)> visit) = 0;

  // How much of `offerable` (the agent's unreserved available resources plus those reserved for
  // the framework's role) `framework` may be offered now: less to respect a quota limit or to hold
  // back headroom for other roles' guarantees. Called from inside `visit`; must not change the
  // order. The master clamps the result to [0, offerable] and skips the framework when what is
  // left is below the minimum allocatable. Default: all of it. (API version 2.)
  virtual Resources LimitOffer(const ClusterView& view, AgentId agent, FrameworkId framework,
                               const Resources& offerable) {
    return offerable;
  }

  // --- Ordering queries for the master's quota cycle (above). The defaults derive both from
  // VisitInOrder in O(F); a policy whose order is role-major (DRF) answers them directly.

  // Calls `visit` on the roles of the frameworks VisitInOrder(view, agent) visits, each once, in
  // the order it first reaches one of their frameworks, until `visit` returns true.
  virtual void VisitRolesInOrder(const ClusterView& view, AgentId agent,
                                 FunctionRef<bool(RoleId)> visit) {
    std::vector<uint8_t> seen(view.role_count(), 0);
    VisitInOrder(view, agent, [&](FrameworkId f) {
      const RoleId role = view.framework(f).role;
      if (seen[role.index()]) return false;
      seen[role.index()] = 1;
      return visit(role);
    });
  }
  // Sorts `roles` (each with frameworks) into the order VisitRolesInOrder(view, agent) visits
  // them: for a few roles among many, cheaper than that walk.
  virtual void OrderRoles(const ClusterView& view, AgentId agent, std::vector<RoleId>& roles) {
    std::vector<uint32_t> rank(view.role_count(), UINT32_MAX);
    uint32_t next = 0;
    VisitRolesInOrder(view, agent, [&](RoleId role) {
      rank[role.index()] = next++;
      return false;
    });
    std::stable_sort(roles.begin(), roles.end(),
                     [&](RoleId a, RoleId b) { return rank[a.index()] < rank[b.index()]; });
  }
  // Calls `visit` on the frameworks of `role`, in the order VisitInOrder(view, agent) gives them,
  // until it returns true.
  virtual void VisitRoleInOrder(const ClusterView& view, AgentId agent, RoleId role,
                                FunctionRef<bool(FrameworkId)> visit) {
    VisitInOrder(view, agent,
                 [&](FrameworkId f) { return view.framework(f).role == role && visit(f); });
  }
};

}  // namespace clustersim::plugins
