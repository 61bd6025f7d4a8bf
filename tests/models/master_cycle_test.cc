// Allocation cycles driven by hand (Master::AllocateNow) and cycles that skip agents no framework
// can take.
#include <gtest/gtest.h>

#include <vector>

#include "models/master/master.h"
#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using testing::MasterHarness;
using testing::ScenarioBuilder;
using testing::Sec;

// --- AllocateNow and idle agents -----------------------------------------------------------------

TEST(MasterCycleTest, AllocateNowRunsOneCycleAndCountsItsOffers) {
  MasterHarness h;
  for (int i = 0; i < 3; ++i) h.AddAgent("a" + std::to_string(i), "cpus:4;mem:4096");
  h.AddFramework("f");
  EXPECT_EQ(h.master().AllocateNow(), 3);
  EXPECT_EQ(h.received.size(), 3u);
  EXPECT_EQ(h.master().AllocateNow(), 0);  // everything is offered
  EXPECT_EQ(h.master().cycles(), 2u);
}

TEST(MasterCycleTest, FilteredAgentIsOfferedAgainWhenItsFilterExpires) {
  // One agent, one framework that declines with a 5 s filter at t = 0: the cycles at 1..4 s find
  // it filtered (and skip it from the second on); the one at 5 s offers it again.
  MasterHarness h;
  h.AddAgent("a", "cpus:4;mem:4096");
  h.AddFramework("f");
  h.on_offer = [&](const MasterHarness::Received& r) {
    if (r.at == Sec(0)) h.Decline(r, Sec(5));
  };
  h.RunUntil(Sec(7.5));
  ASSERT_EQ(h.received.size(), 2u);
  EXPECT_EQ(h.received[1].at, Sec(5));
}

TEST(MasterCycleTest, IdleAgentIsOfferedWhenItsResourcesGrowOrTheFrameworkRevives) {
  MasterHarness h;
  const auto a = h.AddAgent("a", "cpus:4;mem:4096");
  const auto f = h.AddFramework("f");
  const auto g = h.AddFramework("g");
  // f takes 1 cpu of the first offer and refuses the rest; every other offer is declined, all with
  // long filters: from t = 2 s no framework can take the 3 cpus left.
  h.on_offer = [&](const MasterHarness::Received& r) {
    if (r.framework == f && r.at == Sec(0)) {
      h.Accept(r, {h.NewTask(f, "cpus:1;mem:1024", 2.5)}, Sec(1000));
    } else {
      h.Decline(r, Sec(1000));
    }
  };
  h.RunUntil(Sec(3.5));
  ASSERT_EQ(h.received.size(), 2u);  // f at 0 s, g (3 cpus) at 1 s
  // The task ends at 0 + 1 s (docker start) + 2.5 s = 3.5 s: the agent's resources grow, so the
  // next cycle (4 s) visits it again and offers all 4 cpus (not covered by 3-cpu filters): to f,
  // then, once f refused them, to g at 5 s.
  h.RunUntil(Sec(5.5));
  ASSERT_EQ(h.received.size(), 4u);
  EXPECT_EQ(h.received[2].at, Sec(4));
  EXPECT_EQ(h.received[2].framework, f);
  EXPECT_EQ(h.received[3].at, Sec(5));
  EXPECT_EQ(h.received[3].framework, g);
  EXPECT_EQ(h.received[3].agent, a);
  // Now everyone refuses 4 cpus: nothing more, until a revive clears g's filters.
  h.RunUntil(Sec(9.5));
  EXPECT_EQ(h.received.size(), 4u);
  h.master().Revive(g);
  h.RunUntil(Sec(9.5));
  ASSERT_EQ(h.received.size(), 5u);
  EXPECT_EQ(h.received.back().framework, g);
  EXPECT_EQ(h.received.back().at, Sec(9.5));
}

}  // namespace
}  // namespace clustersim::models
