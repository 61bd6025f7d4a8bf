#include "scheduler_plugins/allocators/random.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "tests/plugins/allocator_driver.h"
#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::Res;
using test::VisitOrder;

class RandomTest : public ::testing::Test {
 protected:
  RandomTest() { view_.AddAgent("a0", Res("cpus:8;mem:8192")); }
  // Five frameworks, each in its own role of weight 1.
  void AddFrameworks(RandomAllocator& policy, int n = 5) {
    for (int i = 0; i < n; ++i) {
      if (view_.framework_count() <= static_cast<size_t>(i)) {
        view_.AddFramework("f" + std::to_string(i), view_.AddRole("r" + std::to_string(i)));
      }
      policy.FrameworkAdded(view_, FrameworkId(i));
    }
  }
  std::vector<std::vector<uint32_t>> Orders(RandomAllocator& policy, int draws) {
    std::vector<std::vector<uint32_t>> out;
    for (int i = 0; i < draws; ++i) out.push_back(VisitOrder(policy, view_));
    return out;
  }
  FakeClusterView view_;
};

TEST_F(RandomTest, EachVisitIsAPermutationOfTheActiveFrameworks) {
  RandomAllocator policy(sim::Rng(7));
  AddFrameworks(policy);
  for (const auto& order : Orders(policy, 50)) {
    EXPECT_EQ(std::set<uint32_t>(order.begin(), order.end()), (std::set<uint32_t>{0, 1, 2, 3, 4}));
    EXPECT_EQ(order.size(), 5u);
  }
  policy.FrameworkRemoved(view_, FrameworkId(2));
  for (const auto& order : Orders(policy, 20)) {
    EXPECT_EQ(std::set<uint32_t>(order.begin(), order.end()), (std::set<uint32_t>{0, 1, 3, 4}));
  }
}

TEST_F(RandomTest, DeterministicPerSeedAndDifferentAcrossSeeds) {
  RandomAllocator a(sim::Rng(42)), b(sim::Rng(42)), c(sim::Rng(43));
  AddFrameworks(a);
  AddFrameworks(b);
  AddFrameworks(c);
  const auto oa = Orders(a, 30), ob = Orders(b, 30), oc = Orders(c, 30);
  EXPECT_EQ(oa, ob);
  EXPECT_NE(oa, oc);
  // And the order is not the same every time (it is drawn per visit, not once).
  EXPECT_GT(std::set<std::vector<uint32_t>>(oa.begin(), oa.end()).size(), 5u);
}

TEST_F(RandomTest, VisitStopsAtTheTakerAndDrawsNoFurther) {
  RandomAllocator policy(sim::Rng(1));
  AddFrameworks(policy);
  int visited = 0;
  policy.VisitInOrder(view_, AgentId(0), [&](FrameworkId) {
    ++visited;
    return true;
  });
  EXPECT_EQ(visited, 1);
}

TEST_F(RandomTest, RoleWeightsBiasWhoComesFirst) {
  // heavy (weight 3) vs light (weight 1): heavy is drawn first with probability 3/4.
  view_.AddFramework("heavy", view_.AddRole("heavy", 3.0));
  view_.AddFramework("light", view_.AddRole("light", 1.0));
  RandomAllocator policy(sim::Rng(5));
  policy.FrameworkAdded(view_, FrameworkId(0));
  policy.FrameworkAdded(view_, FrameworkId(1));
  int heavy_first = 0;
  const int kDraws = 4000;
  for (int i = 0; i < kDraws; ++i) heavy_first += VisitOrder(policy, view_).front() == 0 ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(heavy_first) / kDraws, 0.75, 0.03);
}

// On a role tree Mesos draws each role's leaf with its relative weight, Rw(node) = Rw(parent) ×
// w(node) / Σ w(siblings and node) (sorter/random/sorter.cpp:502-547): roles a/x, a/y and b at
// weight 1 give b 1/2 (not 1/3) of the first places; with weight 3 on `a`, b gets 1/4. A role
// with frameworks and subroles (`a` itself) is a virtual leaf `a/.` among a's children.
TEST_F(RandomTest, RoleTreeRelativeWeights) {
  RandomAllocator policy(sim::Rng(11));
  for (const char* role : {"a/x", "a/y", "b"}) {
    policy.FrameworkAdded(view_, view_.AddFramework(role, view_.AddRole(role)));
  }
  auto b_first = [&](int draws) {
    int n = 0;
    for (const auto& order : Orders(policy, draws)) n += order.front() == 2;
    return static_cast<double>(n) / draws;
  };
  EXPECT_NEAR(b_first(20000), 0.5, 0.02);
  view_.SetPathWeight("a", 3);
  policy.RoleWeightsChanged(view_);
  EXPECT_NEAR(b_first(20000), 0.25, 0.02);
  // `a` joins with a framework: leaves a/., a/x, a/y share a's 3/4; b keeps 1/4.
  policy.FrameworkAdded(view_, view_.AddFramework("a", view_.AddRole("a")));
  EXPECT_NEAR(b_first(20000), 0.25, 0.02);
  int a_first = 0;
  for (const auto& order : Orders(policy, 20000)) a_first += order.front() == 3;
  EXPECT_NEAR(a_first / 20000.0, 0.25, 0.02);  // 3/4 × 1/3
}

}  // namespace
}  // namespace clustersim::plugins
