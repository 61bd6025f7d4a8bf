#include "scheduler_plugins/api/os.h"

#include <gtest/gtest.h>

namespace clustersim::plugins {
namespace {

constexpr Os kL = Os::kLinux;
constexpr Os kW = Os::kWindows;
constexpr OsVersion k2016 = OsVersion::kLtsc2016;
constexpr OsVersion k2019 = OsVersion::kLtsc2019;
constexpr OsVersion k2022 = OsVersion::kLtsc2022;
constexpr OsVersion kNone = OsVersion::kNone;

TEST(CanRunTest, LinuxAndWindowsNeverMix) {
  EXPECT_TRUE(CanRun(kL, kNone, Isolation::kDocker, kL, kNone));
  EXPECT_FALSE(CanRun(kL, kNone, Isolation::kDocker, kW, k2019));
  EXPECT_FALSE(CanRun(kL, kNone, Isolation::kDocker, kW, kNone));  // Windows task, no image
  EXPECT_FALSE(CanRun(kW, k2019, Isolation::kProcess, kL, kNone));
  EXPECT_FALSE(CanRun(kW, k2019, Isolation::kHyperV, kL, kNone));
}

TEST(CanRunTest, ProcessIsolationNeedsTheHostsExactVersion) {
  EXPECT_TRUE(CanRun(kW, k2019, Isolation::kProcess, kW, k2019));
  EXPECT_FALSE(CanRun(kW, k2019, Isolation::kProcess, kW, k2016));  // older: needs Hyper-V
  EXPECT_FALSE(CanRun(kW, k2019, Isolation::kProcess, kW, k2022));  // newer: never
  EXPECT_TRUE(CanRun(kW, k2022, Isolation::kProcess, kW, k2022));
  EXPECT_TRUE(CanRun(kW, k2016, Isolation::kProcess, kW, k2016));
}

TEST(CanRunTest, HyperVRunsOlderImagesButNeverNewerOnes) {
  EXPECT_TRUE(CanRun(kW, k2022, Isolation::kHyperV, kW, k2016));
  EXPECT_TRUE(CanRun(kW, k2022, Isolation::kHyperV, kW, k2019));
  EXPECT_TRUE(CanRun(kW, k2022, Isolation::kHyperV, kW, k2022));
  EXPECT_TRUE(CanRun(kW, k2019, Isolation::kHyperV, kW, k2016));
  EXPECT_FALSE(CanRun(kW, k2019, Isolation::kHyperV, kW, k2022));
  EXPECT_FALSE(CanRun(kW, k2016, Isolation::kHyperV, kW, k2019));
}

TEST(CanRunTest, WindowsTaskWithoutAnImageRunsOnAnyWindowsHost) {
  EXPECT_TRUE(CanRun(kW, k2016, Isolation::kProcess, kW, kNone));
  EXPECT_TRUE(CanRun(kW, k2022, Isolation::kHyperV, kW, kNone));
}

TEST(CanRunTest, FullMatrixAgreesWithTheRules) {
  // Every (host version, isolation, image version) on Windows, against the rule written out:
  // runs iff image <= host, and equal unless Hyper-V.
  const OsVersion versions[] = {k2016, k2019, k2022};
  for (OsVersion host : versions) {
    for (Isolation iso : {Isolation::kProcess, Isolation::kHyperV}) {
      for (OsVersion image : versions) {
        const bool expected = image == host || (iso == Isolation::kHyperV && image < host);
        EXPECT_EQ(CanRun(kW, host, iso, kW, image), expected)
            << OsVersionName(host) << "/" << IsolationName(iso) << " image "
            << OsVersionName(image);
      }
    }
  }
}

TEST(OsNamesTest, ParseAndNameRoundTrip) {
  for (Os os : {kL, kW}) EXPECT_EQ(ParseOs(OsName(os)), os);
  for (OsVersion v : {k2016, k2019, k2022}) EXPECT_EQ(ParseOsVersion(OsVersionName(v)), v);
  for (Isolation i : {Isolation::kDocker, Isolation::kProcess, Isolation::kHyperV}) {
    EXPECT_EQ(ParseIsolation(IsolationName(i)), i);
  }
  EXPECT_EQ(OsName(kW), "windows");
  EXPECT_EQ(OsVersionName(k2019), "ltsc2019");
  EXPECT_EQ(IsolationName(Isolation::kHyperV), "hyperv");
  EXPECT_FALSE(ParseOs("Windows").has_value());  // case-sensitive
  EXPECT_FALSE(ParseOs("macos").has_value());
  EXPECT_FALSE(ParseOsVersion("ltsc2025").has_value());
  EXPECT_FALSE(ParseOsVersion("none").has_value());  // kNone is not a user-facing value
  EXPECT_FALSE(ParseIsolation("hyper-v").has_value());
  // Version order: "newer than" is operator>.
  EXPECT_LT(k2016, k2019);
  EXPECT_LT(k2019, k2022);
}

}  // namespace
}  // namespace clustersim::plugins
