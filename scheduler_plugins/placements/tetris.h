#pragma once

#include <array>
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
// re-scans when a cached best went stale; S shapes, O offers. Shapes that no offer has room for
// at the start are left out of every score (RoomlessDemands: offers only shrink), so S counts the
// shapes that fit somewhere, which on a long backlog of tasks of sampled sizes is a small part.
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
    size_t live = 0;  // index into live_ (live_ is in shape order, so ties compare it)
    bool valid = false;
  };
  void Rescore(PlacementContext& ctx, size_t o);
  void FindLiveShapes(const PlacementContext& ctx);

  std::vector<Shape> shapes_;
  std::unordered_map<uint32_t, size_t> shape_index_;
  std::vector<Best> best_;
  // The shapes some offer has room for at the start of the round, in queue order; per live shape
  // its demand in the used kinds (flat, used_kinds_.size() per shape) and whether it ran out.
  std::vector<size_t> live_;
  std::vector<int64_t> live_demand_;
  std::vector<uint8_t> live_done_;
  std::array<bool, kMaxResourceKinds> kind_used_{};  // some live shape asks for the kind
  std::vector<int> used_kinds_;
};

}  // namespace clustersim::plugins
