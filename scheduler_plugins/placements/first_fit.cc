#include "scheduler_plugins/placements/first_fit.h"

#include <unordered_set>

namespace clustersim::plugins {

void FirstFitPlacement::Place(PlacementContext& ctx) {
  const size_t offers = ctx.offers().size();
  const size_t tasks = ctx.tasks().size();
  // Offers only shrink during a round, so a shape that found no offer never will, and a task
  // larger in some kind than every offer at the start fits none of them.
  std::unordered_set<uint32_t> unplaceable;
  Resources largest;
  for (size_t o = 0; o < offers; ++o) largest = largest.Max(ctx.remaining(o));
  for (size_t t = 0; t < tasks && !ctx.Exhausted(); ++t) {
    const uint32_t shape = ctx.tasks()[t].shape;
    if (!largest.Contains(ctx.tasks()[t].resources) || unplaceable.contains(shape)) continue;
    bool placed = false;
    for (size_t o = 0; o < offers && !placed; ++o) {
      if (ctx.CanPlace(t, o)) {
        ctx.Place(t, o);
        placed = true;
      }
    }
    if (!placed) unplaceable.insert(shape);
  }
}

}  // namespace clustersim::plugins
