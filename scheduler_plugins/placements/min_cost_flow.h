#pragma once

#include <cstdint>
#include <vector>

#include "scheduler_plugins/api/placement_policy.h"

namespace clustersim::plugins {

struct MinCostFlowOptions {
  // Seconds of cost for putting a task on an agent that ends up fully loaded (dominant share of
  // its capacity in use), scaled linearly: load balancing against locality.
  double load_cost_s = 10;
  // Cost of leaving a task unscheduled this round. Larger than any placement, so the flow places
  // as many tasks as fit and only then minimises cost.
  double unscheduled_cost_s = 86400;
  // Pull and extraction rates used when the agent does not state its own (AgentInfo rates are 0).
  double default_bandwidth_mibps = 100;
  double default_extract_mibps = 0;  // 0: no extraction term
  // Pending tasks (in queue order) that enter the network per round; later ones are placed
  // greedily on what is left.
  int max_tasks = 256;
  // Solves per round when the multi-resource approximation (below) over-commits an offer.
  int max_solves = 3;
};

// Quincy/Firmament-style flow scheduling (Isard et al., SOSP'09; Gog et al., OSDI'16), one
// decision round at a time. The network, built with Boost.Graph and solved with
// boost::successive_shortest_path_nonnegative_weights:
//
//   source ─count─▶ task shape ─slots, cost c(shape, offer)─▶ offer ─offer slots─▶ sink
//                        └──────────count, unscheduled cost──────────────────────▶ sink
//
// Tasks of one shape are interchangeable (same resources, OS and image), so they share a node
// with supply = their count. c(task, offer) is the expected start latency in milliseconds —
// missing MiB of the task's image on the agent / pull bandwidth, plus / extraction rate — plus
// load_cost_s × the dominant fraction of the agent in use once the task is there.
//
// Multi-resource capacities are approximated: a flow network carries one commodity, so each
// (shape, offer) arc gets the number of tasks of that shape that fit alone in the offer, and each
// offer→sink arc the number of the round's tasks that fit together when packed smallest first
// (exact when the tasks have equal sizes). Assignments are then applied in queue order through
// the context; if one no longer fits, the remaining tasks are re-solved against what is left (at
// most max_solves times), and any task still unplaced goes greedily to its cheapest feasible
// offer. So the result is optimal for equal-sized tasks and a good heuristic otherwise.
//
// Cost: O(S × O) arcs for S shapes and O offers; each solve runs Dijkstra once per augmenting
// path, O(paths × (S × O) log(S + O)).
class MinCostFlowPlacement final : public PlacementPolicy {
 public:
  explicit MinCostFlowPlacement(MinCostFlowOptions options = {}) : options_(options) {}
  void Place(PlacementContext& ctx) override;

  // The arc cost (ms) of task `t` on offer `o`, as things stand in `ctx`.
  int64_t ArcCost(const PlacementContext& ctx, size_t t, size_t o) const;
  int64_t UnscheduledCost() const;

 private:
  // One solve over `window` (unplaced task indices, queue order): places what the flow assigns,
  // marking `placed` and counting in `count`. Returns whether every assignment could be applied
  // (none over-committed an offer).
  bool SolveAndApply(PlacementContext& ctx, const std::vector<size_t>& window,
                     std::vector<uint8_t>& placed, size_t* count);

  MinCostFlowOptions options_;
};

}  // namespace clustersim::plugins
