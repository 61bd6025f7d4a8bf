#include "sim/time.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace clustersim::sim {
namespace {

// Times are constexpr: checked when this file compiles.
static_assert((Time::Seconds(2) + Time::Millis(5)).micros() == 2'005'000);
static_assert(Time::FromSeconds(0.25).micros() == 250'000);

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

TEST(TimeTest, UnitsAreMicroseconds) {
  EXPECT_EQ(Time::Micros(7).micros(), 7);
  EXPECT_EQ(Time::Millis(3).micros(), 3'000);
  EXPECT_EQ(Time::Seconds(2).micros(), 2'000'000);
  EXPECT_EQ(Time().micros(), 0);
  EXPECT_EQ(Time::Zero(), Time());
  EXPECT_DOUBLE_EQ(Time::Millis(1500).seconds(), 1.5);
}

TEST(TimeTest, ComparisonsFollowMicros) {
  EXPECT_LT(Time::Micros(999), Time::Millis(1));
  EXPECT_EQ(Time::Millis(1000), Time::Seconds(1));
  EXPECT_GT(Time::Max(), Time::Seconds(1'000'000'000));
  EXPECT_LE(Time::Zero(), Time::Zero());
}

TEST(TimeTest, Arithmetic) {
  Time t = Time::Seconds(1);
  t += Time::Millis(250);
  EXPECT_EQ(t.micros(), 1'250'000);
  t -= Time::Micros(50);
  EXPECT_EQ(t.micros(), 1'249'950);
  EXPECT_EQ((Time::Millis(2) * 3).micros(), 6'000);
  EXPECT_EQ((Time::Seconds(1) - Time::Seconds(3)).micros(), -2'000'000);
}

TEST(TimeTest, FromSecondsRoundsToNearestMicrosecond) {
  EXPECT_EQ(Time::FromSeconds(1.5).micros(), 1'500'000);
  EXPECT_EQ(Time::FromSeconds(0.0000014).micros(), 1);
  EXPECT_EQ(Time::FromSeconds(0.0000016).micros(), 2);
  EXPECT_EQ(Time::FromSeconds(-0.0000016).micros(), -2);
  EXPECT_EQ(Time::FromSeconds(0).micros(), 0);
}

TEST(TimeTest, FromSecondsSaturates) {
  EXPECT_TRUE(Time::FromSeconds(1e300).IsMax());
  EXPECT_TRUE(Time::FromSeconds(std::numeric_limits<double>::infinity()).IsMax());
  EXPECT_TRUE(Time::FromSeconds(std::numeric_limits<double>::quiet_NaN()).IsMax());
  EXPECT_EQ(Time::FromSeconds(-1e300).micros(), kInt64Min);
}

TEST(TimeTest, AdditionSaturatesInsteadOfOverflowing) {
  EXPECT_TRUE((Time::Max() + Time::Seconds(1)).IsMax());
  EXPECT_TRUE((Time::Seconds(1) + Time::Max()).IsMax());
  EXPECT_EQ((Time::Micros(kInt64Min) + Time::Micros(-1)).micros(), kInt64Min);
  EXPECT_EQ((Time::Max() + Time::Micros(-1)).micros(), kInt64Max - 1);
}

TEST(TimeTest, SubtractionAndMultiplicationSaturate) {
  EXPECT_EQ((Time::Micros(kInt64Min) - Time::Seconds(1)).micros(), kInt64Min);
  EXPECT_TRUE((Time::Max() - Time::Micros(-1)).IsMax());
  EXPECT_EQ((Time::Max() - Time::Seconds(1)).micros(), kInt64Max - 1'000'000);
  EXPECT_TRUE((Time::Seconds(1) * kInt64Max).IsMax());
  EXPECT_EQ((Time::Seconds(1) * kInt64Min).micros(), kInt64Min);
  EXPECT_EQ((Time::Seconds(-1) * kInt64Min).micros(), kInt64Max);
  EXPECT_TRUE(Time::Seconds(kInt64Max / 1000).IsMax());
  EXPECT_EQ(Time::Millis(kInt64Min / 10).micros(), kInt64Min);
}

TEST(TimeTest, TwoInputTimesAddExactly) {
  const Time sum = Time::MaxInput() + Time::MaxInput();
  EXPECT_FALSE(sum.IsMax());
  EXPECT_EQ(sum.micros(), int64_t{1} << 62);
  EXPECT_FALSE((sum + Time::MaxInput()).IsMax());
}

}  // namespace
}  // namespace clustersim::sim
