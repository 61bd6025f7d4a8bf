#include "scheduler_plugins/placements/first_fit.h"

#include "scheduler_plugins/placements/roomless_demands.h"
#include "scheduler_plugins/placements/shape_set.h"

namespace clustersim::plugins {

void FirstFitPlacement::Place(PlacementContext& ctx) {
  const size_t offers = ctx.offers().size();
  const std::span<const TaskView> tasks = ctx.tasks();
  // Offers only shrink during a round, so a shape that found no offer never will, a task larger
  // in some kind than every offer at the start fits none of them, and neither does a task at
  // least as large as one that found no room (RoomlessDemands).
  ShapeSet unplaceable;
  RoomlessDemands roomless(ctx);
  Resources largest;
  for (size_t o = 0; o < offers; ++o) largest = largest.Max(ctx.remaining(o));
  for (size_t t = 0; t < tasks.size() && !ctx.Exhausted(); ++t) {
    const uint32_t shape = tasks[t].shape;
    const Resources& demand = tasks[t].resources;
    if (!largest.Contains(demand) || unplaceable.contains(shape)) continue;
    RoomlessDemands::Platform& platform = roomless.For(tasks[t]);
    if (platform.Covers(demand)) continue;
    bool placed = false, room = false;
    for (size_t o = 0; o < offers && !placed; ++o) {
      if (!platform.MayFit(o, demand)) continue;
      room = true;
      if (ctx.CanPlace(t, o)) {
        ctx.Place(t, o);
        placed = true;
      }
    }
    if (placed) continue;
    unplaceable.insert(shape);
    if (!room) platform.Add(demand);
  }
}

}  // namespace clustersim::plugins
