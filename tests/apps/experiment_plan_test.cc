// apps/experiment/plan and compare/sweep plans: how axes expand into cells, overrides and runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "apps/config/yaml_value.h"
#include "apps/embedded_scenarios.h"
#include "apps/experiment/compare.h"
#include "apps/experiment/plan.h"
#include "apps/experiment/sweep.h"
#include "experiment_fixtures.h"
#include "scheduler_plugins/builtin.h"

namespace clustersim::apps {
namespace {

using test::TwoAxisPlan;

TEST(ExperimentPlanTest, CellsAreTheCartesianProductLastAxisFastest) {
  const ExperimentPlan plan = TwoAxisPlan();
  EXPECT_EQ(CellCount(plan), 6u);
  EXPECT_EQ(CellCoordinates(plan, 0), (std::vector<size_t>{0, 0}));
  EXPECT_EQ(CellCoordinates(plan, 2), (std::vector<size_t>{0, 2}));
  EXPECT_EQ(CellCoordinates(plan, 3), (std::vector<size_t>{1, 0}));
  EXPECT_EQ(CellLabels(plan, 5), (std::vector<std::string>{"random", "5/6"}));
}

TEST(ExperimentPlanTest, OverridesAreTheBaseThenEveryPathOfEveryAxis) {
  EXPECT_EQ(CellOverrides(TwoAxisPlan(), 4),
            (std::vector<std::string>{"duration=10m", "master.allocator=random",
                                      "cluster.groups[0].count=3", "cluster.groups[1].count=4"}));
}

TEST(ExperimentPlanTest, RequestsKeepFilesOnlyWithARunsFolder) {
  const ExperimentPlan plan = TwoAxisPlan();
  const RunRequest plain = PlanRequest(plan, 1, 8, "");
  EXPECT_EQ(plain.cell, 1u);
  EXPECT_EQ(plain.seed, 8u);
  EXPECT_EQ(plain.overrides, CellOverrides(plan, 1));
  EXPECT_TRUE(plain.out_dir.empty());
  EXPECT_EQ(PlanRequest(plan, 1, 8, "out/runs").out_dir, "out/runs/drf-3/4-s8");
}

class ScenarioPlanTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(plugins::RegisterBuiltinPolicies().ok()); }
  static YamlDocument DefaultDocument() {
    auto doc = LoadYamlString(EmbeddedDefaultScenario(), "default.yaml");
    EXPECT_TRUE(doc.ok());
    return std::move(*doc);
  }
};

TEST_F(ScenarioPlanTest, CompareIsAllocatorTimesPlacementOnEveryFramework) {
  CompareOptions options;
  options.allocators = {"drf", "random"};
  options.placements = {"first-fit"};
  options.seeds = 3;
  auto plan = ComparePlan(DefaultDocument(), options);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->axes.size(), 2u);
  EXPECT_EQ(plan->axes[0].name, "allocator");
  EXPECT_EQ(plan->axes[1].name, "placement");
  EXPECT_EQ(CellCount(*plan), 2u);
  EXPECT_EQ(plan->base_seed, 42u);
  EXPECT_EQ(options.out_dir, "out/compare-default");
  // The default scenario has three frameworks: the placement is set on each.
  EXPECT_EQ(CellOverrides(*plan, 1),
            (std::vector<std::string>{
                "master.allocator=random", "frameworks[0].placement=first-fit",
                "frameworks[1].placement=first-fit", "frameworks[2].placement=first-fit"}));
}

TEST_F(ScenarioPlanTest, ValidationNamesTheBadCellBeforeAnythingRuns) {
  ExperimentPlan plan;
  plan.base.emplace(DefaultDocument());
  plan.axes.push_back(Axis{.name = "allocator",
                           .paths = {"master.allocator"},
                           .values = {{"drf"}, {"nonsense"}},
                           .labels = {"drf", "nonsense"}});
  const sim::Status s = ValidatePlan(plan);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nonsense"), std::string::npos) << s.message();
}

TEST_F(ScenarioPlanTest, SweepFileAxesWithSeveralPathsMoveTogether) {
  const auto dir = std::filesystem::temp_directory_path() / "clustersim_plan_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "base.yaml") << EmbeddedDefaultScenario();
    std::ofstream(dir / "s.yaml")
        << "base: base.yaml\nseeds: 2\naxes:\n"
           "  - path: master.allocator\n    values: [drf, random]\n"
           "  - paths:\n      - cluster.groups[0].count\n      - cluster.groups[1].count\n"
           "    values: [[1, 2], [3, 4]]\n";
  }
  auto plan = LoadSweepPlan((dir / "s.yaml").string());
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->name, "s");
  EXPECT_EQ(plan->seeds, 2);
  EXPECT_EQ(plan->axes[1].name, "cluster.groups[0].count+cluster.groups[1].count");
  EXPECT_EQ(plan->axes[1].labels, (std::vector<std::string>{"1/2", "3/4"}));
  EXPECT_EQ(plan->metrics.size(), DefaultMetrics().size());
  EXPECT_TRUE(ValidatePlan(*plan).ok());
  EXPECT_EQ(plan->base_seed, 42u);
  std::filesystem::remove_all(dir);
}

// What a sweep file may not say, each refused with the place in the file. Found by a review: two
// axes on one path ran every cell on the later one's value but labelled them by both; two values
// with one label shared a run folder; a name with "../" wrote the sweep outside out/.
TEST_F(ScenarioPlanTest, SweepFilesThatWouldMislabelOrEscapeAreRefused) {
  const auto dir = std::filesystem::temp_directory_path() / "clustersim_plan_refused_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "base.yaml") << EmbeddedDefaultScenario();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"axes:\n  - {path: duration, values: [1m, 10m]}\n  - {path: duration, values: [2m]}\n",
       "'duration' is axes[0]'s"},
      {"axes:\n  - {path: master.allocator, values: [drf, random], labels: [a, a]}\n",
       "'a' names values 0 and 1"},
      {"name: ../../escaped\naxes:\n  - {path: master.allocator, values: [drf]}\n",
       "it names the output folder"}};
  for (const auto& [body, want] : cases) {
    std::ofstream(dir / "s.yaml") << "base: base.yaml\n" << body;
    auto plan = LoadSweepPlan((dir / "s.yaml").string());
    ASSERT_FALSE(plan.ok()) << body;
    EXPECT_NE(plan.status().message().find(want), std::string::npos) << plan.status().message();
    EXPECT_NE(plan.status().message().find("s.yaml:"), std::string::npos)
        << plan.status().message();
  }
  std::filesystem::remove_all(dir);
}

// --allocators drf,drf would run two cells into one run folder (with --keep-runs they raced).
TEST_F(ScenarioPlanTest, ComparingAPolicyWithItselfIsRefused) {
  for (const bool allocators : {true, false}) {
    CompareOptions options;
    options.allocators = allocators ? std::vector<std::string>{"drf", "random", "drf"}
                                    : std::vector<std::string>{"drf"};
    options.placements = allocators ? std::vector<std::string>{"first-fit"}
                                    : std::vector<std::string>{"first-fit", "first-fit"};
    auto plan = ComparePlan(DefaultDocument(), options);
    ASSERT_FALSE(plan.ok());
    EXPECT_NE(plan.status().message().find(allocators ? "--allocators: 'drf' is named twice"
                                                      : "--placements: 'first-fit' is named twice"),
              std::string::npos)
        << plan.status().message();
  }
}

}  // namespace
}  // namespace clustersim::apps
