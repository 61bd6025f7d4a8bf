#include "scheduler_plugins/placements/roomless_demands.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "scheduler_plugins/placements/best_fit.h"
#include "scheduler_plugins/placements/first_fit.h"
#include "scheduler_plugins/placements/random_fit.h"
#include "scheduler_plugins/placements/scoring.h"
#include "scheduler_plugins/placements/tetris.h"
#include "sim/random.h"
#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::FakePlacementContext;
using test::Res;

TaskView Task(const char* resources, Os os = Os::kLinux) {
  TaskView t;
  t.resources = Res(resources);
  t.os = os;
  return t;
}

class RoomlessDemandsTest : public ::testing::Test {
 protected:
  RoomlessDemandsTest() {
    view_.AddAgent("linux", Res("cpus:8;mem:8192"));
    view_.AddAgent("windows", Res("cpus:8;mem:8192"), Os::kWindows, OsVersion::kLtsc2022,
                   Isolation::kProcess);
  }
  FakeClusterView view_;
};

TEST_F(RoomlessDemandsTest, CoversDemandsAtLeastAsLargeInEveryKind) {
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:1;mem:512"));
  RoomlessDemands memo(ctx);
  RoomlessDemands::Platform& linux = memo.For(Task("cpus:2;mem:1024"));
  linux.Add(Res("cpus:2;mem:1024"));
  EXPECT_TRUE(linux.Covers(Res("cpus:2;mem:1024")));
  EXPECT_TRUE(linux.Covers(Res("cpus:3;mem:2048;disk:10")));
  EXPECT_FALSE(linux.Covers(Res("cpus:1;mem:4096")));  // fewer cpus: may fit somewhere
  EXPECT_FALSE(linux.Covers(Res("cpus:3;mem:512")));   // less memory
}

TEST_F(RoomlessDemandsTest, KeepsOnlyTheMinimalDemandsUpToACap) {
  FakePlacementContext ctx(view_);
  RoomlessDemands memo(ctx);
  RoomlessDemands::Platform& p = memo.For(Task("cpus:1"));
  p.Add(Res("cpus:4;mem:4096"));
  p.Add(Res("cpus:8;mem:8192"));  // already covered: not kept
  EXPECT_EQ(p.kept(), 1u);
  p.Add(Res("cpus:2;mem:1024"));  // smaller: replaces the first
  EXPECT_EQ(p.kept(), 1u);
  EXPECT_TRUE(p.Covers(Res("cpus:2;mem:1024")));
  // Incomparable demands (more cpus, less memory) are kept side by side, at most kMaxKept.
  for (int i = 0; i < 100; ++i) {
    p.Add(Resources::Of(3 + i, 1000 - i));
  }
  EXPECT_EQ(p.kept(), RoomlessDemands::kMaxKept);
  EXPECT_TRUE(p.Covers(Resources::Of(3, 1000)));             // kept
  EXPECT_FALSE(p.Covers(Resources::Of(3 + 99, 1000 - 99)));  // beyond the cap
  EXPECT_TRUE(p.Covers(Res("cpus:2;mem:1024")));             // still there
}

TEST_F(RoomlessDemandsTest, EachImagePlatformHasItsOwnOffersAndMemo) {
  FakePlacementContext ctx(view_);
  ctx.AddOffer(AgentId(0), Res("cpus:4;mem:4096"));  // Linux
  ctx.AddOffer(AgentId(1), Res("cpus:4;mem:4096"));  // Windows Server 2022
  RoomlessDemands memo(ctx);
  {
    RoomlessDemands::Platform& linux = memo.For(Task("cpus:1"));
    EXPECT_TRUE(linux.MayFit(0, Res("cpus:1")));
    EXPECT_FALSE(linux.MayFit(1, Res("cpus:1")));  // a Linux image cannot run on Windows
    linux.Add(Res("cpus:5"));
  }
  {
    RoomlessDemands::Platform& windows = memo.For(Task("cpus:1", Os::kWindows));
    EXPECT_FALSE(windows.MayFit(0, Res("cpus:1")));
    EXPECT_TRUE(windows.MayFit(1, Res("cpus:1")));
    EXPECT_FALSE(windows.MayFit(1, Res("cpus:5")));  // no room
    EXPECT_FALSE(windows.Covers(Res("cpus:5")));     // Linux's memo is not Windows's
  }
  // The same platform (any size of task) finds the same memo.
  EXPECT_TRUE(memo.For(Task("cpus:3;mem:1")).Covers(Res("cpus:5")));
}

// First fit as the policy states it, without memos: every task asks every offer in order.
std::vector<int> NaiveFirstFit(FakePlacementContext& ctx) {
  for (size_t t = 0; t < ctx.tasks().size(); ++t) {
    for (size_t o = 0; o < ctx.offers().size(); ++o) {
      if (ctx.CanPlace(t, o)) {
        ctx.Place(t, o);
        break;
      }
    }
  }
  return ctx.placed();
}

// Best fit likewise: the feasible offer with the least dominant leftover, ties to the earlier.
std::vector<int> NaiveBestFit(FakePlacementContext& ctx, const ClusterView& view) {
  for (size_t t = 0; t < ctx.tasks().size(); ++t) {
    size_t best = ctx.offers().size();
    double best_left = 0;
    for (size_t o = 0; o < ctx.offers().size(); ++o) {
      if (!ctx.CanPlace(t, o)) continue;
      const double left = DominantLeftover(ctx.remaining(o), ctx.tasks()[t].resources,
                                           view.agent(ctx.offers()[o].agent).capacity);
      if (best == ctx.offers().size() || left < best_left) {
        best = o;
        best_left = left;
      }
    }
    if (best < ctx.offers().size()) ctx.Place(t, best);
  }
  return ctx.placed();
}

// Random fit likewise: each task draws from its candidates, an offer it does not fit leaves them.
std::vector<int> NaiveRandomFit(FakePlacementContext& ctx, sim::Rng rng) {
  std::vector<uint32_t> pool(ctx.offers().size());
  for (uint32_t o = 0; o < pool.size(); ++o) pool[o] = o;
  for (size_t t = 0; t < ctx.tasks().size() && !ctx.Exhausted(); ++t) {
    for (size_t candidates = pool.size(); candidates > 0;) {
      const size_t pick = static_cast<size_t>(rng.UniformInt(candidates));
      if (ctx.CanPlace(t, pool[pick])) {
        ctx.Place(t, pool[pick]);
        break;
      }
      std::swap(pool[pick], pool[--candidates]);
    }
  }
  return ctx.placed();
}

// Tetris: the feasible (task, offer) pair with the best alignment, over the next task of every
// shape (shapes in order of first appearance), ties to the earlier shape then the earlier offer.
std::vector<int> NaiveTetris(FakePlacementContext& ctx) {
  std::vector<uint32_t> shapes;  // first appearance order
  for (const TaskView& task : ctx.tasks()) {
    if (std::find(shapes.begin(), shapes.end(), task.shape) == shapes.end()) {
      shapes.push_back(task.shape);
    }
  }
  for (;;) {
    size_t best_t = 0, best_o = ctx.offers().size();
    double best_score = 0;
    for (uint32_t shape : shapes) {
      size_t t = 0;
      while (t < ctx.tasks().size() && (ctx.tasks()[t].shape != shape || ctx.placed()[t] >= 0)) {
        ++t;
      }
      if (t == ctx.tasks().size()) continue;
      for (size_t o = 0; o < ctx.offers().size(); ++o) {
        if (!ctx.CanPlace(t, o)) continue;
        const double score = TetrisPlacement::Alignment(ctx, t, o);
        if (best_o == ctx.offers().size() || score > best_score) {
          best_t = t;
          best_o = o;
          best_score = score;
        }
      }
    }
    if (best_o == ctx.offers().size()) break;
    ctx.Place(best_t, best_o);
  }
  return ctx.placed();
}

// The memos only skip pairs CanPlace would refuse: on random rounds (tasks of distinct sizes,
// Linux and Windows, some pairs forbidden) the policies place exactly as their naive forms, and
// random-fit makes the same draws.
TEST(RoomlessDemandsPropertyTest, PoliciesPlaceAsTheirNaiveForms) {
  sim::Rng rng(20261204);
  for (int round = 0; round < 300; ++round) {
    FakeClusterView view;
    const int agents = 1 + static_cast<int>(rng.UniformInt(12));
    for (int a = 0; a < agents; ++a) {
      const bool windows = rng.UniformInt(3) == 0;
      view.AddAgent("a", Res("cpus:16;mem:16384"), windows ? Os::kWindows : Os::kLinux,
                    windows ? OsVersion::kLtsc2022 : OsVersion::kNone,
                    windows ? Isolation::kProcess : Isolation::kDocker);
    }
    auto make = [&](sim::Rng r) {
      auto ctx = std::make_unique<FakePlacementContext>(view);
      for (int a = 0; a < agents; ++a) {
        ctx->AddOffer(AgentId(a), Resources::Of(1 + r.UniformInt(8), 256 * (1 + r.UniformInt(16))));
      }
      // A third of the tasks repeat an earlier task's shape (same resources and OS, as shapes
      // promise); tasks of their own shape may have a forbidden offer (as a constraint would).
      const int tasks = static_cast<int>(r.UniformInt(60));
      std::vector<bool> forbidden;
      for (int t = 0; t < tasks; ++t) {
        if (t > 0 && r.UniformInt(3) == 0) {
          const size_t like = r.UniformInt(t);
          if (!forbidden[like]) {
            ctx->AddTask(ctx->tasks()[like], static_cast<int>(ctx->tasks()[like].shape));
            forbidden.push_back(false);
            continue;
          }
        }
        TaskView task;
        task.resources = Resources::Of(0.5 * (1 + r.UniformInt(8)), 128 * (1 + r.UniformInt(24)));
        task.os = r.UniformInt(4) == 0 ? Os::kWindows : Os::kLinux;
        ctx->AddTask(task);
        forbidden.push_back(r.UniformInt(5) == 0);
        if (forbidden.back()) ctx->Forbid(t, r.UniformInt(agents));
      }
      return ctx;
    };
    const uint64_t seed = rng.UniformInt(1u << 30);
    // The policy on one copy of the round, its naive form on another.
    auto same = [&](const char* policy, const auto& place, const auto& naive) {
      auto with_memos = make(sim::Rng(seed));
      auto without = make(sim::Rng(seed));
      place(*with_memos);
      EXPECT_EQ(with_memos->placed(), naive(*without)) << policy << ", round " << round;
    };
    same(
        "first-fit", [](auto& ctx) { FirstFitPlacement().Place(ctx); }, NaiveFirstFit);
    same(
        "best-fit", [](auto& ctx) { BestFitPlacement().Place(ctx); },
        [&](auto& ctx) { return NaiveBestFit(ctx, view); });
    same(
        "tetris", [](auto& ctx) { TetrisPlacement().Place(ctx); }, NaiveTetris);
    same(
        "random-fit", [&](auto& ctx) { RandomFitPlacement(sim::Rng(seed + 1)).Place(ctx); },
        [&](auto& ctx) { return NaiveRandomFit(ctx, sim::Rng(seed + 1)); });
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace
}  // namespace clustersim::plugins

namespace clustersim::plugins {
namespace {

// Tetris's tree search (DemandTree) on larger rounds than above: up to 150 tasks over three
// kinds (gpus on some agents) with demands from small sets, so that many shapes ask alike and tie
// on alignment, leaves hold more than DemandTree::kLeafSize equal points, and the bound's pruning
// meets equal scores. It places exactly as the naive form (every shape on every offer).
TEST(RoomlessDemandsPropertyTest, TetrisSearchesAsTheNaiveFormOnLargeRounds) {
  sim::Rng rng(20261205);
  for (int round = 0; round < 40; ++round) {
    FakeClusterView view;
    const int agents = 1 + static_cast<int>(rng.UniformInt(8));
    for (int a = 0; a < agents; ++a) {
      const bool gpus = rng.UniformInt(2) == 0;
      view.AddAgent("a", Res(gpus ? "cpus:32;mem:65536;gpus:4" : "cpus:32;mem:65536"));
    }
    auto make = [&](sim::Rng r) {
      auto ctx = std::make_unique<FakePlacementContext>(view);
      for (int a = 0; a < agents; ++a) {
        Resources room = Resources::Of(1 + r.UniformInt(32), 1024 * (1 + r.UniformInt(64)));
        room.Set(kGpus, static_cast<double>(r.UniformInt(5)));
        ctx->AddOffer(AgentId(a), room);
      }
      const int tasks = 40 + static_cast<int>(r.UniformInt(111));
      for (int t = 0; t < tasks; ++t) {
        TaskView task;
        task.resources = Resources::Of(0.5 * (1 << r.UniformInt(4)), 256 << r.UniformInt(4));
        if (r.UniformInt(4) == 0) task.resources.Set(kGpus, 1);
        if (t > 0 && r.UniformInt(4) == 0) {  // a repeat of an earlier task's shape
          const TaskView like = ctx->tasks()[r.UniformInt(t)];
          ctx->AddTask(like, static_cast<int>(like.shape));
        } else {
          ctx->AddTask(task);
        }
      }
      return ctx;
    };
    const uint64_t seed = rng.UniformInt(1u << 30);
    auto tree = make(sim::Rng(seed));
    auto naive = make(sim::Rng(seed));
    TetrisPlacement().Place(*tree);
    EXPECT_EQ(tree->placed(), NaiveTetris(*naive)) << "round " << round;
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace
}  // namespace clustersim::plugins
