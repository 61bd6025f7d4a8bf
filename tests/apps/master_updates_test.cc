// master.updates through the scenario loader: role weights and quotas changed at run time
// (models/spec.h MasterUpdateSpec; Master::Start schedules them).
#include <gtest/gtest.h>

#include <string>

#include "apps/scenario.h"
#include "scheduler_plugins/builtin.h"
#include "sim/check.h"

namespace clustersim::apps {
namespace {

std::string Yaml(const std::string& updates) {
  return "name: u\n"
         "duration: 10m\n"
         "master: {allocator: drf, updates: " +
         updates +
         "}\n"
         "images:\n"
         "  - {name: lin, os: linux, layers: [{digest: l1, download: 10MB}]}\n"
         "cluster:\n"
         "  groups:\n"
         "    - {name: linux, count: 4, os: linux, resources: {cpus: 8, mem: 16GiB}}\n"
         "frameworks:\n"
         "  - {name: eng, workload: {initial_jobs: 5, resources: {cpus: 1, mem: 1GiB}}}\n";
}

sim::Result<Scenario> Load(const std::string& updates) {
  SIM_CHECK(plugins::RegisterBuiltinPolicies().ok());
  auto doc = LoadYamlString(Yaml(updates), "u.yaml");
  SIM_CHECK(doc.ok());
  return LoadScenario(*doc);
}

TEST(MasterUpdatesTest, QuotasAndWeightsAreReadInTimeOrder) {
  auto s = Load(
      "[{at: 2m, quotas: {eng: {guarantee: {cpus: 8, mem: 4GiB}, limit: {cpus: 16}}, "
      "batch: {}}}, {at: 1m, role_weights: {eng: 2}}]");
  ASSERT_TRUE(s.ok()) << s.status().message();
  const auto& updates = s->spec.master.updates;
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[0].at, sim::Time::Seconds(60));
  EXPECT_EQ(updates[0].role_weights.at("eng"), 2);
  EXPECT_TRUE(updates[0].quotas.empty());
  EXPECT_EQ(updates[1].at, sim::Time::Seconds(120));
  ASSERT_EQ(updates[1].quotas.size(), 2u);
  const plugins::RoleQuota& eng = updates[1].quotas.at("eng");
  EXPECT_EQ(eng.guarantee, plugins::Resources::Of(8, 4096));
  EXPECT_TRUE(eng.HasLimit(plugins::kCpus));
  EXPECT_FALSE(eng.HasLimit(plugins::kMem));
  EXPECT_EQ(updates[1].quotas.at("batch"), plugins::RoleQuota{});  // back to no quota
  EXPECT_TRUE(s->spec.master.quotas.empty());  // an update is not the initial quota
}

TEST(MasterUpdatesTest, QuotaErrorsNameTheirKey) {
  auto nested = Load("[{at: 1m, quotas: {eng/web: {guarantee: {cpus: 1}}}}]");
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.status().message().find("master.updates[0].quotas.eng/web"), std::string::npos)
      << nested.status().message();
  EXPECT_NE(nested.status().message().find("top-level role"), std::string::npos);

  auto below = Load("[{at: 1m, quotas: {eng: {guarantee: {cpus: 4}, limit: {cpus: 2}}}}]");
  ASSERT_FALSE(below.ok());
  EXPECT_NE(below.status().message().find("master.updates[0].quotas.eng.limit"), std::string::npos)
      << below.status().message();

  auto empty = Load("[{at: 1m}]");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("role_weights and/or quotas"), std::string::npos)
      << empty.status().message();
}

}  // namespace
}  // namespace clustersim::apps
