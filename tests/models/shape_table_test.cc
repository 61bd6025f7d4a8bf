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
  const uint32_t a = shapes.Acquire(TaskOf(1, 512));
  const uint32_t b = shapes.Acquire(TaskOf(1, 512));
  const uint32_t c = shapes.Acquire(TaskOf(1, 513));
  const uint32_t d = shapes.Acquire(TaskOf(1, 512, plugins::Os::kWindows));
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
  const Task small = TaskOf(1, 512);
  const uint32_t first = shapes.Acquire(small);
  shapes.Acquire(small);
  shapes.Release(small);
  EXPECT_EQ(shapes.live_shapes(), 1u);
  EXPECT_EQ(shapes.Acquire(small), first);  // still alive: same id
  shapes.Release(small);
  shapes.Release(small);
  EXPECT_EQ(shapes.live_shapes(), 0u);
  const uint32_t other = shapes.Acquire(TaskOf(2, 512));
  EXPECT_NE(other, first);  // a later shape never takes an id a live task might still hold
}

TEST(ShapeTableTest, AMillionDistinctTasksLeaveNothingBehind) {
  ShapeTable shapes;
  for (int i = 0; i < 1000000; ++i) {
    const Task t = TaskOf(0.5 + i * 0.001, 1024);
    shapes.Acquire(t);
    shapes.Release(t);
  }
  EXPECT_EQ(shapes.live_shapes(), 0u);
}

}  // namespace
}  // namespace clustersim::models
