// The flat structures behind the placements' rounds: DemandTree (boxes that bound their points,
// a partition of the points, splits only when asked), ShapeGroups (groups in first-appearance
// order, tasks in queue order, whatever the shape ids) and ShapeSet (a set, through its growth).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "scheduler_plugins/placements/demand_tree.h"
#include "scheduler_plugins/placements/shape_groups.h"
#include "scheduler_plugins/placements/shape_set.h"
#include "sim/random.h"

namespace clustersim::plugins {
namespace {

// Expands every node from `n` down and checks each one: its box is exactly the least and most
// demand of its points per kind, its children split its points in two, and a leaf is small or
// holds points that all ask alike. Returns the points reached.
size_t CheckSubtree(DemandTree& tree, uint32_t n, const std::vector<int64_t>& demands,
                    size_t kinds) {
  tree.Expand(n);
  const DemandTree::Node node = tree.node(n);
  for (size_t j = 0; j < kinds; ++j) {
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (const uint32_t p : tree.points(node)) {
      lo = std::min(lo, demands[p * kinds + j]);
      hi = std::max(hi, demands[p * kinds + j]);
    }
    EXPECT_EQ(tree.min(n)[j], lo);
    EXPECT_EQ(tree.max(n)[j], hi);
  }
  if (node.leaf()) {
    bool alike = true;
    for (size_t j = 0; j < kinds; ++j) alike &= tree.min(n)[j] == tree.max(n)[j];
    EXPECT_TRUE(node.end - node.begin <= DemandTree::kLeafSize || alike);
    return node.end - node.begin;
  }
  EXPECT_EQ(tree.node(node.left).begin, node.begin);
  EXPECT_EQ(tree.node(node.left).end, tree.node(node.right).begin);
  EXPECT_EQ(tree.node(node.right).end, node.end);
  return CheckSubtree(tree, node.left, demands, kinds) +
         CheckSubtree(tree, node.right, demands, kinds);
}

TEST(DemandTreeTest, BoxesBoundAndPartitionTheirPoints) {
  sim::Rng rng(7);
  for (const size_t kinds : {1u, 2u, 3u}) {
    std::vector<int64_t> demands;
    for (int p = 0; p < 500; ++p) {
      // A few repeated values per kind: ties, and runs of equal points longer than a leaf.
      for (size_t j = 0; j < kinds; ++j) demands.push_back(1000 * rng.UniformInt(j == 0 ? 4 : 40));
    }
    std::vector<uint32_t> points;
    for (uint32_t p = 0; p < 500; p += 1 + p % 3) points.push_back(p);  // a subset
    DemandTree tree;
    tree.Build(demands.data(), kinds, points);
    EXPECT_EQ(CheckSubtree(tree, DemandTree::kRoot, demands, kinds), points.size());
    std::vector<uint32_t> held(tree.points(tree.node(DemandTree::kRoot)).begin(),
                               tree.points(tree.node(DemandTree::kRoot)).end());
    std::sort(held.begin(), held.end());
    EXPECT_EQ(held, points);
  }
}

TEST(DemandTreeTest, SplitsOnlyWhatIsExpanded) {
  std::vector<int64_t> demands;
  for (int p = 0; p < 64; ++p) demands.push_back(p);
  std::vector<uint32_t> points(64);
  for (uint32_t p = 0; p < 64; ++p) points[p] = p;
  DemandTree tree;
  tree.Build(demands.data(), 1, points);
  EXPECT_TRUE(tree.node(DemandTree::kRoot).leaf());  // not split until asked
  tree.Expand(DemandTree::kRoot);
  const DemandTree::Node root = tree.node(DemandTree::kRoot);
  ASSERT_FALSE(root.leaf());
  // At the median of the one kind: 0..31 left, 32..63 right.
  EXPECT_EQ(tree.max(root.left)[0], 31);
  EXPECT_EQ(tree.min(root.right)[0], 32);
  EXPECT_TRUE(tree.node(root.left).leaf());
  EXPECT_TRUE(tree.node(root.right).leaf());

  DemandTree empty;
  empty.Build(demands.data(), 1, {});
  EXPECT_TRUE(empty.empty());
}

TEST(ShapeGroupsTest, GroupsInFirstAppearanceOrderWithTasksInQueueOrder) {
  sim::Rng rng(11);
  ShapeGroups groups;
  for (int round = 0; round < 20; ++round) {  // rebuilt in place, as each round does
    std::vector<TaskView> tasks(rng.UniformInt(3000));
    for (TaskView& t : tasks) {
      // Ids far apart and close together, as a long run's shape table hands them out.
      t.shape = static_cast<uint32_t>(rng.UniformInt(2) ? rng.UniformInt(50)
                                                        : UINT32_MAX - rng.UniformInt(2000));
    }
    groups.Build(tasks);
    std::vector<uint32_t> order;
    std::map<uint32_t, std::vector<uint32_t>> expected;
    for (uint32_t t = 0; t < tasks.size(); ++t) {
      if (!expected.contains(tasks[t].shape)) order.push_back(tasks[t].shape);
      expected[tasks[t].shape].push_back(t);
    }
    ASSERT_EQ(groups.size(), order.size());
    for (size_t g = 0; g < order.size(); ++g) {
      const auto got = groups.tasks(g);
      EXPECT_EQ(std::vector<uint32_t>(got.begin(), got.end()), expected[order[g]]);
    }
  }
}

TEST(ShapeSetTest, HoldsWhatWasInsertedThroughItsGrowth) {
  sim::Rng rng(13);
  ShapeSet set;
  std::set<uint32_t> expected;
  EXPECT_FALSE(set.contains(0));
  for (int i = 0; i < 5000; ++i) {
    // Small ids, ids near the top of the range (UINT32_MAX included) and repeats.
    const uint32_t shape = static_cast<uint32_t>(
        rng.UniformInt(2) ? rng.UniformInt(3000) : UINT32_MAX - rng.UniformInt(3000));
    set.insert(shape);
    expected.insert(shape);
    if (i % 500 == 0) {
      for (uint32_t probe = 0; probe < 3000; ++probe) {
        ASSERT_EQ(set.contains(probe), expected.contains(probe)) << probe;
        ASSERT_EQ(set.contains(UINT32_MAX - probe), expected.contains(UINT32_MAX - probe));
      }
    }
  }
  EXPECT_EQ(set.size(), expected.size());
}

}  // namespace
}  // namespace clustersim::plugins
