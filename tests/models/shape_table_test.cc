#include "models/framework/shape_table.h"

#include <gtest/gtest.h>

namespace clustersim::models {
namespace {

Task TaskOf(double cpus, double mem, plugins::Os os = plugins::Os::kLinux) {
  Task t;
  t.resources = plugins::Resources::Of(cpus, mem);
  t.os = os;
  return t;
}

TEST(ShapeTableTest, EqualRequirementsShareAnIdAndDifferentOnesDoNot) {
  ShapeTable shapes;
  Task t1 = TaskOf(1, 512), t2 = TaskOf(1, 512), t3 = TaskOf(1, 513);
  Task t4 = TaskOf(1, 512, plugins::Os::kWindows);
  const uint32_t a = shapes.Acquire(t1);
  const uint32_t b = shapes.Acquire(t2);
  const uint32_t c = shapes.Acquire(t3);
  const uint32_t d = shapes.Acquire(t4);
  Task with_image = TaskOf(1, 512);
  with_image.has_image = true;
  with_image.image = ImageId(0);
  const uint32_t e = shapes.Acquire(with_image);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
  EXPECT_NE(a, e);  // image 0 is not "no image"
  EXPECT_EQ(shapes.live_shapes(), 4u);
}

TEST(ShapeTableTest, AShapeIsForgottenWithItsLastTaskAndIdsAreNotReused) {
  ShapeTable shapes;
  Task small = TaskOf(1, 512);
  const uint32_t first = shapes.Acquire(small);
  shapes.Acquire(small);
  shapes.Release(small);
  EXPECT_EQ(shapes.live_shapes(), 1u);
  EXPECT_EQ(shapes.Acquire(small), first);  // still alive: same id
  shapes.Release(small);
  shapes.Release(small);
  EXPECT_EQ(shapes.live_shapes(), 0u);
  Task other_task = TaskOf(2, 512);
  const uint32_t other = shapes.Acquire(other_task);
  EXPECT_NE(other, first);  // a later shape never takes an id a live task might still hold
}

TEST(ShapeTableTest, ByJobTasksOfDifferentJobsNeverShareAShape) {
  ShapeTable shapes;
  Task a = TaskOf(1, 512), b = TaskOf(1, 512), c = TaskOf(1, 512);
  a.job = 7;
  b.job = 7;
  c.job = 9;
  const uint32_t ia = shapes.Acquire(a, /*by_job=*/true);
  EXPECT_EQ(shapes.Acquire(b, /*by_job=*/true), ia);
  EXPECT_NE(shapes.Acquire(c, /*by_job=*/true), ia);
  Task plain = TaskOf(1, 512);
  plain.job = 7;
  EXPECT_NE(shapes.Acquire(plain), ia);  // acquired without by_job: the job-less shape
  for (Task* t : {&a, &b, &c, &plain}) shapes.Release(*t);
  EXPECT_EQ(shapes.live_shapes(), 0u);
}

TEST(ShapeTableTest, AMillionDistinctTasksLeaveNothingBehind) {
  ShapeTable shapes;
  for (int i = 0; i < 1000000; ++i) {
    Task t = TaskOf(0.5 + i * 0.001, 1024);
    shapes.Acquire(t);
    shapes.Release(t);
  }
  EXPECT_EQ(shapes.live_shapes(), 0u);
}

}  // namespace
}  // namespace clustersim::models
