#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>

#include "scheduler_plugins/api/placement_policy.h"
#include "scheduler_plugins/placements/roomless_demands.h"
#include "scheduler_plugins/placements/shape_set.h"

namespace clustersim::plugins {

// What an agent would have left after taking `demand` out of `free`, as the largest fraction of its
// capacity over the kinds it has: max_k (free_k - demand_k) / capacity_k. Small: the agent ends up
// full in every dimension (a tight fit); 1: untouched. Kinds the agent lacks are skipped.
inline double DominantLeftover(const Resources& free, const Resources& demand,
                               const Resources& capacity) {
  double left = 0;
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    if (capacity.Raw(k) <= 0) continue;
    const double f =
        static_cast<double>(free.Raw(k) - demand.Raw(k)) / static_cast<double>(capacity.Raw(k));
    left = std::max(left, f);
  }
  return left;
}

// The shared loop of the per-task scoring policies: each pending task in queue order goes to the
// feasible offer with the lowest score(task, offer) — any type with operator<; ties to the earlier
// offer — and a shape that found no offer is not tried again (offers only shrink within a round),
// nor a task at least as large as one no offer had room for (RoomlessDemands).
// `score` is called on feasible pairs only, after the placements so far; `placed(task, offer)`
// after each placement. `skip(task)` passes over tasks the caller has placed itself
// (min-cost-flow's solves) without marking their shape unplaceable. O(tasks × offers)
// CanPlace/score calls.
struct NoPlacedHook {
  void operator()(size_t, size_t) const {}
};
struct NoSkip {
  bool operator()(size_t) const { return false; }
};
template <typename ScoreFn, typename PlacedFn = NoPlacedHook, typename SkipFn = NoSkip>
void PlaceByScore(PlacementContext& ctx, ScoreFn&& score, PlacedFn&& placed = PlacedFn(),
                  SkipFn&& skip = SkipFn()) {
  using Score = decltype(score(size_t{0}, size_t{0}));
  const size_t offers = ctx.offers().size();
  const std::span<const TaskView> tasks = ctx.tasks();
  ShapeSet unplaceable;
  RoomlessDemands roomless(ctx);
  for (size_t t = 0; t < tasks.size() && !ctx.Exhausted(); ++t) {
    const uint32_t shape = tasks[t].shape;
    const Resources& demand = tasks[t].resources;
    if (skip(t) || unplaceable.contains(shape)) continue;
    RoomlessDemands::Platform& platform = roomless.For(tasks[t]);
    if (platform.Covers(demand)) continue;
    size_t best = offers;
    Score best_score{};
    bool room = false;
    for (size_t o = 0; o < offers; ++o) {
      if (!platform.MayFit(o, demand)) continue;
      room = true;
      if (!ctx.CanPlace(t, o)) continue;
      Score s = score(t, o);
      if (best == offers || s < best_score) {
        best = o;
        best_score = std::move(s);
      }
    }
    if (best == offers) {
      unplaceable.insert(shape);
      if (!room) platform.Add(demand);
      continue;
    }
    ctx.Place(t, best);
    placed(t, best);
  }
}

}  // namespace clustersim::plugins
