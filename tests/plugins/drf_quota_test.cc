#include "scheduler_plugins/allocators/drf_quota.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "scheduler_plugins/api/registry.h"
#include "scheduler_plugins/builtin.h"
#include "sim/random.h"
#include "tests/plugins/allocator_driver.h"
#include "tests/plugins/fake_params.h"
#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::AllocatorDriver;
using test::FakeClusterView;
using test::FakeParams;
using test::Res;
using test::VisitOrder;

RoleQuota Quota(const char* guarantee, const char* limit = nullptr, uint32_t limit_kinds = 0) {
  RoleQuota q;
  q.guarantee = Res(guarantee);
  if (limit != nullptr) q.limit = Res(limit);
  q.limit_kinds = limit_kinds;
  return q;
}
constexpr uint32_t kCpusBit = 1u << kCpus;

// Four agents of <8 cpus, 32 mem>: total <32 cpus, 128 mem>.
class DrfQuotaTest : public ::testing::Test {
 protected:
  DrfQuotaTest() {
    for (int i = 0; i < 4; ++i) view_.AddAgent("a" + std::to_string(i), Res("cpus:8;mem:32"));
  }
  FrameworkId Add(AllocatorPolicy& p, const char* name, const char* role) {
    RoleId id(static_cast<uint32_t>(view_.role_count()));
    for (size_t r = 0; r < view_.role_count(); ++r) {
      if (view_.role(RoleId(static_cast<uint32_t>(r))).name == role) id = RoleId(r);
    }
    if (id.index() == view_.role_count()) id = view_.AddRole(role);
    const FrameworkId f = view_.AddFramework(name, id);
    p.FrameworkAdded(view_, f);
    return f;
  }
  double Cpus(FrameworkId f) const { return view_.framework_allocated(f).cpus(); }
  double FreeCpus() const {
    double free = 0;
    for (size_t a = 0; a < view_.agent_count(); ++a)
      free += view_.agent_available(AgentId(static_cast<uint32_t>(a))).cpus();
    return free;
  }
  FakeClusterView view_;
};

TEST_F(DrfQuotaTest, WithoutQuotasItIsDrf) {
  DrfQuotaAllocator p({});
  const FrameworkId a = Add(p, "a", "a");
  const FrameworkId b = Add(p, "b", "b");
  AllocatorDriver driver(p, view_);
  driver.Cycle();
  // Alternating by share: 2 agents each.
  EXPECT_EQ(Cpus(a), 16);
  EXPECT_EQ(Cpus(b), 16);
}

TEST_F(DrfQuotaTest, GuaranteedRoleGoesFirstUntilItsGuaranteeIsMet) {
  // b registered first, so plain DRF would start with b; q's unmet guarantee puts it first.
  DrfQuotaAllocator p({{"q", Quota("cpus:12")}});
  const FrameworkId b = Add(p, "b", "b");
  const FrameworkId q = Add(p, "q", "q");
  EXPECT_EQ(VisitOrder(p, view_), (std::vector<uint32_t>{1, 0}));
  AllocatorDriver driver(p, view_);
  const auto offers = driver.Cycle();
  //  agent  q cpus  b cpus   who   why
  //   a0     0       0        q    stage 1 (0 < 12)
  //   a1     8       0        q    stage 1 (8 < 12)
  //   a2    16       0        b    q met: DRF, b poorer
  //   a3    16       8        b    DRF: b 0.25 < q 0.5
  ASSERT_EQ(offers.size(), 4u);
  EXPECT_EQ(offers[0].framework, q.value);
  EXPECT_EQ(offers[1].framework, q.value);
  EXPECT_EQ(offers[2].framework, b.value);
  EXPECT_EQ(offers[3].framework, b.value);
  EXPECT_GE(Cpus(q), 12);
}

TEST_F(DrfQuotaTest, HeadroomIsHeldBackForAnIdleGuaranteedRole) {
  DrfQuotaAllocator p({{"q", Quota("cpus:12")}});
  const FrameworkId b = Add(p, "b", "b");
  const FrameworkId q = Add(p, "q", "q");
  AllocatorDriver driver(p, view_);
  // q has nothing to run (suppressed): b may take only what leaves 12 cpus unallocated.
  driver.Cycle([&](FrameworkId f) { return f != q; });
  EXPECT_EQ(Cpus(b), 20);
  EXPECT_EQ(FreeCpus(), 12);
  // More cycles give b nothing more.
  driver.Cycle([&](FrameworkId f) { return f != q; });
  EXPECT_EQ(Cpus(b), 20);
  // When q wakes up its guarantee is there.
  driver.Cycle();
  EXPECT_EQ(Cpus(q), 12);
}

TEST_F(DrfQuotaTest, HeadroomCountsRolesWithNoFrameworkYet) {
  DrfQuotaAllocator p({{"later", Quota("cpus:8")}});
  const FrameworkId b = Add(p, "b", "b");
  AllocatorDriver driver(p, view_);
  driver.Cycle();
  EXPECT_EQ(Cpus(b), 24);
}

TEST_F(DrfQuotaTest, LimitsAreNeverExceeded) {
  DrfQuotaAllocator p({{"c", Quota("", "cpus:5", kCpusBit)}});
  const FrameworkId c = Add(p, "c", "c");
  AllocatorDriver driver(p, view_);
  for (int i = 0; i < 3; ++i) driver.Cycle();
  EXPECT_EQ(Cpus(c), 5);
  // Memory has no limit: c took all of it, with the cpus it was allowed.
  EXPECT_EQ(view_.framework_allocated(c).mem(), 128);
  // Freed resources make room again, up to the limit.
  driver.Release(c, AgentId(0), Res("cpus:2"));
  driver.Cycle();
  EXPECT_EQ(Cpus(c), 5);
}

TEST_F(DrfQuotaTest, GuaranteeAndLimitTogether) {
  // q: guarantee 8, limit 10; b: no quota. q gets its guarantee first, may grow to 10, never more.
  DrfQuotaAllocator p({{"q", Quota("cpus:8", "cpus:10", kCpusBit)}});
  const FrameworkId q = Add(p, "q", "q");
  const FrameworkId b = Add(p, "b", "b");
  AllocatorDriver driver(p, view_);
  for (int i = 0; i < 3; ++i) driver.Cycle();
  EXPECT_GE(Cpus(q), 8);
  EXPECT_LE(Cpus(q), 10);
  EXPECT_EQ(Cpus(q) + Cpus(b), 32);
}

TEST_F(DrfQuotaTest, LeastSatisfiedQuotaRoleFirst) {
  DrfQuotaAllocator p({{"x", Quota("cpus:10")}, {"y", Quota("cpus:4")}});
  const FrameworkId x = Add(p, "x", "x");
  const FrameworkId y = Add(p, "y", "y");
  view_.SetAllocated(x, Res("cpus:5"));  // 5/10 = 0.5 of its guarantee
  p.AllocationChanged(view_, x);
  view_.SetAllocated(y, Res("cpus:1"));  // 1/4 = 0.25
  p.AllocationChanged(view_, y);
  EXPECT_EQ(VisitOrder(p, view_), (std::vector<uint32_t>{y.value, x.value}));
}

TEST_F(DrfQuotaTest, FactoryParsesQuotasAndRejectsALimitBelowTheGuarantee) {
  ASSERT_TRUE(RegisterBuiltinPolicies().ok());
  FakeParams params;
  FakeParams& q = params.Nested("quotas").Nested("q");
  q.SetResources("guarantee", Res("cpus:12"), kCpusBit);
  q.SetResources("limit", Res("cpus:20"), kCpusBit);
  auto policy = Allocators().Create("drf-quota", params, PolicyEnv{});
  ASSERT_TRUE(policy.ok()) << policy.error();
  EXPECT_TRUE(params.Unread().empty());

  FakeParams bad;
  FakeParams& bq = bad.Nested("quotas").Nested("q");
  bq.SetResources("guarantee", Res("cpus:12"), kCpusBit);
  bq.SetResources("limit", Res("cpus:4"), kCpusBit);
  auto rejected = Allocators().Create("drf-quota", bad, PolicyEnv{});
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.error().find("limit"), std::string::npos) << rejected.error();
}

// The headroom sums and the stage-1 order are kept incrementally; they must equal what a
// recomputation from the view gives, after every change (random grants and releases).
TEST_F(DrfQuotaTest, IncrementalHeadroomAndOrderMatchRecomputation) {
  std::map<std::string, RoleQuota> quotas = {{"q0", Quota("cpus:6;mem:8")},
                                             {"q1", Quota("cpus:3", "cpus:9", kCpusBit)},
                                             {"q2", Quota("mem:40")},
                                             {"absent", Quota("cpus:2;mem:2")}};
  DrfQuotaAllocator p(quotas);
  std::vector<FrameworkId> fws = {Add(p, "f0", "q0"), Add(p, "f1", "q1"), Add(p, "f2", "q2"),
                                  Add(p, "f3", "free"), Add(p, "f4", "q0")};
  auto reference_limit = [&](FrameworkId f, const Resources& offerable) {
    Resources unallocated = view_.cluster_total();
    for (size_t r = 0; r < view_.role_count(); ++r)
      unallocated -= view_.role_allocated(RoleId(static_cast<uint32_t>(r)));
    Resources required;
    for (const auto& [name, q] : quotas) {
      Resources allocated;
      for (size_t r = 0; r < view_.role_count(); ++r) {
        if (view_.role(RoleId(static_cast<uint32_t>(r))).name == name)
          allocated = view_.role_allocated(RoleId(static_cast<uint32_t>(r)));
      }
      required += q.guarantee - q.guarantee.Min(allocated);
    }
    const RoleId role = view_.framework(f).role;
    auto it = quotas.find(view_.role(role).name);
    const RoleQuota* own = it == quotas.end() ? nullptr : &it->second;
    const Resources& mine = view_.role_allocated(role);
    Resources cap;
    for (int k = 0; k < kMaxResourceKinds; ++k) {
      int64_t allowed = std::max<int64_t>(0, unallocated.Raw(k) - required.Raw(k));
      if (own != nullptr) allowed += std::max<int64_t>(0, own->guarantee.Raw(k) - mine.Raw(k));
      if (own != nullptr && own->HasLimit(k))
        allowed = std::min(allowed, std::max<int64_t>(0, own->limit.Raw(k) - mine.Raw(k)));
      cap.SetRaw(k, std::clamp<int64_t>(allowed, 0, offerable.Raw(k)));
    }
    return cap;
  };
  AllocatorDriver driver(p, view_);
  sim::Rng rng(7);
  for (int step = 0; step < 400; ++step) {
    const FrameworkId f = fws[rng.UniformInt(fws.size())];
    const AgentId a(static_cast<uint32_t>(rng.UniformInt(view_.agent_count())));
    const Resources r = Res(rng.UniformInt(2) ? "cpus:1;mem:2" : "cpus:0.5;mem:5");
    if (rng.UniformInt(2) && view_.agent_available(a).Contains(r)) {
      driver.Grant(f, a, r);
    } else if (view_.framework_allocated(f).Contains(r)) {
      driver.Release(f, a, r);
    }
    const Resources offerable = Res("cpus:8;mem:32");
    for (FrameworkId g : fws) {
      ASSERT_EQ(p.LimitOffer(view_, a, g, offerable), reference_limit(g, offerable))
          << "step " << step << ", framework " << g.value;
    }
    // Stage 1 first: frameworks of quota roles below their guarantee, least satisfied first.
    std::vector<std::pair<double, uint32_t>> unmet;
    for (FrameworkId g : fws) {
      auto it = quotas.find(view_.role(view_.framework(g).role).name);
      const Resources& mine = view_.role_allocated(view_.framework(g).role);
      if (it == quotas.end() || mine.Contains(it->second.guarantee)) continue;
      double s = 0;
      for (int k = 0; k < kMaxResourceKinds; ++k) {
        if (it->second.guarantee.Raw(k) > 0)
          s = std::max(s, static_cast<double>(mine.Raw(k)) /
                              static_cast<double>(it->second.guarantee.Raw(k)));
      }
      unmet.emplace_back(s, view_.framework(g).role.value);
    }
    std::sort(unmet.begin(), unmet.end());
    unmet.erase(std::unique(unmet.begin(), unmet.end()), unmet.end());
    const std::vector<uint32_t> order = VisitOrder(p, view_);
    std::vector<uint32_t> roles_first;
    for (size_t i = 0; i < order.size() && roles_first.size() < unmet.size(); ++i) {
      const uint32_t role = view_.framework(FrameworkId(order[i])).role.value;
      if (roles_first.empty() || roles_first.back() != role) roles_first.push_back(role);
    }
    std::vector<uint32_t> expected;
    for (const auto& [s, role] : unmet) expected.push_back(role);
    ASSERT_EQ(roles_first, expected) << "step " << step;
  }
}

}  // namespace
}  // namespace clustersim::plugins
