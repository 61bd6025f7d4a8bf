// Cases of Mesos's own allocator tests (src/tests/hierarchical_allocator_tests.cpp, Mesos 1.11.0),
// set up as Mesos sets them up and driven through clustersim's master and DRF allocator on the
// simulated clock (Mesos's tests pause theirs: Clock::pause(), then Clock::advance per cycle).
// One test per Mesos test, named after it; the expected allocations are Mesos's, with its lines.

#include <gtest/gtest.h>

#include <map>

#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using test::MasterHarness;
using test::ScenarioBuilder;
using test::Sec;

// SameShareFairness (T:1311-1360). Two frameworks in role `*`, one agent cpus:2;mem:1024; each
// allocation is the whole agent, returned at once with no filter (recoverResources with
// filters = None, T:1348-1353), then the clock advances one allocation interval (1 s). Over 10
// allocations each framework gets the agent 5 times (T:1358-1359): after the return both shares
// are 0 again and the DRF sorter's allocation count (sorter.hpp:427-429, incremented per offer by
// Allocation::add, sorter.hpp:332) sends the next one to the other framework.
std::map<uint32_t, int> SameShareFairnessCounts(plugins::DrfTieBreak tie_break) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build(), tie_break);
  const FrameworkId framework1 = h.AddFramework("framework1", "*");
  const FrameworkId framework2 = h.AddFramework("framework2", "*");
  h.AddAgent("agent1", "cpus:2;mem:1024");
  std::map<uint32_t, int> counts{{framework1.value, 0}, {framework2.value, 0}};
  h.on_offer = [&](const MasterHarness::Received& o) {
    EXPECT_EQ(o.resources, test::Res("cpus:2;mem:1024"));  // the whole agent (T:1340-1344)
    ++counts[o.framework.value];
    h.Decline(o, sim::Time::Zero());  // no filter
  };
  // Allocations at t = 0 (the agent's registration triggers one) and at every interval after:
  // t = 0 .. 9 are the 10 of the Mesos loop (T:1336).
  h.RunUntil(Sec(9.5));
  EXPECT_EQ(h.received.size(), 10u);
  return counts;
}

TEST(MesosConformance, SameShareFairness) {
  const std::map<uint32_t, int> counts = SameShareFairnessCounts(plugins::DrfTieBreak::kMesos);
  EXPECT_EQ(counts.at(0), 5);  // framework1, T:1358
  EXPECT_EQ(counts.at(1), 5);  // framework2, T:1359
}

// The deliberate non-Mesos order kept for comparison: ties by registration alone give every
// allocation to framework1 (what clustersim did before issue 14).
TEST(MesosConformance, SameShareFairnessDoesNotHoldWithRegistrationTieBreak) {
  const std::map<uint32_t, int> counts =
      SameShareFairnessCounts(plugins::DrfTieBreak::kRegistration);
  EXPECT_EQ(counts.at(0), 10);
  EXPECT_EQ(counts.at(1), 0);
}

}  // namespace
}  // namespace clustersim::models
