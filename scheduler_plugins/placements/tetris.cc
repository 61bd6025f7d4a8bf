#include "scheduler_plugins/placements/tetris.h"

namespace clustersim::plugins {

double TetrisPlacement::Alignment(const PlacementContext& ctx, size_t t, size_t o) {
  const Resources& capacity = ctx.cluster().agent(ctx.offers()[o].agent).capacity;
  const Resources& demand = ctx.tasks()[t].resources;
  const Resources& free = ctx.remaining(o);
  double score = 0;
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    if (capacity.Raw(k) <= 0) continue;
    const double c = static_cast<double>(capacity.Raw(k));
    score += (static_cast<double>(demand.Raw(k)) / c) * (static_cast<double>(free.Raw(k)) / c);
  }
  return score;
}

void TetrisPlacement::Rescore(PlacementContext& ctx, size_t o) {
  Best best;
  for (size_t s = 0; s < shapes_.size(); ++s) {
    const Shape& shape = shapes_[s];
    if (shape.next >= shape.tasks.size()) continue;
    const size_t t = shape.tasks[shape.next];
    if (!ctx.CanPlace(t, o)) continue;
    const double score = Alignment(ctx, t, o);
    if (!best.valid || score > best.score) best = Best{score, s, true};
  }
  best_[o] = best;
}

void TetrisPlacement::Place(PlacementContext& ctx) {
  const size_t offers = ctx.offers().size();
  shapes_.clear();
  shape_index_.clear();
  for (size_t t = 0; t < ctx.tasks().size(); ++t) {
    auto [it, inserted] = shape_index_.try_emplace(ctx.tasks()[t].shape, shapes_.size());
    if (inserted) shapes_.emplace_back();
    shapes_[it->second].tasks.push_back(t);
  }
  best_.assign(offers, Best{});
  for (size_t o = 0; o < offers; ++o) Rescore(ctx, o);

  while (!ctx.Exhausted()) {
    // The best pair overall: highest score, then earliest shape (queue order), then offer.
    size_t chosen = offers;
    for (size_t o = 0; o < offers; ++o) {
      if (!best_[o].valid) continue;
      if (chosen == offers || best_[o].score > best_[chosen].score ||
          (best_[o].score == best_[chosen].score && best_[o].shape < best_[chosen].shape)) {
        chosen = o;
      }
    }
    if (chosen == offers) break;
    Shape& shape = shapes_[best_[chosen].shape];
    if (shape.next >= shape.tasks.size() || !ctx.CanPlace(shape.tasks[shape.next], chosen)) {
      Rescore(ctx, chosen);  // stale: its shape ran out or a placement elsewhere ruled it out
      continue;
    }
    ctx.Place(shape.tasks[shape.next], chosen);
    ++shape.next;
    Rescore(ctx, chosen);
  }
}

}  // namespace clustersim::plugins
