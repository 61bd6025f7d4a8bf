// An example out-of-tree plugin: two small policies registered through the one entry point of
// scheduler_plugins/api/plugin.h. Build it as a shared object against the clustersim headers and
// load it with
//
//   clustersim --plugin build/plugins/libclustersim_example_plugin.so policies
//   clustersim run my.yaml --plugin build/plugins/libclustersim_example_plugin.so
//
// where my.yaml names `allocator: example-lifo` or `placement: {name: example-random-fit,
// candidates: 3}`.

#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "scheduler_plugins/api/plugin.h"

namespace {

using namespace clustersim::plugins;  // NOLINT: example brevity

// Allocator: the most recently registered framework first (last in, first out).
class LifoAllocator final : public AllocatorPolicy {
 public:
  void FrameworkAdded(const ClusterView& view, FrameworkId id) override {
    order_.emplace(view.framework(id).registration_order, id.value);
  }
  void FrameworkRemoved(const ClusterView& view, FrameworkId id) override {
    order_.erase({view.framework(id).registration_order, id.value});
  }
  void AllocationChanged(const ClusterView&, FrameworkId) override {}
  void TotalChanged(const ClusterView&) override {}
  void VisitInOrder(const ClusterView&, AgentId, FunctionRef<bool(FrameworkId)> visit) override {
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      if (visit(FrameworkId(it->second))) return;
    }
  }

 private:
  std::set<std::pair<uint32_t, uint32_t>> order_;
};

// Placement: each task to a random one of the first `candidates` feasible offers ("power of d
// choices" without the choosing), drawn from the policy's own seeded stream.
class RandomFitPlacement final : public PlacementPolicy {
 public:
  RandomFitPlacement(clustersim::sim::Rng rng, int candidates)
      : rng_(rng), candidates_(candidates) {}

  void Place(PlacementContext& ctx) override {
    std::vector<size_t> feasible;
    for (size_t t = 0; t < ctx.tasks().size() && !ctx.Exhausted(); ++t) {
      feasible.clear();
      for (size_t o = 0; o < ctx.offers().size(); ++o) {
        if (ctx.CanPlace(t, o)) feasible.push_back(o);
        if (feasible.size() >= static_cast<size_t>(candidates_)) break;
      }
      if (feasible.empty()) continue;
      ctx.Place(t, feasible[rng_.UniformInt(feasible.size())]);
    }
  }

 private:
  clustersim::sim::Rng rng_;
  int candidates_;
};

}  // namespace

CLUSTERSIM_PLUGIN_ENTRY_POINT(allocators, placements) {
  const auto lifo = allocators->Register(
      "example-lifo", "example plugin: the newest framework first",
      [](PolicyParams&,
         const PolicyEnv&) -> clustersim::sim::Result<std::unique_ptr<AllocatorPolicy>> {
        return std::unique_ptr<AllocatorPolicy>(std::make_unique<LifoAllocator>());
      });
  if (!lifo.ok()) return kPluginRegistrationFailed;
  const auto random_fit = placements->Register(
      "example-random-fit",
      "example plugin: each task to a random one of the first feasible offers [candidates: 2]",
      [](PolicyParams& params,
         const PolicyEnv& env) -> clustersim::sim::Result<std::unique_ptr<PlacementPolicy>> {
        auto candidates = params.Number("candidates", 2, 1, 1000);
        if (!candidates.ok()) return candidates.status();
        return std::unique_ptr<PlacementPolicy>(
            std::make_unique<RandomFitPlacement>(env.rng, static_cast<int>(*candidates)));
      });
  if (!random_fit.ok()) return kPluginRegistrationFailed;
  return kPluginOk;
}
