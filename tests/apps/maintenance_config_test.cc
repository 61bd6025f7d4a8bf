// `maintenance:` and frameworks[].maintenance through the scenario loader
// (apps/scenario/maintenance.cc): rolling batches expanded into windows, and errors located at
// their key.
#include <gtest/gtest.h>

#include <string>

#include "apps/scenario.h"
#include "scheduler_plugins/builtin.h"
#include "sim/check.h"

namespace clustersim::apps {
namespace {

sim::Result<Scenario> Load(const std::string& maintenance,
                           const std::string& framework_extra = "") {
  SIM_CHECK(plugins::RegisterBuiltinPolicies().ok());
  const std::string yaml =
      "name: m\n"
      "duration: 2h\n"
      "cluster:\n"
      "  groups:\n"
      "    - {name: lin, count: 5, os: linux, resources: {cpus: 8, mem: 16GiB}}\n"
      "    - {name: db, count: 1, os: linux, resources: {cpus: 8, mem: 16GiB}}\n"
      "frameworks:\n"
      "  - {name: eng" +
      framework_extra +
      ", workload: {initial_jobs: 5, resources: {cpus: 1, mem: 1GiB}}}\n"
      "maintenance: " +
      maintenance + "\n";
  auto doc = LoadYamlString(yaml, "m.yaml");
  SIM_CHECK(doc.ok());
  return LoadScenario(*doc);
}

sim::Time Min(int m) { return sim::Time::Seconds(60 * m); }

// 6 agents (lin-0..lin-4, then db) in batches of 4: batch 1 starts 10 + 5 = 15 min after batch 0.
TEST(MaintenanceConfigTest, RollingBatchesBecomeOneWindowEach) {
  auto s = Load("[{groups: [lin, db], start: 1h, duration: 10m, batch: 4, gap: 5m, drain: true}]");
  ASSERT_TRUE(s.ok()) << s.status().message();
  const auto& windows = s->spec.maintenance;
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[0].machines, (std::vector<std::string>{"lin-0", "lin-1", "lin-2", "lin-3"}));
  EXPECT_EQ(windows[0].start, Min(60));
  EXPECT_EQ(windows[0].duration, Min(10));
  EXPECT_EQ(windows[1].machines, (std::vector<std::string>{"lin-4", "db"}));
  EXPECT_EQ(windows[1].start, Min(75));
  EXPECT_TRUE(windows[1].drain);
  EXPECT_EQ(windows[1].drain_before, Min(1));
  EXPECT_FALSE(windows[1].drain_max_grace.has_value());
}

TEST(MaintenanceConfigTest, MachinesWithoutDurationAreForEver) {
  auto s = Load("[{machines: [lin-1], start: 30m, drain: {before: 2m, max_grace_period: 10s}}]");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->spec.maintenance.size(), 1u);
  EXPECT_TRUE(s->spec.maintenance[0].duration.IsMax());
  EXPECT_EQ(s->spec.maintenance[0].drain_before, Min(2));
  EXPECT_EQ(s->spec.maintenance[0].drain_max_grace, sim::Time::Seconds(10));
  EXPECT_FALSE(s->spec.maintenance[0].drain_prepull);
  auto prepull = Load("[{machines: [lin-1], start: 30m, drain: {prepull: true}}]");
  ASSERT_TRUE(prepull.ok()) << prepull.status().message();
  EXPECT_TRUE(prepull->spec.maintenance[0].drain);
  EXPECT_TRUE(prepull->spec.maintenance[0].drain_prepull);
}

TEST(MaintenanceConfigTest, ErrorsNameTheirKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"[{groups: [lin], start: 1h, batch: 2}]",
       "maintenance[0].batch: a rolling window (batch) needs a finite 'duration'"},
      {"[{machines: [lin-0], start: 1h, gap: 5m}]", "maintenance[0].gap: 'gap' separates batches"},
      {"[{groups: [win], start: 1h}]", "maintenance[0].groups[0]: no group named 'win'"},
      {"[{start: 1h}]", "maintenance[0]: a window needs 'machines'"},
      {"[{machines: [lin-0]}]", "maintenance[0]"},
      {"[{machines: [lin-0], start: 1h}, {groups: [lin], start: 2h}]",
       "maintenance[1].groups[0]: agent 'lin-0' is already in maintenance[0]"},
      {"[{machines: [lin-0], start: 1h, drain: {lead: 1m}}]", "maintenance[0].drain"},
      {"[{machines: [lin-0], start: 1h, drain: {prepull: often}}]", "maintenance[0].drain.prepull"},
  };
  for (const auto& [text, expected] : cases) {
    auto s = Load(text);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_NE(s.status().message().find(expected), std::string::npos) << text << "\n"
                                                                      << s.status().message();
  }
}

TEST(MaintenanceConfigTest, FrameworkResponse) {
  auto accept = Load("[]", ", maintenance: {response: accept, ahead: 10m}");
  ASSERT_TRUE(accept.ok()) << accept.status().message();
  EXPECT_TRUE(accept->spec.frameworks[0].maintenance_accept);
  EXPECT_EQ(accept->spec.frameworks[0].maintenance_ahead, Min(10));
  auto decline = Load("[]", ", maintenance: decline");
  ASSERT_TRUE(decline.ok());
  EXPECT_FALSE(decline->spec.frameworks[0].maintenance_accept);
  auto bad = Load("[]", ", maintenance: {response: decline, ahead: 1m}");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("frameworks[0].maintenance.ahead"), std::string::npos)
      << bad.status().message();
}

}  // namespace
}  // namespace clustersim::apps
