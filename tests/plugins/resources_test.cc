#include "scheduler_plugins/api/resources.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "tests/support/builders.h"

namespace clustersim::plugins {
namespace {

using test::Res;

TEST(ResourcesTest, ParsesMesosTextForm) {
  const Resources r = Res("cpus:2;mem:1024;disk:50;gpus:1");
  EXPECT_DOUBLE_EQ(r.cpus(), 2);
  EXPECT_DOUBLE_EQ(r.mem(), 1024);
  EXPECT_DOUBLE_EQ(r.disk(), 50);
  EXPECT_DOUBLE_EQ(r.gpus(), 1);
  EXPECT_EQ(r, Resources::Of(2, 1024, 50, 1));
  EXPECT_EQ(Res(""), Resources());
  EXPECT_TRUE(Res("").IsZero());
}

TEST(ResourcesTest, FixedPointArithmeticReturnsExactlyToWhereItStarted) {
  // 0.1 is not representable in binary floating point; ten additions of 0.1 in doubles give
  // 0.9999999999999999. In fixed point (three decimals) they give exactly 1.
  Resources sum;
  for (int i = 0; i < 10; ++i) sum += Res("cpus:0.1;mem:0.3");
  EXPECT_EQ(sum, Res("cpus:1;mem:3"));
  // Freeing what was taken returns the pool to its exact starting value.
  const Resources pool = Res("cpus:9;mem:18432");
  Resources left = pool;
  for (int i = 0; i < 7; ++i) left -= Res("cpus:0.333;mem:100.7");
  for (int i = 0; i < 7; ++i) left += Res("cpus:0.333;mem:100.7");
  EXPECT_EQ(left, pool);
  // Values round to the nearest thousandth.
  EXPECT_EQ(Res("cpus:0.0004"), Resources());
  EXPECT_EQ(Res("cpus:0.0006").Raw(kCpus), 1);
}

TEST(ResourcesTest, ContainsIsElementWise) {
  const Resources agent = Res("cpus:4;mem:4096");
  EXPECT_TRUE(agent.Contains(Res("cpus:4;mem:4096")));  // equal
  EXPECT_TRUE(agent.Contains(Res("cpus:1;mem:1024")));
  EXPECT_TRUE(agent.Contains(Resources()));
  EXPECT_FALSE(agent.Contains(Res("cpus:4.001;mem:1")));  // more cpus
  EXPECT_FALSE(agent.Contains(Res("cpus:1;mem:4097")));   // more mem
  EXPECT_FALSE(agent.Contains(Res("gpus:1")));            // a kind the agent lacks
  EXPECT_FALSE(Res("cpus:1").Contains(Res("cpus:1;mem:1")));
}

TEST(ResourcesTest, DominantShareIsTheLargestShareOverKindsTheTotalHas) {
  const Resources total = Res("cpus:9;mem:18432");
  // The DRF paper's tasks: A's <1 cpu, 4 GiB> is mem-dominant (4/18 = 2/9 > 1/9),
  // B's <3 cpus, 1 GiB> is cpu-dominant (3/9 = 1/3 > 1/18).
  EXPECT_NEAR(Res("cpus:1;mem:4096").DominantShare(total), 2.0 / 9, 1e-12);
  EXPECT_NEAR(Res("cpus:3;mem:1024").DominantShare(total), 1.0 / 3, 1e-12);
  // Three of A's tasks and two of B's: both at 2/3.
  EXPECT_NEAR(Res("cpus:3;mem:12288").DominantShare(total), 2.0 / 3, 1e-12);
  EXPECT_NEAR(Res("cpus:6;mem:2048").DominantShare(total), 2.0 / 3, 1e-12);
  // Kinds the total lacks do not count (no division by zero).
  EXPECT_NEAR(Res("cpus:1;gpus:5").DominantShare(total), 1.0 / 9, 1e-12);
  EXPECT_EQ(Res("cpus:1").DominantShare(Resources()), 0);
  EXPECT_EQ(Resources().DominantShare(total), 0);
}

TEST(ResourcesTest, MinMaxScaleNegative) {
  const Resources a = Res("cpus:2;mem:100");
  const Resources b = Res("cpus:1;mem:300;disk:5");
  EXPECT_EQ(a.Min(b), Res("cpus:1;mem:100"));
  EXPECT_EQ(a.Max(b), Res("cpus:2;mem:300;disk:5"));
  EXPECT_EQ(a * 1.5, Res("cpus:3;mem:150"));
  EXPECT_EQ(a + b, Res("cpus:3;mem:400;disk:5"));
  EXPECT_FALSE(a.AnyNegative());
  EXPECT_TRUE((a - b).AnyNegative());
  EXPECT_EQ((a - b).mem(), -200);
  EXPECT_FALSE((a - a).AnyNegative());
  EXPECT_TRUE((a - a).IsZero());
}

TEST(ResourcesTest, ToStringUsesMesosFormAndOmitsZeros) {
  EXPECT_EQ(Res("cpus:2;mem:1024").ToString(), "cpus:2;mem:1024");
  EXPECT_EQ(Res("mem:0.5;gpus:1").ToString(), "mem:0.5;gpus:1");
  EXPECT_EQ(Resources().ToString(), "{}");
}

TEST(ResourcesTest, NamedScalarsGetTheirOwnSlots) {
  const int before = ResourceKinds::Count();
  EXPECT_EQ(ResourceKinds::Find("cpus"), kCpus);
  EXPECT_EQ(ResourceKinds::Find("gpus"), kGpus);
  EXPECT_EQ(ResourceKinds::Find("no-such-kind"), -1);
  const int fpgas = ResourceKinds::FindOrAdd("fpgas");
  ASSERT_GE(fpgas, kBuiltinResourceKinds);
  EXPECT_EQ(ResourceKinds::FindOrAdd("fpgas"), fpgas);  // idempotent
  EXPECT_EQ(ResourceKinds::Name(fpgas), "fpgas");
  EXPECT_LE(ResourceKinds::Count(), before + 1);

  const Resources r = Res("cpus:1;fpgas:2");
  EXPECT_DOUBLE_EQ(r.Get(fpgas), 2);
  EXPECT_EQ(r.ToString(), "cpus:1;fpgas:2");
  EXPECT_FALSE(Res("cpus:8").Contains(r));
  EXPECT_TRUE(Res("cpus:8;fpgas:2").Contains(r));
}

TEST(ResourcesTest, CheckedToFixedRejectsWhatCannotConvert) {
  EXPECT_EQ(*Resources::CheckedToFixed(2.5), 2500);
  EXPECT_EQ(*Resources::CheckedToFixed(4294967296.0), int64_t{4294967296} * 1000);
  EXPECT_EQ(*Resources::CheckedToFixed(-1.0), -1000);
  EXPECT_EQ(*Resources::CheckedToFixed(Resources::kMaxAmount), int64_t{1} << 52);
  for (const double bad : {1e16, 1e308, -1e308, std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN()}) {
    const sim::Result<int64_t> r = Resources::CheckedToFixed(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_FALSE(r.error().empty());
  }
  EXPECT_NE(Resources::CheckedToFixed(1e16).error().find("out of range"), std::string::npos);
  EXPECT_EQ(Resources::CheckedToFixed(std::numeric_limits<double>::infinity()).error(),
            "not a finite number");
}

TEST(ResourcesTest, ConvertingAHugeAmountIsABugNotUndefinedBehaviour) {
  EXPECT_DEATH(Resources::Of(1e16, 0), "kMaxAmount");
  EXPECT_DEATH(Resources().Set(kMem, std::numeric_limits<double>::infinity()), "kMaxAmount");
  EXPECT_DEATH(Resources::Of(1e12, 0) * 1e6, "kMaxAmount");
  // The largest amounts still convert, and a cluster's worth of them sums without overflow.
  Resources sum;
  const Resources big = Resources::Of(Resources::kMaxAmount, Resources::kMaxAmount);
  for (int i = 0; i < 1024; ++i) sum += big;
  EXPECT_EQ(sum.Raw(kCpus), int64_t{1} << 62);
}

// Kept last in this file: it fills the kind table for the rest of the process.
TEST(ResourcesTest, KindTableRefusesNamesBeyondItsSlots) {
  const int fpgas = ResourceKinds::FindOrAdd("fpgas");
  int last = 0;
  for (int i = 0; i < kMaxResourceKinds; ++i) {
    last = ResourceKinds::FindOrAdd("extra" + std::to_string(i));
    if (last < 0) break;
  }
  EXPECT_EQ(last, -1);
  EXPECT_EQ(ResourceKinds::Count(), kMaxResourceKinds);
  EXPECT_EQ(ResourceKinds::FindOrAdd("fpgas"), fpgas);  // existing names still resolve
}

}  // namespace
}  // namespace clustersim::plugins
