// Out-of-tree policy plugins loaded into the real binary with --plugin, and the scenario keys of
// the allocator and placement policies (policy parameters, reservations) end to end.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using nlohmann::json;

const std::string kPlugin = std::string(CLUSTERSIM_PLUGIN_DIR) + "/libclustersim_example_plugin.so";
const std::string kNotAPlugin =
    std::string(CLUSTERSIM_PLUGIN_DIR) + "/libclustersim_not_a_plugin.so";

// Four agents, one framework with a backlog of short tasks; allocator and placement filled in.
std::string Scenario(const std::string& allocator, const std::string& placement) {
  return R"(name: plugin-test
seed: 3
duration: 10m
master: {allocator: )" +
         allocator + R"(}
images:
  - {name: app, os: linux, layers: [{digest: app, download: 100MB}]}
cluster:
  groups:
    - {name: node, count: 4, os: linux, resources: {cpus: 8, mem: 16GiB}}
frameworks:
  - name: jobs
    placement: )" +
         placement + R"(
    workload:
      arrival: poisson
      rate: 1/s
      tasks_per_job: 4
      duration: {dist: exponential, mean: 60s}
      resources: {cpus: 1, mem: 1GiB}
      images: [app]
  - name: other
    workload:
      initial_jobs: 10
      duration: 30s
      resources: {cpus: 2, mem: 2GiB}
      images: [app]
)";
}

std::string Write(const std::string& dir, const std::string& text) {
  const std::string path = dir + "/scenario.yaml";
  WriteFile(path, text);
  return path;
}

TEST(PluginTest, PoliciesListsTheExamplePlugin) {
  const CliResult r = RunCli({"--plugin", kPlugin, "policies"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("example-lifo"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("example-random-fit"), std::string::npos) << r.out;
  // Built-ins are still there.
  EXPECT_NE(r.out.find("min-cost-flow"), std::string::npos) << r.out;
  // After the subcommand too.
  const CliResult after = RunCli({"policies", "--plugin", kPlugin});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_NE(after.out.find("example-lifo"), std::string::npos);
}

TEST(PluginTest, ARunWithThePluginsPoliciesWorksAndChangesResults) {
  const std::string dir = TempDir("plugin-run");
  const std::string with =
      Write(dir, Scenario("example-lifo", "{name: example-random-fit, candidates: 4}"));
  const CliResult r = RunCli(
      {"run", with, "--plugin", kPlugin, "--out", dir + "/with", "--quiet", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = json::parse(ReadFile(dir + "/with/summary.json"));
  EXPECT_GT(s["tasks"]["finished"].get<uint64_t>(), 100u);
  EXPECT_TRUE(s["run"].contains("policy_cpu_us_per_round"));

  const std::string dir2 = TempDir("plugin-run-ff");
  const std::string without = Write(dir2, Scenario("drf", "first-fit"));
  const CliResult r2 = RunCli({"run", without, "--out", dir2 + "/out", "--quiet", "--no-progress"});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  // Random placement spreads tasks that first-fit packs: the task logs differ.
  EXPECT_NE(ReadFile(dir + "/with/tasks.csv"), ReadFile(dir2 + "/out/tasks.csv"));
}

TEST(PluginTest, WithoutThePluginItsPolicyNamesAreUnknown) {
  const std::string dir = TempDir("plugin-missing");
  const std::string path = Write(dir, Scenario("example-lifo", "first-fit"));
  const CliResult r = RunCli({"validate", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("example-lifo"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("drf"), std::string::npos) << r.err;  // lists the valid ones
}

TEST(PluginTest, BadPathIsAClearError) {
  const CliResult r = RunCli({"--plugin", "/no/such/libnothing.so", "policies"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/no/such/libnothing.so"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no such file"), std::string::npos) << r.err;
  // A file that is not a shared object.
  const std::string dir = TempDir("plugin-bad");
  WriteFile(dir + "/junk.so", "not an ELF file");
  const CliResult junk = RunCli({"--plugin", dir + "/junk.so", "policies"});
  EXPECT_EQ(junk.exit_code, 2);
  EXPECT_NE(junk.err.find("cannot load"), std::string::npos) << junk.err;
}

TEST(PluginTest, MissingEntryPointIsAClearError) {
  const CliResult r = RunCli({"--plugin", kNotAPlugin, "policies"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("clustersim_register_plugins"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not a clustersim plugin"), std::string::npos) << r.err;
}

// Plugin API version 10 (session 25: AllocatorPolicy::AllocatorRestarted at a master failover)
// refuses a .so built for 9.
TEST(PluginTest, APluginBuiltForThePreviousVersionIsRefusedWithAClearMessage) {
  const CliResult r = RunCli(
      {"--plugin", std::string(CLUSTERSIM_PLUGIN_DIR) + "/libclustersim_old_version_plugin.so",
       "policies"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("built for another plugin API version (this clustersim has version 10)"),
            std::string::npos)
      << r.err;
}

TEST(PluginTest, LoadingThePluginTwiceIsADuplicateNameError) {
  const CliResult r = RunCli({"--plugin", kPlugin, "--plugin", kPlugin, "policies"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("registration failed"), std::string::npos) << r.err;
}

// --- Policy parameters and reservations through the scenario ------------------------------------

TEST(PolicyScenarioTest, PolicyParametersAreValidatedWithTheirPosition) {
  const std::string dir = TempDir("policy-params");
  const std::string ok =
      Write(dir, Scenario("{name: drf-quota, quotas: {jobs: {guarantee: {cpus: 8, mem: 8GiB}, "
                          "limit: {cpus: 24}}}}",
                          "{name: min-cost-flow, load_cost_s: 5}"));
  const CliResult good = RunCli({"run", ok, "--out", dir + "/out", "--quiet", "--no-progress"});
  EXPECT_EQ(good.exit_code, 0) << good.err;

  const std::string typo = Write(
      dir, Scenario("{name: drf-quota, quotas: {jobs: {guarantee: {cpus: 8}, limt: {cpus: 4}}}}",
                    "first-fit"));
  const CliResult bad = RunCli({"validate", typo});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("limt"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("master.allocator.quotas.jobs"), std::string::npos) << bad.err;

  const std::string below = Write(
      dir, Scenario("{name: drf-quota, quotas: {jobs: {guarantee: {cpus: 8}, limit: {cpus: 4}}}}",
                    "first-fit"));
  const CliResult low = RunCli({"validate", below});
  EXPECT_EQ(low.exit_code, 2);
  EXPECT_NE(low.err.find("at least the guarantee"), std::string::npos) << low.err;

  const std::string prio =
      Write(dir, Scenario("{name: priority, priorities: {jobs: 2, other: 1}}", "{name: tetris}"));
  EXPECT_EQ(RunCli({"validate", prio}).exit_code, 0);
}

// master.quotas: Mesos's quota under any allocator; top-level roles only (Mesos 1.11's quota
// handler); drf-quota's legacy `quotas` feed it, so naming quotas in both places is an error.
TEST(PolicyScenarioTest, MasterQuotasAreTopLevelAndNotSetTwice) {
  const std::string dir = TempDir("master-quotas");
  const std::string ok = Write(
      dir, Scenario("drf, quotas: {jobs: {guarantee: {cpus: 8, mem: 8GiB}, limit: {cpus: 24}}}",
                    "first-fit"));
  const CliResult good = RunCli({"run", ok, "--out", dir + "/out", "--quiet", "--no-progress"});
  EXPECT_EQ(good.exit_code, 0) << good.err;

  const std::string nested =
      Write(dir, Scenario("drf, quotas: {jobs/web: {guarantee: {cpus: 8}}}", "first-fit"));
  const CliResult n = RunCli({"validate", nested});
  EXPECT_EQ(n.exit_code, 2);
  EXPECT_NE(n.err.find("master.quotas.jobs/web"), std::string::npos) << n.err;
  EXPECT_NE(n.err.find("top-level role"), std::string::npos) << n.err;

  const std::string both =
      Write(dir, Scenario("{name: drf-quota, quotas: {jobs: {guarantee: {cpus: 8}}}}, "
                          "quotas: {other: {guarantee: {cpus: 1}}}",
                          "first-fit"));
  const CliResult b = RunCli({"validate", both});
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find("master.allocator.quotas"), std::string::npos) << b.err;
  EXPECT_NE(b.err.find("master.quotas only"), std::string::npos) << b.err;
}

TEST(PolicyScenarioTest, ReservationsAreDeclaredPerGroupAndChecked) {
  const std::string dir = TempDir("reservations");
  std::string text = Scenario("drf", "first-fit");
  const std::string group = "resources: {cpus: 8, mem: 16GiB}}";
  text.replace(text.find(group), group.size(),
               "resources: {cpus: 8, mem: 16GiB}, reservations: {other: {cpus: 2, mem: 4GiB}}}");
  const std::string ok = Write(dir, text);
  const CliResult r = RunCli({"run", ok, "--out", dir + "/out", "--quiet", "--no-progress"});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  std::string too_much = Scenario("drf", "first-fit");
  too_much.replace(too_much.find(group), group.size(),
                   "resources: {cpus: 8, mem: 16GiB}, reservations: {other: {cpus: 9}}}");
  const CliResult bad = RunCli({"validate", Write(dir, too_much)});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("exceed"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace clustersim::test
