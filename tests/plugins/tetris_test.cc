#include "scheduler_plugins/placements/tetris.h"

#include <gtest/gtest.h>

#include <vector>

#include "scheduler_plugins/placements/first_fit.h"
#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::FakePlacementContext;
using test::Res;

class TetrisTest : public ::testing::Test {
 protected:
  TetrisTest() {
    view_.AddAgent("a0", Res("cpus:8;mem:8192"));
    view_.AddAgent("a1", Res("cpus:8;mem:8192"));
  }
  FakeClusterView view_;
  TetrisPlacement policy_;
};

TEST_F(TetrisTest, AlignmentOnAHandCase) {
  // Agents of <8 cpus, 8 GiB>. Offer A has <6 cpus, 2 GiB> free, offer B <2 cpus, 6 GiB>.
  // t0 is memory-heavy <1 cpu, 3 GiB>, t1 cpu-heavy <4 cpus, 1 GiB>. Alignment, normalised:
  //   t1 on A: (4/8)(6/8) + (1/8)(2/8) = 0.375   + 0.03125 = 0.40625   <- best pair
  //   t0 on B: (1/8)(2/8) + (3/8)(6/8) = 0.03125 + 0.28125 = 0.3125
  //   t0 on A: does not fit (3 GiB > 2 GiB); t1 on B: does not fit (4 cpus > 2)
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:6;mem:2048"));
  ctx.AddOffer(AgentId(1), Res("cpus:2;mem:6144"));
  ctx.AddTask(Res("cpus:1;mem:3072"));
  ctx.AddTask(Res("cpus:4;mem:1024"));
  EXPECT_DOUBLE_EQ(TetrisPlacement::Alignment(ctx, 1, 0), 0.40625);
  EXPECT_DOUBLE_EQ(TetrisPlacement::Alignment(ctx, 0, 1), 0.3125);
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{1, 0}));
  ASSERT_EQ(ctx.placements().size(), 2u);
  EXPECT_EQ(ctx.placements()[0], (std::pair<size_t, size_t>{1, 0}));  // best pair first
}

TEST_F(TetrisTest, PacksMoreThanQueueOrderWhenTheHeadWouldFragment) {
  // One offer of <6 cpus, 2 GiB>. The head of the queue, <1 cpu, 2 GiB>, takes all the memory
  // and strands 5 cpus; two <3 cpus, 1 GiB> tasks align better and both fit.
  //   t0: (1/8)(6/8) + (2/8)(2/8) = 0.15625;  t1, t2: (3/8)(6/8) + (1/8)(2/8) = 0.3125
  auto fill = [&](FakePlacementContext& ctx) {
    ctx.AddOffer(AgentId(0), Res("cpus:6;mem:2048"));
    ctx.AddTask(Res("cpus:1;mem:2048"), /*shape=*/1);
    ctx.AddTask(Res("cpus:3;mem:1024"), /*shape=*/2);
    ctx.AddTask(Res("cpus:3;mem:1024"), /*shape=*/2);
  };
  FakePlacementContext tetris(view_), first(view_);
  fill(tetris);
  fill(first);
  policy_.Place(tetris);
  FirstFitPlacement().Place(first);
  EXPECT_EQ(tetris.placed(), (std::vector<int>{-1, 0, 0}));
  EXPECT_EQ(first.placed(), (std::vector<int>{0, -1, -1}));
}

TEST_F(TetrisTest, StaleCachedBestsAreRescored) {
  // Both offers' best shape is the single task of shape 1; once it is placed on one, the other
  // offer must find its next best (shape 2) rather than re-place it.
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:8;mem:8192"));
  ctx.AddOffer(AgentId(1), Res("cpus:8;mem:8192"));
  ctx.AddTask(Res("cpus:4;mem:4096"), /*shape=*/1);
  ctx.AddTask(Res("cpus:1;mem:1024"), /*shape=*/2);
  ctx.AddTask(Res("cpus:1;mem:1024"), /*shape=*/2);
  policy_.Place(ctx);
  for (int p : ctx.placed()) EXPECT_GE(p, 0);
  EXPECT_EQ(ctx.placements().size(), 3u);
}

}  // namespace
}  // namespace clustersim::plugins
