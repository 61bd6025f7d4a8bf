#include "sim/random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace clustersim::sim {
namespace {

// Golden values from an independent (Python) implementation of splitmix64-seeded xoshiro256**
// and of the stream derivation. They pin the exact bit streams: any change here changes every
// simulation result, so it must be deliberate.
TEST(RngTest, MatchesReferenceXoshiro256StarStar) {
  Rng zero(0);
  EXPECT_EQ(zero.Next(), 0x99ec5f36cb75f2b4u);
  EXPECT_EQ(zero.Next(), 0xbf6e1f784956452au);
  EXPECT_EQ(zero.Next(), 0x1a5f849d4933e6e0u);
  Rng r42(42);
  EXPECT_EQ(r42.Next(), 0x15780b2e0c2ec716u);
  EXPECT_EQ(r42.Next(), 0x6104d9866d113a7eu);
  EXPECT_EQ(r42.Next(), 0xae17533239e499a1u);
}

TEST(RandomStreamsTest, MatchesReferenceDerivation) {
  Rng arrivals = RandomStreams(42).Stream("arrivals");
  EXPECT_EQ(arrivals.Next(), 0xbb804564753d3935u);
  EXPECT_EQ(arrivals.Next(), 0x0f54e9493cc156e6u);
  EXPECT_EQ(arrivals.Next(), 0x20171d4bf78f7fb5u);
  Rng unnamed = RandomStreams(7).Stream("");
  EXPECT_EQ(unnamed.Next(), 0x96e4522675e11b75u);
  EXPECT_EQ(unnamed.Next(), 0xdc5bbcf9697eaed6u);
}

std::vector<uint64_t> Draw(Rng rng, int n) {
  std::vector<uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(rng.Next());
  return out;
}

TEST(RngTest, SameSeedSameSequenceDifferentSeedDifferent) {
  EXPECT_EQ(Draw(Rng(99), 1000), Draw(Rng(99), 1000));
  EXPECT_NE(Draw(Rng(99), 1000), Draw(Rng(100), 1000));
}

TEST(RandomStreamsTest, SameNameSameSequence) {
  const RandomStreams streams(2024);
  EXPECT_EQ(Draw(streams.Stream("agents"), 1000), Draw(streams.Stream("agents"), 1000));
  EXPECT_EQ(Draw(streams.Stream("agents"), 1000), Draw(RandomStreams(2024).Stream("agents"), 1000));
}

TEST(RandomStreamsTest, DifferentNamesAndSeedsDiffer) {
  const RandomStreams streams(2024);
  const std::vector<uint64_t> agents = Draw(streams.Stream("agents"), 100);
  EXPECT_NE(agents, Draw(streams.Stream("agent"), 100));
  EXPECT_NE(agents, Draw(streams.Stream("agents2"), 100));
  EXPECT_NE(agents, Draw(streams.Stream("Agents"), 100));
  EXPECT_NE(agents, Draw(RandomStreams(2025).Stream("agents"), 100));
  // No shared prefix between many related names.
  std::vector<uint64_t> firsts;
  for (int i = 0; i < 1000; ++i) {
    firsts.push_back(streams.Stream("framework-" + std::to_string(i)).Next());
  }
  std::sort(firsts.begin(), firsts.end());
  EXPECT_EQ(std::adjacent_find(firsts.begin(), firsts.end()), firsts.end());
}

TEST(RandomStreamsTest, IndependentOfCreationOrderAndOtherStreams) {
  const RandomStreams streams(5);
  Rng a1 = streams.Stream("a");
  Rng b1 = streams.Stream("b");
  const uint64_t b_first = b1.Next();
  const uint64_t a_first = a1.Next();

  const RandomStreams again(5);
  Rng extra = again.Stream("extra");  // A stream that did not exist before: perturbs nothing.
  extra.Next();
  Rng b2 = again.Stream("b");
  Rng a2 = again.Stream("a");
  EXPECT_EQ(a2.Next(), a_first);
  EXPECT_EQ(b2.Next(), b_first);
}

// Golden values from the same independent Python implementation (salt = the named stream's first
// draw; For(i) = Rng(Mix64(salt ^ Mix64(i))); For(i, p) = For(Mix64(i) + p + 0x9e3779b97f4a7c15)).
TEST(KeyedStreamsTest, MatchesReferenceDerivation) {
  const KeyedStreams starts(RandomStreams(42), "runtime.start_latency");
  const std::vector<std::pair<Rng, std::array<uint64_t, 2>>> cases = {
      {starts.For(0), {0x96f1721be1e4d654u, 0x5a46b42074a824cau}},
      {starts.For(7), {0x45a909111085fe3eu, 0x9c82fcfc1957db20u}},
      {starts.For(7, 0), {0x6770c44193706880u, 0x83ec15e81d6bcbbcu}},
      {starts.For(7, 1), {0x9391f767b67a7a00u, 0x629d153681e1bdd1u}},
      {starts.For(123456789, 3), {0x38463c32a01e271fu, 0x02e02a4eb45719e5u}},
  };
  for (auto [rng, expected] : cases) {
    EXPECT_EQ(rng.Next(), expected[0]);
    EXPECT_EQ(rng.Next(), expected[1]);
  }
}

// Item keys, against the same Python: NameKey(s) = Mix64(FNV-1a-64(s)); CombineKey(k, p) =
// Mix64(Mix64(k) + p + 0x9e3779b97f4a7c15). They are part of every start latency's definition.
TEST(ItemKeyTest, MatchesReferenceDerivation) {
  EXPECT_EQ(NameKey("batch"), 0x0a427ad413ee2093u);
  EXPECT_EQ(CombineKey(NameKey("batch"), 1), 0x4da57bda43854416u);
  EXPECT_EQ(CombineKey(CombineKey(CombineKey(NameKey("batch"), 1), 7), 2), 0x03205114aceae29cu);
  // Order matters: (7, 2) and (2, 7) are different items.
  EXPECT_NE(CombineKey(CombineKey(NameKey("batch"), 7), 2),
            CombineKey(CombineKey(NameKey("batch"), 2), 7));
}

TEST(KeyedStreamsTest, AnItemsDrawsDependOnNothingDrawnBefore) {
  const RandomStreams streams(11);
  const KeyedStreams jobs(streams, "jobs");
  Rng first = jobs.For(500, 2);
  for (uint64_t item = 0; item < 1000; ++item) jobs.For(item, 2).Next();  // other items' draws
  EXPECT_EQ(Draw(first, 100), Draw(jobs.For(500, 2), 100));
  EXPECT_EQ(Draw(jobs.For(500, 2), 100),
            Draw(KeyedStreams(RandomStreams(11), "jobs").For(500, 2), 100));
  EXPECT_NE(Draw(jobs.For(500, 2), 100), Draw(KeyedStreams(streams, "jobz").For(500, 2), 100));
  EXPECT_NE(Draw(jobs.For(500, 2), 100),
            Draw(KeyedStreams(RandomStreams(12), "jobs").For(500, 2), 100));
}

TEST(KeyedStreamsTest, ItemsAndPurposesGetDistinctUniformGenerators) {
  const KeyedStreams keyed(RandomStreams(3), "k");
  std::vector<uint64_t> firsts;
  double sum = 0;
  constexpr int kItems = 20000;
  constexpr int kPurposes = 8;
  for (uint64_t item = 0; item < kItems; ++item) {
    firsts.push_back(keyed.For(item).Next());
    for (uint64_t purpose = 0; purpose < kPurposes; ++purpose) {
      Rng rng = keyed.For(item, purpose);
      firsts.push_back(rng.Next());
      sum += rng.Uniform01();
    }
  }
  std::sort(firsts.begin(), firsts.end());
  EXPECT_EQ(std::adjacent_find(firsts.begin(), firsts.end()), firsts.end());
  // Consecutive items' generators are not correlated: their uniforms average one half
  // (standard error sqrt(1/12 / 160000) = 0.00072).
  EXPECT_NEAR(sum / (kItems * kPurposes), 0.5, 0.004);
}

TEST(KeyedStreamsTest, MixIsSplitMixsFinaliser) {
  EXPECT_EQ(Mix64(0), 0u);
  EXPECT_EQ(Mix64(1), 0x5692161d100b05e5u);
}

TEST(RngTest, Uniform01IsInUnitIntervalWithMeanHalf) {
  Rng rng(1);
  double sum = 0;
  constexpr int kN = 200000;
  for (int i = 0; i < kN; ++i) {
    const double u = rng.Uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / kN, 0.5, 0.003);  // sd of the mean: 0.29 / sqrt(2e5) = 0.00065
}

TEST(RngTest, UniformScalesToRange) {
  Rng rng(2);
  for (int i = 0; i < 10000; ++i) {
    const double x = rng.Uniform(-3, 5);
    ASSERT_GE(x, -3.0);
    ASSERT_LT(x, 5.0);
  }
}

TEST(RngTest, UniformIntStaysInRange) {
  Rng rng(3);
  for (uint64_t n : {uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{7}, uint64_t{1000},
                     uint64_t{1} << 40, ~uint64_t{0}}) {
    for (int i = 0; i < 2000; ++i) ASSERT_LT(rng.UniformInt(n), n);
  }
  for (int i = 0; i < 100; ++i) ASSERT_EQ(rng.UniformInt(1), 0u);
}

TEST(RngTest, UniformIntSmallRangeIsUniform) {
  // Chi-square over 6 buckets, 600k draws: with 5 degrees of freedom, P(chi2 > 20.5) = 0.001.
  Rng rng(4);
  std::array<int, 6> counts{};
  constexpr int kN = 600000;
  for (int i = 0; i < kN; ++i) ++counts[rng.UniformInt(6)];
  double chi2 = 0;
  for (int c : counts) chi2 += (c - kN / 6.0) * (c - kN / 6.0) / (kN / 6.0);
  EXPECT_LT(chi2, 20.5);
}

TEST(RngTest, UniformIntIsUnbiasedWhereModuloWouldNotBe) {
  // n = 3 * 2^62: Next() % n would return values below 2^62 with probability 1/2 instead of 1/3,
  // since 2^64 mod n = 2^62. An unbiased draw gives 1/3.
  Rng rng(5);
  const uint64_t n = uint64_t{3} << 62;
  constexpr int kN = 300000;
  int low = 0;
  for (int i = 0; i < kN; ++i) low += rng.UniformInt(n) < (uint64_t{1} << 62) ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(low) / kN, 1.0 / 3.0, 0.005);  // sd 0.00086
}

TEST(RngTest, ExponentialMean) {
  Rng rng(6);
  constexpr int kN = 200000;
  double sum = 0;
  double below_median = 0;
  for (int i = 0; i < kN; ++i) {
    const double x = rng.Exponential(2.5);
    ASSERT_GE(x, 0.0);
    ASSERT_TRUE(std::isfinite(x));
    sum += x;
    below_median += x < 2.5 * std::log(2.0) ? 1 : 0;
  }
  EXPECT_NEAR(sum / kN / 2.5, 1.0, 0.01);  // sd of the mean: 1 / sqrt(2e5) = 0.0022
  EXPECT_NEAR(below_median / kN, 0.5, 0.005);
}

TEST(RngTest, StandardNormalMoments) {
  Rng rng(7);
  constexpr int kN = 200000;
  double sum = 0;
  double sum_sq = 0;
  int below_z99 = 0;
  for (int i = 0; i < kN; ++i) {
    const double z = rng.StandardNormal();
    ASSERT_TRUE(std::isfinite(z));
    sum += z;
    sum_sq += z * z;
    below_z99 += z < 2.3263478740408408 ? 1 : 0;
  }
  const double mean = sum / kN;
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(sum_sq / kN - mean * mean, 1.0, 0.015);
  EXPECT_NEAR(static_cast<double>(below_z99) / kN, 0.99, 0.0015);
}

TEST(RngTest, StandardNormalHasNoHiddenState) {
  // Each draw consumes exactly two uniforms and depends on nothing else.
  Rng a(8);
  Rng b(8);
  a.StandardNormal();
  b.Next();
  b.Next();
  EXPECT_EQ(a.StandardNormal(), b.StandardNormal());
  EXPECT_EQ(a.Next(), b.Next());
}

TEST(RngTest, ShuffleIsAPermutation) {
  Rng rng(9);
  std::vector<int> v(1000);
  std::iota(v.begin(), v.end(), 0);
  rng.Shuffle(v.begin(), v.end());
  std::vector<int> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> expected(1000);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(sorted, expected);
  EXPECT_NE(v, expected);  // 1/1000! chance of a false failure.
}

TEST(RngTest, ShuffleIsDeterministicAndHandlesTinyRanges) {
  std::vector<int> a(50);
  std::iota(a.begin(), a.end(), 0);
  std::vector<int> b = a;
  Rng ra(10);
  Rng rb(10);
  ra.Shuffle(a.begin(), a.end());
  rb.Shuffle(b.begin(), b.end());
  EXPECT_EQ(a, b);

  std::vector<int> empty;
  ra.Shuffle(empty.begin(), empty.end());
  std::vector<int> one = {42};
  ra.Shuffle(one.begin(), one.end());
  EXPECT_EQ(one, std::vector<int>{42});
}

TEST(RngTest, ShufflePositionsAreUniform) {
  // Where element 0 lands, over 100k shuffles of 5 elements: 20% each.
  Rng rng(11);
  std::array<int, 5> where{};
  constexpr int kN = 100000;
  for (int i = 0; i < kN; ++i) {
    std::array<int, 5> v = {0, 1, 2, 3, 4};
    rng.Shuffle(v.begin(), v.end());
    ++where[static_cast<size_t>(std::find(v.begin(), v.end(), 0) - v.begin())];
  }
  for (int w : where) EXPECT_NEAR(static_cast<double>(w) / kN, 0.2, 0.006);  // sd 0.0013
}

}  // namespace
}  // namespace clustersim::sim
