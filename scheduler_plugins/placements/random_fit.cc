#include "scheduler_plugins/placements/random_fit.h"

#include <numeric>
#include <utility>

#include "scheduler_plugins/placements/roomless_demands.h"

namespace clustersim::plugins {

void RandomFitPlacement::Place(PlacementContext& ctx) {
  const size_t offers = ctx.offers().size();
  const size_t tasks = ctx.tasks().size();
  pool_.resize(offers);
  std::iota(pool_.begin(), pool_.end(), 0u);
  // A task at least as large as one no offer had room for draws every offer and fits none. It
  // still makes those draws and swaps, so that the stream and the pool (and every later task's
  // offer) are what they would be, but asks no offer.
  RoomlessDemands roomless(ctx);
  for (size_t t = 0; t < tasks && !ctx.Exhausted(); ++t) {
    const Resources& demand = ctx.tasks()[t].resources;
    RoomlessDemands::Platform& platform = roomless.For(ctx.tasks()[t]);
    const bool roomless_task = platform.Covers(demand);
    bool room = false;
    size_t candidates = offers;
    while (candidates > 0) {
      const size_t pick = static_cast<size_t>(rng_.UniformInt(candidates));
      const uint32_t o = pool_[pick];
      if (!roomless_task && platform.MayFit(o, demand)) {
        room = true;
        if (ctx.CanPlace(t, o)) {
          ctx.Place(t, o);
          break;
        }
      }
      std::swap(pool_[pick], pool_[--candidates]);  // out for this task only
    }
    if (candidates == 0 && !room && !roomless_task) platform.Add(demand);
  }
}

}  // namespace clustersim::plugins
