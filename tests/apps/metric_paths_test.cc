// apps/run_metrics: the metric paths compare and sweep take, checked against the catalogue, and
// their look-up in a summary (list elements by name, null as missing).
#include <gtest/gtest.h>

#include <cmath>

#include "apps/run_metrics.h"
#include "results/metric_catalogue.h"

namespace clustersim::apps {
namespace {

const auto kSummary = nlohmann::ordered_json::parse(R"({
  "tasks": {"finished": 12},
  "start_latency_s": {"by_os": {"windows": {"p99": null}}},
  "frameworks": [{"name": "web", "tasks_finished": 3}, {"name": "a.b", "tasks_finished": 4}],
  "run": {"wall_seconds": 0.5}
})");

double Lookup(std::string_view path) {
  auto m = ParseMetricPath(path);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? LookupMetric(kSummary, *m) : NAN;
}

TEST(MetricPathsTest, ListElementsAreAddressedByName) {
  EXPECT_EQ(Lookup("tasks.finished"), 12);
  EXPECT_EQ(Lookup("frameworks[name=web].tasks_finished"), 3);
  EXPECT_EQ(Lookup("frameworks[name=a.b].tasks_finished"), 4);  // a name may hold a dot
  EXPECT_TRUE(std::isnan(Lookup("frameworks[name=db].tasks_finished")));
  auto m = ParseMetricPath("frameworks[name=web].tasks_finished");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->name, "frameworks[name=web].tasks_finished");
  ASSERT_EQ(m->steps.size(), 2u);
  EXPECT_EQ(m->steps[0].element, "web");
}

TEST(MetricPathsTest, NullAndAbsentAreMissing) {
  EXPECT_TRUE(std::isnan(Lookup("start_latency_s.by_os.windows.p99")));  // an empty statistic
  EXPECT_TRUE(std::isnan(Lookup("queue_delay_s.mean")));                 // absent
}

// A sparse entry is written only when not 0: absent, it is 0 in a sweep's columns (a sweep over
// drain.prepull showed "n/a" for the runs that pre-pulled nothing).
TEST(MetricPathsTest, AnAbsentSparseEntryIsZero) {
  EXPECT_EQ(Lookup("pulls.prepulled_images"), 0);
  EXPECT_EQ(Lookup("tasks.by_reason.failed.executor_registration_timeout"), 0);
  EXPECT_TRUE(std::isnan(Lookup("pulls.discarded_mib")));  // not sparse: absent is missing
}

TEST(MetricPathsTest, AnUnknownMetricNamesTheClosestCatalogueOnes) {
  auto m = ParseMetricPath("start_latency_s.by_os.windows.p999");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("not in the metric catalogue"), std::string::npos);
  EXPECT_NE(m.status().message().find("closest: start_latency_s.by_os.windows.p99"),
            std::string::npos)
      << m.status().message();
  // The old compare.csv column names are not paths.
  EXPECT_FALSE(ParseMetricPath("start_p99_windows_s").ok());
}

TEST(MetricPathsTest, MalformedPathsLabelsAndTheRunObjectAreRefused) {
  for (const char* bad :
       {"", "tasks..finished", "frameworks[web].tasks_finished", "frameworks[name=].tasks_finished",
        "frameworks[name=web]tasks_finished", "frameworks[name=web"}) {
    EXPECT_FALSE(ParseMetricPath(bad).ok()) << bad;
  }
  auto label = ParseMetricPath("queue_delay_s.quantile_method");
  ASSERT_FALSE(label.ok());
  EXPECT_NE(label.status().message().find("is a label"), std::string::npos);
  EXPECT_FALSE(ParseMetricPath("cdf.start_latency_s.windows").ok());  // a list of numbers
  auto run = ParseMetricPath("run.wall_seconds");
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.status().message().find("not deterministic"), std::string::npos);
}

TEST(MetricPathsTest, DefaultMetricsAreCatalogueMetricsNamedByTheirPath) {
  for (const MetricPath& m : DefaultMetrics()) {
    const results::CatalogueEntry* e = results::FindCatalogueEntry(m.name);
    ASSERT_NE(e, nullptr) << m.name;
    EXPECT_EQ(e->kind, results::FieldKind::kMetric) << m.name;
    auto parsed = ParseMetricPath(m.name);
    ASSERT_TRUE(parsed.ok()) << m.name;
    EXPECT_EQ(parsed->steps.size(), m.steps.size());
  }
  EXPECT_EQ(LegacyColumnNames(DefaultMetrics()[6]),
            (std::vector<std::string>{"start_latency_s_by_os_windows_p99", "start_p99_windows_s"}));
  EXPECT_EQ(LegacyColumnNames(DefaultMetrics()[10]), std::vector<std::string>{"fairness_jain"});
  EXPECT_EQ(LegacyColumnNames(*ParseMetricPath("swf.mean_wait_s")),
            std::vector<std::string>{"swf_mean_wait_s"});
}

TEST(MetricPathsTest, TimingComesFromTheRunObject) {
  EXPECT_EQ(LookupTiming(kSummary, "wall_seconds"), 0.5);
  EXPECT_TRUE(std::isnan(LookupTiming(kSummary, "events_per_second")));
}

}  // namespace
}  // namespace clustersim::apps
