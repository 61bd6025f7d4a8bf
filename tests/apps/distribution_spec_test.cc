#include "apps/config/distribution_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/random.h"

namespace clustersim::apps {
namespace {

using ::testing::HasSubstr;
using Kind = sim::Distribution::Kind;

// Parses `yaml` (a one-key mapping `d: ...`) and reads `d` as a distribution.
sim::Result<sim::Distribution> Parse(const std::string& yaml, Quantity q) {
  sim::Result<YamlDocument> doc = LoadYamlString(yaml, "d.yaml");
  EXPECT_TRUE(doc.ok()) << doc.error();
  if (!doc.ok()) return doc.status();
  return ParseDistribution(doc->Root().Child("d"), q);
}

sim::Distribution Ok(const std::string& yaml, Quantity q) {
  sim::Result<sim::Distribution> d = Parse(yaml, q);
  EXPECT_TRUE(d.ok()) << yaml << ": " << d.error();
  return d.ok() ? *d : sim::Distribution::Constant(-1);
}

std::string Err(const std::string& yaml, Quantity q) {
  sim::Result<sim::Distribution> d = Parse(yaml, q);
  EXPECT_FALSE(d.ok()) << yaml;
  return d.ok() ? "" : d.error();
}

TEST(ParseDistribution, ScalarIsAConstantInTheQuantitysUnit) {
  const sim::Distribution five_s = Ok("d: 5s", Quantity::kDuration);
  EXPECT_EQ(five_s.kind(), Kind::kConstant);
  EXPECT_EQ(five_s.Mean(), 5.0);
  EXPECT_EQ(Ok("d: 250ms", Quantity::kDuration).Mean(), 0.25);
  EXPECT_EQ(Ok("d: 3", Quantity::kDuration).Mean(), 3.0);  // plain number: seconds
  EXPECT_EQ(Ok("d: 512MiB", Quantity::kSizeMiB).Mean(), 512.0);
  EXPECT_EQ(Ok("d: 2GiB", Quantity::kSizeMiB).Mean(), 2048.0);
  EXPECT_EQ(Ok("d: 2", Quantity::kNumber).Mean(), 2.0);
  EXPECT_EQ(Ok("d: 0.5", Quantity::kNumber).Mean(), 0.5);
}

TEST(ParseDistribution, ConstantDurationMayBeForever) {
  const sim::Distribution forever = Ok("d: forever", Quantity::kDuration);
  EXPECT_TRUE(sim::Time::FromSeconds(forever.Mean()).IsMax());
  EXPECT_TRUE(
      sim::Time::FromSeconds(Ok("d: {dist: constant, value: inf}", Quantity::kDuration).Mean())
          .IsMax());
  EXPECT_EQ(Err("d: {dist: exponential, mean: inf}", Quantity::kDuration),
            "d.yaml:1:30: d.mean: expected a finite duration, got 'inf'");
}

TEST(ParseDistribution, MapForms) {
  const sim::Distribution c = Ok("d: {dist: constant, value: 2GiB}", Quantity::kSizeMiB);
  EXPECT_EQ(c.kind(), Kind::kConstant);
  EXPECT_EQ(c.Mean(), 2048.0);

  const sim::Distribution e = Ok("d: {dist: exponential, mean: 30s}", Quantity::kDuration);
  EXPECT_EQ(e.kind(), Kind::kExponential);
  EXPECT_EQ(e.Mean(), 30.0);

  const sim::Distribution l =
      Ok("d: {dist: lognormal, median: 20s, p99: 5min}", Quantity::kDuration);
  EXPECT_EQ(l.kind(), Kind::kLogNormal);
  // mu = ln 20, sigma = (ln 300 - ln 20) / z_0.99; mean = exp(mu + sigma^2 / 2).
  const double sigma = (std::log(300.0) - std::log(20.0)) / 2.3263478740408408;
  EXPECT_NEAR(l.Mean(), std::exp(std::log(20.0) + sigma * sigma / 2), 1e-9);

  const sim::Distribution u = Ok("d: {dist: uniform, min: 1, max: 3}", Quantity::kNumber);
  EXPECT_EQ(u.kind(), Kind::kUniform);
  EXPECT_EQ(u.Min(), 1.0);
  EXPECT_EQ(u.Max(), 3.0);

  const sim::Distribution emp = Ok(
      "d: {dist: empirical, values: [1s, 10s, 1h], weights: [0.7, 0.2, 0.1]}", Quantity::kDuration);
  EXPECT_EQ(emp.kind(), Kind::kEmpirical);
  EXPECT_DOUBLE_EQ(emp.Mean(), 0.7 * 1 + 0.2 * 10 + 0.1 * 3600);
  EXPECT_EQ(emp.Min(), 1.0);
  EXPECT_EQ(emp.Max(), 3600.0);

  const sim::Distribution equal =
      Ok("d:\n  dist: empirical\n  values: [512MiB, 1GiB]\n", Quantity::kSizeMiB);
  EXPECT_DOUBLE_EQ(equal.Mean(), 768.0);
}

TEST(ParseDistribution, ValidatesParameters) {
  EXPECT_EQ(Err("d: {dist: lognormal, median: 5s, p99: 1s}", Quantity::kDuration),
            "d.yaml:1:39: d.p99: p99 (1s) must be at least the median (5s)");
  EXPECT_EQ(Err("d: {dist: uniform, min: 2GiB, max: 1GiB}", Quantity::kSizeMiB),
            "d.yaml:1:36: d.max: max (1GiB) must be at least min (2GiB)");
  EXPECT_EQ(Err("d: {dist: exponential, mean: 0s}", Quantity::kDuration),
            "d.yaml:1:30: d.mean: expected a positive duration, got '0s'");
  EXPECT_EQ(Err("d: {dist: lognormal, median: 0, p99: 1}", Quantity::kNumber),
            "d.yaml:1:30: d.median: expected a positive number, got '0'");
  EXPECT_EQ(Err("d: -2", Quantity::kNumber),
            "d.yaml:1:4: d: expected a non-negative number, got '-2'");
  EXPECT_THAT(Err("d: -2s", Quantity::kDuration), HasSubstr("must not be negative"));
  EXPECT_EQ(Err("d: {dist: empirical, values: []}", Quantity::kNumber),
            "d.yaml:1:22: d.values: expected a non-empty list of numbers, got an empty list");
  EXPECT_EQ(Err("d: {dist: empirical, values: [1, 2], weights: [1]}", Quantity::kNumber),
            "d.yaml:1:38: d.weights: expected 2 weights (one per value), got 1");
  EXPECT_EQ(Err("d: {dist: empirical, values: [1, 2], weights: [0, 0]}", Quantity::kNumber),
            "d.yaml:1:38: d.weights: weights must not all be zero");
  EXPECT_EQ(Err("d: {dist: empirical, values: [1, 2], weights: [1, -1]}", Quantity::kNumber),
            "d.yaml:1:51: d.weights[1]: expected a non-negative number, got '-1'");
  EXPECT_EQ(Err("d: {dist: empirical, values: [1s, soon]}", Quantity::kDuration),
            "d.yaml:1:35: d.values[1]: expected a duration like 250ms, 5s or 2h, got 'soon'");
}

TEST(ParseDistribution, EveryParameterIsBoundedAndSamplesAreCapped) {
  // Default bound for numbers and sizes: 2^32 units.
  EXPECT_EQ(Err("d: 1e16", Quantity::kNumber),
            "d.yaml:1:4: d: expected a number of at most 4294967296, got '1e16'");
  EXPECT_THAT(Err("d: {dist: exponential, mean: 1e308PiB}", Quantity::kSizeMiB),
              HasSubstr("d.mean: expected a size like 512MiB or 2GiB, got '1e308PiB' (at most "
                        "4PiB)"));
  EXPECT_THAT(Err("d: {dist: uniform, min: 1, max: 1e300}", Quantity::kNumber),
              HasSubstr("d.max: expected a number of at most 4294967296"));
  EXPECT_THAT(Err("d: {dist: empirical, values: [1, 2], weights: [1, 1e300]}", Quantity::kNumber),
              HasSubstr("d.weights[1]: expected a weight of at most 1000000000000"));
  // An explicit bound, and a ceiling on sampling at it.
  sim::Result<YamlDocument> doc =
      LoadYamlString("d: {dist: lognormal, median: 1, p99: 10}", "d.yaml");
  ASSERT_TRUE(doc.ok());
  const sim::Result<sim::Distribution> d =
      ParseDistribution(doc->Root().Child("d"), Quantity::kNumber, 10);
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(d->Max(), 10);
  sim::Rng rng(1);
  int capped = 0;
  for (int i = 0; i < 1000; ++i) {
    const double x = d->Sample(rng);
    EXPECT_LE(x, 10);
    capped += x == 10;
  }
  EXPECT_GT(capped, 0);  // about 1% of draws pass the p99
  EXPECT_THAT(ParseDistribution(doc->Root().Child("d"), Quantity::kNumber, 5).error(),
              HasSubstr("d.p99: expected a number of at most 5, got '10'"));
  // Durations keep "inf" for constants and are bounded by every duration's bound.
  EXPECT_TRUE(Ok("d: inf", Quantity::kDuration).Max() > 1e12);
  EXPECT_THAT(Err("d: {dist: exponential, mean: 1e15s}", Quantity::kDuration),
              HasSubstr("at most 2^61us"));
}

TEST(ParseDistribution, KeysAreCheckedStrictly) {
  EXPECT_EQ(Err("d: {dist: exponential, mean: 5s, median: 3s}", Quantity::kDuration),
            "d.yaml:1:34: d: unknown key 'median' (valid keys: dist, mean)");
  EXPECT_EQ(Err("d: {dist: exponential, meen: 5s}", Quantity::kDuration),
            "d.yaml:1:1: d: missing required key 'mean' (is 'meen' a typo?)");
  EXPECT_EQ(Err("d: {dist: uniform, min: 1, max: 2, maxx: 3}", Quantity::kNumber),
            "d.yaml:1:36: d: unknown key 'maxx' (did you mean 'max'? valid keys: dist, max, min)");
  EXPECT_EQ(Err("d: {mean: 5s}", Quantity::kDuration),
            "d.yaml:1:1: d: missing required key 'dist'");
  EXPECT_EQ(Err("d: {dist: gaussian, mean: 5s}", Quantity::kDuration),
            "d.yaml:1:11: d.dist: expected one of constant, exponential, lognormal, uniform, "
            "empirical, got 'gaussian'");
  EXPECT_EQ(Err("d: {dist: exponental, mean: 5s}", Quantity::kDuration),
            "d.yaml:1:11: d.dist: expected one of constant, exponential, lognormal, uniform, "
            "empirical, got 'exponental' (did you mean 'exponential'?)");
}

TEST(ParseDistribution, RejectsOtherShapes) {
  EXPECT_EQ(Err("d: [1s, 2s]", Quantity::kDuration),
            "d.yaml:1:1: d: expected a duration like 250ms, 5s or 2h, or a mapping like {dist: "
            "exponential, mean: ...}, got a list");
  EXPECT_EQ(Err("x: 1", Quantity::kDuration), "d.yaml:1:1: missing required key 'd'");
  EXPECT_THAT(Err("d:", Quantity::kSizeMiB), HasSubstr("got an empty value"));
}

}  // namespace
}  // namespace clustersim::apps
