#include "apps/config/units.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace clustersim::apps {
namespace {

using ::testing::HasSubstr;

double Size(const std::string& text) {
  const sim::Result<double> r = ParseSizeMiB(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error();
  return r.ok() ? *r : -1;
}

int64_t Micros(const std::string& text) {
  const sim::Result<sim::Time> r = ParseDuration(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error();
  return r.ok() ? r->micros() : -1;
}

double Bandwidth(const std::string& text) {
  const sim::Result<double> r = ParseBandwidthMiBps(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error();
  return r.ok() ? *r : -1;
}

double Rate(const std::string& text) {
  const sim::Result<double> r = ParseRatePerSecond(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error();
  return r.ok() ? *r : -1;
}

TEST(ParseSizeMiB, BinaryUnits) {
  EXPECT_EQ(Size("512MiB"), 512);
  EXPECT_EQ(Size("2GiB"), 2048);
  EXPECT_EQ(Size("1.5TiB"), 1.5 * 1024 * 1024);
  EXPECT_EQ(Size("64KiB"), 0.0625);
  EXPECT_EQ(Size("1048576B"), 1);
  EXPECT_EQ(Size("4Gi"), 4096);
}

TEST(ParseSizeMiB, DecimalUnitsConvertExactly) {
  EXPECT_DOUBLE_EQ(Size("1GB"), 953.67431640625);  // 10^9 / 2^20
  EXPECT_DOUBLE_EQ(Size("100MB"), 95.367431640625);
  EXPECT_DOUBLE_EQ(Size("1TB"), 953674.31640625);
  EXPECT_DOUBLE_EQ(Size("1kB"), 1000.0 / 1048576);
}

TEST(ParseSizeMiB, PlainNumberIsMiBAndBlanksAreAllowed) {
  EXPECT_EQ(Size("300"), 300);
  EXPECT_EQ(Size("0"), 0);
  EXPECT_EQ(Size(" 2 GiB "), 2048);
  EXPECT_EQ(Size("1e3MiB"), 1000);
}

TEST(ParseSizeMiB, RejectsNegativeGarbageAndNonFinite) {
  for (const char* bad : {"-1GiB", "-0", "lots", "", "GiB", "NaN", "nanMiB", "inf", "2 GiB x",
                          "1..5GiB", "+-3MiB", "0x10"}) {
    const sim::Result<double> r = ParseSizeMiB(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.error(), HasSubstr("expected a size like 512MiB or 2GiB, got '")) << bad;
  }
  EXPECT_THAT(ParseSizeMiB("-1GiB").error(), HasSubstr("must not be negative"));
  EXPECT_EQ(ParseSizeMiB("lots").error(), "expected a size like 512MiB or 2GiB, got 'lots'");
}

TEST(ParseSizeMiB, UnknownUnitListsUnitsOrSuggestsTheIntendedOne) {
  EXPECT_EQ(ParseSizeMiB("5 parsecs").error(),
            "expected a size like 512MiB or 2GiB, got '5 parsecs' (unknown unit 'parsecs'; "
            "units: B, KiB, MiB, GiB, TiB, PiB, KB, MB, GB, TB, PB)");
  EXPECT_THAT(ParseSizeMiB("2gib").error(), HasSubstr("did you mean 'GiB'?"));
}

// Every unit the parser takes is listed, `m` (minutes) included.
TEST(ParseDuration, UnknownUnitListsEveryUnit) {
  EXPECT_EQ(ParseDuration("5 minutes").error(),
            "expected a duration like 250ms, 5s or 2h, got '5 minutes' (unknown unit 'minutes'; "
            "units: us, ms, s, m or min, h, d)");
  EXPECT_EQ(*ParseDuration("5m"), *ParseDuration("5min"));
}

TEST(ParseSizeMiB, ChecksTheValueAfterTheUnitIsApplied) {
  // Finite as written, infinite in MiB.
  EXPECT_THAT(ParseSizeMiB("1e308PiB").error(),
              HasSubstr("expected a size like 512MiB or 2GiB, got '1e308PiB' (too large)"));
  // A maximum is named in the message, in the largest fitting unit.
  EXPECT_THAT(ParseSizeMiB("5PiB", 4294967296.0).error(), HasSubstr("(at most 4PiB)"));
  EXPECT_THAT(ParseSizeMiB("1e308PiB", 4294967296.0).error(), HasSubstr("(at most 4PiB)"));
  EXPECT_EQ(*ParseSizeMiB("4PiB", 4294967296.0), 4294967296.0);
  EXPECT_THAT(ParseBandwidthMiBps("1e308TiB/s").error(), HasSubstr("too large"));
  EXPECT_THAT(ParseBandwidthMiBps("2GiB/s", 1024).error(), HasSubstr("(at most 1GiB/s)"));
  EXPECT_THAT(ParseRatePerSecond("1e308/us").error(), HasSubstr("too large"));
}

TEST(ParseDuration, Units) {
  EXPECT_EQ(Micros("250ms"), 250'000);
  EXPECT_EQ(Micros("5s"), 5'000'000);
  EXPECT_EQ(Micros("1.5s"), 1'500'000);
  EXPECT_EQ(Micros("2h"), 7'200'000'000);
  EXPECT_EQ(Micros("1m"), 60'000'000);
  EXPECT_EQ(Micros("1min"), 60'000'000);
  EXPECT_EQ(Micros("1d"), 86'400'000'000);
  EXPECT_EQ(Micros("500us"), 500);
  EXPECT_EQ(Micros("3µs"), 3);
  EXPECT_EQ(Micros("1.1ms"), 1100);  // rounded to the nearest µs, not truncated
  EXPECT_EQ(Micros("0"), 0);
}

TEST(ParseDuration, PlainNumberIsSeconds) {
  EXPECT_EQ(Micros("2"), 2'000'000);
  EXPECT_EQ(Micros("0.25"), 250'000);
}

TEST(ParseDuration, InfinityMeansForever) {
  EXPECT_TRUE(ParseDuration("inf")->IsMax());
  EXPECT_TRUE(ParseDuration("forever")->IsMax());
}

TEST(ParseDuration, RejectsNegativeGarbageAndOverflow) {
  for (const char* bad : {"-5s", "soon", "5 fortnights", "", "s", "nan", "1e30s", "5s5"}) {
    const sim::Result<sim::Time> r = ParseDuration(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.error(), HasSubstr("expected a duration like 250ms, 5s or 2h, got '")) << bad;
  }
  EXPECT_THAT(ParseDuration("-5s").error(), HasSubstr("must not be negative"));
  EXPECT_THAT(ParseDuration("1e30s").error(), HasSubstr("too large"));
  EXPECT_THAT(ParseDuration("5S").error(), HasSubstr("did you mean 's'?"));
}

TEST(ParseDuration, StopsAtTheLargestInputTime) {
  EXPECT_EQ(Micros("2305843009213693952us"), sim::Time::MaxInput().micros());  // 2^61
  EXPECT_THAT(ParseDuration("2305843009213694976us").error(), HasSubstr("at most 2^61us"));
  EXPECT_THAT(ParseDuration("9.1e12s").error(), HasSubstr("write 'inf' for no limit"));
  EXPECT_THAT(ParseDuration("1e308d").error(), HasSubstr("too large"));
}

TEST(ParseBandwidthMiBps, BytesAndBits) {
  EXPECT_DOUBLE_EQ(Bandwidth("100MB/s"), 1e8 / 1048576);
  EXPECT_EQ(Bandwidth("50MiB/s"), 50);
  EXPECT_EQ(Bandwidth("1GiB/s"), 1024);
  EXPECT_DOUBLE_EQ(Bandwidth("1Gbit/s"), 1.25e8 / 1048576);  // 119.209...
  EXPECT_DOUBLE_EQ(Bandwidth("1Gbps"), 1.25e8 / 1048576);
  EXPECT_DOUBLE_EQ(Bandwidth("1Gb/s"), 1.25e8 / 1048576);  // b is bits, B is bytes
  EXPECT_DOUBLE_EQ(Bandwidth("100Mbit/s"), 1.25e7 / 1048576);
  EXPECT_EQ(Bandwidth("80"), 80);
}

TEST(ParseBandwidthMiBps, Rejects) {
  for (const char* bad : {"-1MB/s", "fast", "100MB", "1GB", "MB/s", "1 GiB/min"}) {
    const sim::Result<double> r = ParseBandwidthMiBps(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.error(), HasSubstr("expected a bandwidth like 100MB/s or 1Gbit/s, got '")) << bad;
  }
}

TEST(ParseRatePerSecond, Units) {
  EXPECT_EQ(Rate("2/s"), 2);
  EXPECT_DOUBLE_EQ(Rate("10/min"), 10.0 / 60);
  EXPECT_DOUBLE_EQ(Rate("100/h"), 100.0 / 3600);
  EXPECT_DOUBLE_EQ(Rate("5/d"), 5.0 / 86400);
  EXPECT_EQ(Rate("4/ms"), 4000);
  EXPECT_EQ(Rate("3"), 3);
  EXPECT_EQ(Rate(" 2 / s "), 2);
}

TEST(ParseRatePerSecond, Rejects) {
  for (const char* bad : {"fast", "-2/s", "2/fortnight", "/s", "2/", "2s", "2/s/s"}) {
    const sim::Result<double> r = ParseRatePerSecond(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.error(), HasSubstr("expected a rate like 2/s or 10/min, got '")) << bad;
  }
  EXPECT_EQ(ParseRatePerSecond("fast").error(), "expected a rate like 2/s or 10/min, got 'fast'");
  EXPECT_THAT(ParseRatePerSecond("2s").error(), HasSubstr("write NUMBER/UNIT, e.g. 2/s"));
}

TEST(ParseNumber, StrictDecimal) {
  EXPECT_EQ(*ParseNumber("3"), 3);
  EXPECT_EQ(*ParseNumber("-2.5"), -2.5);
  EXPECT_EQ(*ParseNumber("+1e6"), 1e6);
  for (const char* bad : {"", "3x", "inf", "nan", "0x10", "1 000", "+-1"}) {
    EXPECT_FALSE(ParseNumber(bad).ok()) << bad;
  }
}

TEST(Format, PicksTheLargestUnitAndRoundTrips) {
  EXPECT_EQ(FormatSizeMiB(2048), "2GiB");
  EXPECT_EQ(FormatSizeMiB(512), "512MiB");
  EXPECT_EQ(FormatSizeMiB(1.5 * 1024 * 1024), "1.5TiB");
  EXPECT_EQ(FormatSizeMiB(0.5), "512KiB");
  EXPECT_EQ(FormatSizeMiB(1000), "1000MiB");
  EXPECT_EQ(FormatSizeMiB(0), "0MiB");
  EXPECT_EQ(FormatDuration(sim::Time::Millis(250)), "250ms");
  EXPECT_EQ(FormatDuration(sim::Time::Micros(1'500'000)), "1.5s");
  EXPECT_EQ(FormatDuration(sim::Time::Seconds(100)), "100s");
  EXPECT_EQ(FormatDuration(sim::Time::Seconds(5400)), "1.5h");
  EXPECT_EQ(FormatDuration(sim::Time::Seconds(86400)), "1d");
  EXPECT_EQ(FormatDuration(sim::Time::Micros(1'234'567)), "1234.567ms");
  EXPECT_EQ(FormatDuration(sim::Time::Micros(7)), "7us");
  EXPECT_EQ(FormatDuration(sim::Time::Zero()), "0s");
  EXPECT_EQ(FormatDuration(sim::Time::Max()), "inf");
  EXPECT_EQ(FormatBandwidthMiBps(1024), "1GiB/s");
  EXPECT_EQ(FormatRatePerSecond(2), "2/s");
  EXPECT_EQ(FormatRatePerSecond(0.5), "30/min");
  EXPECT_EQ(FormatRatePerSecond(0), "0/s");

  for (const double mib : {0.0, 1.0, 3.25, 1000.0, 2048.0, 1e-3, 123456.789}) {
    EXPECT_EQ(*ParseSizeMiB(FormatSizeMiB(mib)), mib) << FormatSizeMiB(mib);
  }
  for (const int64_t us : {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{1'000'001},
                           int64_t{90'000'000}, int64_t{86'400'000'000 * 3 + 17}}) {
    const sim::Time t = sim::Time::Micros(us);
    EXPECT_EQ(*ParseDuration(FormatDuration(t)), t) << FormatDuration(t);
  }
  // Past about 2^51us a double in another unit loses microseconds: 2088820219188s is
  // 34813670319.8min, which parses back 256us off, and 4444444444444442us is
  // 4444444444444.442ms, 1us off (fuzz findings, tests/fuzz/regressions/units).
  const sim::Time odd = sim::Time::Micros(4'444'444'444'444'442);
  EXPECT_EQ(FormatDuration(odd), "4444444444444442us");
  EXPECT_EQ(*ParseDuration(FormatDuration(odd)), odd);
  const sim::Time long_run = *ParseDuration("2088820219188s");
  EXPECT_EQ(FormatDuration(long_run), "2088820219188s");
  EXPECT_EQ(*ParseDuration(FormatDuration(long_run)), long_run);
  EXPECT_EQ(FormatDuration(sim::Time::Micros((int64_t{1} << 60) + 1)), "1152921504606846977us");
  for (const double bw : {1.0, 100.0, 1024.0, 0.5}) {
    EXPECT_EQ(*ParseBandwidthMiBps(FormatBandwidthMiBps(bw)), bw);
  }
  for (const double rate : {2.0, 0.5, 1.0 / 3600, 1e-6}) {
    EXPECT_DOUBLE_EQ(*ParseRatePerSecond(FormatRatePerSecond(rate)), rate);
  }
}

}  // namespace
}  // namespace clustersim::apps
