// frameworks[].roles and frameworks[].min_allocatable through the scenario loader: the spec they
// make and their located errors (file:line:col and key path).
#include <gtest/gtest.h>

#include <string>

#include "apps/scenario.h"
#include "scheduler_plugins/builtin.h"
#include "sim/check.h"

namespace clustersim::apps {
namespace {

// The framework's mapping is on line 8, from column 5.
std::string Yaml(const std::string& framework_keys) {
  return "name: r\n"
         "duration: 10m\n"
         "cluster:\n"
         "  groups:\n"
         "    - {name: linux, count: 2, os: linux, resources: {cpus: 8, mem: 16GiB}}\n"
         "frameworks:\n"
         "  - {name: other, role: web, weight: 2}\n"
         "  - {name: f, " +
         framework_keys + "}\n";
}

sim::Result<Scenario> Load(const std::string& framework_keys) {
  SIM_CHECK(plugins::RegisterBuiltinPolicies().ok());
  auto doc = LoadYamlString(Yaml(framework_keys), "r.yaml");
  SIM_CHECK(doc.ok());
  return LoadScenario(*doc);
}

void ExpectError(const std::string& keys, const std::string& where, const std::string& what) {
  auto s = Load(keys);
  ASSERT_FALSE(s.ok()) << keys;
  EXPECT_NE(s.status().message().find("r.yaml:" + where), std::string::npos)
      << s.status().message();
  EXPECT_NE(s.status().message().find(what), std::string::npos) << s.status().message();
}

TEST(FrameworkRolesConfigTest, RolesMakeAMultiRoleFramework) {
  auto s = Load("roles: [web, eng/batch], weight: 2");
  ASSERT_TRUE(s.ok()) << s.status().message();
  const models::FrameworkSpec& f = s->spec.frameworks[1];
  EXPECT_EQ(f.roles, (std::vector<std::string>{"web", "eng/batch"}));
  EXPECT_EQ(f.role, "web");
  EXPECT_EQ(f.Roles(), f.roles);
  EXPECT_EQ(s->spec.master.role_weights.at("eng/batch"), 2);
  EXPECT_TRUE(f.min_allocatable.empty());
  // One role: `roles` empty, Roles() is {role}.
  EXPECT_TRUE(s->spec.frameworks[0].roles.empty());
  EXPECT_EQ(s->spec.frameworks[0].Roles(), std::vector<std::string>{"web"});
}

TEST(FrameworkRolesConfigTest, RoleErrorsAreLocated) {
  ExpectError("role: a, roles: [b]", "8:24", "frameworks[1].roles: give either role or roles");
  ExpectError("roles: []", "8:15", "frameworks[1].roles: expected roles: a non-empty list");
  ExpectError("roles: [a, a]", "8:26", "frameworks[1].roles[1]: role 'a' is listed twice");
  ExpectError("roles: [a, 'b/../c']", "8:26", "frameworks[1].roles[1]: role 'b/../c'");
  // Weight sugar applies to every role, and must agree with the role's other frameworks.
  ExpectError("roles: [a, web], weight: 3", "8:40", "role 'web' already has weight 2");
}

TEST(FrameworkRolesConfigTest, MinAllocatableForEveryRoleOrByRole) {
  auto s = Load("roles: [a, b], min_allocatable: [{cpus: 1, mem: 1GiB}, {gpus: 1}]");
  ASSERT_TRUE(s.ok()) << s.status().message();
  const auto& every = s->spec.frameworks[1].min_allocatable;
  ASSERT_EQ(every.size(), 2u);
  ASSERT_EQ(every.at("a").size(), 2u);
  EXPECT_EQ(every.at("a")[0], plugins::Resources::Of(1, 1024));
  EXPECT_EQ(every.at("b"), every.at("a"));
  s = Load("roles: [a, b], min_allocatable: {b: [{cpus: 2}]}");
  ASSERT_TRUE(s.ok()) << s.status().message();
  const auto& by_role = s->spec.frameworks[1].min_allocatable;
  ASSERT_EQ(by_role.size(), 1u);
  EXPECT_EQ(by_role.at("b")[0], plugins::Resources::Of(2, 0));
  // Mesos's empty list: any offer is worth making (hierarchical.cpp:2835-2840).
  s = Load("roles: [a, b], min_allocatable: {a: []}");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->spec.frameworks[1].min_allocatable.size(), 1u);
  EXPECT_TRUE(s->spec.frameworks[1].min_allocatable.at("a").empty());
}

TEST(FrameworkRolesConfigTest, MinAllocatableErrorsAreLocated) {
  ExpectError("min_allocatable: [{cpus: 0}]", "8:33",
              "frameworks[1].min_allocatable[0]: a quantity must name some resource above zero");
  ExpectError("min_allocatable: 3", "8:32",
              "frameworks[1].min_allocatable: expected a list of quantities");
  ExpectError("roles: [a], min_allocatable: {c: [{cpus: 1}]}", "8:45",
              "frameworks[1].min_allocatable.c: 'c' is not a role of framework 'f'");
}

}  // namespace
}  // namespace clustersim::apps
