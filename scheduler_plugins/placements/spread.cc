#include "scheduler_plugins/placements/spread.h"

#include <utility>

#include "scheduler_plugins/placements/scoring.h"

namespace clustersim::plugins {

void SpreadPlacement::Place(PlacementContext& ctx) {
  const ClusterView& view = ctx.cluster();
  placed_.assign(ctx.offers().size(), 0);
  PlaceByScore(
      ctx,
      [&](size_t t, size_t o) {
        const double left = DominantLeftover(ctx.remaining(o), ctx.tasks()[t].resources,
                                             view.agent(ctx.offers()[o].agent).capacity);
        return std::make_pair(-left, placed_[o]);
      },
      [&](size_t, size_t o) { ++placed_[o]; });
}

}  // namespace clustersim::plugins
