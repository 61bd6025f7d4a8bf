#include "scheduler_plugins/placements/min_cost_flow.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "scheduler_plugins/placements/image_locality.h"
#include "sim/random.h"
#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::FakePlacementContext;
using test::Res;

TaskView WithImage(const Resources& r, uint32_t image) {
  TaskView t;
  t.resources = r;
  t.has_image = true;
  t.image = ImageId(image);
  return t;
}

AgentId AddAgent(FakeClusterView& view, const char* name, double bandwidth) {
  AgentInfo info;
  info.name = name;
  info.capacity = Res("cpus:8;mem:8192");
  info.pull_bandwidth_mibps = bandwidth;
  return view.AddAgent(info);
}

// Total cost of an assignment (offer index per task, -1 = unscheduled) under fixed arc costs.
int64_t CostOf(const std::vector<int>& assignment, const std::vector<std::vector<int64_t>>& cost,
               int64_t unscheduled) {
  int64_t total = 0;
  for (size_t t = 0; t < assignment.size(); ++t) {
    total += assignment[t] < 0 ? unscheduled : cost[t][assignment[t]];
  }
  return total;
}

// Every assignment of tasks to offers (or none) within each offer's slot count.
int64_t BruteForceOptimum(size_t tasks, const std::vector<int>& slots,
                          const std::vector<std::vector<int64_t>>& cost, int64_t unscheduled) {
  std::vector<int> assignment(tasks, -1);
  int64_t best = std::numeric_limits<int64_t>::max();
  std::vector<int> used(slots.size(), 0);
  auto rec = [&](auto&& self, size_t t) -> void {
    if (t == tasks) {
      best = std::min(best, CostOf(assignment, cost, unscheduled));
      return;
    }
    assignment[t] = -1;
    self(self, t + 1);
    for (size_t o = 0; o < slots.size(); ++o) {
      if (used[o] >= slots[o]) continue;
      ++used[o];
      assignment[t] = static_cast<int>(o);
      self(self, t + 1);
      --used[o];
    }
    assignment[t] = -1;
  };
  rec(rec, 0);
  return best;
}

TEST(MinCostFlowTest, BeatsGreedyWhereTheCheapOfferIsContended) {
  // a0 has room for one task and holds both images; a1 has room for one and holds neither.
  //   t0 (image 0): a0 free, a1 1000 MiB = 10 s.   t1 (image 1): a0 free, a1 10000 MiB = 100 s.
  // Greedy in queue order puts t0 on a0 and t1 on a1 (100 s); the optimum swaps them (10 s).
  FakeClusterView view;
  const AgentId a0 = AddAgent(view, "a0", 100), a1 = AddAgent(view, "a1", 100);
  view.SetMissing(a1, ImageId(0), 1000);
  view.SetMissing(a1, ImageId(1), 10000);
  MinCostFlowOptions options;
  options.load_cost_s = 0;
  MinCostFlowPlacement flow(options);
  auto fill = [&](FakePlacementContext& ctx) {
    ctx.AddOffer(a0, Res("cpus:1;mem:1024"));
    ctx.AddOffer(a1, Res("cpus:1;mem:1024"));
    ctx.AddTask(WithImage(Res("cpus:1;mem:1024"), 0));
    ctx.AddTask(WithImage(Res("cpus:1;mem:1024"), 1));
  };
  FakePlacementContext ctx(view), greedy(view);
  fill(ctx);
  fill(greedy);
  EXPECT_EQ(flow.ArcCost(ctx, 0, 1), 10'000);
  EXPECT_EQ(flow.ArcCost(ctx, 1, 1), 100'000);
  flow.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{1, 0}));
  ImageLocalityPlacement().Place(greedy);
  EXPECT_EQ(greedy.placed(), (std::vector<int>{0, 1}));
}

TEST(MinCostFlowTest, EqualsABruteForceOptimumOnSmallInstances) {
  const Resources size = Res("cpus:1;mem:1024");
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    sim::Rng rng(seed);
    FakeClusterView view;
    const size_t offers = 1 + rng.UniformInt(3);
    const size_t tasks = 1 + rng.UniformInt(5);
    const double missing[] = {0, 300, 2000, 9000};
    std::vector<int> slots;
    FakePlacementContext ctx(view);
    for (size_t o = 0; o < offers; ++o) {
      const AgentId a = AddAgent(view, "a", 50 + 50 * static_cast<double>(rng.UniformInt(3)));
      for (uint32_t image = 0; image < 3; ++image) {
        view.SetMissing(a, ImageId(image), missing[rng.UniformInt(4)]);
      }
      const int n = 1 + static_cast<int>(rng.UniformInt(3));
      slots.push_back(n);
      ctx.AddOffer(a, size * n);
    }
    for (size_t t = 0; t < tasks; ++t) {
      const uint32_t image = static_cast<uint32_t>(rng.UniformInt(3));
      ctx.AddTask(WithImage(size, image), /*shape=*/static_cast<int>(image));
    }
    MinCostFlowPlacement flow;
    std::vector<std::vector<int64_t>> cost(tasks, std::vector<int64_t>(offers));
    for (size_t t = 0; t < tasks; ++t) {
      for (size_t o = 0; o < offers; ++o) cost[t][o] = flow.ArcCost(ctx, t, o);
    }
    const int64_t optimum = BruteForceOptimum(tasks, slots, cost, flow.UnscheduledCost());
    flow.Place(ctx);
    EXPECT_EQ(CostOf(ctx.placed(), cost, flow.UnscheduledCost()), optimum);
  }
}

TEST(MinCostFlowTest, MixedSizesStayFeasibleAndPlaceWhatFits) {
  // Unequal sizes make the slot counts approximate; whatever the flow proposes goes through the
  // context (the fake fails the test on an infeasible Place) and leftovers are placed greedily.
  FakeClusterView view;
  const AgentId a0 = AddAgent(view, "a0", 100), a1 = AddAgent(view, "a1", 100);
  FakePlacementContext ctx(view);
  ctx.AddOffer(a0, Res("cpus:4;mem:1024"));
  ctx.AddOffer(a1, Res("cpus:1;mem:4096"));
  ctx.AddTask(Res("cpus:1;mem:1024"), 1);
  ctx.AddTask(Res("cpus:3;mem:256"), 2);
  ctx.AddTask(Res("cpus:1;mem:3072"), 3);
  ctx.AddTask(Res("cpus:0.5;mem:256"), 4);
  MinCostFlowPlacement().Place(ctx);
  int placed = 0;
  for (int p : ctx.placed()) placed += p >= 0 ? 1 : 0;
  // Three would fit (t1 + t3 on a0, t0 or t2 on a1), but the slot counts cannot see that t0 and
  // t1 together overflow a0's memory: the flow proposes them, t1 fails, and the re-solve finds
  // no room. The documented approximation — as good as first-fit here, not optimal.
  EXPECT_GE(placed, 2);
}

TEST(MinCostFlowTest, TasksBeyondTheWindowAreStillPlaced) {
  FakeClusterView view;
  const AgentId a0 = AddAgent(view, "a0", 100);
  MinCostFlowOptions options;
  options.max_tasks = 2;
  MinCostFlowPlacement flow(options);
  FakePlacementContext ctx(view);
  ctx.AddOffer(a0, Res("cpus:8;mem:8192"));
  for (int t = 0; t < 5; ++t) ctx.AddTask(Res("cpus:1;mem:1024"), 1);
  flow.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{0, 0, 0, 0, 0}));
}

}  // namespace
}  // namespace clustersim::plugins
