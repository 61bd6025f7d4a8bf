#include "scheduler_plugins/placements/tetris.h"

#include <array>

#include "scheduler_plugins/placements/roomless_demands.h"

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

// The best feasible live shape for offer `o`. It reads the live shapes' demands from one flat
// array (a long backlog's shapes do not fit in cache, and following each shape to its next task's
// view was most of the cost), and asks CanPlace (a virtual call and several look-ups) only of
// shapes that fit by size and would beat the best so far: the same answer as asking every shape,
// since a shape that does not beat the best is not taken either way.
void TetrisPlacement::Rescore(PlacementContext& ctx, size_t o) {
  best_[o] = Best{};
  const Resources& free = ctx.remaining(o);
  // Kinds no live shape asks for: every shape fits there iff the offer is not below zero.
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    if (!kind_used_[k] && free.Raw(k) < 0) return;
  }
  // Per used kind: the room left, and the alignment's factors (capacity_k, free_k / capacity_k;
  // a kind the agent lacks has no term: capacity 1 and share 0 make its term +-0).
  const Resources& agent_capacity = ctx.cluster().agent(ctx.offers()[o].agent).capacity;
  const size_t kinds = used_kinds_.size();
  std::array<int64_t, kMaxResourceKinds> room{};
  std::array<double, kMaxResourceKinds> capacity{}, free_share{};
  for (size_t j = 0; j < kinds; ++j) {
    const int k = used_kinds_[j];
    room[j] = free.Raw(k);
    const bool has = agent_capacity.Raw(k) > 0;
    capacity[j] = has ? static_cast<double>(agent_capacity.Raw(k)) : 1;
    free_share[j] = has ? static_cast<double>(free.Raw(k)) / capacity[j] : 0;
  }
  Best best;
  for (size_t i = 0; i < live_.size(); ++i) {
    if (live_done_[i]) continue;
    const int64_t* demand = &live_demand_[i * kinds];
    bool short_of = false;
    for (size_t j = 0; j < kinds; ++j) short_of |= demand[j] > room[j];
    if (short_of) continue;
    // The alignment over the used kinds only: the others' terms are zeros, which leave the
    // sum as it is, so this is the same double as Alignment(ctx, t, o).
    double score = 0;
    for (size_t j = 0; j < kinds; ++j) {
      score += (static_cast<double>(demand[j]) / capacity[j]) * free_share[j];
    }
    if (best.valid && !(score > best.score)) continue;
    const Shape& shape = shapes_[live_[i]];
    const size_t t = shape.tasks[shape.next];
    if (!ctx.CanPlace(t, o)) continue;
    best = Best{score, i, true};
  }
  best_[o] = best;
}

// Fills live_ (the shapes some offer has room for and can run, in queue order: shapes no offer
// has room for at the start never get any, as offers only shrink) and their flat demands.
void TetrisPlacement::FindLiveShapes(const PlacementContext& ctx) {
  live_.clear();
  RoomlessDemands roomless(ctx);
  kind_used_.fill(false);
  for (size_t s = 0; s < shapes_.size(); ++s) {
    const TaskView& task = ctx.tasks()[shapes_[s].tasks.front()];
    RoomlessDemands::Platform& platform = roomless.For(task);
    if (platform.Covers(task.resources)) continue;
    bool room = false;
    for (size_t o = 0; o < ctx.offers().size() && !room; ++o) {
      room = platform.MayFit(o, task.resources);
    }
    if (!room) {
      platform.Add(task.resources);
      continue;
    }
    live_.push_back(s);
    for (int k = 0; k < kMaxResourceKinds; ++k) kind_used_[k] |= task.resources.Raw(k) != 0;
  }
  used_kinds_.clear();
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    if (kind_used_[k]) used_kinds_.push_back(k);
  }
  live_demand_.clear();
  for (const size_t s : live_) {
    const Resources& demand = ctx.tasks()[shapes_[s].tasks.front()].resources;
    for (const int k : used_kinds_) live_demand_.push_back(demand.Raw(k));
  }
  live_done_.assign(live_.size(), 0);
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
  FindLiveShapes(ctx);
  best_.assign(offers, Best{});
  for (size_t o = 0; o < offers; ++o) Rescore(ctx, o);

  while (!ctx.Exhausted()) {
    // The best pair overall: highest score, then earliest shape (queue order), then offer.
    size_t chosen = offers;
    for (size_t o = 0; o < offers; ++o) {
      if (!best_[o].valid) continue;
      if (chosen == offers || best_[o].score > best_[chosen].score ||
          (best_[o].score == best_[chosen].score && best_[o].live < best_[chosen].live)) {
        chosen = o;
      }
    }
    if (chosen == offers) break;
    const size_t live = best_[chosen].live;
    Shape& shape = shapes_[live_[live]];
    if (live_done_[live] || !ctx.CanPlace(shape.tasks[shape.next], chosen)) {
      Rescore(ctx, chosen);  // stale: its shape ran out or a placement elsewhere ruled it out
      continue;
    }
    ctx.Place(shape.tasks[shape.next], chosen);
    if (++shape.next == shape.tasks.size()) live_done_[live] = 1;
    Rescore(ctx, chosen);
  }
}

}  // namespace clustersim::plugins
