#include "apps/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace clustersim::apps {
namespace {

// t_{0.975, df} to 12 digits (R's qt(0.975, df); the 3-decimal table before was off by up to
// 1.6e-4 relative, found by a CLI review).
TEST(StatsTest, StudentTCriticalValues) {
  EXPECT_NEAR(StudentT95(1), 12.7062047361747, 1e-11);
  EXPECT_NEAR(StudentT95(2), 4.30265272974946, 1e-11);
  EXPECT_NEAR(StudentT95(4), 2.77644510519779, 1e-11);
  EXPECT_NEAR(StudentT95(30), 2.04227245630124, 1e-11);
  EXPECT_NEAR(StudentT95(120), 1.97993040508242, 1e-11);
  EXPECT_NEAR(StudentT95(1000000), 1.95996635, 1e-7);
  EXPECT_EQ(StudentT95(0), 0);
}

TEST(StatsTest, MeanAndConfidenceInterval) {
  // Samples 1..5: mean 3, sample sd sqrt(2.5) = 1.5811, half-width t(4) = 2.7764 * 1.5811 /
  // sqrt(5).
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const MeanCi ci = MeanWithCi(x);
  EXPECT_EQ(ci.n, 5);
  EXPECT_DOUBLE_EQ(ci.mean, 3.0);
  EXPECT_NEAR(ci.half_width, 2.77644510519779 * 1.5811388300841898 / 2.23606797749979, 1e-9);
}

TEST(StatsTest, OneSampleHasNoInterval) {
  const std::vector<double> x = {7};
  const MeanCi ci = MeanWithCi(x);
  EXPECT_DOUBLE_EQ(ci.mean, 7);
  EXPECT_DOUBLE_EQ(ci.half_width, 0);
  EXPECT_EQ(MeanWithCi({}).n, 0);
}

TEST(StatsTest, FormatDropsRoundingNoise) {
  EXPECT_EQ(FormatMeanCi(MeanCi{120.3, 2e-14, 5}), "120.3 ± 0");
  EXPECT_EQ(FormatMeanCi(MeanCi{120.34567, 0, 3}), "120.3 ± 0");
  EXPECT_EQ(FormatMeanCi(MeanCi{10943, 0, 3}), "10943 ± 0");  // all seeds equal: exact
}

TEST(StatsTest, FormatRoundsTheMeanToTheHalfWidthsSecondDigit) {
  EXPECT_EQ(FormatMeanCi(MeanCi{61.13, 2.7, 5}), "61.1 ± 2.7");
  EXPECT_EQ(FormatMeanCi(MeanCi{83.27, 1.14, 5}), "83.3 ± 1.1");
  EXPECT_EQ(FormatMeanCi(MeanCi{10943.2, 271.9, 5}), "10940 ± 270");  // not 1.094e+04
  EXPECT_EQ(FormatMeanCi(MeanCi{15, 63.53, 2}), "15 ± 64");
  EXPECT_EQ(FormatMeanCi(MeanCi{0.12345, 0.0456, 3}), "0.123 ± 0.046");
  EXPECT_EQ(FormatMeanCi(MeanCi{0.5, 0.05, 3}), "0.500 ± 0.050");  // trailing zeros are digits
  EXPECT_EQ(FormatMeanCi(MeanCi{3.14159, 12.3, 3}), "3 ± 12");
  EXPECT_EQ(FormatMeanCi(MeanCi{1234.5, 99.7, 3}), "1230 ± 100");  // 99.7 rounds up a digit
  EXPECT_EQ(FormatMeanCi(MeanCi{7.96, 0.996, 3}), "8.0 ± 1.0");
  EXPECT_EQ(FormatMeanCi(MeanCi{2.2e6, 1.5e5, 4}), "2200000 ± 150000");
}

TEST(StatsTest, FormatZeroAndNegativeMeans) {
  EXPECT_EQ(FormatMeanCi(MeanCi{0, 0, 4}), "0 ± 0");
  EXPECT_EQ(FormatMeanCi(MeanCi{0, 0.0123, 4}), "0.000 ± 0.012");
  EXPECT_EQ(FormatMeanCi(MeanCi{-61.13, 2.7, 5}), "-61.1 ± 2.7");
  EXPECT_EQ(FormatMeanCi(MeanCi{-0.0004, 0.12, 5}), "0.00 ± 0.12");  // never "-0.00"
  EXPECT_EQ(FormatMeanCi(MeanCi{-3.5, 0, 2}), "-3.5 ± 0");
}

TEST(StatsTest, FormatTinyAndHugeValuesInScientificNotation) {
  EXPECT_EQ(FormatMeanCi(MeanCi{0.000123, 0.000045, 3}), "0.000123 ± 0.000045");
  EXPECT_EQ(FormatMeanCi(MeanCi{0.0000123, 0.0000045, 3}), "1.23e-05 ± 4.5e-06");
  EXPECT_EQ(FormatMeanCi(MeanCi{1.234e-9, 4.5e-10, 3}), "1.23e-09 ± 4.5e-10");
  EXPECT_EQ(FormatMeanCi(MeanCi{5e-8, 0, 3}), "5e-08 ± 0");
  EXPECT_EQ(FormatMeanCi(MeanCi{123456789012.0, 270, 3}), "123456789010 ± 270");
  EXPECT_EQ(FormatMeanCi(MeanCi{1.23456e15, 2.7e13, 3}), "1.235e+15 ± 2.7e+13");
  EXPECT_EQ(FormatMeanCi(MeanCi{3.5e13, 0, 1}), "3.5e+13 (n=1)");
}

TEST(StatsTest, FormatWithoutAnIntervalBelowTwoSamples) {
  EXPECT_EQ(FormatMeanCi(MeanWithCi(std::vector<double>{61.13333})), "61.13 (n=1)");
  EXPECT_EQ(FormatMeanCi(MeanCi{10943, 0, 1}), "10943 (n=1)");
  EXPECT_EQ(FormatMeanCi(MeanCi{0.001234567, 0, 1}), "0.001235 (n=1)");
  EXPECT_EQ(FormatMeanCi(MeanCi{0, 0, 1}), "0 (n=1)");
  EXPECT_EQ(FormatMeanCi(MeanCi{}), "n/a");  // no samples
  EXPECT_EQ(FormatMeanCi(MeanWithCi(std::vector<double>{})), "n/a");
  EXPECT_EQ(FormatMeanCi(MeanCi{NAN, NAN, 3}), "n/a");  // a missing value, propagated
  EXPECT_EQ(FormatMeanCi(MeanCi{NAN, 0, 1}), "n/a");
}

// In a table of 6 runs per cell, an interval over 3 of them says so (audit s22 W6): it used to
// print as if it were over all 6.
TEST(StatsTest, FormatSaysHowManyRunsAnIntervalCoversWhenNotAll) {
  const MeanCi three = MeanWithCi(std::vector<double>{200, 266, 332});
  EXPECT_EQ(FormatMeanCi(three, 6), FormatMeanCi(three) + " (n=3)");
  EXPECT_EQ(FormatMeanCi(three, 3), FormatMeanCi(three));
  EXPECT_EQ(FormatMeanCi(MeanCi{7.25, 0, 1}, 6), "7.25 (n=1)");  // not "(n=1) (n=1)"
  EXPECT_EQ(FormatMeanCi(MeanCi{}, 6), "n/a");
}

TEST(StatsTest, FormatSignificantKeepsIntegerDigits) {
  EXPECT_EQ(FormatSignificant(61.13333, 4), "61.13");
  EXPECT_EQ(FormatSignificant(123456.7, 4), "123457");
  EXPECT_EQ(FormatSignificant(9.99996, 4), "10");
  EXPECT_EQ(FormatSignificant(-0.5, 4), "-0.5");
  EXPECT_EQ(FormatSignificant(1e-3, 2), "0.001");
  EXPECT_EQ(FormatSignificant(0, 4), "0");
  EXPECT_EQ(FormatSignificant(NAN, 4), "n/a");
  EXPECT_EQ(FormatSignificant(INFINITY, 4), "inf");
  EXPECT_EQ(FormatSignificant(-2.5e20, 3), "-2.5e+20");
  EXPECT_EQ(FormatSignificant(1.25e-7, 3), "1.25e-07");
  EXPECT_EQ(FormatSignificant(100.0004, 4), "100");
  EXPECT_EQ(FormatSignificant(2.1e-6, 4), "2.1e-06");
}

}  // namespace
}  // namespace clustersim::apps
