// Same scenario + same seed => byte-identical results, apart from summary.json's "run" object.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using nlohmann::json;

struct RunFiles {
  std::string tasks, timeseries, framework_timeseries;
  json summary;
};

RunFiles RunDefault(const std::string& name, const std::vector<std::string>& extra) {
  const std::string out = TempDir(name);
  std::vector<std::string> args = {"run", "--out", out, "--quiet", "--set", "duration=20m"};
  args.insert(args.end(), extra.begin(), extra.end());
  const CliResult r = RunCli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  RunFiles f{ReadFile(out + "/tasks.csv"), ReadFile(out + "/timeseries.csv"),
             ReadFile(out + "/framework_timeseries.csv"),
             json::parse(ReadFile(out + "/summary.json"))};
  f.summary.erase("run");
  return f;
}

TEST(DeterminismTest, SameSeedSameBytes) {
  const RunFiles a = RunDefault("det-a", {"--seed", "5"});
  const RunFiles b = RunDefault("det-b", {"--seed", "5"});
  ASSERT_GT(a.tasks.size(), 1000u);
  EXPECT_TRUE(a.tasks == b.tasks) << "tasks.csv differs";
  EXPECT_TRUE(a.timeseries == b.timeseries) << "timeseries.csv differs";
  ASSERT_GT(a.framework_timeseries.size(), 1000u);
  EXPECT_TRUE(a.framework_timeseries == b.framework_timeseries)
      << "framework_timeseries.csv differs";
  EXPECT_EQ(a.summary.dump(), b.summary.dump());
}

TEST(DeterminismTest, DifferentSeedDiffers) {
  const RunFiles a = RunDefault("det-c", {"--seed", "5"});
  const RunFiles b = RunDefault("det-d", {"--seed", "6"});
  EXPECT_NE(a.tasks, b.tasks);
  EXPECT_NE(a.framework_timeseries, b.framework_timeseries);
  EXPECT_NE(a.summary.dump(), b.summary.dump());
}

// Policies with events.binpb on must not change what happens (observers only observe).
TEST(DeterminismTest, EventLogDoesNotPerturbTheRun) {
  const RunFiles a = RunDefault("det-e", {"--seed", "5"});
  RunFiles b = RunDefault("det-f", {"--seed", "5", "--events"});
  EXPECT_TRUE(a.tasks == b.tasks);
  // The one difference: summary.json lists the extra file.
  ASSERT_TRUE(b.summary["files"].contains("events.binpb"));
  EXPECT_GT(b.summary["files"]["events.binpb"].get<uint64_t>(), 0u);
  b.summary["files"].erase("events.binpb");
  EXPECT_EQ(a.summary.dump(), b.summary.dump());
}

}  // namespace
}  // namespace clustersim::test
