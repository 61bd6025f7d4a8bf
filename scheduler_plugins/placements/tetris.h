#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "scheduler_plugins/api/placement_policy.h"

namespace clustersim::plugins {

// Tetris's packing heuristic (Grandl et al., "Multi-Resource Packing for Cluster Schedulers",
// SIGCOMM'14): place the (task, offer) pair whose demand vector is best aligned with what the
// agent has free — alignment = Σ_k (demand_k / capacity_k) × (free_k / capacity_k), both
// normalised by the agent's capacity — then repeat. A task heavy in cpus goes where cpus are
// plentiful and a memory-heavy one where memory is, which reduces fragmentation. Unlike the
// queue-order policies it does not respect arrival order (the paper adds a fairness knob and
// remaining-work term; this is the packing score alone). Ties: earlier task, then earlier offer.
//
// Tasks of one shape are identical, so scores are per (shape, offer); each offer caches its best
// shape and only the offer just used is rescored (feasibility only ever shrinks, so a cached best
// that is still feasible is still the best). O(S × O) to start, O(S) per placement, plus
// re-scans when a cached best went stale; S shapes, O offers.
class TetrisPlacement final : public PlacementPolicy {
 public:
  void Place(PlacementContext& ctx) override;

  // The alignment score of task `t` on offer `o` as things stand.
  static double Alignment(const PlacementContext& ctx, size_t t, size_t o);

 private:
  struct Shape {
    std::vector<size_t> tasks;  // queue order
    size_t next = 0;            // first not yet placed
  };
  struct Best {
    double score = 0;
    size_t shape = 0;
    bool valid = false;
  };
  void Rescore(PlacementContext& ctx, size_t o);

  std::vector<Shape> shapes_;
  std::unordered_map<uint32_t, size_t> shape_index_;
  std::vector<Best> best_;
};

}  // namespace clustersim::plugins
