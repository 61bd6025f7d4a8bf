#include "scheduler_plugins/allocators/fifo.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/plugins/allocator_driver.h"
#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::AllocatorDriver;
using test::FakeClusterView;
using test::Res;
using test::VisitOrder;

TEST(FifoTest, RegistrationOrderWhateverTheAllocation) {
  FakeClusterView view;
  view.AddAgent("a0", Res("cpus:8;mem:8192"));
  const RoleId r = view.AddRole("r");
  // Ids and registration order disagree: f0 registered third.
  view.AddFramework("f0", r, /*order=*/2);
  view.AddFramework("f1", r, /*order=*/0);
  view.AddFramework("f2", view.AddRole("other"), /*order=*/1);
  FifoAllocator fifo;
  for (uint32_t f = 0; f < 3; ++f) fifo.FrameworkAdded(view, FrameworkId(f));
  EXPECT_EQ(VisitOrder(fifo, view), (std::vector<uint32_t>{1, 2, 0}));
  // f1 holding almost everything changes nothing (DRF would put it last).
  view.SetAllocated(FrameworkId(1), Res("cpus:7;mem:8000"));
  fifo.AllocationChanged(view, FrameworkId(1));
  EXPECT_EQ(VisitOrder(fifo, view), (std::vector<uint32_t>{1, 2, 0}));
  fifo.FrameworkRemoved(view, FrameworkId(2));
  EXPECT_EQ(VisitOrder(fifo, view), (std::vector<uint32_t>{1, 0}));
}

TEST(FifoTest, TheFirstFrameworkTakesEveryAgent) {
  FakeClusterView view;
  for (int i = 0; i < 3; ++i) view.AddAgent("a" + std::to_string(i), Res("cpus:4;mem:4096"));
  view.AddFramework("early", view.AddRole("early"));
  view.AddFramework("late", view.AddRole("late"));
  FifoAllocator fifo;
  fifo.FrameworkAdded(view, FrameworkId(0));
  fifo.FrameworkAdded(view, FrameworkId(1));
  AllocatorDriver driver(fifo, view);
  for (const auto& g : driver.Cycle()) EXPECT_EQ(g.framework, 0u);
  EXPECT_EQ(view.framework_allocated(FrameworkId(0)), Res("cpus:12;mem:12288"));
}

}  // namespace
}  // namespace clustersim::plugins
