#include "models/workload/trace_os_mapping.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using plugins::Os;
using plugins::OsVersion;

// The n-th machine's and the n-th job's draws are keyed on n: a sweep over windows_machines or
// windows_tasks keeps every machine and job whose OS does not flip as it was, and a machine
// Windows at one share stays Windows at a larger one. From one sequential stream (before), a
// Windows machine's version draw (or a job's image draw) took an extra value, so one flip shifted
// every later machine's and job's draws.
class TraceOsMapperTest : public ::testing::Test {
 protected:
  TraceOsMapperTest() {
    for (const char* l : {"l0", "l1", "w0", "w1"}) builder_.Layer(l, 10, 10);
    linux_ = {builder_.Image("l0", Os::kLinux, OsVersion::kNone, {"l0"}),
              builder_.Image("l1", Os::kLinux, OsVersion::kNone, {"l1"})};
    windows_ = {builder_.Image("w0", Os::kWindows, OsVersion::kLtsc2019, {"w0"}),
                builder_.Image("w1", Os::kWindows, OsVersion::kLtsc2022, {"w1"})};
    catalog_ = builder_.Build().images;
  }
  TraceOsMapping Mapping(double windows_share) const {
    TraceOsMapping m;
    m.windows_machines = windows_share;
    m.windows_tasks = windows_share;
    m.windows_versions = {{OsVersion::kLtsc2019, 1}, {OsVersion::kLtsc2022, 1}};
    m.linux_images = linux_;
    m.windows_images = windows_;
    return m;
  }
  std::vector<plugins::AgentInfo> Machines(const TraceOsMapping& m, int n) const {
    TraceOsMapper mapper(m, catalog_, sim::RandomStreams(5));
    std::vector<plugins::AgentInfo> out(static_cast<size_t>(n));
    for (plugins::AgentInfo& info : out) mapper.AssignMachine(info);
    return out;
  }
  std::vector<TraceOsMapper::JobOs> Jobs(const TraceOsMapping& m, int n) const {
    TraceOsMapper mapper(m, catalog_, sim::RandomStreams(5));
    std::vector<TraceOsMapper::JobOs> out;
    for (int i = 0; i < n; ++i) out.push_back(mapper.DrawJob());
    return out;
  }

  test::ScenarioBuilder builder_;
  ImageCatalog catalog_;
  std::vector<uint32_t> linux_;
  std::vector<uint32_t> windows_;
};

TEST_F(TraceOsMapperTest, AMachineKeepsItsDrawsWhenTheWindowsShareGrows) {
  const auto few = Machines(Mapping(0.3), 2000);
  const auto more = Machines(Mapping(0.6), 2000);
  int flipped = 0;
  int versions_2022 = 0;
  for (size_t i = 0; i < few.size(); ++i) {
    if (few[i].os == Os::kWindows) {
      ASSERT_EQ(more[i].os, Os::kWindows) << i;
      EXPECT_EQ(more[i].os_version, few[i].os_version) << i;
      versions_2022 += few[i].os_version == OsVersion::kLtsc2022;
    } else {
      flipped += more[i].os == Os::kWindows;
    }
  }
  // About 0.3 of the 2,000 machines turn Windows; the versions still split by weight.
  EXPECT_NEAR(flipped, 600, 90);
  EXPECT_NEAR(versions_2022, 300, 75);
}

TEST_F(TraceOsMapperTest, AJobKeepsItsDrawsWhenTheWindowsShareGrows) {
  // No Linux images: a Linux job draws its OS only, a Windows job its OS and its image.
  TraceOsMapping few_windows = Mapping(0.3);
  TraceOsMapping more_windows = Mapping(0.6);
  few_windows.linux_images.clear();
  more_windows.linux_images.clear();
  const auto few = Jobs(few_windows, 2000);
  const auto more = Jobs(more_windows, 2000);
  int flipped = 0;
  for (size_t i = 0; i < few.size(); ++i) {
    if (few[i].os == Os::kWindows) {
      ASSERT_EQ(more[i].os, Os::kWindows) << i;
      EXPECT_EQ(more[i].image, few[i].image) << i;
    } else if (more[i].os == Os::kLinux) {
      EXPECT_EQ(more[i].image, few[i].image) << i;
    } else {
      ++flipped;
    }
  }
  EXPECT_NEAR(flipped, 600, 90);
}

}  // namespace
}  // namespace clustersim::models
