#include "scheduler_plugins/placements/first_fit.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::FakePlacementContext;
using test::Res;

class FirstFitTest : public ::testing::Test {
 protected:
  FirstFitTest() {
    view_.AddAgent("a0", Res("cpus:8;mem:8192"));
    view_.AddAgent("a1", Res("cpus:8;mem:8192"));
    view_.AddAgent("a2", Res("cpus:8;mem:8192"));
  }
  FakeClusterView view_;
  FirstFitPlacement policy_;
};

TEST_F(FirstFitTest, EachTaskInQueueOrderGoesToTheFirstOfferThatFits) {
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:2;mem:2048"));  // offer 0
  ctx.AddOffer(AgentId(1), Res("cpus:4;mem:4096"));  // offer 1
  ctx.AddTask(Res("cpus:3;mem:1024"));  // t0: only offer 1 fits       -> 1 (1 cpu left)
  ctx.AddTask(Res("cpus:2;mem:1024"));  // t1: offer 0 fits first      -> 0 (0 cpus left)
  ctx.AddTask(Res("cpus:1;mem:1024"));  // t2: offer 0 empty, 1 has 1  -> 1
  ctx.AddTask(Res("cpus:1;mem:1024"));  // t3: nothing left            -> -1
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{1, 0, 1, -1}));
  // Placed in queue order.
  ASSERT_EQ(ctx.placements().size(), 3u);
  EXPECT_EQ(ctx.placements()[0].first, 0u);
  EXPECT_EQ(ctx.placements()[1].first, 1u);
  EXPECT_EQ(ctx.placements()[2].first, 2u);
  EXPECT_EQ(ctx.remaining(0), Res("mem:1024"));
  EXPECT_EQ(ctx.remaining(1), Res("mem:2048"));
}

TEST_F(FirstFitTest, ObeysTheContextsFeasibility) {
  // The context (not the policy) owns OS, constraint and per-offer rules: a forbidden pair is
  // skipped even though the resources fit.
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:8;mem:8192"));
  ctx.AddOffer(AgentId(1), Res("cpus:8;mem:8192"));
  ctx.AddTask(Res("cpus:1"));
  ctx.Forbid(0, 0);
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{1}));
}

TEST_F(FirstFitTest, AShapeThatFoundNoOfferIsNotTriedAgain) {
  // Three tasks of shape 7 that both offers have room for but the context refuses (as it would a
  // constraint), then a small task of another shape.
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:2;mem:2048"));
  ctx.AddOffer(AgentId(1), Res("cpus:4;mem:512"));
  ctx.AddTask(Res("cpus:1;mem:256"), /*shape=*/7);
  ctx.AddTask(Res("cpus:1;mem:256"), /*shape=*/7);
  ctx.AddTask(Res("cpus:1;mem:256"), /*shape=*/7);
  ctx.AddTask(Res("cpus:1"), /*shape=*/8);
  ctx.Forbid(0, 0);
  ctx.Forbid(0, 1);
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{-1, -1, -1, 0}));
  EXPECT_EQ(ctx.CanPlaceCallsFor(0), 2u);  // both offers tried once
  EXPECT_EQ(ctx.CanPlaceCallsFor(1), 0u);  // same shape: skipped
  EXPECT_EQ(ctx.CanPlaceCallsFor(2), 0u);
}

TEST_F(FirstFitTest, OnlyOffersWithRoomAreAsked) {
  // Tasks of distinct shapes: the first fits neither offer (too many cpus for one, too much
  // memory for the other) and no offer is asked about it; a later, larger one is skipped without
  // a look at the offers (RoomlessDemands); the last fits offer 1 only, which alone is asked.
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:2;mem:2048"));
  ctx.AddOffer(AgentId(1), Res("cpus:4;mem:512"));
  ctx.AddTask(Res("cpus:3;mem:1024"));
  ctx.AddTask(Res("cpus:4;mem:1024"));
  ctx.AddTask(Res("cpus:3;mem:256"));
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{-1, -1, 1}));
  EXPECT_EQ(ctx.CanPlaceCallsFor(0), 0u);
  EXPECT_EQ(ctx.CanPlaceCallsFor(1), 0u);
  EXPECT_EQ(ctx.CanPlaceCallsFor(2), 1u);
}

TEST_F(FirstFitTest, ATaskLargerThanEveryOfferInSomeKindIsNotTried) {
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:2;mem:2048"));
  ctx.AddOffer(AgentId(1), Res("cpus:4;mem:512"));
  ctx.AddTask(Res("cpus:8"), /*shape=*/1);
  ctx.AddTask(Res("cpus:1;mem:4096"), /*shape=*/2);
  ctx.AddTask(Res("cpus:3;mem:256"), /*shape=*/3);
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{-1, -1, 1}));
  EXPECT_EQ(ctx.CanPlaceCallsFor(0), 0u);
  EXPECT_EQ(ctx.CanPlaceCallsFor(1), 0u);
  EXPECT_EQ(ctx.CanPlaceCallsFor(2), 1u);  // offer 0 has too few cpus: not asked
}

TEST_F(FirstFitTest, StopsScanningOnceTheContextIsExhausted) {
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:2;mem:2048"));
  for (int i = 0; i < 100; ++i) ctx.AddTask(Res("cpus:1;mem:1024"), /*shape=*/1);
  policy_.Place(ctx);
  // Two tasks fill the offer exactly; the other 98 are never looked at.
  EXPECT_EQ(ctx.placements().size(), 2u);
  EXPECT_TRUE(ctx.Exhausted());
  EXPECT_EQ(ctx.can_place_calls().size(), 2u);
}

TEST_F(FirstFitTest, NoOffersOrNoTasksPlacesNothing) {
  FakePlacementContext no_offers(view_);
  no_offers.AddTask(Res("cpus:1"));
  policy_.Place(no_offers);
  EXPECT_TRUE(no_offers.placements().empty());

  FakePlacementContext no_tasks(view_);
  no_tasks.AddOffer(AgentId(0), Res("cpus:1"));
  policy_.Place(no_tasks);
  EXPECT_TRUE(no_tasks.placements().empty());
  EXPECT_TRUE(no_tasks.can_place_calls().empty());
}

}  // namespace
}  // namespace clustersim::plugins
