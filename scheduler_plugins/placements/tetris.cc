#include "scheduler_plugins/placements/tetris.h"

#include <algorithm>
#include <array>

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

// The best feasible live shape for offer `o`: highest alignment, then earliest in queue order.
// The offer's room and the alignment's factors per used kind go into a Query; each platform the
// offer's agent runs has a DemandTree of its live shapes, searched with pruning, so a rescore
// after a placement visits the few subtrees that may hold a better shape, not every shape of a
// long backlog. The same answer as scoring every shape (the property test in
// tests/plugins/roomless_demands_test.cc checks it against the naive form).
void TetrisPlacement::Rescore(PlacementContext& ctx, size_t o) {
  best_[o] = Best{};
  const Resources& free = ctx.remaining(o);
  // Kinds no live shape asks for: every shape fits there iff the offer is not below zero.
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    if (!kind_used_[k] && free.Raw(k) < 0) return;
  }
  // Per used kind: the room left, and the alignment's factors (capacity_k, free_k / capacity_k;
  // a kind the agent lacks has no term: capacity 1 and share 0 make its term +-0). No shape fits
  // an offer below zero in a used kind (demands are not negative), and otherwise every share is
  // at least zero, which makes a box's top corner bound its shapes' alignments.
  const Resources& agent_capacity = ctx.cluster().agent(ctx.offers()[o].agent).capacity;
  Query q;
  q.kinds = used_kinds_.size();
  for (size_t j = 0; j < q.kinds; ++j) {
    const int k = used_kinds_[j];
    q.room[j] = free.Raw(k);
    if (q.room[j] < 0) return;
    const bool has = agent_capacity.Raw(k) > 0;
    q.capacity[j] = has ? static_cast<double>(agent_capacity.Raw(k)) : 1;
    q.free_share[j] = has ? static_cast<double>(free.Raw(k)) / q.capacity[j] : 0;
  }
  Best best;
  for (size_t p = 0; p < trees_.size(); ++p) {
    DemandTree& tree = trees_[p];
    if (tree.empty() || !roomless_->platform(p).RunsOn(o)) continue;
    Search(ctx, o, tree, DemandTree::kRoot, Bound(tree, DemandTree::kRoot, q), q, best);
  }
  best_[o] = best;
}

// The most any shape of node `n` that fits the query's room can score: the alignment of the
// node's top corner clipped to the room (each term grows with the demand and the sum keeps the
// order of the shapes' own sums, so rounding keeps it an upper bound); -1 if no shape fits.
double TetrisPlacement::Bound(const DemandTree& tree, uint32_t n, const Query& q) {
  const int64_t* lo = tree.min(n);
  const int64_t* hi = tree.max(n);
  double bound = 0;
  for (size_t j = 0; j < q.kinds; ++j) {
    if (lo[j] > q.room[j]) return -1;
    bound += (static_cast<double>(std::min(hi[j], q.room[j])) / q.capacity[j]) * q.free_share[j];
  }
  return bound;
}

// Visits node `n` (whose Bound is `bound`) unless it cannot beat `best`, the better child first.
void TetrisPlacement::Search(PlacementContext& ctx, size_t o, DemandTree& tree, uint32_t n,
                             double bound, const Query& q, Best& best) {
  if (bound < 0 || (best.valid && bound < best.score)) return;
  tree.Expand(n);
  const DemandTree::Node node = tree.node(n);  // a copy: searching the children adds nodes
  if (!node.leaf()) {
    const double left = Bound(tree, node.left, q);
    const double right = Bound(tree, node.right, q);
    const bool left_first = left >= right;
    Search(ctx, o, tree, left_first ? node.left : node.right, left_first ? left : right, q, best);
    Search(ctx, o, tree, left_first ? node.right : node.left, left_first ? right : left, q, best);
    return;
  }
  for (const uint32_t i : tree.points(node)) {
    if (live_done_[i]) continue;
    const int64_t* demand = tree.demand(i);
    bool short_of = false;
    for (size_t j = 0; j < q.kinds; ++j) short_of |= demand[j] > q.room[j];
    if (short_of) continue;
    // The alignment over the used kinds only: the others' terms are zeros, which leave the
    // sum as it is, so this is the same double as Alignment(ctx, t, o).
    double score = 0;
    for (size_t j = 0; j < q.kinds; ++j) {
      score += (static_cast<double>(demand[j]) / q.capacity[j]) * q.free_share[j];
    }
    // Ties go to the earlier shape (live_ is in queue order).
    if (best.valid && (score < best.score || (score == best.score && i > best.live))) continue;
    if (!ctx.CanPlace(NextTask(live_[i]), o)) continue;
    best = Best{score, i, true};
  }
}

// Whether some offer whose agent runs `platform`'s images has room for `demand` (RoomlessDemands's
// MayFit on some offer), from flat copies of those offers' rooms: a long backlog asks this of
// every shape each round. The copies are made as far as the questions need (a small round stops
// at the first offer with room, as asking each offer would); once all are made, their per-kind
// maximum rules out a demand larger than any offer's room in some kind without a look at each.
bool TetrisPlacement::HasRoom(const PlacementContext& ctx, size_t platform,
                              const Resources& demand) {
  if (rooms_.size() <= platform) rooms_.resize(platform + 1);
  PlatformRooms& r = rooms_[platform];
  std::array<int64_t, kMaxResourceKinds> d;
  for (int k = 0; k < kMaxResourceKinds; ++k) d[k] = demand.Raw(k);
  const size_t offers = ctx.offers().size();
  if (r.scanned == offers) {
    for (int k = 0; k < kMaxResourceKinds; ++k) {
      if (d[k] > r.most[k]) return false;
    }
  }
  auto fits = [&](size_t at) {
    bool short_of = false;
    for (int k = 0; k < kMaxResourceKinds; ++k) short_of |= d[k] > r.rooms[at + k];
    return !short_of;
  };
  for (size_t at = 0; at < r.rooms.size(); at += kMaxResourceKinds) {
    if (fits(at)) return true;
  }
  while (r.scanned < offers) {
    const size_t o = r.scanned++;
    if (!roomless_->platform(platform).RunsOn(o)) continue;
    const Resources& room = ctx.remaining(o);
    for (int k = 0; k < kMaxResourceKinds; ++k) {
      r.rooms.push_back(room.Raw(k));
      r.most[k] = std::max(r.most[k], room.Raw(k));
    }
    if (fits(r.rooms.size() - kMaxResourceKinds)) return true;
  }
  return false;
}

// Fills live_ (the shapes some offer has room for and can run, in queue order: shapes no offer
// has room for at the start never get any, as offers only shrink) and their flat demands.
void TetrisPlacement::FindLiveShapes(const PlacementContext& ctx) {
  live_.clear();
  live_platform_.clear();
  roomless_.emplace(ctx);
  for (PlatformRooms& r : rooms_) {
    r.rooms.clear();
    r.scanned = 0;
    r.most.fill(INT64_MIN);
  }
  kind_used_.fill(false);
  for (size_t s = 0; s < shapes_.size(); ++s) {
    const TaskView& task = ctx.tasks()[shapes_.tasks(s).front()];
    const size_t platform = roomless_->IndexOf(task);
    if (!HasRoom(ctx, platform, task.resources)) continue;
    live_.push_back(s);
    live_platform_.push_back(static_cast<uint8_t>(platform));
    for (int k = 0; k < kMaxResourceKinds; ++k) kind_used_[k] |= task.resources.Raw(k) != 0;
  }
  used_kinds_.clear();
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    if (kind_used_[k]) used_kinds_.push_back(k);
  }
  live_demand_.clear();
  for (const size_t s : live_) {
    const Resources& demand = ctx.tasks()[shapes_.tasks(s).front()].resources;
    for (const int k : used_kinds_) live_demand_.push_back(demand.Raw(k));
  }
  live_done_.assign(live_.size(), 0);
  // One tree per platform: an offer is searched only in the trees of the platforms it runs.
  by_platform_.resize(roomless_->platforms());
  for (auto& points : by_platform_) points.clear();
  for (size_t i = 0; i < live_.size(); ++i) {
    by_platform_[live_platform_[i]].push_back(static_cast<uint32_t>(i));
  }
  trees_.resize(by_platform_.size());
  for (size_t p = 0; p < by_platform_.size(); ++p) {
    trees_[p].Build(live_demand_.data(), used_kinds_.size(), by_platform_[p]);
  }
}

void TetrisPlacement::Place(PlacementContext& ctx) {
  const size_t offers = ctx.offers().size();
  shapes_.Build(ctx.tasks());
  placed_.assign(shapes_.size(), 0);
  FindLiveShapes(ctx);
  best_.assign(offers, Best{});
  for (size_t o = 0; o < offers; ++o) Rescore(ctx, o);
  BuildWinners(offers);

  while (!ctx.Exhausted()) {
    // The best pair overall: highest score, then earliest shape (queue order), then offer.
    const uint32_t chosen = winners_[1];
    if (chosen == kNoOffer || !best_[chosen].valid) break;
    const size_t live = best_[chosen].live;
    const size_t shape = live_[live];
    if (!live_done_[live] && ctx.CanPlace(NextTask(shape), chosen)) {
      ctx.Place(NextTask(shape), chosen);
      if (++placed_[shape] == shapes_.tasks(shape).size()) live_done_[live] = 1;
    }  // else stale: its shape ran out or a placement elsewhere ruled it out
    Rescore(ctx, chosen);
    UpdateWinner(chosen);
  }
}

// Whether offer a's best pair goes before offer b's: a valid one before none, then the higher
// score, the earlier shape, the earlier offer.
bool TetrisPlacement::Beats(uint32_t a, uint32_t b) const {
  if (a == kNoOffer || !best_[a].valid) return false;
  if (b == kNoOffer || !best_[b].valid) return true;
  const Best& x = best_[a];
  const Best& y = best_[b];
  if (x.score != y.score) return x.score > y.score;
  if (x.live != y.live) return x.live < y.live;
  return a < b;
}

// A tournament over the offers (leaves at winners_[leaves_ + o]): winners_[1] is the offer whose
// best pair goes first, and a rescore replays only the offer's path, O(log offers), instead of a
// scan of every offer after each placement.
void TetrisPlacement::BuildWinners(size_t offers) {
  leaves_ = 1;
  while (leaves_ < offers) leaves_ *= 2;
  winners_.assign(2 * leaves_, kNoOffer);
  for (size_t o = 0; o < offers; ++o) winners_[leaves_ + o] = static_cast<uint32_t>(o);
  for (size_t n = leaves_ - 1; n >= 1; --n) {
    winners_[n] =
        Beats(winners_[2 * n], winners_[2 * n + 1]) ? winners_[2 * n] : winners_[2 * n + 1];
  }
}

void TetrisPlacement::UpdateWinner(size_t o) {
  for (size_t n = (leaves_ + o) / 2; n >= 1; n /= 2) {
    winners_[n] =
        Beats(winners_[2 * n], winners_[2 * n + 1]) ? winners_[2 * n] : winners_[2 * n + 1];
  }
}

}  // namespace clustersim::plugins
