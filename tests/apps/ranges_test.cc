#include "apps/config/ranges.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace clustersim::apps {
namespace {

using ::testing::HasSubstr;

// The value of key `v` in a one-line document, for the readers below.
YamlValue V(const std::string& text) {
  sim::Result<YamlDocument> doc = LoadYamlString("v: " + text, "r.yaml");
  EXPECT_TRUE(doc.ok()) << doc.error();
  return doc->Root().Child("v");
}

TEST(ReadDurationIn, ZeroInfinityAndTheMinimumAreChosenPerKey) {
  const DurationRange interval{.min = kMinInterval, .zero_ok = true};
  EXPECT_EQ(*ReadDurationIn(V("0"), interval), sim::Time::Zero());
  EXPECT_EQ(*ReadDurationIn(V("1ms"), interval), sim::Time::Millis(1));
  EXPECT_EQ(ReadDurationIn(V("1us"), interval).error(),
            "r.yaml:1:4: v: expected 0 or a finite duration of at least 1ms, got '1us'");
  EXPECT_THAT(ReadDurationIn(V("inf"), interval).error(), HasSubstr("got 'inf'"));
  const DurationRange timeout{.min = kMinInterval, .infinite_ok = true};
  EXPECT_TRUE(ReadDurationIn(V("inf"), timeout)->IsMax());
  EXPECT_EQ(ReadDurationIn(V("0"), timeout).error(),
            "r.yaml:1:4: v: expected a duration of at least 1ms (or inf), got '0'");
  EXPECT_EQ(ReadDurationIn(V("0"), {}).error(),
            "r.yaml:1:4: v: expected a finite positive duration, got '0'");
  EXPECT_EQ(*ReadDurationIn(V("1us"), {}), sim::Time::Micros(1));
  EXPECT_EQ(ReadDurationIn(V("0.5s"), {.min = kMinFailureMean}).error(),
            "r.yaml:1:4: v: expected a finite duration of at least 1s, got '0.5s'");
}

TEST(ReadResourceAmount, BoundedByTwoToTheThirtyTwoUnits) {
  EXPECT_EQ(*ReadResourceAmount(V("4294967296"), false), kMaxResourceAmount);
  EXPECT_EQ(ReadResourceAmount(V("4294967297"), false).error(),
            "r.yaml:1:4: v: expected a number in [0, 4294967296], got '4294967297'");
  EXPECT_THAT(ReadResourceAmount(V("-1"), false).error(), HasSubstr("non-negative"));
  EXPECT_EQ(*ReadResourceAmount(V("4PiB"), true), kMaxResourceAmount);
  EXPECT_THAT(ReadResourceAmount(V("4.1PiB"), true).error(), HasSubstr("(at most 4PiB)"));
  EXPECT_THAT(ReadBoundedSize(V("1e308")).error(), HasSubstr("(at most 4PiB)"));
}

TEST(ReadBandwidthIn, FromOneKiBPerSecond) {
  EXPECT_EQ(*ReadBandwidthIn(V("1KiB/s")), kMinBandwidthMiBps);
  EXPECT_EQ(ReadBandwidthIn(V("1B/s")).error(),
            "r.yaml:1:4: v: expected a bandwidth in [1KiB/s, 4096TiB/s], got '1B/s'");
  EXPECT_THAT(ReadBandwidthIn(V("5000TiB/s")).error(), HasSubstr("(at most 4096TiB/s)"));
}

TEST(ReadRateIn, PositiveAndAtMostAMillionPerSecond) {
  EXPECT_EQ(*ReadRateIn(V("1e6/s")), 1e6);
  EXPECT_EQ(ReadRateIn(V("1e9/s")).error(),
            "r.yaml:1:4: v: expected a positive rate of at most 1000000/s, got '1e9/s'");
  EXPECT_THAT(ReadRateIn(V("0")).error(), HasSubstr("positive rate"));
}

TEST(Ranges, ResourceSumsOverEveryAgentStayInsideInt64) {
  // kMaxAgents agents of kMaxResourceAmount units, in thousandths: below 2^62.
  const double fixed_sum = static_cast<double>(kMaxAgents) * kMaxResourceAmount * 1000;
  EXPECT_LT(fixed_sum, 4.62e18);
}

}  // namespace
}  // namespace clustersim::apps
