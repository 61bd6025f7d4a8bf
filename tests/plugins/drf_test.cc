#include "scheduler_plugins/allocators/drf.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/plugins/fake_params.h"
#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::Res;

// The order in which the policy would offer agent 0: every framework visited, none taking it.
std::vector<uint32_t> Order(DrfAllocator& drf, const FakeClusterView& view) {
  std::vector<uint32_t> order;
  drf.VisitInOrder(view, AgentId(0), [&](FrameworkId f) {
    order.push_back(f.value);
    return false;
  });
  return order;
}

class DrfTest : public ::testing::Test {
 protected:
  void SetUp() override { view_.AddAgent("a0", Res("cpus:10;mem:100")); }

  FrameworkId Add(const char* name, RoleId role, int order = -1) {
    const FrameworkId f = view_.AddFramework(name, role, order);
    drf_.FrameworkAdded(view_, f);
    return f;
  }
  void Allocate(FrameworkId f, const char* res) {
    view_.SetAllocated(f, Res(res));
    drf_.AllocationChanged(view_, f);
  }

  FakeClusterView view_;
  DrfAllocator drf_;
};

TEST_F(DrfTest, EmptyAllocationsGoInRegistrationOrder) {
  const RoleId r = view_.AddRole("r");
  Add("f0", r);
  Add("f1", r);
  Add("f2", r);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{0, 1, 2}));
}

TEST_F(DrfTest, OrdersFrameworksByDominantShareAscending) {
  // Total <10 cpus, 100 mem>, one role per framework (so role order = framework order).
  //   f0 <5 cpus, 0>      dominant share max(5/10, 0)      = 0.5
  //   f1 <0, 20 mem>      dominant share max(0, 20/100)    = 0.2
  //   f2 <1 cpu, 30 mem>  dominant share max(1/10, 30/100) = 0.3
  const FrameworkId f0 = Add("f0", view_.AddRole("r0"));
  const FrameworkId f1 = Add("f1", view_.AddRole("r1"));
  const FrameworkId f2 = Add("f2", view_.AddRole("r2"));
  Allocate(f0, "cpus:5");
  Allocate(f1, "mem:20");
  Allocate(f2, "cpus:1;mem:30");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 2, 0}));

  // f1 grows to <0, 60 mem>: 0.6, now last.
  Allocate(f1, "mem:60");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{2, 0, 1}));
  // f0 releases everything: 0, now first.
  Allocate(f0, "");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{0, 2, 1}));
}

TEST_F(DrfTest, SameFrameworksInOneRoleAreOrderedByTheirOwnShares) {
  const RoleId r = view_.AddRole("r");
  const FrameworkId f0 = Add("f0", r);
  const FrameworkId f1 = Add("f1", r);
  Allocate(f0, "cpus:4");  // 0.4
  Allocate(f1, "mem:10");  // 0.1
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 0}));
}

TEST_F(DrfTest, RolesComeFirstThenFrameworksWithinTheirRole) {
  // Role a = {f0: 0.1, f1: 0.3}: role share is that of the sum <1 cpu, 30 mem> = 0.3.
  // Role b = {f2: 0.25}: role share 0.25.
  // So role b goes first (f2), then role a in its own order (f0 then f1).
  const RoleId a = view_.AddRole("a");
  const RoleId b = view_.AddRole("b");
  const FrameworkId f0 = Add("f0", a);
  const FrameworkId f1 = Add("f1", a);
  const FrameworkId f2 = Add("f2", b);
  Allocate(f0, "cpus:1");  // 0.1
  Allocate(f1, "mem:30");  // 0.3
  Allocate(f2, "mem:25");  // 0.25
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{2, 0, 1}));
}

TEST_F(DrfTest, RoleWeightsDivideTheRoleShare) {
  // heavy (weight 2) holds <4 cpus> = 0.4 -> 0.4 / 2 = 0.2; light (weight 1) holds <3 cpus> = 0.3.
  // Unweighted, light would go first; weighted, heavy does.
  const FrameworkId heavy = Add("heavy", view_.AddRole("heavy", 2.0));
  const FrameworkId light = Add("light", view_.AddRole("light", 1.0));
  Allocate(heavy, "cpus:4");
  Allocate(light, "cpus:3");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{0, 1}));
  // heavy at <7 cpus>: 0.7 / 2 = 0.35 > 0.3.
  Allocate(heavy, "cpus:7");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 0}));
  // Equal weighted shares (heavy <6 cpus> / 2 = 0.3 = light's 0.3) and no offers counted: the
  // role names decide, "heavy" < "light".
  Allocate(heavy, "cpus:6");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{0, 1}));
}

TEST_F(DrfTest, TiesBreakByRegistrationOrderNotById) {
  // Ids and registration order disagree: f0 registered third, f1 first, f2 second.
  const RoleId r = view_.AddRole("r");
  Add("f0", r, /*order=*/2);
  Add("f1", r, /*order=*/0);
  Add("f2", r, /*order=*/1);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 2, 0}));
  // Equal non-zero shares tie the same way.
  Allocate(FrameworkId(0), "cpus:2");
  Allocate(FrameworkId(1), "mem:20");
  Allocate(FrameworkId(2), "cpus:1;mem:20");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 2, 0}));
}

// Mesos's compareDRF (sorter.hpp:421-432): equal shares go to the client allocated fewer times;
// the master counts one allocation per offer.
TEST_F(DrfTest, EqualSharesGoFirstToTheFrameworkOfferedFewerTimes) {
  const RoleId r = view_.AddRole("r");
  Add("f0", r);
  Add("f1", r);
  Add("f2", r);
  view_.CountOffer(FrameworkId(0));
  view_.CountOffer(FrameworkId(0));
  view_.CountOffer(FrameworkId(1));
  for (uint32_t f : {0u, 1u}) drf_.AllocationChanged(view_, FrameworkId(f));
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{2, 1, 0}));
  // The share still comes first: f2 holding anything goes last, whatever the counts.
  Allocate(FrameworkId(2), "cpus:1");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 0, 2}));
}

// Roles count the offers to all their frameworks (Allocation::add walks up to the root,
// sorter.cpp:319-367), and equal roles then go by name, not by who registered first.
TEST_F(DrfTest, RolesTieByOfferCountThenByName) {
  const RoleId late = view_.AddRole("b-late");
  const RoleId early = view_.AddRole("a-early");
  const FrameworkId x = Add("x", late, /*order=*/0);
  const FrameworkId y = Add("y", early, /*order=*/1);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 0}));
  view_.CountOffer(y);
  drf_.AllocationChanged(view_, y);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{0, 1}));
  view_.CountOffer(x);
  drf_.AllocationChanged(view_, x);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 0}));
}

// tie_break: registration, clustersim's order before issue 14 (not Mesos): counts are ignored and a
// role ties by its first framework's registration.
TEST_F(DrfTest, RegistrationTieBreakIgnoresOfferCountsAndRoleNames) {
  DrfAllocator drf(DrfTieBreak::kRegistration);
  const RoleId late = view_.AddRole("b-late");
  const RoleId early = view_.AddRole("a-early");
  const FrameworkId x = view_.AddFramework("x", late, 0);
  const FrameworkId y = view_.AddFramework("y", early, 1);
  const FrameworkId z = view_.AddFramework("z", early, 2);
  for (FrameworkId f : {x, y, z}) drf.FrameworkAdded(view_, f);
  view_.CountOffer(x);
  view_.CountOffer(y);
  for (FrameworkId f : {x, y}) drf.AllocationChanged(view_, f);
  EXPECT_EQ(Order(drf, view_), (std::vector<uint32_t>{0, 1, 2}));
}

// Mesos drops a role from its sorter with its last framework (hierarchical.cpp:3013); back, it
// starts again at count 0.
TEST_F(DrfTest, ARoleThatLeavesAndReturnsStartsCountingAgain) {
  const RoleId a = view_.AddRole("a");
  const RoleId b = view_.AddRole("b");
  const FrameworkId fa = Add("fa", a);
  Add("fb", b);
  view_.CountOffer(fa);
  drf_.AllocationChanged(view_, fa);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 0}));
  drf_.FrameworkRemoved(view_, fa);
  const FrameworkId fa2 = Add("fa2", a);  // role a again: count 0, and "a" < "b"
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{fa2.value, 1}));
}

// Role names are ranked by numbers spaced apart; names that keep landing in one gap exhaust it
// after 32 and force a renumbering, which must keep the byte order. Each new name sorts just
// after "a" and before the previous one (registered later, but first by name).
TEST_F(DrfTest, RoleNameOrderSurvivesRenumbering) {
  Add("fa", view_.AddRole("a"));
  Add("fz", view_.AddRole("z"));
  std::vector<uint32_t> later_first;
  for (int i = 40; i > 0; --i) {
    later_first.insert(later_first.begin(),
                       Add("f", view_.AddRole("a" + std::string(i, '\x01'))).value);
  }
  std::vector<uint32_t> expected{0};
  expected.insert(expected.end(), later_first.begin(), later_first.end());
  expected.push_back(1);
  EXPECT_EQ(Order(drf_, view_), expected);
}

TEST(DrfTieBreakTest, ParsesItsParameter) {
  test::FakeParams absent;
  ASSERT_TRUE(ParseDrfTieBreak(absent).ok());
  EXPECT_EQ(ParseDrfTieBreak(absent).value(), DrfTieBreak::kMesos);
  test::FakeParams registration;
  registration.Set("tie_break", std::string("registration"));
  ASSERT_TRUE(ParseDrfTieBreak(registration).ok());
  EXPECT_EQ(ParseDrfTieBreak(registration).value(), DrfTieBreak::kRegistration);
  test::FakeParams bad;
  bad.Set("tie_break", std::string("name"));
  const auto r = ParseDrfTieBreak(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("mesos or registration"), std::string::npos) << r.error();
}

TEST_F(DrfTest, TotalChangedRecomputesEveryShare) {
  // f0 <5 cpus> = 0.5, f1 <40 mem> = 0.4 -> f1 first.
  const FrameworkId f0 = Add("f0", view_.AddRole("r0"));
  const FrameworkId f1 = Add("f1", view_.AddRole("r1"));
  Allocate(f0, "cpus:5");
  Allocate(f1, "mem:40");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 0}));
  // An agent of <10 cpus> joins: f0 = 5/20 = 0.25 < 0.4 -> f0 first. Only TotalChanged tells.
  view_.SetTotal(Res("cpus:20;mem:100"));
  drf_.TotalChanged(view_);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{0, 1}));
}

TEST_F(DrfTest, RemovedFrameworksAreNotVisitedAndEmptyRolesLeave) {
  const RoleId a = view_.AddRole("a");
  const RoleId b = view_.AddRole("b");
  const FrameworkId f0 = Add("f0", a);
  const FrameworkId f1 = Add("f1", b);
  const FrameworkId f2 = Add("f2", b);
  drf_.FrameworkRemoved(view_, f0);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 2}));
  drf_.FrameworkRemoved(view_, f1);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{2}));
  drf_.FrameworkRemoved(view_, f2);
  EXPECT_TRUE(Order(drf_, view_).empty());
  // Removing twice, or reporting a change of a removed framework, is harmless.
  drf_.FrameworkRemoved(view_, f2);
  drf_.AllocationChanged(view_, f2);
  EXPECT_TRUE(Order(drf_, view_).empty());
}

TEST_F(DrfTest, VisitStopsAtTheFirstFrameworkThatTakesTheOffer) {
  const RoleId r = view_.AddRole("r");
  Add("f0", r);
  Add("f1", r);
  Add("f2", r);
  std::vector<uint32_t> visited;
  // f0 is "filtered" (refuses), f1 takes it: f2 is never asked.
  drf_.VisitInOrder(view_, AgentId(0), [&](FrameworkId f) {
    visited.push_back(f.value);
    return f.value == 1;
  });
  EXPECT_EQ(visited, (std::vector<uint32_t>{0, 1}));
}

// The DRF paper's example, driven step by step as the master would (one offer of what the task
// needs at a time, to the framework first in order).
TEST_F(DrfTest, DrfPaperSequence) {
  view_.SetTotal(Res("cpus:9;mem:18432"));
  drf_.TotalChanged(view_);
  const FrameworkId a = Add("A", view_.AddRole("a"));
  const FrameworkId b = Add("B", view_.AddRole("b"));
  const Resources task_a = Res("cpus:1;mem:4096");  // dominant: mem, 2/9 each
  const Resources task_b = Res("cpus:3;mem:1024");  // dominant: cpus, 1/3 each
  Resources alloc_a, alloc_b;
  std::vector<uint32_t> winners;
  //  step  A share  B share  first in order
  //   1     0        0        A (tie, neither offered,
  //                               A registered first)      -> A = 2/9
  //   2     2/9      0        B                          -> B = 1/3
  //   3     2/9      1/3      A                          -> A = 4/9
  //   4     4/9      1/3      B                          -> B = 2/3
  //   5     4/9      2/3      A                          -> A = 2/3
  for (int step = 0; step < 5; ++step) {
    const uint32_t first = Order(drf_, view_).front();
    winners.push_back(first);
    if (first == a.value) {
      alloc_a += task_a;
      view_.SetAllocated(a, alloc_a);
      view_.CountOffer(a);
      drf_.AllocationChanged(view_, a);
    } else {
      alloc_b += task_b;
      view_.SetAllocated(b, alloc_b);
      view_.CountOffer(b);
      drf_.AllocationChanged(view_, b);
    }
  }
  EXPECT_EQ(winners, (std::vector<uint32_t>{0, 1, 0, 1, 0}));
  EXPECT_NEAR(alloc_a.DominantShare(view_.cluster_total()), 2.0 / 3, 1e-9);
  EXPECT_NEAR(alloc_b.DominantShare(view_.cluster_total()), 2.0 / 3, 1e-9);
  // At 2/3 each they tie again: A was offered 3 times, B twice, so B goes first (Mesos's count).
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{1, 0}));
}

// --- Role tree (issue 14): Mesos's DRFSorter over role paths ------------------------------------
// Total <10 cpus, 100 mem> (SetUp); shares below are cpus / 10.

// A subtree's share is its whole allocation: `a` (a/b 0.6 + a/c 0) = 0.6 goes after `d` (0.3),
// however small a/c's own share; inside `a`, a/c (0) before a/b (0.6). sorter.cpp:319-367, 520-551.
TEST_F(DrfTest, SubtreeShareIsTheSumOfItsRoles) {
  const FrameworkId ab = Add("ab", view_.AddRole("a/b"));
  const FrameworkId ac = Add("ac", view_.AddRole("a/c"));
  const FrameworkId de = Add("de", view_.AddRole("d/e"));
  Allocate(ab, "cpus:6");
  Allocate(de, "cpus:3");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{de.value, ac.value, ab.value}));
}

// Weights apply per node, by the node's own path (sorter.cpp:593, 597-604): `a` at weight 4 has
// 0.6 / 4 = 0.15 < 0.3 and goes first; a weight on a path with no framework counts.
TEST_F(DrfTest, WeightsApplyPerLevel) {
  const FrameworkId ab = Add("ab", view_.AddRole("a/b"));
  const FrameworkId ac = Add("ac", view_.AddRole("a/c"));
  const FrameworkId de = Add("de", view_.AddRole("d/e"));
  Allocate(ab, "cpus:6");
  Allocate(de, "cpus:3");
  view_.SetPathWeight("a", 4);
  drf_.RoleWeightsChanged(view_);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{ac.value, ab.value, de.value}));
  // Inside `a`, a/b at weight 10 has 0.6 / 10 = 0.06: below a/c once a/c holds cpus:1 (0.1).
  view_.SetPathWeight("a/b", 10);
  drf_.RoleWeightsChanged(view_);
  Allocate(ac, "cpus:1");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{ab.value, ac.value, de.value}));
}

// A role with frameworks and subroles: `eng`'s frameworks move to a virtual leaf `eng/.` under
// the internal node `eng` (sorter.cpp:113-129); `eng`'s weight is the internal node's, the
// virtual leaf weighs 1; at equal share and count `eng/.` goes before `eng/web` ('.' < 'w');
// when eng/web goes, `eng` collapses back into a leaf with its weight (sorter.cpp:226-246).
TEST_F(DrfTest, RoleWithFrameworksAndSubrolesHasAVirtualLeaf) {
  const FrameworkId e = Add("eng", view_.AddRole("eng"));
  const FrameworkId ops = Add("ops", view_.AddRole("ops"));
  Allocate(e, "cpus:2");
  Allocate(ops, "cpus:3");
  const FrameworkId web = Add("web", view_.AddRole("eng/web"));
  // eng subtree 0.2 < ops 0.3; inside it eng/web (0) before eng/. (0.2).
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{web.value, e.value, ops.value}));
  Allocate(web, "cpus:2");
  // eng subtree 0.4 > ops 0.3; eng/. and eng/web tie at 0.2 with no offers: path `eng/.` first.
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{ops.value, e.value, web.value}));
  // Weight 2 on `eng` halves the subtree's share (0.2 < 0.3), not the virtual leaf's.
  view_.SetPathWeight("eng", 2);
  drf_.RoleWeightsChanged(view_);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{e.value, web.value, ops.value}));
  // eng/web leaves: `eng` is a leaf again, 0.2 / 2 = 0.1 < 0.3.
  Allocate(web, "");
  drf_.FrameworkRemoved(view_, web);
  Allocate(ops, "cpus:1");  // 0.1: tie at 0.1 with eng, whose count is 0 too: name `eng` first
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{e.value, ops.value}));
}

// The role added first and its subrole added later, the other way round (Mesos case (a),
// sorter.cpp:103-110): the same tree.
TEST_F(DrfTest, RoleAddedAboveAnExistingSubrole) {
  const FrameworkId web = Add("web", view_.AddRole("eng/web"));
  const FrameworkId e = Add("eng", view_.AddRole("eng"));
  Allocate(web, "cpus:1");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{e.value, web.value}));
  Allocate(e, "cpus:2");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{web.value, e.value}));
}

// Removing a leaf from a role tree (sorter.cpp:214-246): what the leaf still held leaves its
// ancestors' shares; an internal node left with other children stays and is re-sorted; one left
// with none goes, and the same path later builds a fresh node.
TEST_F(DrfTest, RemovingARoleLeafUpdatesAndPrunesItsAncestors) {
  const RoleId role_ab = view_.AddRole("a/b");
  const FrameworkId ab = Add("ab", role_ab);
  const FrameworkId ac = Add("ac", view_.AddRole("a/c"));
  const FrameworkId d = Add("d", view_.AddRole("d"));
  Allocate(ab, "cpus:4");
  Allocate(ac, "cpus:1");
  Allocate(d, "cpus:3");
  // Subtree `a` 0.5 after `d` 0.3; inside it a/c (0.1) before a/b (0.4).
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{d.value, ac.value, ab.value}));
  // a/b goes holding cpus:4: `a` is a/c's 0.1 alone, now before `d`.
  drf_.FrameworkRemoved(view_, ab);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{ac.value, d.value}));
  Allocate(ab, "");  // the view lets go of it too; news of a removed framework is ignored
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{ac.value, d.value}));
  // a/c goes too: `a` has no child left and is pruned; `d` alone.
  Allocate(ac, "");
  drf_.FrameworkRemoved(view_, ac);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{d.value}));
  // a/b again: a new `a` at share 0 goes first, and its share follows its allocation alone.
  const FrameworkId ab2 = Add("ab2", role_ab);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{ab2.value, d.value}));
  Allocate(ab2, "cpus:5");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{d.value, ab2.value}));
}

// Offers count for the role and each ancestor (sorter.cpp:319-367): at equal shares the subtree
// offered more goes last, even though its other role was never offered anything.
TEST_F(DrfTest, OfferCountsAddUpTheTree) {
  const FrameworkId x1 = Add("x1", view_.AddRole("x/1"));
  const FrameworkId x2 = Add("x2", view_.AddRole("x/2"));
  const FrameworkId y = Add("y", view_.AddRole("y"));
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{x1.value, x2.value, y.value}));
  view_.CountOffer(x1);
  Allocate(x1, "");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{y.value, x2.value, x1.value}));
}

// A new leading master's sorters count from zero (sorter.hpp:398-405): after AllocatorRestarted
// the tree orders as a fresh one, and later offers count from there (no count runs below zero).
TEST_F(DrfTest, AfterTheAllocatorRestartedCountsStartAgain) {
  const FrameworkId x1 = Add("x1", view_.AddRole("x/1"));
  const FrameworkId x2 = Add("x2", view_.AddRole("x/2"));
  const FrameworkId y = Add("y", view_.AddRole("y"));
  for (int i = 0; i < 3; ++i) view_.CountOffer(x1);
  view_.CountOffer(y);
  Allocate(x1, "");
  Allocate(y, "");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{y.value, x2.value, x1.value}));
  view_.ResetOfferCounts();
  drf_.AllocatorRestarted(view_);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{x1.value, x2.value, y.value}));
  view_.CountOffer(x2);
  Allocate(x2, "");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{y.value, x1.value, x2.value}));
  view_.CountOffer(y);
  view_.CountOffer(y);
  Allocate(y, "");
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{x1.value, x2.value, y.value}));
}

// Equal shares and counts: siblings by path (byte order), at every level: `a` (the subtree of a/x
// and a/z) before `a-d`, a prefix being smaller.
TEST_F(DrfTest, SiblingsAtEqualShareGoByName) {
  const FrameworkId b = Add("b", view_.AddRole("b"));
  const FrameworkId az = Add("az", view_.AddRole("a/z"));
  const FrameworkId ax = Add("ax", view_.AddRole("a/x"));
  const FrameworkId ad = Add("ad", view_.AddRole("a-d"));
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{ax.value, az.value, ad.value, b.value}));
}

// --fair_sharing_excluded_resource_names (sorter.cpp:577-581): excluded kinds count for nobody.
TEST_F(DrfTest, FairnessExclusionLeavesKindsOutOfShares) {
  view_.AddAgent("gpu", Res("gpus:1"));
  drf_.TotalChanged(view_);
  const FrameworkId g = Add("g", view_.AddRole("g"));
  const FrameworkId c = Add("c", view_.AddRole("c"));
  Allocate(g, "gpus:1");  // 1.0
  Allocate(c, "cpus:5");  // 0.5
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{c.value, g.value}));
  view_.SetFairnessExcludedKinds(1u << kGpus);
  drf_.TotalChanged(view_);
  EXPECT_EQ(Order(drf_, view_), (std::vector<uint32_t>{g.value, c.value}));
  EXPECT_EQ(drf_.RoleShare(view_, view_.framework(g).role), 0);
}

// The quota stages' role queries (AllocatorPolicy: VisitRolesInOrder, OrderRoles) on a tree: the
// roles with frameworks in the pre-order of VisitInOrder, a role with subroles where its virtual
// leaf sorts (Mesos's roleSorter->sort() returns leaves, sorter.cpp:520-551); OrderRoles sorts any
// subset into that order, roles without frameworks last. Checked against the orders derived from
// VisitInOrder.
TEST_F(DrfTest, RoleQueriesFollowTheTreesPreOrder) {
  const RoleId eng = view_.AddRole("eng");
  const RoleId web = view_.AddRole("eng/web");
  const RoleId ops = view_.AddRole("ops");
  const RoleId ops_db = view_.AddRole("ops/db/x");
  const RoleId idle = view_.AddRole("idle");  // no framework
  const FrameworkId e = Add("eng", eng);
  const FrameworkId w = Add("web", web);
  const FrameworkId o = Add("ops", ops);
  const FrameworkId d = Add("db", ops_db);
  Allocate(e, "cpus:2");
  Allocate(w, "cpus:1");
  Allocate(o, "cpus:1");
  Allocate(d, "cpus:1");
  // Subtrees: ops 0.2 < eng 0.3. Inside ops: ops/. 0.1 ties ops/db 0.1, `.` first; inside eng:
  // eng/web 0.1 < eng/. 0.2.
  const std::vector<uint32_t> frameworks = Order(drf_, view_);
  ASSERT_EQ(frameworks, (std::vector<uint32_t>{o.value, d.value, w.value, e.value}));
  std::vector<RoleId> visited;
  drf_.VisitRolesInOrder(view_, AgentId(0), [&](RoleId r) {
    visited.push_back(r);
    return false;
  });
  EXPECT_EQ(visited, (std::vector<RoleId>{ops, ops_db, web, eng}));
  for (std::vector<RoleId> roles :
       {std::vector<RoleId>{eng, idle, ops, web, ops_db}, std::vector<RoleId>{web, ops_db},
        std::vector<RoleId>{eng, ops}}) {
    std::vector<RoleId> derived = roles;
    drf_.OrderRoles(view_, AgentId(0), roles);
    drf_.AllocatorPolicy::OrderRoles(view_, AgentId(0), derived);
    EXPECT_EQ(roles, derived);
  }
  std::vector<RoleId> all{idle, eng, web, ops_db, ops};
  drf_.OrderRoles(view_, AgentId(0), all);
  EXPECT_EQ(all, (std::vector<RoleId>{ops, ops_db, web, eng, idle}));
  std::vector<uint32_t> in_eng;
  drf_.VisitRoleInOrder(view_, AgentId(0), eng, [&](FrameworkId f) {
    in_eng.push_back(f.value);
    return false;
  });
  EXPECT_EQ(in_eng, (std::vector<uint32_t>{e.value}));  // eng's own, not eng/web's
}

}  // namespace
}  // namespace clustersim::plugins
