#include "scheduler_plugins/placements/random_fit.h"

#include <numeric>
#include <utility>

namespace clustersim::plugins {

void RandomFitPlacement::Place(PlacementContext& ctx) {
  const size_t offers = ctx.offers().size();
  const size_t tasks = ctx.tasks().size();
  pool_.resize(offers);
  std::iota(pool_.begin(), pool_.end(), 0u);
  for (size_t t = 0; t < tasks && !ctx.Exhausted(); ++t) {
    size_t candidates = offers;
    while (candidates > 0) {
      const size_t pick = static_cast<size_t>(rng_.UniformInt(candidates));
      const uint32_t o = pool_[pick];
      if (ctx.CanPlace(t, o)) {
        ctx.Place(t, o);
        break;
      }
      std::swap(pool_[pick], pool_[--candidates]);  // out for this task only
    }
  }
}

}  // namespace clustersim::plugins
