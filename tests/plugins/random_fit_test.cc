#include "scheduler_plugins/placements/random_fit.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::FakePlacementContext;
using test::Res;

class RandomFitTest : public ::testing::Test {
 protected:
  RandomFitTest() {
    for (int i = 0; i < 100; ++i) view_.AddAgent("a" + std::to_string(i), Res("cpus:64;mem:65536"));
  }
  FakeClusterView view_;
};

// With replacement: on three roomy equal offers, 3,000 small tasks land uniformly (each offer
// 1,000 ± 10 %), and consecutive tasks do share an offer.
TEST_F(RandomFitTest, DrawsUniformlyWithReplacement) {
  FakePlacementContext ctx(view_);
  for (int a = 0; a < 3; ++a) ctx.AddOffer(AgentId(a), Res("cpus:64;mem:65536"));
  for (int t = 0; t < 3000; ++t) ctx.AddTask(Res("cpus:0.01;mem:10"), /*shape=*/1);
  RandomFitPlacement policy(sim::Rng(7));
  policy.Place(ctx);
  std::vector<int> per_offer(3, 0);
  int repeats = 0;
  for (size_t t = 0; t < 3000; ++t) {
    ASSERT_GE(ctx.placed()[t], 0);
    ++per_offer[ctx.placed()[t]];
    if (t > 0 && ctx.placed()[t] == ctx.placed()[t - 1]) ++repeats;
  }
  for (int n : per_offer) EXPECT_NEAR(n, 1000, 100);
  EXPECT_NEAR(repeats, 1000, 150);  // P(same as the previous) = 1/3
  // On a roomy cell a task costs one probe.
  EXPECT_EQ(ctx.can_place_calls().size(), 3000u);
}

// Without replacement among offers a task does not fit: the one offer of 100 with room is found,
// after at most 100 probes, each offer probed at most once for that task.
TEST_F(RandomFitTest, FindsTheOnlyOfferThatFitsProbingEachOnce) {
  FakePlacementContext ctx(view_);
  for (int a = 0; a < 100; ++a) ctx.AddOffer(AgentId(a), Res(a == 63 ? "cpus:4" : "cpus:1"));
  ctx.AddTask(Res("cpus:2"));
  ctx.AddTask(Res("cpus:8"));  // fits nowhere: draws all 100, stays pending
  ctx.AddTask(Res("cpus:2"));  // the next one still goes on
  RandomFitPlacement policy(sim::Rng(3));
  policy.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{63, -1, 63}));
  for (size_t t : {0u, 1u, 2u}) {
    std::set<size_t> probed;
    for (const auto& [task, offer] : ctx.can_place_calls()) {
      if (task == t) {
        EXPECT_TRUE(probed.insert(offer).second) << "offer " << offer << " twice";
      }
    }
    EXPECT_LE(probed.size(), 100u);
  }
  // No offer has room for it by size, so none is asked (RoomlessDemands); the draws are still
  // made (roomless_demands_test checks the placements against the algorithm without the memo).
  EXPECT_EQ(ctx.CanPlaceCallsFor(1), 0u);
}

TEST_F(RandomFitTest, SameSeedSamePlacements) {
  auto run = [&](uint64_t seed) {
    FakePlacementContext ctx(view_);
    for (int a = 0; a < 50; ++a) ctx.AddOffer(AgentId(a), Res("cpus:4;mem:4096"));
    for (int t = 0; t < 120; ++t) ctx.AddTask(Res("cpus:1;mem:1024"));
    RandomFitPlacement policy{sim::Rng(seed)};
    policy.Place(ctx);
    return ctx.placed();
  };
  EXPECT_EQ(run(11), run(11));
  EXPECT_NE(run(11), run(12));
}

}  // namespace
}  // namespace clustersim::plugins
