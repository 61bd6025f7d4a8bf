#include "sim/distribution.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <vector>

#include "sim/random.h"

namespace clustersim::sim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> Samples(const Distribution& d, uint64_t seed, int n) {
  Rng rng(seed);
  std::vector<double> out(static_cast<size_t>(n));
  for (double& x : out) x = d.Sample(rng);
  return out;
}

double MeanOf(const std::vector<double>& xs) {
  double sum = 0;
  for (double x : xs) sum += x;
  return sum / static_cast<double>(xs.size());
}

// The q-quantile of a sample (nearest rank).
double Quantile(std::vector<double> xs, double q) {
  const auto k = static_cast<size_t>(q * static_cast<double>(xs.size()));
  std::nth_element(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(k), xs.end());
  return xs[k];
}

std::map<double, double> Frequencies(const std::vector<double>& xs) {
  std::map<double, double> f;
  for (double x : xs) f[x] += 1.0 / static_cast<double>(xs.size());
  return f;
}

TEST(DistributionTest, DefaultIsConstantZero) {
  const Distribution d;
  EXPECT_EQ(d.kind(), Distribution::Kind::kConstant);
  Rng rng(1);
  EXPECT_EQ(d.Sample(rng), 0.0);
  EXPECT_EQ(d.Mean(), 0.0);
}

TEST(DistributionTest, Constant) {
  const Distribution d = Distribution::Constant(3.5);
  for (double x : Samples(d, 1, 100)) ASSERT_EQ(x, 3.5);
  EXPECT_EQ(d.Mean(), 3.5);
  EXPECT_EQ(d.Min(), 3.5);
  EXPECT_EQ(d.Max(), 3.5);
  EXPECT_EQ(d.Describe(), "constant(3.5)");
}

TEST(DistributionTest, ExponentialMeanAndRange) {
  const Distribution d = Distribution::Exponential(4.0);
  EXPECT_EQ(d.kind(), Distribution::Kind::kExponential);
  const std::vector<double> xs = Samples(d, 2, 200000);
  EXPECT_GE(*std::min_element(xs.begin(), xs.end()), 0.0);
  EXPECT_NEAR(MeanOf(xs) / 4.0, 1.0, 0.01);  // sd of the mean 0.22%
  EXPECT_NEAR(Quantile(xs, 0.5) / (4.0 * std::log(2.0)), 1.0, 0.015);
  EXPECT_EQ(d.Mean(), 4.0);
  EXPECT_EQ(d.Min(), 0.0);
  EXPECT_EQ(d.Max(), kInf);
  EXPECT_EQ(d.Describe(), "exponential(mean=4)");
}

TEST(DistributionTest, LogNormalHitsMedianAndP99) {
  // A latency-like shape: median 2 s, p99 20 s (sigma = ln 10 / 2.326 = 0.99).
  const Distribution d = Distribution::LogNormal(2.0, 20.0);
  EXPECT_EQ(d.kind(), Distribution::Kind::kLogNormal);
  const std::vector<double> xs = Samples(d, 3, 200000);
  EXPECT_NEAR(Quantile(xs, 0.5) / 2.0, 1.0, 0.01);    // sd about 0.3%
  EXPECT_NEAR(Quantile(xs, 0.99) / 20.0, 1.0, 0.02);  // sd about 0.8%
  const double sigma = std::log(10.0) / 2.3263478740408408;
  EXPECT_NEAR(d.Mean(), 2.0 * std::exp(sigma * sigma / 2), 1e-12);
  EXPECT_NEAR(MeanOf(xs) / d.Mean(), 1.0, 0.02);  // sd about 0.3%
  EXPECT_GT(*std::min_element(xs.begin(), xs.end()), 0.0);
  EXPECT_EQ(d.Min(), 0.0);
  EXPECT_EQ(d.Max(), kInf);
  EXPECT_EQ(d.Describe(), "lognormal(median=2, p99=20)");
}

TEST(DistributionTest, LogNormalWithMedianEqualToP99IsConstant) {
  const Distribution d = Distribution::LogNormal(5.0, 5.0);
  for (double x : Samples(d, 4, 100)) ASSERT_NEAR(x, 5.0, 1e-12);
  EXPECT_NEAR(d.Mean(), 5.0, 1e-12);
}

TEST(DistributionTest, Uniform) {
  const Distribution d = Distribution::Uniform(2.0, 6.0);
  const std::vector<double> xs = Samples(d, 5, 200000);
  EXPECT_GE(*std::min_element(xs.begin(), xs.end()), 2.0);
  EXPECT_LT(*std::max_element(xs.begin(), xs.end()), 6.0);
  EXPECT_NEAR(MeanOf(xs), 4.0, 0.01);  // sd 0.0026
  EXPECT_NEAR(Quantile(xs, 0.25), 3.0, 0.02);
  EXPECT_EQ(d.Mean(), 4.0);
  EXPECT_EQ(d.Min(), 2.0);
  EXPECT_EQ(d.Max(), 6.0);
  EXPECT_EQ(d.Describe(), "uniform(2, 6)");
}

TEST(DistributionTest, EmpiricalFollowsWeights) {
  Result<Distribution> d = Distribution::Empirical({10, 20, 30}, {1, 2, 7});
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(d->kind(), Distribution::Kind::kEmpirical);
  const std::map<double, double> f = Frequencies(Samples(*d, 6, 200000));
  ASSERT_EQ(f.size(), 3u);
  EXPECT_NEAR(f.at(10), 0.1, 0.003);  // sd 0.0007
  EXPECT_NEAR(f.at(20), 0.2, 0.003);
  EXPECT_NEAR(f.at(30), 0.7, 0.003);
  EXPECT_DOUBLE_EQ(d->Mean(), 26.0);  // (10*1 + 20*2 + 30*7) / 10
  EXPECT_EQ(d->Min(), 10.0);
  EXPECT_EQ(d->Max(), 30.0);
  EXPECT_EQ(d->Describe(), "empirical(3 values, mean=26)");
}

TEST(DistributionTest, EmpiricalEmptyWeightsMeansEqualWeights) {
  Result<Distribution> d = Distribution::Empirical({1, 2, 3, 4}, {});
  ASSERT_TRUE(d.ok()) << d.error();
  for (const auto& [value, freq] : Frequencies(Samples(*d, 7, 200000))) {
    EXPECT_NEAR(freq, 0.25, 0.004) << value;
  }
  EXPECT_DOUBLE_EQ(d->Mean(), 2.5);
}

TEST(DistributionTest, EmpiricalNeverDrawsZeroWeightValues) {
  Result<Distribution> d = Distribution::Empirical({-5, 1, 2, 99}, {0, 1, 1, 0});
  ASSERT_TRUE(d.ok()) << d.error();
  const std::map<double, double> f = Frequencies(Samples(*d, 8, 100000));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_NEAR(f.at(1), 0.5, 0.006);
  EXPECT_EQ(d->Min(), 1.0);
  EXPECT_EQ(d->Max(), 2.0);
  EXPECT_DOUBLE_EQ(d->Mean(), 1.5);
}

TEST(DistributionTest, EmpiricalSingleValue) {
  Result<Distribution> d = Distribution::Empirical({7}, {3});
  ASSERT_TRUE(d.ok());
  for (double x : Samples(*d, 9, 100)) ASSERT_EQ(x, 7.0);
}

TEST(DistributionTest, EmpiricalRejectsBadInput) {
  Result<Distribution> empty = Distribution::Empirical({}, {});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().find("no values"), std::string::npos) << empty.error();

  Result<Distribution> mismatch = Distribution::Empirical({1, 2}, {1});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().find("2 values but 1 weights"), std::string::npos) << mismatch.error();

  Result<Distribution> negative = Distribution::Empirical({1, 2}, {1, -1});
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.error().find("weight 1"), std::string::npos) << negative.error();

  Result<Distribution> zeros = Distribution::Empirical({1, 2}, {0, 0});
  ASSERT_FALSE(zeros.ok());
  EXPECT_NE(zeros.error().find("all weights are zero"), std::string::npos) << zeros.error();

  EXPECT_FALSE(Distribution::Empirical({1, 2}, {1, std::nan("")}).ok());
  EXPECT_FALSE(Distribution::Empirical({1, 2}, {1, kInf}).ok());
  EXPECT_FALSE(Distribution::Empirical({1, kInf}, {1, 1}).ok());
}

TEST(DistributionTest, ZipfFrequencies) {
  // n = 5, s = 1: P(k) = 1 / ((k+1) H_5), H_5 = 137/60.
  Result<Distribution> d = Distribution::Zipf(5, 1.0);
  ASSERT_TRUE(d.ok()) << d.error();
  const double h5 = 137.0 / 60.0;
  const std::map<double, double> f = Frequencies(Samples(*d, 10, 200000));
  ASSERT_EQ(f.size(), 5u);
  for (int k = 0; k < 5; ++k) {
    EXPECT_NEAR(f.at(k), 1.0 / ((k + 1) * h5), 0.003) << "rank " << k;
  }
  EXPECT_NEAR(d->Mean(), (0 + 1.0 / 2 + 2.0 / 3 + 3.0 / 4 + 4.0 / 5) / h5, 1e-12);
  EXPECT_EQ(d->Min(), 0.0);
  EXPECT_EQ(d->Max(), 4.0);
}

TEST(DistributionTest, ZipfSteepExponentConcentratesOnRankZero) {
  // s = 2 over 1000 ranks: P(0) = 1 / sum_{k=1}^{1000} k^-2 = 0.60825...
  Result<Distribution> d = Distribution::Zipf(1000, 2.0);
  ASSERT_TRUE(d.ok());
  double norm = 0;
  for (int k = 1; k <= 1000; ++k) norm += 1.0 / (static_cast<double>(k) * k);
  const std::map<double, double> f = Frequencies(Samples(*d, 11, 200000));
  EXPECT_NEAR(f.at(0), 1.0 / norm, 0.004);
  EXPECT_NEAR(f.at(1), 0.25 / norm, 0.003);
  EXPECT_NEAR(f.at(9), 0.01 / norm, 0.001);
}

TEST(DistributionTest, ZipfEdgeCases) {
  Result<Distribution> one = Distribution::Zipf(1, 1.5);
  ASSERT_TRUE(one.ok());
  for (double x : Samples(*one, 12, 100)) ASSERT_EQ(x, 0.0);

  Result<Distribution> flat = Distribution::Zipf(4, 0.0);  // s = 0: uniform over ranks.
  ASSERT_TRUE(flat.ok());
  EXPECT_DOUBLE_EQ(flat->Mean(), 1.5);

  Result<Distribution> no_ranks = Distribution::Zipf(0, 1.0);
  ASSERT_FALSE(no_ranks.ok());
  EXPECT_NE(no_ranks.error().find("n must be >= 1"), std::string::npos) << no_ranks.error();
  EXPECT_FALSE(Distribution::Zipf(10, -1.0).ok());
  EXPECT_FALSE(Distribution::Zipf(10, std::nan("")).ok());
}

TEST(DistributionTest, SamplingIsDeterministicForASeed) {
  const Distribution d = Distribution::LogNormal(1.0, 8.0);
  EXPECT_EQ(Samples(d, 13, 1000), Samples(d, 13, 1000));
  EXPECT_NE(Samples(d, 13, 1000), Samples(d, 14, 1000));
}

TEST(DistributionTest, CeilingCapsTheTailAndLeavesTheRestAlone) {
  // A heavy tail: median 1, p99 1e6, so many samples pass 1000.
  const Distribution d = Distribution::LogNormal(1.0, 1e6);
  const Distribution capped = d.WithCeiling(1000);
  const std::vector<double> raw = Samples(d, 5, 10000);
  const std::vector<double> cut = Samples(capped, 5, 10000);
  int capped_count = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    EXPECT_EQ(cut[i], std::min(raw[i], 1000.0));  // same draws, only the tail differs
    capped_count += raw[i] > 1000;
  }
  EXPECT_GT(capped_count, 100);
  EXPECT_EQ(capped.Max(), 1000);
  EXPECT_EQ(d.Max(), kInf);
  EXPECT_EQ(capped.Mean(), d.Mean());
  EXPECT_EQ(capped.ceiling(), 1000);
  EXPECT_EQ(Distribution::Uniform(1, 5).WithCeiling(3).Max(), 3);
  EXPECT_EQ(Distribution::Constant(2).WithCeiling(3).Max(), 2);
  // Ceilings only tighten.
  EXPECT_EQ(capped.WithCeiling(1e9).Max(), 1000);
}

TEST(DistributionDeathTest, CeilingBelowEveryValueIsABug) {
  EXPECT_DEATH(Distribution::Uniform(5, 9).WithCeiling(1), "ceiling below every value");
}

TEST(DistributionDeathTest, PreconditionsAbort) {
  EXPECT_DEATH(Distribution::Exponential(0), "mean must be > 0");
  EXPECT_DEATH(Distribution::LogNormal(2, 1), "median <= p99");
  EXPECT_DEATH(Distribution::Uniform(3, 1), "lo <= hi");
}

}  // namespace
}  // namespace clustersim::sim
