#include "scheduler_plugins/placements/image_locality.h"

#include "scheduler_plugins/placements/scoring.h"

namespace clustersim::plugins {

void ImageLocalityPlacement::Place(PlacementContext& ctx) {
  const ClusterView& view = ctx.cluster();
  warmed_.clear();
  PlaceByScore(
      ctx,
      [&](size_t t, size_t o) -> double {
        const TaskView& task = ctx.tasks()[t];
        if (!task.has_image) return 0;
        const AgentId agent = ctx.offers()[o].agent;
        if (warmed_.contains({agent.value, task.image.value})) return 0;
        return view.image_missing_mib(agent, task.image);
      },
      [&](size_t t, size_t o) {
        const TaskView& task = ctx.tasks()[t];
        if (task.has_image) warmed_.emplace(ctx.offers()[o].agent.value, task.image.value);
      });
}

}  // namespace clustersim::plugins
