// trace.map_to_frameworks: the rules every trace format shares, and which format supports which.
#include "models/workload/framework_mapping.h"

#include <gtest/gtest.h>

#include <memory>

#include "models/workload/csv/csv_format.h"

namespace clustersim::models {
namespace {

using By = FrameworkMapping::By;

FrameworkMapping Rule(By by, std::vector<int> edges = {}) {
  FrameworkMapping m;
  m.by = by;
  m.priority_edges = std::move(edges);
  return m;
}

TraceJobKeys User(std::string_view user) { return TraceJobKeys{user, std::nullopt, -1, -1}; }

TEST(FrameworkMappingTest, AllGoesToTheFirstFramework) {
  EXPECT_EQ(MapToFramework(Rule(By::kAll), 4, TraceJobKeys{"a", 7, 3, 11}), 0u);
}

TEST(FrameworkMappingTest, UsersHashWithFnv1a) {
  // FNV-1a 64 test vectors: "" -> cbf29ce484222325, "a" -> af63dc4c8601ec8c,
  // "foobar" -> 85944171f73967e8; modulo 3 they are 2, 1 and 0, modulo 4 they are 1, 0 and 0.
  const FrameworkMapping m = Rule(By::kUser);
  EXPECT_EQ(MapToFramework(m, 3, User("")), 2u);
  EXPECT_EQ(MapToFramework(m, 3, User("a")), 1u);
  EXPECT_EQ(MapToFramework(m, 3, User("foobar")), 0u);
  EXPECT_EQ(MapToFramework(m, 4, User("")), 1u);
  EXPECT_EQ(MapToFramework(m, 4, User("a")), 0u);
  EXPECT_EQ(MapToFramework(m, 1, User("foobar")), 0u);
}

TEST(FrameworkMappingTest, NumericUserIdsGoByModuloAndUnknownToTheFirst) {
  const FrameworkMapping m = Rule(By::kUser);
  TraceJobKeys k;
  k.user = "ignored when an id is given";
  for (auto [id, want] : {std::pair<int64_t, uint32_t>{7, 1}, {9, 0}, {3, 0}, {-1, 0}, {0, 0}}) {
    k.user_id = id;
    EXPECT_EQ(MapToFramework(m, 3, k), want) << "user " << id;
  }
}

TEST(FrameworkMappingTest, SchedulingClassesAreCappedAtTheLastFramework) {
  const FrameworkMapping m = Rule(By::kSchedulingClass);
  auto map = [&](int c) { return MapToFramework(m, 3, TraceJobKeys{"", std::nullopt, c, -1}); };
  EXPECT_EQ(map(-1), 0u);  // missing
  EXPECT_EQ(map(0), 0u);
  EXPECT_EQ(map(1), 1u);
  EXPECT_EQ(map(2), 2u);
  EXPECT_EQ(map(3), 2u);
}

TEST(FrameworkMappingTest, PriorityBandsSplitAtTheEdges) {
  // Edges {2, 9}: band 0 is priorities 0-1 (free), band 1 2-8, band 2 9-11 (production).
  const FrameworkMapping m = Rule(By::kPriorityBand, {2, 9});
  auto map = [&](int p, size_t n) {
    return MapToFramework(m, n, TraceJobKeys{"", std::nullopt, -1, p});
  };
  EXPECT_EQ(map(-1, 3), 0u);
  EXPECT_EQ(map(0, 3), 0u);
  EXPECT_EQ(map(1, 3), 0u);
  EXPECT_EQ(map(2, 3), 1u);
  EXPECT_EQ(map(8, 3), 1u);
  EXPECT_EQ(map(9, 3), 2u);
  EXPECT_EQ(map(11, 3), 2u);
  EXPECT_EQ(map(11, 2), 1u);  // fewer frameworks than bands: the last takes the rest
}

TraceSpec Trace(std::string format, By by) {
  TraceSpec t;
  t.format = format;
  t.map.by = by;
  return t;
}

TEST(FrameworkMappingTest, EachFormatSupportsTheRulesItHasFieldsFor) {
  for (By by : {By::kAll, By::kUser, By::kSchedulingClass, By::kPriorityBand}) {
    EXPECT_TRUE(CheckMappingFits(Trace("google2011", by)).ok());
  }
  EXPECT_TRUE(CheckMappingFits(Trace("swf", By::kUser)).ok());
  EXPECT_EQ(CheckMappingFits(Trace("swf", By::kPriorityBand)).message(),
            "trace format swf cannot map jobs by 'priority_band' (SWF logs have a user id (field "
            "12) but no scheduling class or priority); it supports: all, user");
  EXPECT_TRUE(CheckMappingFits(Trace("alibaba2018", By::kAll)).ok());
  EXPECT_EQ(CheckMappingFits(Trace("alibaba2018", By::kUser)).message(),
            "trace format alibaba2018 cannot map jobs by 'user' (batch_task rows give a job name "
            "and a task type but no user, scheduling class or priority); it supports: all");
  EXPECT_FALSE(CheckMappingFits(Trace("alibaba2017", By::kSchedulingClass)).ok());
}

TEST(FrameworkMappingTest, CsvSupportsARuleWhenItsColumnIsNamed) {
  TraceSpec t = Trace("csv", By::kSchedulingClass);
  auto csv = std::make_shared<CsvOptions>();
  csv->columns = {{"submit_time", 0}, {"duration", 1}, {"cpus", 2}, {"user", 3}};
  t.options = csv;
  EXPECT_EQ(CheckMappingFits(t).message(),
            "trace format csv maps jobs by 'scheduling_class' only with a 'scheduling_class' "
            "column in trace.columns; with these columns it supports: all, user");
  t.map.by = By::kUser;
  EXPECT_TRUE(CheckMappingFits(t).ok());
  t.map.by = By::kPriorityBand;
  EXPECT_FALSE(CheckMappingFits(t).ok());
  csv->columns.emplace_back("priority", 4);
  EXPECT_TRUE(CheckMappingFits(t).ok());
}

}  // namespace
}  // namespace clustersim::models
