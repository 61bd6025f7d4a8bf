#include "scheduler_plugins/allocators/locality_drf.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/plugins/allocator_driver.h"
#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::FakeClusterView;
using test::Res;
using test::VisitOrder;

PendingDemand Demand(Os os, OsVersion version, int image, int tasks, const char* each) {
  PendingDemand d;
  d.os = os;
  d.image_version = version;
  d.has_image = image >= 0;
  d.image = ImageId(image < 0 ? 0 : image);
  d.tasks = tasks;
  d.resources = Res(each) * tasks;
  return d;
}

// One Windows ltsc2019 agent (process isolation) and one Linux agent; images: 0 = Windows
// ltsc2019 app, cached on the Windows agent; 1 = another Windows ltsc2019 image, not cached;
// 2 = Windows ltsc2016 image (runs on 2019 only under Hyper-V).
class LocalityDrfTest : public ::testing::Test {
 protected:
  LocalityDrfTest() {
    win_ = view_.AddAgent("win", Res("cpus:8;mem:16384"), Os::kWindows, OsVersion::kLtsc2019,
                          Isolation::kProcess);
    lin_ = view_.AddAgent("lin", Res("cpus:8;mem:16384"));
    view_.SetMissing(win_, ImageId(1), 4000);
    for (const char* name : {"linux", "cold", "warm"}) {
      policy_.FrameworkAdded(view_, view_.AddFramework(name, view_.AddRole(name)));
    }
    view_.SetDemand(FrameworkId(0), {Demand(Os::kLinux, OsVersion::kNone, -1, 5, "cpus:1")});
    view_.SetDemand(FrameworkId(1),
                    {Demand(Os::kWindows, OsVersion::kLtsc2019, 1, 3, "cpus:1;mem:2048")});
    view_.SetDemand(FrameworkId(2),
                    {Demand(Os::kWindows, OsVersion::kLtsc2019, 0, 3, "cpus:1;mem:2048")});
  }
  FakeClusterView view_;
  AgentId win_, lin_;
  LocalityDrfAllocator policy_{/*share_slack=*/0.25};
};

TEST_F(LocalityDrfTest, WarmMatchingWorkFirstThenColdThenNothingToRun) {
  // All shares 0: DRF alone would say linux, cold, warm.
  EXPECT_EQ(LocalityDrfAllocator::Tier(view_, win_, FrameworkId(2)), 0);
  EXPECT_EQ(LocalityDrfAllocator::Tier(view_, win_, FrameworkId(1)), 1);
  EXPECT_EQ(LocalityDrfAllocator::Tier(view_, win_, FrameworkId(0)), 2);
  EXPECT_EQ(VisitOrder(policy_, view_, win_), (std::vector<uint32_t>{2, 1, 0}));
  // The Linux agent goes to the Linux framework first; the others follow in DRF order.
  EXPECT_EQ(VisitOrder(policy_, view_, lin_), (std::vector<uint32_t>{0, 1, 2}));
}

TEST_F(LocalityDrfTest, FrameworksBeyondTheShareSlackFollowInDrfOrder) {
  // warm holds 4 of the 16 cpus: share 0.25 above the poorest (0) is within the slack...
  view_.SetAllocated(FrameworkId(2), Res("cpus:4"));
  policy_.AllocationChanged(view_, FrameworkId(2));
  EXPECT_EQ(VisitOrder(policy_, view_, win_), (std::vector<uint32_t>{2, 1, 0}));
  // ...at 6/16 cpus = 0.375 it is not: it waits behind the poorer ones, locality aside.
  view_.SetAllocated(FrameworkId(2), Res("cpus:6"));
  policy_.AllocationChanged(view_, FrameworkId(2));
  EXPECT_EQ(VisitOrder(policy_, view_, win_), (std::vector<uint32_t>{1, 0, 2}));
}

TEST_F(LocalityDrfTest, OlderBaseImagesAndTooBigTasksAreNotAMatch) {
  // An ltsc2016 image on an ltsc2019 process-isolated host cannot run at all.
  view_.SetDemand(FrameworkId(2),
                  {Demand(Os::kWindows, OsVersion::kLtsc2016, 2, 1, "cpus:1;mem:2048")});
  EXPECT_EQ(LocalityDrfAllocator::Tier(view_, win_, FrameworkId(2)), 2);
  // Under Hyper-V it can, but it is an older base: tier 1 even when cached.
  const AgentId hv = view_.AddAgent("hv", Res("cpus:8;mem:16384"), Os::kWindows,
                                    OsVersion::kLtsc2019, Isolation::kHyperV);
  EXPECT_EQ(LocalityDrfAllocator::Tier(view_, hv, FrameworkId(2)), 1);
  // A task bigger than what the agent has free is no match either.
  view_.SetDemand(FrameworkId(2),
                  {Demand(Os::kWindows, OsVersion::kLtsc2019, 0, 2, "cpus:16;mem:2048")});
  EXPECT_EQ(LocalityDrfAllocator::Tier(view_, win_, FrameworkId(2)), 2);
  // Drained entries (0 tasks) count for nothing.
  view_.SetDemand(FrameworkId(2), {Demand(Os::kWindows, OsVersion::kLtsc2019, 0, 0, "cpus:1")});
  EXPECT_EQ(LocalityDrfAllocator::Tier(view_, win_, FrameworkId(2)), 2);
}

}  // namespace
}  // namespace clustersim::plugins
