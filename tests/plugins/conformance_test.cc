// One set of rules every registered allocator and placement policy must pass (as Mesos runs its
// sorter tests over every sorter): built with no parameters, driven through random scenarios,
// they never visit a framework twice in one VisitInOrder, never visit removed or unknown
// frameworks, never offer more than offerable, never place an infeasible pair or a task twice,
// and do the same thing twice for the same seed.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "scheduler_plugins/api/registry.h"
#include "scheduler_plugins/builtin.h"
#include "sim/random.h"
#include "tests/plugins/allocator_driver.h"
#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::AllocatorDriver;
using test::FakeClusterView;
using test::FakePlacementContext;
using test::Res;

// Every in-process allocator. `external` needs a process to talk to: its orders go through the
// same master checks (tests/integration/external_allocator_test.cc).
std::vector<std::string> AllocatorNames() {
  EXPECT_TRUE(RegisterBuiltinPolicies().ok());
  std::vector<std::string> names = Allocators().Names();
  std::erase(names, "external");
  return names;
}
// Every in-process placement, for the same reason without `external` (its decisions go through
// the same CanPlace and Place: tests/integration/external_policy_test.cc).
std::vector<std::string> PlacementNames() {
  EXPECT_TRUE(RegisterBuiltinPolicies().ok());
  std::vector<std::string> names = Placements().Names();
  std::erase(names, "external");
  return names;
}
std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string s;
  for (char c : info.param) s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return s;
}

// --- Allocators ----------------------------------------------------------------------------------

class AllocatorConformance : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<AllocatorPolicy> Make(uint64_t seed) {
    NoPolicyParams params;
    auto policy = Allocators().Create(GetParam(), params, PolicyEnv{sim::Rng(seed), ""});
    EXPECT_TRUE(policy.ok()) << policy.error();
    return policy.ok() ? std::move(policy).value() : nullptr;
  }

  // A random run: agents, roles and frameworks come and go, frameworks take offers at random and
  // release resources. Returns the log of every visit (agent, framework) and offer made.
  std::vector<uint64_t> Script(uint64_t seed) {
    std::vector<uint64_t> log;
    auto policy = Make(seed);
    if (!policy) return log;
    sim::Rng rng(seed * 7919 + 1);
    FakeClusterView view;
    const int agents = 3 + static_cast<int>(rng.UniformInt(5));
    for (int a = 0; a < agents; ++a) {
      view.AddAgent("a" + std::to_string(a), Res("cpus:8;mem:8192") * (1 + rng.UniformInt(2)));
    }
    policy->TotalChanged(view);
    std::vector<RoleId> roles;
    for (int r = 0; r < 3; ++r) roles.push_back(view.AddRole("r" + std::to_string(r), 1 + r));
    std::vector<bool> present;
    auto add_framework = [&] {
      const FrameworkId f = view.AddFramework("f", roles[rng.UniformInt(roles.size())]);
      present.push_back(true);
      policy->FrameworkAdded(view, f);
    };
    for (int f = 0; f < 4; ++f) add_framework();

    AllocatorDriver driver(*policy, view);
    std::map<std::pair<uint32_t, uint32_t>, Resources> held;  // (framework, agent) -> granted
    for (int cycle = 0; cycle < 25; ++cycle) {
      // Check each VisitInOrder through a wrapper of the driver's visit.
      for (size_t a = 0; a < view.agent_count(); ++a) {
        std::set<uint32_t> seen;
        policy->VisitInOrder(view, AgentId(static_cast<uint32_t>(a)), [&](FrameworkId f) {
          EXPECT_LT(f.index(), present.size()) << "visited an unknown framework";
          if (f.index() < present.size()) {
            EXPECT_TRUE(present[f.index()]) << "visited removed framework " << f.value;
          }
          EXPECT_TRUE(seen.insert(f.value).second) << "visited framework " << f.value << " twice";
          log.push_back(a * 1000 + f.value);
          return false;
        });
      }
      const auto granted =
          driver.Cycle([&](FrameworkId f) { return present[f.index()] && rng.UniformInt(4) != 0; });
      for (const auto& g : granted) {
        log.push_back(1'000'000 + g.agent * 1000 + g.framework);
        held[{g.framework, g.agent}] += g.resources;
      }
      // Some frameworks release what they hold on an agent.
      for (auto& [key, r] : held) {
        if (r.IsZero() || !present[key.first] || rng.UniformInt(3) != 0) continue;
        driver.Release(FrameworkId(key.first), AgentId(key.second), r);
        r = Resources();
      }
      if (cycle == 8) add_framework();
      if (cycle == 12) {
        const size_t f = rng.UniformInt(present.size());
        if (present[f]) {
          present[f] = false;
          view.SetFrameworkActive(FrameworkId(f), false);
          policy->FrameworkRemoved(view, FrameworkId(f));
        }
      }
      if (cycle == 16) {
        const AgentId agent = view.AddAgent("late", Res("cpus:4;mem:4096"));
        (void)agent;
        policy->TotalChanged(view);
      }
    }
    return log;
  }
};

TEST_P(AllocatorConformance, VisitsEachActiveFrameworkAtMostOncePerCall) {
  for (uint64_t seed = 1; seed <= 5; ++seed) Script(seed);
}

TEST_P(AllocatorConformance, DeterministicPerSeed) {
  for (uint64_t seed = 1; seed <= 3; ++seed) EXPECT_EQ(Script(seed), Script(seed));
}

TEST_P(AllocatorConformance, NoFrameworksMeansNoVisits) {
  auto policy = Make(1);
  ASSERT_NE(policy, nullptr);
  FakeClusterView view;
  view.AddAgent("a0", Res("cpus:1;mem:1024"));
  policy->TotalChanged(view);
  policy->BeginCycle(view);
  int visits = 0;
  policy->VisitInOrder(view, AgentId(0), [&](FrameworkId) { return ++visits, false; });
  EXPECT_EQ(visits, 0);
}

INSTANTIATE_TEST_SUITE_P(EveryAllocator, AllocatorConformance,
                         ::testing::ValuesIn(AllocatorNames()), TestName);

// --- Placements ----------------------------------------------------------------------------------

class PlacementConformance : public ::testing::TestWithParam<std::string> {
 protected:
  // A random round: offers of various sizes on agents with images partly cached, tasks of a few
  // shapes (some too big for anything), some forbidden pairs. Returns the placements made.
  std::vector<std::pair<size_t, size_t>> Round(uint64_t seed, bool* ok) {
    NoPolicyParams params;
    auto policy = Placements().Create(GetParam(), params, PolicyEnv{sim::Rng(seed), ""});
    EXPECT_TRUE(policy.ok()) << policy.error();
    if (!policy.ok()) return {};
    sim::Rng rng(seed);
    FakeClusterView view;
    FakePlacementContext ctx(view);
    const size_t agents = rng.UniformInt(6);
    for (size_t a = 0; a < agents; ++a) {
      const AgentId id = view.AddAgent("a", Res("cpus:8;mem:16384"));
      for (uint32_t image = 0; image < 3; ++image) {
        view.SetMissing(id, ImageId(image), 1000.0 * static_cast<double>(rng.UniformInt(4)));
      }
      ctx.AddOffer(id, Res("cpus:1;mem:2048") * (1 + rng.UniformInt(8)));
    }
    const char* sizes[] = {"cpus:1;mem:1024", "cpus:2;mem:512", "cpus:0.5;mem:4096",
                           "cpus:64;mem:1024"};
    const size_t tasks = rng.UniformInt(15);
    for (size_t t = 0; t < tasks; ++t) {
      const int shape = static_cast<int>(rng.UniformInt(4));
      TaskView view_task;
      view_task.resources = Res(sizes[shape]);
      view_task.has_image = true;
      view_task.image = ImageId(static_cast<uint32_t>(shape % 3));
      ctx.AddTask(view_task, shape);
    }
    // Forbidding a pair makes shapes non-uniform, which the context contract does not allow;
    // forbid whole (shape, offer) columns instead, as a constraint would.
    for (size_t o = 0; o < agents; ++o) {
      if (rng.UniformInt(4) != 0) continue;
      const uint32_t shape = static_cast<uint32_t>(rng.UniformInt(4));
      for (size_t t = 0; t < tasks; ++t) {
        if (ctx.tasks()[t].shape == shape) ctx.Forbid(t, o);
      }
    }
    (*policy)->Place(ctx);
    std::set<size_t> seen;
    for (const auto& [t, o] : ctx.placements()) {
      EXPECT_TRUE(seen.insert(t).second) << "task " << t << " placed twice";
      EXPECT_LT(o, ctx.offers().size());
    }
    for (size_t o = 0; o < ctx.offers().size(); ++o) {
      EXPECT_FALSE(ctx.remaining(o).AnyNegative()) << "offer " << o << " over-committed";
    }
    *ok = !::testing::Test::HasFailure();
    return ctx.placements();
  }
};

TEST_P(PlacementConformance, NeverPlacesInfeasiblePairsOrATaskTwice) {
  bool ok = true;
  for (uint64_t seed = 1; seed <= 60 && ok; ++seed) Round(seed, &ok);
}

TEST_P(PlacementConformance, DeterministicPerSeed) {
  bool ok = true;
  for (uint64_t seed = 1; seed <= 20; ++seed) EXPECT_EQ(Round(seed, &ok), Round(seed, &ok));
}

TEST_P(PlacementConformance, PlacesSomethingWhenEverythingFits) {
  // Work conservation: one big offer and small tasks — every policy places them all.
  NoPolicyParams params;
  auto policy = Placements().Create(GetParam(), params, PolicyEnv{sim::Rng(1), ""});
  ASSERT_TRUE(policy.ok()) << policy.error();
  FakeClusterView view;
  FakePlacementContext ctx(view);
  ctx.AddOffer(view.AddAgent("a0", Res("cpus:8;mem:8192")), Res("cpus:8;mem:8192"));
  for (int t = 0; t < 4; ++t) ctx.AddTask(Res("cpus:1;mem:1024"), 1);
  (*policy)->Place(ctx);
  EXPECT_EQ(ctx.placements().size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(EveryPlacement, PlacementConformance,
                         ::testing::ValuesIn(PlacementNames()), TestName);

}  // namespace
}  // namespace clustersim::plugins
