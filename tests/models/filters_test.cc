#include "models/master/filters.h"

#include <gtest/gtest.h>

#include "tests/support/builders.h"

namespace clustersim::models {
namespace {

using plugins::AgentId;
using test::Res;

sim::Time S(double s) { return sim::Time::FromSeconds(s); }

TEST(OfferFiltersTest, BlocksSubsetsOfTheRefusedResourcesOnThatAgentOnly) {
  OfferFilters f;
  f.Add(AgentId(0), Res("cpus:4;mem:4096"), S(10));
  EXPECT_TRUE(f.Blocks(AgentId(0), Res("cpus:4;mem:4096"), S(1)));   // equal
  EXPECT_TRUE(f.Blocks(AgentId(0), Res("cpus:1;mem:4096"), S(1)));   // subset
  EXPECT_FALSE(f.Blocks(AgentId(0), Res("cpus:5;mem:4096"), S(1)));  // more cpus
  EXPECT_FALSE(f.Blocks(AgentId(0), Res("cpus:1;mem:5000"), S(1)));  // more mem
  EXPECT_FALSE(f.Blocks(AgentId(0), Res("cpus:1;gpus:1"), S(1)));    // a kind not refused
  EXPECT_FALSE(f.Blocks(AgentId(1), Res("cpus:1"), S(1)));           // another agent
}

TEST(OfferFiltersTest, ExpiresAtItsDeadline) {
  OfferFilters f;
  f.Add(AgentId(0), Res("cpus:4"), S(10));
  EXPECT_TRUE(f.Blocks(AgentId(0), Res("cpus:4"), S(9.999999)));
  EXPECT_FALSE(f.Blocks(AgentId(0), Res("cpus:4"), S(10)));
  EXPECT_EQ(f.size(), 0u);  // dropped once met expired
  f.Add(AgentId(0), Res("cpus:4"), S(20));
  f.Clear();
  EXPECT_FALSE(f.Blocks(AgentId(0), Res("cpus:4"), S(11)));
}

TEST(OfferFiltersTest, SeveralFiltersOnOneAgentEachBlock) {
  // Mesos keeps every refusal filter of a framework on an agent (a set per agent) and an offer is
  // filtered if any of them covers it. Here: refused <2 cpus, 3584 mem> until 100 s, later
  // <3.5 cpus, 1512 mem> until 50 s (the second offer was not a subset of the first, so it was
  // made). An offer of <2 cpus, 2000 mem> is covered by the first only.
  OfferFilters f;
  f.Add(AgentId(0), Res("cpus:2;mem:3584"), S(100));
  f.Add(AgentId(0), Res("cpus:3.5;mem:1512"), S(50));
  EXPECT_TRUE(f.Blocks(AgentId(0), Res("cpus:2;mem:2000"), S(10)));   // first filter
  EXPECT_TRUE(f.Blocks(AgentId(0), Res("cpus:3;mem:1000"), S(10)));   // second filter
  EXPECT_FALSE(f.Blocks(AgentId(0), Res("cpus:3;mem:2000"), S(10)));  // neither
  // Each expires on its own.
  EXPECT_FALSE(f.Blocks(AgentId(0), Res("cpus:3;mem:1000"), S(50)));
  EXPECT_TRUE(f.Blocks(AgentId(0), Res("cpus:2;mem:2000"), S(50)));
  EXPECT_FALSE(f.Blocks(AgentId(0), Res("cpus:2;mem:2000"), S(100)));
}

}  // namespace
}  // namespace clustersim::models
