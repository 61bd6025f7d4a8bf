#include <gtest/gtest.h>

#include <vector>

#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/api/registry.h"
#include "scheduler_plugins/builtin.h"
#include "tests/plugins/allocator_driver.h"
#include "tests/plugins/fake_params.h"
#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::FakeParams;
using test::Res;
using test::VisitOrder;

class PriorityTest : public ::testing::Test {
 protected:
  PriorityTest() { view_.AddAgent("a0", Res("cpus:10;mem:100")); }
  void Add(AllocatorPolicy& p, const char* name, RoleId role) {
    p.FrameworkAdded(view_, view_.AddFramework(name, role));
  }
  void Allocate(AllocatorPolicy& p, uint32_t f, const char* res) {
    view_.SetAllocated(FrameworkId(f), Res(res));
    p.AllocationChanged(view_, FrameworkId(f));
  }
  FakeClusterView view_;
};

TEST_F(PriorityTest, HigherPriorityRolesFirstThenDrfWithinALevel) {
  DrfAllocator p({{"prod", 10}, {"web", 10}, {"batch", 1}}, /*default_priority=*/0);
  const RoleId batch = view_.AddRole("batch");
  const RoleId prod = view_.AddRole("prod");
  const RoleId web = view_.AddRole("web");
  const RoleId misc = view_.AddRole("misc");  // unlisted: default priority 0
  Add(p, "b", batch);                         // f0
  Add(p, "p", prod);                          // f1
  Add(p, "w", web);                           // f2
  Add(p, "m", misc);                          // f3
  // prod <5 cpus> = 0.5, web <2 cpus> = 0.2: both priority 10, web poorer -> web, prod; then
  // batch (1), then misc (0), however poor they are.
  Allocate(p, 1, "cpus:5");
  Allocate(p, 2, "cpus:2");
  EXPECT_EQ(VisitOrder(p, view_), (std::vector<uint32_t>{2, 1, 0, 3}));
  Allocate(p, 2, "cpus:6");  // web now richer than prod
  EXPECT_EQ(VisitOrder(p, view_), (std::vector<uint32_t>{1, 2, 0, 3}));
}

TEST_F(PriorityTest, FactoryReadsPrioritiesAndDefault) {
  ASSERT_TRUE(RegisterBuiltinPolicies().ok());
  FakeParams params;
  params.Nested("priorities").Set("low", 1.0).Set("high", 5.0);
  params.Set("default_priority", 3.0);
  auto policy = Allocators().Create("priority", params, PolicyEnv{});
  ASSERT_TRUE(policy.ok()) << policy.error();
  EXPECT_TRUE(params.Unread().empty());
  Add(**policy, "l", view_.AddRole("low"));
  Add(**policy, "m", view_.AddRole("middle"));  // default 3
  Add(**policy, "h", view_.AddRole("high"));
  EXPECT_EQ(VisitOrder(**policy, view_), (std::vector<uint32_t>{2, 1, 0}));

  FakeParams bad;
  bad.Nested("priorities").Set("low", std::string("very"));
  EXPECT_FALSE(Allocators().Create("priority", bad, PolicyEnv{}).ok());
}

}  // namespace
}  // namespace clustersim::plugins
