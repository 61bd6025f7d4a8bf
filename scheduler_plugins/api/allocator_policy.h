#pragma once

#include "scheduler_plugins/api/cluster_view.h"
#include "scheduler_plugins/api/function_ref.h"
#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/resources.h"

namespace clustersim::plugins {

// Master side: in what order frameworks are offered an agent's resources. This is the narrow part
// that varies between allocators (Mesos's Sorter::sort()); the master keeps all bookkeeping —
// available/offered/allocated resources, filters, suppression, offer ids — and tells the policy
// what changed so it can maintain its order incrementally. (Master::Allocate is this cycle, step
// by step; "each agent with offerable resources" are those that changed since the last cycle,
// the others being idle: see CellState.)
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
class AllocatorPolicy {
 public:
  virtual ~AllocatorPolicy() = default;

  virtual void FrameworkAdded(const ClusterView& view, FrameworkId id) = 0;
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
  virtual void BeginCycle(const ClusterView& view) {}

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
};

}  // namespace clustersim::plugins
