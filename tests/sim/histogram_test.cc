#include "sim/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

namespace clustersim::sim {
namespace {

constexpr double kQuantiles[] = {0,    0.001, 0.01, 0.05, 0.1,   0.25,   0.5,
                                 0.75, 0.9,   0.95, 0.99, 0.999, 0.9999, 1};

// The nearest-rank quantile of sorted samples: the value of rank ceil(q * n), at least 1.
double ExactQuantile(const std::vector<double>& sorted, double q) {
  const double n = static_cast<double>(sorted.size());
  const auto rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(q * n)));
  return sorted[rank - 1];
}

// Lognormal-ish latencies spanning several decades. std::lognormal_distribution is
// implementation-defined, which is fine here: each test compares against its own samples.
std::vector<double> LogNormalSamples(size_t n, uint64_t seed, double mu, double sigma) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> dist(mu, sigma);
  std::vector<double> out(n);
  for (double& x : out) x = dist(rng);
  return out;
}

void ExpectWithinOnePercent(const LogHistogram& h, std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  for (const double q : kQuantiles) {
    const double exact = ExactQuantile(samples, q);
    const double approx = h.Quantile(q);
    EXPECT_LE(std::abs(approx - exact), LogHistogram::kRelativeAccuracy * exact * (1 + 1e-9))
        << "q=" << q << " exact=" << exact << " approx=" << approx;
  }
}

TEST(LogHistogram, EmptyIsAllZeros) {
  const LogHistogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Mean(), 0);
  EXPECT_EQ(h.Min(), 0);
  EXPECT_EQ(h.Max(), 0);
  EXPECT_EQ(h.Quantile(0.5), 0);
  EXPECT_EQ(h.bucket_count(), 0u);
}

TEST(LogHistogram, QuantilesWithinOnePercentOfExactOnLogNormalSamples) {
  const std::vector<double> samples = LogNormalSamples(100'000, 42, /*mu=*/-3, /*sigma=*/2);
  LogHistogram h;
  for (const double x : samples) h.Add(x);
  ASSERT_EQ(h.count(), samples.size());
  ExpectWithinOnePercent(h, samples);
}

TEST(LogHistogram, CountMeanMinMaxAreExact) {
  const std::vector<double> samples = LogNormalSamples(100'000, 7, /*mu=*/0, /*sigma=*/1);
  LogHistogram h;
  for (const double x : samples) h.Add(x);
  const double sum = std::accumulate(samples.begin(), samples.end(), 0.0);
  EXPECT_EQ(h.count(), 100'000u);
  EXPECT_NEAR(h.Mean(), sum / 100'000, 1e-12 * sum / 100'000);
  EXPECT_EQ(h.Min(), *std::min_element(samples.begin(), samples.end()));
  EXPECT_EQ(h.Max(), *std::max_element(samples.begin(), samples.end()));
  EXPECT_EQ(h.Quantile(0), h.Min());
  EXPECT_EQ(h.Quantile(1), h.Max());
}

TEST(LogHistogram, MeanIsExactOnSmallInputs) {
  LogHistogram h;
  h.Add(1);
  h.Add(2);
  h.Add(4, /*count=*/2);
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.Sum(), 11);
  EXPECT_EQ(h.Mean(), 2.75);
  // Compensated summation keeps small values that a naive sum would lose.
  LogHistogram c;
  c.Add(1e16);
  for (int i = 0; i < 10; ++i) c.Add(1);
  EXPECT_EQ(c.Sum(), 1e16 + 10);
}

TEST(LogHistogram, SingleValueIsReturnedExactly) {
  LogHistogram h;
  h.Add(0.123);
  for (const double q : kQuantiles) EXPECT_EQ(h.Quantile(q), 0.123) << q;
}

TEST(LogHistogram, ZeroHasAnExactBucket) {
  LogHistogram h;
  for (int i = 0; i < 30; ++i) h.Add(0);
  for (int i = 1; i <= 70; ++i) h.Add(i);
  EXPECT_EQ(h.Min(), 0);
  EXPECT_EQ(h.Quantile(0.1), 0);
  EXPECT_EQ(h.Quantile(0.295), 0);          // rank 30: the last zero
  EXPECT_NEAR(h.Quantile(0.305), 1, 0.01);  // rank 31: the first 1
  EXPECT_NEAR(h.Quantile(0.5), 20, 0.2);
  EXPECT_EQ(h.Quantile(1), 70);
}

TEST(LogHistogram, NearestRankDefinition) {
  LogHistogram h;
  for (const double x : {10.0, 20.0, 30.0, 40.0}) h.Add(x);
  // ceil(0.25 * 4) = 1 -> 10; ceil(0.26 * 4) = 2 -> 20; ceil(0.5 * 4) = 2 -> 20.
  EXPECT_NEAR(h.Quantile(0.25), 10, 0.1);
  EXPECT_NEAR(h.Quantile(0.26), 20, 0.2);
  EXPECT_NEAR(h.Quantile(0.5), 20, 0.2);
  EXPECT_NEAR(h.Quantile(0.75), 30, 0.3);
  EXPECT_NEAR(h.Quantile(0.76), 40, 0.4);
}

TEST(LogHistogram, ResultsAreClampedToMinAndMax) {
  LogHistogram h;
  h.Add(1.0);
  h.Add(1.0);
  h.Add(1.001);
  for (const double q : kQuantiles) {
    EXPECT_GE(h.Quantile(q), 1.0) << q;
    EXPECT_LE(h.Quantile(q), 1.001) << q;
  }
}

TEST(LogHistogram, WideRangeFromMicrosecondsTo1e11Seconds) {
  std::vector<double> samples;
  for (double v = 1e-6; v <= 1e11; v *= 1.37) samples.push_back(v);
  samples.push_back(1e-6);
  samples.push_back(1e11);
  LogHistogram h;
  for (const double x : samples) h.Add(x);
  ExpectWithinOnePercent(h, samples);
  // Every single value comes back within 0.5%, far outside that range too.
  for (const double v : {1e-300, 1e-6, 3.3e-6, 1.0, 7.7e5, 1e12, 1e300}) {
    LogHistogram one;
    one.Add(v);
    one.Add(v * 2);  // so the answer is not just the clamped min
    EXPECT_LE(std::abs(one.Quantile(0.5) - v), 0.005 * v * (1 + 1e-9)) << v;
  }
}

TEST(LogHistogram, MemoryIsBoundedIndependentOfSampleCount) {
  LogHistogram h;
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> dist(0, 3);
  for (int i = 0; i < 100'000; ++i) h.Add(dist(rng));
  const size_t after_100k = h.bucket_count();
  for (int i = 0; i < 900'000; ++i) h.Add(dist(rng));
  EXPECT_EQ(h.count(), 1'000'000u);
  // Buckets cover [min, max] of what was seen: log(max/min) / log(gamma) + 1.
  const double gamma = 1.005 / 0.995;
  const double span_bound = std::log(h.Max() / h.Min()) / std::log(gamma) + 2;
  EXPECT_LE(static_cast<double>(h.bucket_count()), span_bound);
  EXPECT_LT(h.bucket_count(), 3300u);  // about 13 decades seen; 231 buckets per decade
  EXPECT_LE(h.bucket_count(), after_100k + 600);
  // Whatever is added, the bucket count never exceeds the cap.
  h.Add(0);
  h.Add(1e-300);
  h.Add(1e300);
  EXPECT_EQ(h.bucket_count(), static_cast<size_t>(LogHistogram::kMaxBuckets));
  EXPECT_EQ(h.Max(), 1e300);  // still exact
  EXPECT_EQ(h.Min(), 0);
}

TEST(LogHistogram, ABucketCapFoldsOnlyTheLowestValues) {
  // 1e-12 .. 1e12 spans 24 decades, more than the 4,096 buckets (17.8 decades) hold: the lowest
  // values share the lowest bucket, everything from 1e-5 up keeps its 0.5%.
  std::vector<double> samples;
  for (double v = 1e-12; v <= 1e12; v *= 1.01) samples.push_back(v);
  LogHistogram h;
  for (const double x : samples) h.Add(x);
  EXPECT_EQ(h.bucket_count(), static_cast<size_t>(LogHistogram::kMaxBuckets));
  EXPECT_EQ(h.count(), samples.size());
  EXPECT_EQ(h.Min(), samples.front());
  for (const double q : {0.75, 0.9, 0.99, 0.999}) {
    const double exact = ExactQuantile(samples, q);
    EXPECT_LE(std::abs(h.Quantile(q) - exact), 0.005 * exact * (1 + 1e-9)) << q;
  }
  // The folded values come back as the lowest bucket's value, above what they were.
  EXPECT_GT(h.Quantile(0.01), ExactQuantile(samples, 0.01) * 1.01);
  // The same holds when the low values arrive last, and when merged in.
  LogHistogram reversed;
  for (auto it = samples.rbegin(); it != samples.rend(); ++it) reversed.Add(*it);
  EXPECT_EQ(reversed.bucket_count(), static_cast<size_t>(LogHistogram::kMaxBuckets));
  for (const double q : {0.01, 0.5, 0.99}) EXPECT_EQ(reversed.Quantile(q), h.Quantile(q)) << q;
  LogHistogram low, high;
  for (const double x : samples) (x < 1 ? low : high).Add(x);
  low.Merge(high);
  EXPECT_EQ(low.bucket_count(), static_cast<size_t>(LogHistogram::kMaxBuckets));
  for (const double q : {0.01, 0.5, 0.99}) EXPECT_EQ(low.Quantile(q), h.Quantile(q)) << q;
}

TEST(LogHistogram, MergeEqualsAddingEverythingToOne) {
  const std::vector<double> a = LogNormalSamples(50'000, 11, 1, 1.5);
  const std::vector<double> b = LogNormalSamples(50'000, 12, -2, 0.5);
  LogHistogram ha, hb, all;
  for (const double x : a) {
    ha.Add(x);
    all.Add(x);
  }
  for (const double x : b) {
    hb.Add(x);
    all.Add(x);
  }
  hb.Add(0);
  all.Add(0);
  LogHistogram merged = ha;
  merged.Merge(hb);
  EXPECT_EQ(merged.count(), all.count());
  EXPECT_EQ(merged.Min(), all.Min());
  EXPECT_EQ(merged.Max(), all.Max());
  EXPECT_NEAR(merged.Mean(), all.Mean(), 1e-12 * all.Mean());
  for (const double q : kQuantiles) EXPECT_EQ(merged.Quantile(q), all.Quantile(q)) << q;
  std::vector<double> both = a;
  both.insert(both.end(), b.begin(), b.end());
  both.push_back(0);
  ExpectWithinOnePercent(merged, both);

  // Merging into an empty histogram, and merging an empty one, change nothing else.
  LogHistogram empty;
  empty.Merge(ha);
  EXPECT_EQ(empty.Quantile(0.5), ha.Quantile(0.5));
  LogHistogram copy = ha;
  copy.Merge(LogHistogram());
  EXPECT_EQ(copy.count(), ha.count());
  EXPECT_EQ(copy.Quantile(0.99), ha.Quantile(0.99));
}

TEST(LogHistogram, Deterministic) {
  const std::vector<double> samples = LogNormalSamples(10'000, 3, 0, 2);
  LogHistogram h1, h2;
  for (const double x : samples) h1.Add(x);
  for (const double x : samples) h2.Add(x);
  for (const double q : kQuantiles) EXPECT_EQ(h1.Quantile(q), h2.Quantile(q));
  EXPECT_EQ(h1.Sum(), h2.Sum());
  h1.Clear();
  EXPECT_TRUE(h1.empty());
  EXPECT_EQ(h1.bucket_count(), 0u);
}

TEST(LogHistogramDeathTest, RejectsNegativeAndNonFiniteValues) {
  LogHistogram h;
  EXPECT_DEATH(h.Add(-1), "non-negative");
  EXPECT_DEATH(h.Add(std::nan("")), "non-negative");
  EXPECT_DEATH(h.Quantile(1.5), "q must be in");
}

}  // namespace
}  // namespace clustersim::sim
