#include "scheduler_plugins/placements/spread.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::FakePlacementContext;
using test::Res;

class SpreadTest : public ::testing::Test {
 protected:
  SpreadTest() {
    for (int i = 0; i < 3; ++i) view_.AddAgent("a" + std::to_string(i), Res("cpus:8;mem:8192"));
  }
  FakeClusterView view_;
  SpreadPlacement policy_;
};

TEST_F(SpreadTest, PicksTheEmptiestAgent) {
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:3;mem:3072"));
  ctx.AddOffer(AgentId(1), Res("cpus:7;mem:7168"));  // emptiest
  ctx.AddOffer(AgentId(2), Res("cpus:5;mem:5120"));
  ctx.AddTask(Res("cpus:1;mem:1024"));
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{1}));
}

TEST_F(SpreadTest, EqualAgentsTakeTurns) {
  FakePlacementContext ctx(view_);
  for (int a = 0; a < 3; ++a) ctx.AddOffer(AgentId(a), Res("cpus:8;mem:8192"));
  for (int t = 0; t < 6; ++t) ctx.AddTask(Res("cpus:1;mem:1024"), /*shape=*/1);
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{0, 1, 2, 0, 1, 2}));
}

TEST_F(SpreadTest, AmongEquallyEmptyOffersFewestTasksFirst) {
  // Offer 0 starts with <4 cpus> and receives a 0-cpu task: its leftover stays 4/8, equal to
  // offer 1's, but it now has a task this round, so the next tie goes to offer 1.
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:4;mem:4096"));
  ctx.AddOffer(AgentId(1), Res("cpus:4;mem:4096"));
  ctx.AddTask(Res("disk:0"));
  ctx.AddTask(Res("disk:0"));
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{0, 1}));
}

}  // namespace
}  // namespace clustersim::plugins
