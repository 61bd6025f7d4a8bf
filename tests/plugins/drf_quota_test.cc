#include "scheduler_plugins/allocators/drf_quota.h"

#include <gtest/gtest.h>

#include <vector>

#include "scheduler_plugins/api/registry.h"
#include "scheduler_plugins/builtin.h"
#include "tests/plugins/allocator_driver.h"
#include "tests/plugins/fake_params.h"
#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using testing::AllocatorDriver;
using testing::FakeClusterView;
using testing::FakeParams;
using testing::Res;
using testing::VisitOrder;

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

}  // namespace
}  // namespace clustersim::plugins
