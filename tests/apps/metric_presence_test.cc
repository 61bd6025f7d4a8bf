// Issue 13, acceptance 2: every catalogue metric is in summary.json at its path if and only if its
// presence condition holds, and every leaf of summary.json (outside run and files) is a catalogue
// entry. Checked on the golden summaries of the shipped scenarios (synthetic with and without
// master.cost_model, SWF, Google 2011 demand and recorded, Alibaba, CSV replays; GoldenTest proves
// they are what the binary writes) and on a synthetic run made here with the cost model on and off.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "apps/runner.h"
#include "apps/scenario.h"
#include "results/metric_catalogue.h"

namespace clustersim::apps {
namespace {

using nlohmann::ordered_json;
using results::CatalogueEntry;
using results::RunFacts;

std::string SourcePath(const std::string& relative) {
  return std::string(CLUSTERSIM_SOURCE_DIR) + "/" + relative;
}

Scenario Load(const std::string& path) {
  auto doc = LoadYamlFile(path);
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  auto scenario = LoadScenario(*doc);
  EXPECT_TRUE(scenario.ok()) << path << ": " << scenario.status().message();
  return std::move(*scenario);
}

// The concrete paths of a catalogue entry in `summary`: itself, or with `[name=*]` one path per
// element of that list. A `*` key (a task reason) has no fixed path: none.
std::vector<std::string> ConcretePaths(const CatalogueEntry& e, const ordered_json& summary) {
  if (e.path.ends_with(".*")) return {};
  const size_t star = e.path.find("[name=*]");
  if (star == std::string::npos) return {e.path};
  std::vector<std::string> out;
  const std::string list = e.path.substr(0, star);
  if (!summary.contains(list)) return out;
  for (const auto& element : summary[list]) {
    out.push_back(list + "[name=" + element["name"].get<std::string>() + "]" +
                  e.path.substr(star + 8));
  }
  return out;
}

void ExpectMatchesCatalogue(const ordered_json& summary, const RunFacts& facts,
                            const std::string& what) {
  SCOPED_TRACE(what);
  std::set<std::string> present;
  for (const auto& [path, value] : results::SummaryLeaves(summary)) {
    present.insert(path);
    const CatalogueEntry* e = results::FindCatalogueEntry(path);
    if (e == nullptr) {
      ADD_FAILURE() << path << " is not in the metric catalogue";
      continue;
    }
    EXPECT_TRUE(results::MayBePresent(*e, facts)) << path << " present, but its condition does not "
                                                  << "hold";
    if (e->sparse) {
      EXPECT_NE(value, 0) << path << " is written only when not 0";
    }
  }
  for (const CatalogueEntry& e : results::MetricCatalogue()) {
    // Sparse entries and those whose condition is on a list element may be absent.
    const bool element = std::all_of(e.when.begin(), e.when.end(), results::IsElementCondition);
    if (!results::MayBePresent(e, facts) || e.sparse || element) continue;
    for (const std::string& path : ConcretePaths(e, summary)) {
      EXPECT_TRUE(present.contains(path)) << path << " absent, but its condition holds";
    }
  }
}

void ExpectGoldenMatches(const std::string& name) {
  const Scenario scenario = Load(SourcePath("scenarios/" + name + ".yaml"));
  std::ifstream in(SourcePath("tests/golden/" + name + ".summary.json"));
  ASSERT_TRUE(in) << name;
  const ordered_json summary = ordered_json::parse(in);
  ExpectMatchesCatalogue(summary, results::FactsOf(scenario.spec), name);
}

TEST(MetricPresenceTest, SyntheticGoldens) {
  ExpectGoldenMatches("default");
  ExpectGoldenMatches("drf-paper");
  ExpectGoldenMatches("policy-study");
  ExpectGoldenMatches("allocator-study");  // master.quotas, role tree, offer constraints
  ExpectGoldenMatches("windows-cold-start");
  ExpectGoldenMatches("windows-stock-timeouts");  // executor_registration_timeout failures
  ExpectGoldenMatches("windows-patch-day");       // maintenance windows, image updates
  ExpectGoldenMatches("offer-throughput");        // master.cost_model on
}

TEST(MetricPresenceTest, SwfGoldens) {
  ExpectGoldenMatches("kth-sp2-easy");
  ExpectGoldenMatches("kth-sp2-fcfs");
}

TEST(MetricPresenceTest, Google2011Goldens) {
  ExpectGoldenMatches("google2011-sample");
  ExpectGoldenMatches("google2011-recorded");
}

TEST(MetricPresenceTest, AlibabaAndCsvGoldens) {
  ExpectGoldenMatches("alibaba2018-machines");
  ExpectGoldenMatches("cloudsimpy-w-large");
}

// Every shipped scenario with a golden is checked above, so a new golden needs a line there.
TEST(MetricPresenceTest, EveryGoldenIsChecked) {
  size_t goldens = 0;
  for (const auto& f : std::filesystem::directory_iterator(SourcePath("tests/golden"))) {
    goldens += f.path().string().ends_with(".summary.json");
  }
  EXPECT_EQ(goldens, 14u);
}

// The same synthetic scenario run here, with the cost model off and on: master_cost.* appears
// exactly with it.
TEST(MetricPresenceTest, CostModelOnAndOff) {
  Scenario scenario = Load(SourcePath("scenarios/drf-paper.yaml"));
  RunOptions options;
  options.write_files = false;
  options.progress.enabled = false;
  for (const bool on : {false, true}) {
    scenario.spec.master.cost.enabled = on;
    auto summary = RunScenario(scenario, options);
    ASSERT_TRUE(summary.ok()) << summary.status().message();
    EXPECT_EQ(summary->contains("master_cost"), on);
    ExpectMatchesCatalogue(*summary, results::FactsOf(scenario.spec),
                           on ? "cost model on" : "cost model off");
  }
}

// No golden has Google's job_events: the sample with them added, run here for 5 simulated
// minutes, brings trace.job_rows, trace.jobs.* and the rest of that condition's fields.
TEST(MetricPresenceTest, Google2011WithJobEvents) {
  const std::string jobs =
      SourcePath("../shared/traces/google2011/job_events-part-00000-of-00500.csv");
  ASSERT_TRUE(std::filesystem::exists(jobs)) << jobs << " (the shared traces) is absent";
  Scenario scenario = Load(SourcePath("scenarios/google2011-sample.yaml"));
  scenario.spec.trace.paths.emplace_back("job_events", std::vector<std::string>{jobs});
  scenario.spec.duration = sim::Time::Seconds(300);
  RunOptions options;
  options.write_files = false;
  options.progress.enabled = false;
  auto summary = RunScenario(scenario, options);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  ASSERT_TRUE((*summary)["trace"].contains("jobs"));
  ExpectMatchesCatalogue(*summary, results::FactsOf(scenario.spec), "google2011 + job_events");
}

// Quota and reservation fields are present per role: A has a quota (guarantee and limit), B a
// reservation; each element carries its own fields and no other's.
TEST(MetricPresenceTest, RolesWithQuotaAndReservation) {
  auto doc = LoadYamlString(R"(name: roles
duration: 2m
master:
  allocator: {name: drf-quota, quotas: {A: {guarantee: {cpus: 2}, limit: {cpus: 4}}}}
cluster:
  groups:
    - {name: m, count: 2, os: linux, resources: {cpus: 8, mem: 32GiB}, reservations: {B: {cpus: 2}}}
frameworks:
  - name: A
    workload: {initial_jobs: 20, duration: 2h, resources: {cpus: 1, mem: 1GiB}}
  - name: B
    workload: {initial_jobs: 20, duration: 2h, resources: {cpus: 1, mem: 1GiB}}
)",
                            "roles.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  auto scenario = LoadScenario(*doc);
  ASSERT_TRUE(scenario.ok()) << scenario.status().message();
  RunOptions options;
  options.write_files = false;
  options.progress.enabled = false;
  auto summary = RunScenario(*scenario, options);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  ExpectMatchesCatalogue(*summary, results::FactsOf(scenario->spec), "roles");
  std::set<std::string> paths;
  for (const auto& [path, value] : results::SummaryLeaves(*summary)) paths.insert(path);
  for (const char* want :
       {"roles[name=A].quota.at_limit_fraction", "roles[name=A].quota.guarantee_met_fraction",
        "roles[name=A].quota.limit_use.cpus", "roles[name=B].reservation.use.cpus",
        "frameworks[name=B].start_latency_s.p99"}) {
    EXPECT_TRUE(paths.contains(want)) << want;
  }
  EXPECT_FALSE(paths.contains("roles[name=B].quota.at_limit_fraction"));
  const results::CatalogueEntry* limit =
      results::FindCatalogueEntry("roles[name=A].quota.at_limit_fraction");
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->when, std::vector<results::Presence>{results::Presence::kRoleLimit});
}

// The check itself fails on a leaf the catalogue lacks, on a field whose condition does not hold
// and on a metric missing where its condition holds.
TEST(MetricPresenceTest, TheCheckCanFail) {
  const Scenario scenario = Load(SourcePath("scenarios/drf-paper.yaml"));
  const RunFacts facts = results::FactsOf(scenario.spec);
  std::ifstream in(SourcePath("tests/golden/drf-paper.summary.json"));
  const ordered_json golden = ordered_json::parse(in);
  ordered_json unknown = golden, unexpected = golden, missing = golden;
  unknown["tasks"]["not_in_catalogue"] = 1;
  unexpected["swf"] = {{"jobs", 3}};
  missing["frameworks"][1].erase("tasks_finished");
  EXPECT_NONFATAL_FAILURE(ExpectMatchesCatalogue(unknown, facts, ""),
                          "tasks.not_in_catalogue is not in the metric catalogue");
  EXPECT_NONFATAL_FAILURE(ExpectMatchesCatalogue(unexpected, facts, ""),
                          "swf.jobs present, but its condition does not hold");
  EXPECT_NONFATAL_FAILURE(ExpectMatchesCatalogue(missing, facts, ""),
                          "frameworks[name=B].tasks_finished absent, but its condition holds");
}

}  // namespace
}  // namespace clustersim::apps
