#include "scheduler_plugins/placements/best_fit.h"

#include "scheduler_plugins/placements/scoring.h"

namespace clustersim::plugins {

void BestFitPlacement::Place(PlacementContext& ctx) {
  const ClusterView& view = ctx.cluster();
  PlaceByScore(ctx, [&](size_t t, size_t o) {
    return DominantLeftover(ctx.remaining(o), ctx.tasks()[t].resources,
                            view.agent(ctx.offers()[o].agent).capacity);
  });
}

}  // namespace clustersim::plugins
