#include "scheduler_plugins/api/feasibility.h"

#include <gtest/gtest.h>

#include <vector>

namespace clustersim::plugins {
namespace {

Resources R(double cpus, double mem) { return Resources::Of(cpus, mem); }

const AgentShape kLinux{Os::kLinux, OsVersion::kNone, Isolation::kDocker, 0};
const AgentShape kProcess2019{Os::kWindows, OsVersion::kLtsc2019, Isolation::kProcess, 0};
const AgentShape kHyperV2022{Os::kWindows, OsVersion::kLtsc2022, Isolation::kHyperV, 360};

TEST(FitsTest, LinuxTaskOnLinuxAgentFitsBySizeOnly) {
  const Resources task = R(2, 1024);
  EXPECT_TRUE(Fits({task, Os::kLinux, OsVersion::kNone}, kLinux, R(2, 1024)));
  EXPECT_FALSE(Fits({task, Os::kLinux, OsVersion::kNone}, kLinux, R(1.999, 4096)));
  EXPECT_FALSE(Fits({task, Os::kLinux, OsVersion::kNone}, kLinux, R(4, 1023)));
}

TEST(FitsTest, OsAndBaseVersionFollowCanRun) {
  const Resources task = R(1, 1);
  const Resources room = R(64, 65536);
  EXPECT_FALSE(Fits({task, Os::kWindows, OsVersion::kLtsc2019}, kLinux, room));
  EXPECT_FALSE(Fits({task, Os::kLinux, OsVersion::kNone}, kProcess2019, room));
  // Process isolation: the host's exact version only.
  EXPECT_TRUE(Fits({task, Os::kWindows, OsVersion::kLtsc2019}, kProcess2019, room));
  EXPECT_FALSE(Fits({task, Os::kWindows, OsVersion::kLtsc2016}, kProcess2019, room));
  EXPECT_FALSE(Fits({task, Os::kWindows, OsVersion::kLtsc2022}, kProcess2019, room));
  // Hyper-V: the host's version or older, never newer.
  EXPECT_TRUE(Fits({task, Os::kWindows, OsVersion::kLtsc2016}, kHyperV2022, room));
  EXPECT_TRUE(Fits({task, Os::kWindows, OsVersion::kLtsc2022}, kHyperV2022, room));
  // A Windows task without an image has no base version to match.
  EXPECT_TRUE(Fits({task, Os::kWindows, OsVersion::kNone}, kProcess2019, room));
}

TEST(FitsTest, HyperVChargesTheUtilityVmsMemory) {
  const Resources room = R(4, 8192);
  EXPECT_TRUE(Fits({R(4, 7832), Os::kWindows, OsVersion::kLtsc2019}, kHyperV2022, room));
  EXPECT_FALSE(Fits({R(4, 7833), Os::kWindows, OsVersion::kLtsc2019}, kHyperV2022, room));
  EXPECT_EQ(Charge(kHyperV2022, R(1, 100)), R(1, 460));
  EXPECT_EQ(Charge(kProcess2019, R(1, 100)), R(1, 100));  // no overhead: the task's own
}

TEST(FitsTest, ShapeOfAnAgentTakesItsOsVersionAndIsolation) {
  AgentInfo info;
  info.os = Os::kWindows;
  info.os_version = OsVersion::kLtsc2022;
  info.isolation = Isolation::kHyperV;
  const AgentShape shape = AgentShape::Of(info, 360);
  EXPECT_EQ(shape.os, Os::kWindows);
  EXPECT_EQ(shape.os_version, OsVersion::kLtsc2022);
  EXPECT_EQ(shape.isolation, Isolation::kHyperV);
  EXPECT_DOUBLE_EQ(shape.mem_overhead_mib, 360);
}

TEST(AttributesMatchTest, EveryRequiredAttributeMustBeCarriedWithItsValue) {
  const std::vector<Attribute> agent = {{"rack", "r7"}, {"zone", "a"}};
  EXPECT_TRUE(AttributesMatch({}, agent));
  EXPECT_TRUE(AttributesMatch(std::vector<Attribute>{{"rack", "r7"}}, agent));
  EXPECT_TRUE(AttributesMatch(std::vector<Attribute>{{"zone", "a"}, {"rack", "r7"}}, agent));
  EXPECT_FALSE(AttributesMatch(std::vector<Attribute>{{"rack", "r07"}}, agent));
  EXPECT_FALSE(AttributesMatch(std::vector<Attribute>{{"rack", "r7"}, {"zone", "b"}}, agent));
  EXPECT_FALSE(AttributesMatch(std::vector<Attribute>{{"gpu", "yes"}}, agent));
  EXPECT_FALSE(AttributesMatch(std::vector<Attribute>{{"rack", "r7"}}, {}));
}

TEST(AttributesMatchTest, ValuesAreComparedAsTextNeverParsed) {
  const std::vector<Attribute> agent = {{"rack", "r1"}};
  EXPECT_FALSE(AttributesMatch(std::vector<Attribute>{{"rack", "r99999999999999999999"}}, agent));
  EXPECT_FALSE(AttributesMatch(std::vector<Attribute>{{"rack", "r01"}}, agent));
  EXPECT_FALSE(AttributesMatch(std::vector<Attribute>{{"rack", "r"}}, agent));
}

TEST(AttributesMatchTest, AKeysFirstEntryCountsAsInAgentInfoAttribute) {
  AgentInfo info;
  info.attributes = {{"rack", "r1"}, {"rack", "r2"}};
  const std::vector<Attribute> second = {{"rack", "r2"}};
  EXPECT_EQ(AttributesMatch(second, info.attributes),
            info.Attribute("rack") != nullptr && *info.Attribute("rack") == "r2");
  EXPECT_FALSE(AttributesMatch(second, info.attributes));
}

}  // namespace
}  // namespace clustersim::plugins
