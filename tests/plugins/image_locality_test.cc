#include "scheduler_plugins/placements/image_locality.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::FakePlacementContext;
using test::Res;

TaskView WithImage(const char* res, uint32_t image) {
  TaskView t;
  t.resources = Res(res);
  t.has_image = true;
  t.image = ImageId(image);
  return t;
}

class ImageLocalityTest : public ::testing::Test {
 protected:
  ImageLocalityTest() {
    for (int i = 0; i < 3; ++i) view_.AddAgent("a" + std::to_string(i), Res("cpus:8;mem:8192"));
    // Image 5: 3000 MiB missing on a0, 200 MiB on a1, cached on a2.
    view_.SetMissing(AgentId(0), ImageId(5), 3000);
    view_.SetMissing(AgentId(1), ImageId(5), 200);
    // Image 6: cold everywhere.
    for (int a = 0; a < 3; ++a) view_.SetMissing(AgentId(a), ImageId(6), 5000);
  }
  FakeClusterView view_;
  ImageLocalityPlacement policy_;
};

TEST_F(ImageLocalityTest, PicksTheWarmAgent) {
  FakePlacementContext ctx(view_);
  for (int a = 0; a < 3; ++a) ctx.AddOffer(AgentId(a), Res("cpus:4;mem:4096"));
  ctx.AddTask(WithImage("cpus:1;mem:1024", 5));
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{2}));
}

TEST_F(ImageLocalityTest, LeastMissingWhenTheWarmAgentIsFull) {
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:4;mem:4096"));
  ctx.AddOffer(AgentId(1), Res("cpus:4;mem:4096"));
  ctx.AddOffer(AgentId(2), Res("cpus:1;mem:1024"));  // warm, room for one
  ctx.AddTask(WithImage("cpus:1;mem:1024", 5));
  ctx.AddTask(WithImage("cpus:1;mem:1024", 5));
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{2, 1}));
}

TEST_F(ImageLocalityTest, AColdImagePulledOnceIsSharedByTheRound) {
  // Image 6 is cold everywhere: the first task picks the first offer; the others follow it there
  // (the pull is shared) rather than pulling 5000 MiB on every agent.
  FakePlacementContext ctx(view_);
  for (int a = 0; a < 3; ++a) ctx.AddOffer(AgentId(a), Res("cpus:4;mem:4096"));
  for (int t = 0; t < 3; ++t) ctx.AddTask(WithImage("cpus:1;mem:1024", 6), /*shape=*/9);
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{0, 0, 0}));
}

TEST_F(ImageLocalityTest, TasksWithoutAnImageAreFirstFit) {
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:1;mem:1024"));
  ctx.AddOffer(AgentId(1), Res("cpus:4;mem:4096"));
  ctx.AddTask(Res("cpus:1;mem:1024"));
  ctx.AddTask(Res("cpus:1;mem:1024"));
  policy_.Place(ctx);
  EXPECT_EQ(ctx.placed(), (std::vector<int>{0, 1}));
}

}  // namespace
}  // namespace clustersim::plugins
