#include "scheduler_plugins/placements/best_fit.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::FakePlacementContext;
using test::Res;

class BestFitTest : public ::testing::Test {
 protected:
  BestFitTest() {
    for (int i = 0; i < 3; ++i) view_.AddAgent("a" + std::to_string(i), Res("cpus:8;mem:8192"));
  }
  FakeClusterView view_;
  BestFitPlacement policy_;
};

TEST_F(BestFitTest, PicksTheFullestFeasibleAgent) {
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:6;mem:6144"));  // fairly empty
  ctx.AddOffer(AgentId(1), Res("cpus:1;mem:1024"));  // fullest, too small for t0
  ctx.AddOffer(AgentId(2), Res("cpus:3;mem:3072"));  // fullest that fits t0
  ctx.AddTask(Res("cpus:2;mem:2048"));               // t0: leftover 1/8 on a2, 4/8 on a0 -> a2
  ctx.AddTask(Res("cpus:1;mem:1024"));               // t1: a1 becomes exactly full -> a1
  ctx.AddTask(Res("cpus:4;mem:1024"));               // t2: only a0 fits
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{2, 1, 0}));
}

TEST_F(BestFitTest, DominantLeftoverDecides) {
  // Offer 0 leaves <2 cpus, 0 mem> = 2/8; offer 1 leaves <1 cpu, 6 GiB> = 6/8 in memory: offer 0
  // is the tighter fit although it leaves more cpus.
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:4;mem:2048"));
  ctx.AddOffer(AgentId(1), Res("cpus:3;mem:8192"));
  ctx.AddTask(Res("cpus:2;mem:2048"));
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{0}));
}

TEST_F(BestFitTest, TiesGoToTheEarlierOfferAndInfeasiblePairsAreSkipped) {
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:2;mem:2048"));
  ctx.AddOffer(AgentId(1), Res("cpus:2;mem:2048"));
  ctx.AddOffer(AgentId(2), Res("cpus:2;mem:2048"));
  ctx.AddTask(Res("cpus:1;mem:1024"));
  ctx.AddTask(Res("cpus:1;mem:1024"));
  ctx.Forbid(0, 0);
  policy_.Place(ctx);
  // t0 cannot go to offer 0: offers 1 and 2 tie -> 1; t1 then fills offer 1 (leftover 0).
  EXPECT_EQ(ctx.placed(), (std::vector<int>{1, 1}));
}

}  // namespace
}  // namespace clustersim::plugins
