#include "scheduler_plugins/placements/min_cost_flow.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#include <boost/property_map/property_map.hpp>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "scheduler_plugins/placements/scoring.h"

namespace clustersim::plugins {
namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Edge = Traits::edge_descriptor;
using Graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<
        boost::edge_capacity_t, int64_t,
        boost::property<boost::edge_residual_capacity_t, int64_t,
                        boost::property<boost::edge_reverse_t, Edge,
                                        boost::property<boost::edge_weight_t, int64_t>>>>>;

// A residual network with paired reverse arcs, as Boost's flow algorithms expect.
class FlowNetwork {
 public:
  explicit FlowNetwork(size_t vertices) : g_(vertices) {}

  Edge AddArc(size_t from, size_t to, int64_t capacity, int64_t cost) {
    const Edge e = boost::add_edge(from, to, g_).first;
    const Edge r = boost::add_edge(to, from, g_).first;
    auto cap = boost::get(boost::edge_capacity, g_);
    auto weight = boost::get(boost::edge_weight, g_);
    auto rev = boost::get(boost::edge_reverse, g_);
    cap[e] = capacity;
    cap[r] = 0;
    weight[e] = cost;
    weight[r] = -cost;
    rev[e] = r;
    rev[r] = e;
    return e;
  }
  // Boost keeps Dijkstra distances and potentials in the distance maps' type and marks an
  // unreachable vertex with that type's max(); with int64 maps the potentials of a vertex that
  // stays unreachable then add max() + max() (signed overflow, undefined behaviour). Double maps
  // saturate to infinity instead, and vertices that become unreachable never become reachable
  // again, so those potentials are never read. Reachable ones are sums of a few costs bounded by
  // kMaxCostMs, exact in a double.
  void Solve(size_t source, size_t sink) {
    const size_t n = boost::num_vertices(g_);
    distance_.assign(n, 0);
    potential_.assign(n, 0);
    const auto index = boost::get(boost::vertex_index, g_);
    boost::successive_shortest_path_nonnegative_weights(
        g_, source, sink,
        boost::distance_map(boost::make_iterator_property_map(distance_.begin(), index))
            .distance_map2(boost::make_iterator_property_map(potential_.begin(), index)));
  }
  int64_t Flow(Edge e) const {
    return boost::get(boost::edge_capacity, g_, e) -
           boost::get(boost::edge_residual_capacity, g_, e);
  }

 private:
  Graph g_;
  std::vector<double> distance_, potential_;
};

// Arc costs are milliseconds clamped to [0, kMaxCostMs] (about 31 years), so that a path's
// cost, a sum of at most a few arcs, stays far inside int64 and exact in a double.
constexpr double kMaxCostMs = 1e12;

int64_t CostMs(double seconds) {
  const double ms = seconds * 1000;
  if (!(ms > 0)) return 0;  // also NaN
  return std::llround(std::min(ms, kMaxCostMs));
}

// How many tasks of `demand` fit in `free` (each kind on its own). `cap` when demand is empty.
int64_t FitCount(const Resources& free, const Resources& demand, int64_t cap) {
  int64_t n = cap;
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    if (demand.Raw(k) <= 0) continue;
    n = std::min(n, std::max<int64_t>(0, free.Raw(k) / demand.Raw(k)));
  }
  return n;
}

}  // namespace

int64_t MinCostFlowPlacement::UnscheduledCost() const {
  return CostMs(options_.unscheduled_cost_s);
}

int64_t MinCostFlowPlacement::ArcCost(const PlacementContext& ctx, size_t t, size_t o) const {
  const ClusterView& view = ctx.cluster();
  const TaskView& task = ctx.tasks()[t];
  const AgentId agent = ctx.offers()[o].agent;
  const AgentInfo& info = view.agent(agent);
  double seconds = 0;
  if (task.has_image) {
    const double missing = view.image_missing_mib(agent, task.image);
    if (missing > 0) {
      const double bandwidth = info.pull_bandwidth_mibps > 0 ? info.pull_bandwidth_mibps
                                                             : options_.default_bandwidth_mibps;
      const double extract =
          info.extract_mib_per_s > 0 ? info.extract_mib_per_s : options_.default_extract_mibps;
      if (bandwidth > 0) seconds += missing / bandwidth;
      if (extract > 0) seconds += missing / extract;
    }
  }
  const double left = DominantLeftover(ctx.remaining(o), task.resources, info.capacity);
  seconds += options_.load_cost_s * std::clamp(1.0 - left, 0.0, 1.0);
  return CostMs(seconds);
}

bool MinCostFlowPlacement::SolveAndApply(PlacementContext& ctx, const std::vector<size_t>& window,
                                         std::vector<uint8_t>& placed, size_t* count) {
  const size_t offers = ctx.offers().size();
  // Shapes of the window, in order of first appearance.
  std::vector<std::vector<size_t>> shapes;
  std::unordered_map<uint32_t, size_t> index;
  for (size_t t : window) {
    auto [it, inserted] = index.try_emplace(ctx.tasks()[t].shape, shapes.size());
    if (inserted) shapes.emplace_back();
    shapes[it->second].push_back(t);
  }
  const size_t kSource = 0, kSink = 1, kFirstShape = 2;
  const size_t first_offer = kFirstShape + shapes.size();
  FlowNetwork net(first_offer + offers);

  struct Arc {
    size_t shape, offer;
    Edge edge;
    int64_t cost;
  };
  std::vector<Arc> arcs;
  // Per offer, the tasks that could go there, for its slot count.
  std::vector<std::vector<size_t>> fits(offers);
  for (size_t s = 0; s < shapes.size(); ++s) {
    const int64_t count = static_cast<int64_t>(shapes[s].size());
    net.AddArc(kSource, kFirstShape + s, count, 0);
    net.AddArc(kFirstShape + s, kSink, count, UnscheduledCost());
    const size_t rep = shapes[s].front();
    for (size_t o = 0; o < offers; ++o) {
      if (!ctx.CanPlace(rep, o)) continue;
      const int64_t slots = FitCount(ctx.remaining(o), ctx.tasks()[rep].resources, count);
      if (slots <= 0) continue;
      const int64_t cost = ArcCost(ctx, rep, o);
      arcs.push_back(Arc{s, o, net.AddArc(kFirstShape + s, first_offer + o, slots, cost), cost});
      for (int64_t i = 0; i < slots; ++i) fits[o].push_back(rep);
    }
  }
  // Offer slots: how many of the candidate tasks fit together, smallest dominant size first.
  for (size_t o = 0; o < offers; ++o) {
    if (fits[o].empty()) continue;
    const Resources& capacity = ctx.cluster().agent(ctx.offers()[o].agent).capacity;
    auto size = [&](size_t t) {
      return 1.0 - DominantLeftover(capacity, ctx.tasks()[t].resources, capacity);
    };
    std::stable_sort(fits[o].begin(), fits[o].end(),
                     [&](size_t a, size_t b) { return size(a) < size(b); });
    Resources free = ctx.remaining(o);
    int64_t slots = 0;
    for (size_t t : fits[o]) {
      if (!free.Contains(ctx.tasks()[t].resources)) continue;
      free -= ctx.tasks()[t].resources;
      ++slots;
    }
    net.AddArc(first_offer + o, kSink, slots, 0);
  }
  net.Solve(kSource, kSink);

  // Flow -> (task, offer) in queue order: each shape's tasks go to its arcs cheapest first.
  std::vector<std::pair<size_t, size_t>> assignment;
  std::stable_sort(arcs.begin(), arcs.end(), [](const Arc& a, const Arc& b) {
    return a.shape != b.shape ? a.shape < b.shape : a.cost < b.cost;
  });
  std::vector<size_t> next(shapes.size(), 0);
  for (const Arc& arc : arcs) {
    for (int64_t f = net.Flow(arc.edge); f > 0; --f) {
      assignment.emplace_back(shapes[arc.shape][next[arc.shape]++], arc.offer);
    }
  }
  std::sort(assignment.begin(), assignment.end());
  bool all_applied = true;
  for (const auto& [t, o] : assignment) {
    if (ctx.CanPlace(t, o)) {
      ctx.Place(t, o);
      placed[t] = 1;
      ++*count;
    } else {
      all_applied = false;
    }
  }
  return all_applied;
}

void MinCostFlowPlacement::Place(PlacementContext& ctx) {
  const size_t tasks = ctx.tasks().size();
  if (tasks == 0 || ctx.offers().empty()) return;
  const size_t window_size = std::min(tasks, static_cast<size_t>(std::max(options_.max_tasks, 0)));
  std::vector<uint8_t> placed(tasks, 0);
  std::vector<size_t> window;
  for (int solve = 0; solve < options_.max_solves && !ctx.Exhausted(); ++solve) {
    window.clear();
    for (size_t t = 0; t < window_size; ++t) {
      if (!placed[t]) window.push_back(t);
    }
    if (window.empty()) break;
    size_t count = 0;
    if (SolveAndApply(ctx, window, placed, &count) || count == 0) break;
  }
  // Leftovers (tasks an over-committed solve could not place, and tasks beyond the window): each
  // to its cheapest feasible offer, in queue order; ties to the earlier offer.
  PlaceByScore(
      ctx, [&](size_t t, size_t o) { return ArcCost(ctx, t, o); },
      [&](size_t t, size_t) { placed[t] = 1; }, [&](size_t t) { return placed[t] != 0; });
}

}  // namespace clustersim::plugins
