#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "scheduler_plugins/api/placement_policy.h"
#include "scheduler_plugins/placements/demand_tree.h"
#include "scheduler_plugins/placements/roomless_demands.h"
#include "scheduler_plugins/placements/shape_groups.h"

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
// that is still feasible is still the best). Shapes that no offer whose agent runs them has room
// for at the start are left out of every score (HasRoom: offers only shrink); the others go into a
// k-d tree of their demands per image platform (DemandTree), which a rescore searches with
// pruning: subtrees with no shape that fits the offer, or whose best possible alignment cannot
// beat the best found, are passed over, and split only when first reached (O(S) or so per round,
// O(S log S) at most). A rescore visits few of the S live shapes in practice (O(S) at worst); the
// next pair comes from a tournament over the offers' bests, O(log offers) per placement.
class TetrisPlacement final : public PlacementPolicy {
 public:
  void Place(PlacementContext& ctx) override;

  // The alignment score of task `t` on offer `o` as things stand.
  static double Alignment(const PlacementContext& ctx, size_t t, size_t o);

 private:
  struct Best {
    double score = 0;
    size_t live = 0;  // index into live_ (live_ is in shape order, so ties compare it)
    bool valid = false;
  };
  // An offer's side of a rescore, per used kind (the first `kinds` entries).
  struct Query {
    size_t kinds = 0;
    std::array<int64_t, kMaxResourceKinds> room{};
    std::array<double, kMaxResourceKinds> capacity{}, free_share{};
  };
  void Rescore(PlacementContext& ctx, size_t o);
  static constexpr uint32_t kNoOffer = UINT32_MAX;
  bool Beats(uint32_t a, uint32_t b) const;
  void BuildWinners(size_t offers);
  void UpdateWinner(size_t o);
  static double Bound(const DemandTree& tree, uint32_t n, const Query& q);
  void Search(PlacementContext& ctx, size_t o, DemandTree& tree, uint32_t n, double bound,
              const Query& q, Best& best);
  // Per image platform (of roomless_), HasRoom's copies of the rooms of the offers that run it
  // (kMaxResourceKinds values each) among the first `scanned` offers, and once all are scanned
  // per kind the most room any of them has.
  struct PlatformRooms {
    std::vector<int64_t> rooms;
    size_t scanned = 0;
    std::array<int64_t, kMaxResourceKinds> most{};
  };
  bool HasRoom(const PlacementContext& ctx, size_t platform, const Resources& demand);
  void FindLiveShapes(const PlacementContext& ctx);

  // The first task of shape `s` not yet placed.
  size_t NextTask(size_t s) const { return shapes_.tasks(s)[placed_[s]]; }

  ShapeGroups shapes_;
  std::vector<uint32_t> placed_;  // per shape, its tasks placed this round
  std::vector<Best> best_;        // per offer
  size_t leaves_ = 1;
  std::vector<uint32_t> winners_;  // BuildWinners's tournament over best_
  // The shapes some offer has room for at the start of the round, in queue order; per live shape
  // its demand in the used kinds (flat, used_kinds_.size() per shape) and whether it ran out.
  std::vector<size_t> live_;
  std::vector<int64_t> live_demand_;
  // Per live shape its image platform in `roomless_` (this round's memo, which also remembers
  // which offers run each platform: a Linux shape is not scored on a Windows offer).
  std::vector<uint8_t> live_platform_;
  std::optional<RoomlessDemands> roomless_;
  std::vector<PlatformRooms> rooms_;
  std::vector<std::vector<uint32_t>> by_platform_;  // FindLiveShapes's, kept across rounds
  std::vector<DemandTree> trees_;  // per platform of roomless_, over its live shapes
  std::vector<uint8_t> live_done_;
  std::array<bool, kMaxResourceKinds> kind_used_{};  // some live shape asks for the kind
  std::vector<int> used_kinds_;
};

}  // namespace clustersim::plugins
