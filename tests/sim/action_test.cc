#include "sim/action.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <type_traits>
#include <utility>

namespace clustersim::sim {
namespace {

static_assert(sizeof(Action) == 64);
static_assert(!std::is_copy_constructible_v<Action>);
static_assert(!std::is_copy_assignable_v<Action>);
static_assert(std::is_nothrow_move_constructible_v<Action>);
static_assert(std::is_nothrow_move_assignable_v<Action>);
// Converting from a lambda is implicit; from a non-callable it is not offered at all.
static_assert(std::is_convertible_v<decltype([] {}), Action>);
static_assert(!std::is_constructible_v<Action, int>);

TEST(ActionTest, DefaultIsEmpty) {
  Action a;
  EXPECT_FALSE(a);
}

TEST(ActionTest, CallsTheCallableEveryTime) {
  int calls = 0;
  Action a = [&calls] { ++calls; };
  ASSERT_TRUE(a);
  a();
  a();
  EXPECT_EQ(calls, 2);
}

TEST(ActionTest, MutableStateSurvivesCalls) {
  int seen = 0;
  Action a = [&seen, n = 0]() mutable { seen = ++n; };
  a();
  a();
  a();
  EXPECT_EQ(seen, 3);
}

TEST(ActionTest, FillsTheWholeBuffer) {
  std::array<int64_t, 5> values = {1, 2, 3, 4, 5};
  int64_t sum = 0;
  Action a = [values, &sum] {
    for (int64_t v : values) sum += v;
  };
  a();
  EXPECT_EQ(sum, 15);
}

TEST(ActionTest, MoveTransfersAndEmptiesTheSource) {
  int calls = 0;
  Action a = [&calls] { ++calls; };
  Action b = std::move(a);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): the moved-from state is specified.
  ASSERT_TRUE(b);
  b();
  Action c;
  c = std::move(b);
  EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move)
  c();
  EXPECT_EQ(calls, 2);
}

TEST(ActionTest, NonTrivialCaptureIsMovedAndDestroyedExactlyOnce) {
  auto token = std::make_shared<int>(7);
  std::weak_ptr<int> watch = token;
  int got = 0;
  {
    Action a = [token = std::move(token), &got] { got = *token; };
    EXPECT_EQ(watch.use_count(), 1);
    Action b = std::move(a);
    EXPECT_EQ(watch.use_count(), 1);
    Action c;
    c = std::move(b);
    EXPECT_EQ(watch.use_count(), 1);
    c();
    EXPECT_EQ(got, 7);
  }
  EXPECT_TRUE(watch.expired());
}

TEST(ActionTest, ResetDestroysTheCapture) {
  auto token = std::make_shared<int>(1);
  std::weak_ptr<int> watch = token;
  Action a = [token = std::move(token)] {};
  a.Reset();
  EXPECT_FALSE(a);
  EXPECT_TRUE(watch.expired());
}

TEST(ActionTest, MoveAssignOverALiveActionDestroysTheOldCapture) {
  auto old_token = std::make_shared<int>(1);
  std::weak_ptr<int> watch = old_token;
  Action a = [t = std::move(old_token)] {};
  a = Action([] {});
  EXPECT_TRUE(watch.expired());
  EXPECT_TRUE(a);
}

TEST(ActionTest, UniquePtrCaptureWorks) {
  auto p = std::make_unique<int>(42);
  int got = 0;
  Action a = [p = std::move(p), &got] { got = *p; };
  Action b = std::move(a);
  b();
  EXPECT_EQ(got, 42);
}

int free_function_calls = 0;
void FreeFunction() { ++free_function_calls; }

TEST(ActionTest, FunctionPointers) {
  Action a = &FreeFunction;
  EXPECT_TRUE(a);
  a();
  a();
  EXPECT_EQ(free_function_calls, 2);
  void (*null_function)() = nullptr;
  Action b = null_function;
  EXPECT_FALSE(b);
}

TEST(ActionDeathTest, CallingAnEmptyActionAborts) {
  Action a;
  EXPECT_DEATH(a(), "empty Action");
}

// Constructing an Action from a callable larger than 48 bytes is a compile error, e.g.
//   std::array<char, 64> big{};
//   Action a = [big] {};  // static_assert: "callable is larger than the 48-byte inline buffer"
// (not compiled here, on purpose).

}  // namespace
}  // namespace clustersim::sim
