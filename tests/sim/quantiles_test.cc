#include "sim/quantiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

namespace clustersim::sim {
namespace {

constexpr uint64_t kLimit = QuantileSeries::kExactLimit;

double ExactQuantile(const std::vector<double>& sorted, double q) {
  const double n = static_cast<double>(sorted.size());
  const auto rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(q * n)));
  return sorted[rank - 1];
}

std::vector<double> Draw(size_t n, uint64_t seed,
                         const std::function<double(std::mt19937_64&)>& f) {
  std::mt19937_64 rng(seed);
  std::vector<double> out(n);
  for (double& x : out) x = f(rng);
  return out;
}

QuantileSeries SeriesOf(const std::vector<double>& samples) {
  QuantileSeries s;
  for (const double x : samples) s.Add(x);
  return s;
}

TEST(QuantileSeries, LimitIsTwoToTheTwentieth) {
  EXPECT_EQ(kLimit, 1'048'576u);
  EXPECT_EQ(QuantileMethod(0), "exact");
  EXPECT_EQ(QuantileMethod(kLimit), "exact");
  EXPECT_EQ(QuantileMethod(kLimit + 1), "ddsketch");
}

TEST(QuantileSeries, EmptyIsZero) {
  const QuantileSeries s;
  EXPECT_TRUE(s.exact());
  EXPECT_EQ(s.Quantile(0.5), 0);
  EXPECT_TRUE(s.SortedSamples().empty());
}

TEST(QuantileSeries, ExactNearestRankOnSmallInputs) {
  const QuantileSeries s = SeriesOf({40, 10, 30, 20, 0});
  EXPECT_EQ(s.SortedSamples().size(), 4u);  // the zero is only counted
  // ceil(0.2 * 5) = 1 -> 0; ceil(0.21 * 5) = 2 -> 10; ceil(0.5 * 5) = 3 -> 20.
  EXPECT_EQ(s.Quantile(0), 0);
  EXPECT_EQ(s.Quantile(0.2), 0);
  EXPECT_EQ(s.Quantile(0.21), 10);
  EXPECT_EQ(s.Quantile(0.5), 20);
  EXPECT_EQ(s.Quantile(0.99), 40);
  EXPECT_EQ(s.Quantile(1), 40);
  // Values a bucketed histogram cannot tell apart stay apart.
  const QuantileSeries close = SeriesOf({383.80, 383.81, 383.82, 383.83});
  EXPECT_EQ(close.Quantile(0.5), 383.81);
  EXPECT_EQ(close.Quantile(0.99), 383.83);
  // Adding after a quantile was read sorts again.
  QuantileSeries grow = SeriesOf({5, 1});
  EXPECT_EQ(grow.Quantile(0.5), 1);
  grow.Add(0.5);
  grow.Add(0.25);
  EXPECT_EQ(grow.Quantile(0.5), 0.5);
}

// Exact up to and including 2^20 samples; one more and quantiles come from the sketch, within
// 0.5% of the exact ones, and the samples are gone.
TEST(QuantileSeries, SwitchesFromExactToSketchPastTwoToTheTwentieth) {
  std::vector<double> samples = Draw(kLimit + 1, 5, [](std::mt19937_64& rng) {
    return std::lognormal_distribution<double>(0, 2)(rng);
  });
  QuantileSeries s;
  for (uint64_t i = 0; i < kLimit; ++i) s.Add(samples[i]);
  std::vector<double> sorted(samples.begin(), samples.end() - 1);
  std::sort(sorted.begin(), sorted.end());
  ASSERT_TRUE(s.exact());
  EXPECT_EQ(s.SortedSamples().size(), kLimit);
  for (const double q : {0.001, 0.5, 0.9, 0.99, 0.999, 0.9999}) {
    EXPECT_EQ(s.Quantile(q), ExactQuantile(sorted, q)) << q;
  }
  s.Add(samples.back());
  sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_FALSE(s.exact());
  EXPECT_TRUE(s.SortedSamples().empty());
  EXPECT_EQ(s.count(), kLimit + 1);
  bool any_differs = false;
  for (const double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = ExactQuantile(sorted, q);
    EXPECT_LE(std::abs(s.Quantile(q) - exact), 0.005 * exact * (1 + 1e-9)) << q;
    any_differs |= s.Quantile(q) != exact;
  }
  EXPECT_TRUE(any_differs);  // the sketch is in use: it rounds to its buckets
}

// The sketch's 0.5% bound on p50/p90/p99/p999 on known distributions past the limit.
TEST(QuantileSeries, SketchWithinHalfAPercentOnKnownDistributions) {
  const std::vector<std::function<double(std::mt19937_64&)>> dists = {
      [](std::mt19937_64& rng) { return std::exponential_distribution<double>(0.1)(rng); },
      [](std::mt19937_64& rng) { return std::lognormal_distribution<double>(-3, 2.5)(rng); },
      [](std::mt19937_64& rng) { return std::uniform_real_distribution<double>(0, 1000)(rng); },
      // Pareto (x_m = 1, alpha = 1.2): a heavy tail.
      [](std::mt19937_64& rng) {
        return std::pow(1 - std::uniform_real_distribution<double>(0, 1)(rng), -1 / 1.2);
      },
  };
  for (size_t d = 0; d < dists.size(); ++d) {
    std::vector<double> samples = Draw(kLimit + 200'000, 100 + d, dists[d]);
    const QuantileSeries s = SeriesOf(samples);
    ASSERT_FALSE(s.exact());
    std::sort(samples.begin(), samples.end());
    for (const double q : {0.5, 0.9, 0.99, 0.999}) {
      const double exact = ExactQuantile(samples, q);
      EXPECT_LE(std::abs(s.Quantile(q) - exact), 0.005 * exact * (1 + 1e-9))
          << "distribution " << d << " q=" << q;
    }
    EXPECT_EQ(s.Quantile(1), samples.back());
    EXPECT_EQ(s.Quantile(0), samples.front());
  }
}

TEST(QuantileSeries, UnionOfPartsIsExactWhileTheUnionIsWithinTheLimit) {
  const std::vector<double> a = Draw(
      3000, 1, [](std::mt19937_64& rng) { return std::exponential_distribution<double>(1)(rng); });
  const std::vector<double> b = Draw(5000, 2, [](std::mt19937_64& rng) {
    return std::uniform_real_distribution<double>(0, 3)(rng);
  });
  QuantileSeries sa = SeriesOf(a), sb = SeriesOf(b);
  LogHistogram all;
  for (const double x : a) all.Add(x);
  for (const double x : b) all.Add(x);
  all.Add(0);
  sb.Add(0);
  std::vector<double> sorted = a;
  sorted.insert(sorted.end(), b.begin(), b.end());
  sorted.push_back(0);
  std::sort(sorted.begin(), sorted.end());
  const QuantileSeries* parts[] = {&sa, &sb};
  for (const double q : {0.0, 0.0001, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    EXPECT_EQ(UnionQuantile(parts, all, q), ExactQuantile(sorted, q)) << q;
  }
  // An empty part changes nothing.
  const QuantileSeries empty;
  const QuantileSeries* with_empty[] = {&empty, &sa, &sb};
  EXPECT_EQ(UnionQuantile(with_empty, all, 0.99), ExactQuantile(sorted, 0.99));
}

TEST(QuantileSeries, ZerosAreCountedNotKept) {
  // A million zeros (a series of pulls that never happen) keep nothing and stay exact.
  QuantileSeries s;
  for (uint64_t i = 0; i < kLimit - 2; ++i) s.Add(0);
  s.Add(7);
  s.Add(3);
  EXPECT_TRUE(s.exact());
  EXPECT_EQ(s.SortedSamples().size(), 2u);
  EXPECT_EQ(s.Quantile(0.5), 0);
  EXPECT_EQ(s.Quantile(static_cast<double>(kLimit - 2) / kLimit), 0);  // the last zero
  EXPECT_EQ(s.Quantile(static_cast<double>(kLimit - 1) / kLimit), 3);
  EXPECT_EQ(s.Quantile(1), 7);
  // The zeros of several parts come before all their positive samples.
  const QuantileSeries a = SeriesOf({0, 0, 5}), b = SeriesOf({0, 1, 2});
  LogHistogram all;
  for (const double x : {0, 0, 5, 0, 1, 2}) all.Add(x);
  const QuantileSeries* parts[] = {&a, &b};
  EXPECT_EQ(UnionQuantile(parts, all, 0.5), 0);      // rank 3
  EXPECT_EQ(UnionQuantile(parts, all, 0.51), 1);     // rank 4
  EXPECT_EQ(UnionQuantile(parts, all, 5.0 / 6), 2);  // rank 5
  EXPECT_EQ(UnionQuantile(parts, all, 0.9), 5);      // rank 6
}

TEST(QuantileSeries, UnionPastTheLimitUsesTheUnionSketch) {
  // Each part is within the limit, their union is not: the union's quantiles are the sketch's.
  const size_t half = kLimit / 2 + 10;
  QuantileSeries a, b;
  LogHistogram all;
  for (size_t i = 0; i < half; ++i) {
    const double x = 1 + static_cast<double>(i) * 1e-3;
    a.Add(x);
    b.Add(2 * x);
    all.Add(x);
    all.Add(2 * x);
  }
  ASSERT_TRUE(a.exact() && b.exact());
  const QuantileSeries* parts[] = {&a, &b};
  EXPECT_EQ(QuantileMethod(all.count()), "ddsketch");
  for (const double q : {0.5, 0.9, 0.99}) EXPECT_EQ(UnionQuantile(parts, all, q), all.Quantile(q));
}

TEST(QuantileSeries, Deterministic) {
  const std::vector<double> samples = Draw(kLimit + 5, 9, [](std::mt19937_64& rng) {
    return std::exponential_distribution<double>(2)(rng);
  });
  const QuantileSeries s1 = SeriesOf(samples), s2 = SeriesOf(samples);
  for (const double q : {0.5, 0.99, 0.999}) EXPECT_EQ(s1.Quantile(q), s2.Quantile(q));
}

TEST(QuantileSeriesDeathTest, RejectsNegativeValues) {
  QuantileSeries s;
  EXPECT_DEATH(s.Add(-1), "non-negative");
  EXPECT_DEATH(s.Quantile(-0.1), "q must be in");
}

}  // namespace
}  // namespace clustersim::sim
