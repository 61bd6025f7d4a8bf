// results/metric_catalogue: the one table of summary.json's fields, its look-up and presence
// rules, and results/README.md's copy of it.
#include "results/metric_catalogue.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "results/metric_catalogue_text.h"

namespace clustersim::results {
namespace {

TEST(MetricCatalogueTest, EveryEntryIsComplete) {
  std::set<std::string> paths;
  for (const CatalogueEntry& e : MetricCatalogue()) {
    EXPECT_TRUE(paths.insert(e.path).second) << "duplicate " << e.path;
    EXPECT_FALSE(e.title.empty()) << e.path;
    EXPECT_TRUE(e.meaning.ends_with(".")) << e.path << ": a sentence";
    EXPECT_FALSE(e.when.empty()) << e.path;
    if (e.kind == FieldKind::kLabel) {
      EXPECT_EQ(e.unit, "") << e.path;
    } else {
      bool known = false;
      for (const auto& [unit, label] : Units()) known |= unit == e.unit;
      EXPECT_TRUE(known) << e.path << ": unit '" << e.unit << "' is not in Units()";
    }
  }
}

TEST(MetricCatalogueTest, ConcretePathsFindTheirPattern) {
  const CatalogueEntry* fw = FindCatalogueEntry("frameworks[name=web.v2].tasks_finished");
  ASSERT_NE(fw, nullptr);
  EXPECT_EQ(fw->path, "frameworks[name=*].tasks_finished");
  EXPECT_EQ(DisplayTitle(*fw, "frameworks[name=web.v2].tasks_finished"), "Tasks finished (web.v2)");
  const CatalogueEntry* reason = FindCatalogueEntry("tasks.by_reason.failed.pull_timeout");
  ASSERT_NE(reason, nullptr);
  EXPECT_TRUE(reason->sparse);
  EXPECT_EQ(FindCatalogueEntry("tasks.by_reason.failed"), nullptr);
  EXPECT_EQ(FindCatalogueEntry("tasks.by_reason.failed.a.b"), nullptr);
  EXPECT_EQ(FindCatalogueEntry("start_latency_s.by_os.windows.p999"), nullptr);
  const CatalogueEntry* cdf = FindCatalogueEntry("cdf.start_latency_s.windows");
  ASSERT_NE(cdf, nullptr);
  EXPECT_EQ(cdf->kind, FieldKind::kSeries);
  EXPECT_EQ(ClosestCataloguePaths("start_latency_s.by_os.windows.p999", 1),
            std::vector<std::string>{"start_latency_s.by_os.windows.p99"});
}

TEST(MetricCatalogueTest, LeavesAreConcretePathsOutsideRunAndFiles) {
  const auto summary = nlohmann::ordered_json::parse(R"({
    "seed": 1, "tasks": {"finished": 2, "by_reason": {"failed": {}}},
    "frameworks": [{"name": "web", "tasks_finished": 3}], "cdf": {"q": [0, 1], "e": []},
    "files": {"tasks.csv": 10}, "run": {"wall_seconds": 1}})");
  std::vector<std::string> paths;
  for (const auto& [path, value] : SummaryLeaves(summary)) paths.push_back(path);
  EXPECT_EQ(paths,
            (std::vector<std::string>{"seed", "tasks.finished", "frameworks[name=web].name",
                                      "frameworks[name=web].tasks_finished", "cdf.q", "cdf.e"}));
}

TEST(MetricCatalogueTest, PresenceFollowsTheScenario) {
  RunFacts synthetic;
  EXPECT_TRUE(Holds(Presence::kAlways, synthetic));
  EXPECT_FALSE(Holds(Presence::kTraceReplay, synthetic));
  EXPECT_FALSE(Holds(Presence::kCostModel, synthetic));
  RunFacts google{false, "google2011", models::ReplayMode::kRecorded, {"task_events"}};
  EXPECT_TRUE(Holds(Presence::kTraceReplay, google));
  EXPECT_TRUE(Holds(Presence::kGoogle2011Recorded, google));
  EXPECT_FALSE(Holds(Presence::kGoogle2011Demand, google));
  EXPECT_FALSE(Holds(Presence::kGoogle2011JobEvents, google));
  google.tables.push_back("job_events");
  EXPECT_TRUE(Holds(Presence::kGoogle2011JobEvents, google));
  const RunFacts alibaba{false, "alibaba2018", models::ReplayMode::kDemand, {"machine_meta"}};
  EXPECT_TRUE(Holds(Presence::kAlibabaMachines, alibaba));
  EXPECT_FALSE(Holds(Presence::kAlibabaBatch, alibaba));
  const CatalogueEntry* rows = FindCatalogueEntry("trace.rows");
  ASSERT_NE(rows, nullptr);
  EXPECT_TRUE(MayBePresent(*rows, RunFacts{false, "csv", models::ReplayMode::kDemand, {}}));
  EXPECT_FALSE(MayBePresent(*rows, alibaba));
}

// results/README.md documents the catalogue once, as `clustersim metrics --markdown` prints it:
// between the two markers, byte for byte, so the two cannot drift.
TEST(MetricCatalogueTest, ReadmeTableIsTheCatalogue) {
  std::ifstream in(std::string(CLUSTERSIM_SOURCE_DIR) + "/results/README.md");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const std::string begin = "<!-- metric catalogue: begin (clustersim metrics --markdown) -->\n";
  const std::string end = "<!-- metric catalogue: end -->";
  const size_t from = readme.find(begin), to = readme.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  EXPECT_EQ(readme.substr(from + begin.size(), to - from - begin.size()), CatalogueMarkdown())
      << "regenerate the table: build/clustersim metrics --markdown";
}

TEST(MetricCatalogueTest, JsonHasEveryEntryWithItsAxisLabel) {
  const auto j = CatalogueJson();
  EXPECT_EQ(j["schema_version"], kSummarySchemaVersion);
  ASSERT_EQ(j["metrics"].size(), MetricCatalogue().size());
  const auto& first_metric = j["metrics"][3];
  EXPECT_EQ(first_metric["path"], "tasks.submitted");
  EXPECT_EQ(first_metric["axis_label"], "tasks");
  EXPECT_EQ(first_metric["present"], nlohmann::ordered_json::array({"always"}));
}

}  // namespace
}  // namespace clustersim::results
