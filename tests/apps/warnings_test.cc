#include "apps/config/warnings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "apps/scenario.h"
#include "models/task.h"
#include "scheduler_plugins/builtin.h"

namespace clustersim::apps {
namespace {

using ::testing::HasSubstr;

// A cluster of 4 linux agents {cpus: 8, mem: 16GiB} and 2 Windows ltsc2019 process agents; the
// framework `batch` draws small Linux tasks. `extra_*` are spliced into the blocks.
struct Doc {
  std::string groups_extra;     // more keys of the linux group
  std::string framework_extra;  // more keys of batch
  std::string workload = "initial_jobs: 5, tasks_per_job: 2, resources: {cpus: 1, mem: 1GiB}";
  std::string more_frameworks;
  std::string master = "allocator: drf";
};

std::string Yaml(const Doc& d) {
  return "name: w\n"
         "duration: 10m\n"
         "master: {" +
         d.master +
         "}\n"
         "images:\n"
         "  - {name: lin, os: linux, layers: [{digest: l1, download: 10MB}]}\n"
         "  - {name: win19, os: windows, version: ltsc2019, layers: [{digest: w1, download: "
         "10MB}]}\n"
         "cluster:\n"
         "  groups:\n"
         "    - {name: linux, count: 4, os: linux, resources: {cpus: 8, mem: 16GiB}" +
         d.groups_extra +
         "}\n"
         "    - {name: win, count: 2, os: windows, version: ltsc2019, resources: {cpus: 8, mem: "
         "16GiB}}\n"
         "frameworks:\n"
         "  - {name: batch" +
         d.framework_extra + ", workload: {" + d.workload + "}}\n" + d.more_frameworks;
}

class WarningsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(plugins::RegisterBuiltinPolicies().ok()); }

  std::vector<Warning> Warn(const Doc& d) {
    auto doc = LoadYamlString(Yaml(d), "w.yaml");
    EXPECT_TRUE(doc.ok()) << doc.status().message();
    if (!doc.ok()) return {};
    auto scenario = LoadScenario(*doc);
    EXPECT_TRUE(scenario.ok()) << scenario.status().message() << "\n" << Yaml(d);
    if (!scenario.ok()) return {};
    return ScenarioWarnings(doc->Root(), *scenario);
  }

  static std::vector<std::string> Lines(const std::vector<Warning>& ws) {
    std::vector<std::string> out;
    for (const Warning& w : ws) out.push_back(w.ToString());
    return out;
  }
};

TEST_F(WarningsTest, CleanScenarioHasNone) {
  EXPECT_THAT(Lines(Warn(Doc{})), ::testing::IsEmpty());
}

TEST_F(WarningsTest, ResourceNamesNearABuiltinOrAnAlias) {
  Doc d;
  d.groups_extra = ", attributes: {zone: a}";
  // Named resources are process-wide and at most 4: these tests share cores, memroy, GPU, fpga.
  d.master = "allocator: drf, min_allocatable: [{cores: 1}, {memroy: 1}, {GPU: 1}, {fpga: 1}]";
  const std::vector<Warning> ws = Warn(d);
  ASSERT_EQ(ws.size(), 3u) << ::testing::PrintToString(Lines(ws));
  EXPECT_EQ(ws[0].path, "master.min_allocatable[0].cores");
  EXPECT_THAT(ws[0].message, HasSubstr("did you mean cpus?"));
  EXPECT_EQ(ws[0].location, "w.yaml:3:52");
  EXPECT_THAT(ws[1].message, HasSubstr("did you mean mem?"));   // one transposition from memory
  EXPECT_THAT(ws[2].message, HasSubstr("did you mean gpus?"));  // case ignored
  // Three edits from every built-in: a custom resource on purpose.
}

TEST_F(WarningsTest, ResourceNamesInReservationsAndQuotas) {
  Doc d;
  d.groups_extra = ", reservations: {batch: {cpus: 1, cores: 0}}";
  d.master = "allocator: {name: drf-quota, quotas: {batch: {guarantee: {memroy: 1}}}}";
  const std::vector<Warning> ws = Warn(d);
  ASSERT_EQ(ws.size(), 2u) << ::testing::PrintToString(Lines(ws));
  EXPECT_EQ(ws[0].path, "cluster.groups[0].reservations.batch.cores");
  EXPECT_THAT(ws[0].message, HasSubstr("did you mean cpus?"));
  EXPECT_EQ(ws[1].path, "master.allocator.quotas.batch.guarantee.memroy");
  EXPECT_THAT(ws[1].message, HasSubstr("did you mean mem?"));
}

// Quotas set at run time (master.updates) are checked as master.quotas: resource names, and a role
// nobody is in (its guarantee would still hold back headroom).
TEST_F(WarningsTest, QuotasInMasterUpdatesAreChecked) {
  Doc d;
  d.master = "allocator: drf, updates: [{at: 1m, quotas: {bach: {guarantee: {memroy: 1}}}}]";
  const std::vector<Warning> ws = Warn(d);
  ASSERT_EQ(ws.size(), 2u) << ::testing::PrintToString(Lines(ws));
  EXPECT_EQ(ws[0].path, "master.updates[0].quotas.bach.guarantee.memroy");
  EXPECT_THAT(ws[0].message, HasSubstr("did you mean mem?"));
  EXPECT_EQ(ws[1].path, "master.updates[0].quotas.bach");
  EXPECT_THAT(ws[1].message, HasSubstr("a quota for role 'bach', which no framework or subrole"));
}

TEST_F(WarningsTest, FrameworkWhoseTasksCanNeverRunSaysWhy) {
  Doc big;
  big.workload = "initial_jobs: 1, resources: {cpus: {dist: uniform, min: 9, max: 12}}";
  auto ws = Warn(big);
  ASSERT_EQ(ws.size(), 1u) << ::testing::PrintToString(Lines(ws));
  EXPECT_EQ(ws[0].path, "frameworks[0].workload.resources");
  EXPECT_THAT(ws[0].message, HasSubstr("none of its tasks can ever run (too_large)"));
  EXPECT_THAT(ws[0].message, HasSubstr("cpus:9"));

  // Only the smallest draw matters: a tail larger than every agent is not warned about.
  Doc tail;
  tail.workload = "initial_jobs: 1, resources: {cpus: {dist: uniform, min: 1, max: 12}}";
  EXPECT_TRUE(Warn(tail).empty());

  Doc constrained;
  constrained.workload = "initial_jobs: 1, constraints: {attributes: {zone: b}}";
  ws = Warn(constrained);
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_EQ(ws[0].path, "frameworks[0].workload.constraints.attributes");
  EXPECT_THAT(ws[0].message, HasSubstr("(constraint_unmet)"));
}

TEST_F(WarningsTest, OnlySomeKindsOfTasksCanNeverRun) {
  Doc d;
  // Half the tasks are Windows, on a 2022 image no ltsc2019 host runs.
  d.more_frameworks =
      "  - {name: mixed, workload: {initial_jobs: 1, windows_fraction: 0.5, images: [lin, w22]}}\n";
  std::string yaml = Yaml(d);
  yaml.replace(yaml.find("cluster:"), 0,
               "  - {name: w22, os: windows, version: ltsc2022, layers: [{digest: w2, download: "
               "1MB}]}\n");
  auto doc = LoadYamlString(yaml, "w.yaml");
  ASSERT_TRUE(doc.ok());
  auto scenario = LoadScenario(*doc);
  ASSERT_TRUE(scenario.ok()) << scenario.status().message();
  const std::vector<Warning> ws = ScenarioWarnings(doc->Root(), *scenario);
  ASSERT_EQ(ws.size(), 1u) << ::testing::PrintToString(Lines(ws));
  EXPECT_EQ(ws[0].path, "frameworks[1].workload.images");
  EXPECT_THAT(ws[0].message, HasSubstr("framework 'mixed': its image 'w22' (windows ltsc2022) "
                                       "can never run (image_incompatible)"));
}

// Its tasks (too large for every agent) are never submitted, so they are not checked; but a run
// in which no framework submits anything is useless, and says so.
TEST_F(WarningsTest, FrameworksThatSubmitNothingAreNotChecked) {
  Doc d;
  d.workload = "max_jobs: 0, initial_jobs: 1, resources: {cpus: 100}";
  const std::vector<std::string> lines = Lines(Warn(d));
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  EXPECT_THAT(lines[0], HasSubstr("frameworks: no framework submits a task"));
}

// Initial jobs and arrivals start at workload.start: one at or after the end of the run submits
// nothing (found by a CLI review: validate estimated "about 0 tasks" without a word).
TEST_F(WarningsTest, AWorkloadStartingAfterTheRunEndsIsWarnedAbout) {
  Doc d;
  d.workload = "initial_jobs: 5, start: 20m, resources: {cpus: 1, mem: 1GiB}";
  const std::vector<std::string> lines = Lines(Warn(d));
  ASSERT_EQ(lines.size(), 2u) << ::testing::PrintToString(lines);
  EXPECT_THAT(lines[0], HasSubstr("frameworks: no framework submits a task"));
  EXPECT_THAT(lines[1], HasSubstr("frameworks[0].workload.start: framework 'batch' submits "
                                  "nothing: its workload starts at 20min, at or after the run's "
                                  "end (10min)"));
}

TEST_F(WarningsTest, RolesOfReservationsQuotasAndPrioritiesMustExist) {
  Doc d;
  d.groups_extra = ", reservations: {bach: {cpus: 1}, batch: {cpus: 1}}";
  d.master = "allocator: {name: priority, priorities: {batch: 2, other: 1}}";
  const std::vector<Warning> ws = Warn(d);
  ASSERT_EQ(ws.size(), 2u) << ::testing::PrintToString(Lines(ws));
  EXPECT_EQ(ws[0].path, "cluster.groups[0].reservations.bach");
  EXPECT_THAT(ws[0].message, HasSubstr("a reservation for role 'bach', which no framework has "
                                       "(roles: batch)"));
  EXPECT_EQ(ws[1].path, "master.allocator.priorities.other");
}

TEST_F(WarningsTest, AWeightStatedByOneFrameworkOfARoleAndInheritedByAnother) {
  Doc d;
  d.framework_extra = ", role: r, weight: 3";
  d.more_frameworks = "  - {name: second, role: r}\n  - {name: third, role: r, weight: 3}\n";
  const std::vector<Warning> ws = Warn(d);
  ASSERT_EQ(ws.size(), 1u) << ::testing::PrintToString(Lines(ws));
  EXPECT_EQ(ws[0].path, "frameworks[1].role");
  EXPECT_THAT(ws[0].message, HasSubstr("framework 'second' inherits weight 3 for role 'r' from "
                                       "framework 'batch' (frameworks[0].weight)"));
  // Nobody states it: every framework has the default, nothing is inherited.
  Doc none;
  none.framework_extra = ", role: r";
  none.more_frameworks = "  - {name: second, role: r}\n";
  EXPECT_TRUE(Warn(none).empty());
}

TEST_F(WarningsTest, PreloadedImageTheGroupCannotRun) {
  Doc d;
  d.groups_extra = ", preloaded_images: [lin, win19]";
  const std::vector<Warning> ws = Warn(d);
  ASSERT_EQ(ws.size(), 1u) << ::testing::PrintToString(Lines(ws));
  EXPECT_EQ(ws[0].path, "cluster.groups[0].preloaded_images[1]");
  EXPECT_THAT(ws[0].message, HasSubstr("image 'win19' is preloaded on group 'linux' (linux)"));
}

TEST_F(WarningsTest, PrePullWithoutImageUpdatesHasNothingToPull) {
  Doc d;
  d.more_frameworks =
      "maintenance:\n  - {groups: [linux], start: 5m, duration: 1m, drain: {prepull: true}}\n";
  const std::vector<Warning> ws = Warn(d);
  ASSERT_EQ(ws.size(), 1u) << ::testing::PrintToString(Lines(ws));
  EXPECT_EQ(ws[0].path, "maintenance[0].drain.prepull");
  EXPECT_THAT(ws[0].message, HasSubstr("no runtime.image_updates"));
  d.more_frameworks = "maintenance:\n  - {groups: [linux], start: 5m, drain: {prepull: false}}\n";
  EXPECT_THAT(Lines(Warn(d)), ::testing::IsEmpty());
}

TEST_F(WarningsTest, EstimatesRunSizeFromJobsRatesAndDurations) {
  auto doc = LoadYamlString(Yaml(Doc{}), "w.yaml");
  ASSERT_TRUE(doc.ok());
  auto scenario = LoadScenario(*doc);
  ASSERT_TRUE(scenario.ok());
  models::ScenarioSpec spec = scenario->spec;
  RunEstimate e = EstimateRunSize(spec);
  EXPECT_DOUBLE_EQ(e.tasks, 10);  // 5 jobs x 2 tasks
  EXPECT_DOUBLE_EQ(e.peak_live_tasks, 10);
  EXPECT_EQ(e.agents, 6);
  EXPECT_DOUBLE_EQ(e.peak_mib, (10 * kBytesPerLiveTask + 6 * kBytesPerAgent) / (1024.0 * 1024));

  // 2 jobs/s of 3 tasks for 600 s, each task 10 s: 3,600 tasks, 60 live at once (Little's law).
  models::WorkloadSpec& w = spec.frameworks[0].workload;
  w.initial_jobs = 0;
  w.arrival = models::ArrivalKind::kPoisson;
  w.rate_per_s = 2;
  w.tasks_per_job = sim::Distribution::Constant(3);
  w.duration_s = sim::Distribution::Constant(10);
  w.cpus = sim::Distribution::Constant(0.5);  // 6 tasks/s x 10 s x 0.5 cpus = 30 of 48 cpus
  e = EstimateRunSize(spec);
  EXPECT_DOUBLE_EQ(e.tasks, 3600);
  EXPECT_DOUBLE_EQ(e.peak_live_tasks, 60);
  // More demand than the cluster's 48 cpus: the queue grows, at worst every task stays live.
  w.cpus = sim::Distribution::Constant(1);
  w.duration_s = sim::Distribution::Constant(100);  // 6 tasks/s x 100 s x 1 cpu = 600 cpus
  e = EstimateRunSize(spec);
  EXPECT_DOUBLE_EQ(e.peak_live_tasks, 3600);
  // max_jobs bounds the jobs.
  w.max_jobs = 100;
  EXPECT_DOUBLE_EQ(EstimateRunSize(spec).tasks, 300);
}

TEST_F(WarningsTest, HugeRunIsWarnedAboutAtTheFrameworks) {
  Doc d;
  d.workload = "arrival: poisson, rate: 20000/s, tasks_per_job: 2, duration: 1s";
  const std::vector<Warning> ws = Warn(d);  // 2.4e7 tasks in 600 s
  ASSERT_EQ(ws.size(), 1u) << ::testing::PrintToString(Lines(ws));
  EXPECT_EQ(ws[0].path, "frameworks");
  EXPECT_THAT(ws[0].message, HasSubstr("this run is huge: about 2.4e+07 tasks"));
  Doc smaller;
  smaller.workload =
      "arrival: poisson, rate: 10000/s, tasks_per_job: 2, duration: 1s, resources: {cpus: 0.001}";
  EXPECT_TRUE(Warn(smaller).empty());  // 1.2e7 tasks, 2e4 live on 20 of 48 cpus
}

// Every reason the models can give is documented in results/README.md's table.
TEST(ReasonsTest, ResultsReadmeDocumentsEveryReason) {
  std::ifstream in(std::string(CLUSTERSIM_SOURCE_DIR) + "/results/README.md");
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_FALSE(text.str().empty());
  for (int r = 1; r < models::kTaskReasonCount; ++r) {
    const std::string name(models::TaskReasonName(static_cast<models::TaskReason>(r)));
    EXPECT_THAT(text.str(), HasSubstr("| `" + name + "` |")) << name;
  }
}

}  // namespace
}  // namespace clustersim::apps
