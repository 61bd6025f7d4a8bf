#include "apps/stats.h"

#include <gtest/gtest.h>

#include <vector>

namespace clustersim::apps {
namespace {

TEST(StatsTest, StudentTCriticalValues) {
  EXPECT_DOUBLE_EQ(StudentT95(1), 12.706);
  EXPECT_DOUBLE_EQ(StudentT95(4), 2.776);
  EXPECT_DOUBLE_EQ(StudentT95(30), 2.042);
  // Tabulated t_{0.975}: 40 -> 2.021, 60 -> 2.000, 120 -> 1.980; large df -> 1.960.
  EXPECT_NEAR(StudentT95(40), 2.021, 2e-3);
  EXPECT_NEAR(StudentT95(60), 2.000, 2e-3);
  EXPECT_NEAR(StudentT95(120), 1.980, 2e-3);
  EXPECT_NEAR(StudentT95(100000), 1.960, 1e-3);
}

TEST(StatsTest, MeanAndConfidenceInterval) {
  // Samples 1..5: mean 3, sample sd sqrt(2.5) = 1.5811, half-width 2.776 * 1.5811 / sqrt(5).
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const MeanCi ci = MeanWithCi(x);
  EXPECT_EQ(ci.n, 5);
  EXPECT_DOUBLE_EQ(ci.mean, 3.0);
  EXPECT_NEAR(ci.half_width, 2.776 * 1.5811388300841898 / 2.23606797749979, 1e-9);
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
  EXPECT_EQ(FormatMeanCi(MeanCi{83.27, 1.14, 5}), "83.27 ± 1.1");
}

}  // namespace
}  // namespace clustersim::apps
