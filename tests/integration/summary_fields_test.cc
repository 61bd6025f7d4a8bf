// summary.json's fields added for analysis (results/README.md, "summary.json"): roles[] with
// quota and reservation use, per-framework latency series and offer counts, null statistics of
// empty series, integer counters.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using json = nlohmann::ordered_json;  // keeps the key order, which one check reads

// Role A has a quota (guarantee 2 cpus, limit 4) and far more work than its limit: it sits at its
// limit. Role B has 2 cpus reserved on each of the two agents and enough work to fill them.
constexpr const char* kRolesScenario = R"(name: roles
seed: 1
duration: 10m
master:
  allocation_interval: 1s
  allocator: {name: drf-quota, quotas: {A: {guarantee: {cpus: 2}, limit: {cpus: 4}}}}
images:
  - {name: app, os: linux, layers: [{digest: app, download: 100MB, disk: 250MB}]}
cluster:
  groups:
    - name: machine
      count: 2
      os: linux
      resources: {cpus: 8, mem: 32GiB}
      reservations: {B: {cpus: 2}}
      preloaded_images: [app]
frameworks:
  - name: A
    workload: {initial_jobs: 20, duration: 2h, resources: {cpus: 1, mem: 1GiB}, images: [app]}
  - name: B
    workload: {initial_jobs: 20, duration: 2h, resources: {cpus: 1, mem: 1GiB}, images: [app]}
)";

json RunRoles() {
  const std::string dir = TempDir("summary-roles");
  WriteFile(dir + "/roles.yaml", kRolesScenario);
  const CliResult r = RunCli({"run", dir + "/roles.yaml", "--out", dir + "/out", "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(ReadFile(dir + "/out/summary.json"));
}

TEST(SummaryFieldsTest, RolesReportQuotaAndReservationUse) {
  const json s = RunRoles();
  const json& roles = s["roles"];
  ASSERT_EQ(roles.size(), 2u) << roles.dump(1);
  const json& a = roles[0];
  const json& b = roles[1];
  EXPECT_EQ(a["name"], "A");
  EXPECT_EQ(b["name"], "B");
  EXPECT_EQ(a.begin().key(), "name");
  // A: at its 4-cpu limit almost from the start; its 2-cpu guarantee met as long.
  ASSERT_TRUE(a.contains("quota")) << a.dump(1);
  EXPECT_EQ(a["quota"]["guarantee"]["cpus"].get<double>(), 2.0);
  EXPECT_EQ(a["quota"]["limit"]["cpus"].get<double>(), 4.0);
  EXPECT_FALSE(a["quota"]["limit"].contains("mem"));  // not limited
  EXPECT_GT(a["quota"]["at_limit_fraction"].get<double>(), 0.95);
  EXPECT_LE(a["quota"]["at_limit_fraction"].get<double>(), 1.0);
  EXPECT_GT(a["quota"]["guarantee_met_fraction"].get<double>(), 0.95);
  EXPECT_NEAR(a["quota"]["limit_use"]["cpus"].get<double>(), 1.0, 0.05);
  EXPECT_NEAR(a["allocated_mean"]["cpus"].get<double>(), 4.0, 0.2);
  EXPECT_FALSE(a.contains("reservation"));
  // B: 2 cpus reserved on each of two agents, and its tasks use them.
  EXPECT_FALSE(b.contains("quota"));
  ASSERT_TRUE(b.contains("reservation")) << b.dump(1);
  EXPECT_NEAR(b["reservation"]["reserved_mean"]["cpus"].get<double>(), 4.0, 1e-9);
  EXPECT_GT(b["reservation"]["use"]["cpus"].get<double>(), 0.95);
  EXPECT_FALSE(b["reservation"]["use"].contains("mem"));  // nothing of it reserved
}

TEST(SummaryFieldsTest, PerFrameworkLatencyAndNullsForEmptySeries) {
  const json s = RunRoles();
  uint64_t launched = 0;
  for (const json& fw : s["frameworks"]) {
    for (const char* key : {"queue_delay_s", "start_latency_s"}) {
      const json& q = fw[key];
      ASSERT_TRUE(q.is_object()) << fw.dump(1);
      EXPECT_EQ(q["quantile_method"], "exact");
      if (q["count"].get<uint64_t>() > 0) {
        EXPECT_TRUE(q["p99"].is_number());
      }
    }
    launched += fw["queue_delay_s"]["count"].get<uint64_t>();
  }
  // The frameworks' samples are the overall series' samples.
  EXPECT_EQ(launched, s["queue_delay_s"]["count"].get<uint64_t>());
  // No Windows task: the Windows series are empty, their statistics null (not 0).
  const json& win = s["start_latency_s"]["by_os"]["windows"];
  EXPECT_EQ(win["count"].get<uint64_t>(), 0u);
  for (const char* key : {"mean", "p50", "p95", "p99", "max"}) {
    EXPECT_TRUE(win[key].is_null()) << key << ": " << win.dump();
  }
  EXPECT_TRUE(s["job_completion_s"]["mean"].is_null());  // no job finished in 10 minutes
  // Counters are integers.
  EXPECT_TRUE(s["tasks"]["submitted"].is_number_integer());
  EXPECT_TRUE(s["offers"]["sent"].is_number_integer());
}

// Three frameworks: `fast` answers at once; `slow` takes 0.3 s per offer it holds against a 1 s
// offer timeout, so its bigger rounds are rescinded; `windows` declines every Linux agent it is
// offered. Linux agents fail now and then, which rescinds their outstanding offers too.
constexpr const char* kOffersScenario = R"(name: offer-sums
seed: 3
duration: 30m
master: {offer_timeout: 1s}
images:
  - {name: app, os: linux, layers: [{digest: app, download: 100MB, disk: 250MB}]}
  - {name: win, os: windows, version: ltsc2022, layers: [{digest: win, download: 100MB, disk: 250MB}]}
cluster:
  groups:
    - {name: linux, count: 6, os: linux, resources: {cpus: 8, mem: 32GiB}, preloaded_images: [app],
       failures: {mtbf: 10m, mttr: 2m}}
    - {name: win, count: 3, os: windows, version: ltsc2022, resources: {cpus: 8, mem: 32GiB},
       preloaded_images: [win]}
frameworks:
  - name: fast
    workload: {arrival: poisson, rate: 6/min, duration: 2m, resources: {cpus: 1, mem: 1GiB}, images: [app]}
  - name: slow
    decision_time: {per_offer: 0.3s}
    workload: {arrival: poisson, rate: 6/min, duration: 2m, resources: {cpus: 1, mem: 1GiB}, images: [app]}
  - name: windows
    workload: {arrival: poisson, rate: 10/min, duration: 3m, resources: {cpus: 1, mem: 1GiB},
               images: [win], windows_fraction: 1}
)";

// A Windows-only framework whose tasks wait for the one Windows agent, which is reserved whole for
// the Linux framework's role: it is offered only Linux agents, and declines every one.
constexpr const char* kDeclineAllScenario = R"(name: decline-all
seed: 1
duration: 10m
images:
  - {name: app, os: linux, layers: [{digest: app, download: 100MB, disk: 250MB}]}
  - {name: win, os: windows, version: ltsc2022, layers: [{digest: win, download: 100MB, disk: 250MB}]}
cluster:
  groups:
    - {name: linux, count: 2, os: linux, resources: {cpus: 8, mem: 32GiB}, preloaded_images: [app]}
    - {name: win, count: 1, os: windows, version: ltsc2022, resources: {cpus: 4, mem: 16GiB},
       reservations: {linux: {cpus: 4, mem: 16GiB}}}
frameworks:
  - name: linux-jobs
    role: linux
    workload: {initial_jobs: 4, duration: 1h, resources: {cpus: 1, mem: 1GiB}, images: [app]}
  - name: windows-jobs
    role: windows
    workload: {initial_jobs: 4, duration: 1h, resources: {cpus: 1, mem: 1GiB}, images: [win],
               windows_fraction: 1}
)";

json RunScenario(const std::string& name, const char* yaml) {
  const std::string dir = TempDir("summary-" + name);
  WriteFile(dir + "/" + name + ".yaml", yaml);
  const CliResult r = RunCli({"run", dir + "/" + name + ".yaml", "--out", dir + "/out", "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(ReadFile(dir + "/out/summary.json"));
}

TEST(SummaryFieldsTest, FrameworkOffersSumToTheGlobalCounts) {
  const json s = RunScenario("offer-sums", kOffersScenario);
  ASSERT_EQ(s["frameworks"].size(), 3u);
  // The framework's key, the global key it sums to.
  for (const auto& [key, global] : {std::pair{"received", "sent"},
                                    {"accepted", "accepted"},
                                    {"declined", "declined"},
                                    {"rescinded", "rescinded"}}) {
    uint64_t sum = 0;
    for (const json& fw : s["frameworks"]) {
      ASSERT_TRUE(fw["offers"][key].is_number_integer()) << fw["offers"].dump();
      sum += fw["offers"][key].get<uint64_t>();
    }
    const uint64_t total = s["offers"][global].get<uint64_t>();
    EXPECT_GT(total, 0u) << global << ": the scenario should exercise every count";
    EXPECT_EQ(sum, total) << key;
  }
  // Every framework answered or lost no more offers than it received.
  for (const json& fw : s["frameworks"]) {
    const json& o = fw["offers"];
    EXPECT_LE(o["accepted"].get<uint64_t>() + o["declined"].get<uint64_t>() +
                  o["rescinded"].get<uint64_t>(),
              o["received"].get<uint64_t>())
        << fw["name"];
  }
  // The slow framework's offers are the ones that time out.
  EXPECT_GT(s["frameworks"][1]["offers"]["rescinded"].get<uint64_t>(),
            s["frameworks"][0]["offers"]["rescinded"].get<uint64_t>());
}

TEST(SummaryFieldsTest, FrameworkThatDeclinesEverythingShowsIt) {
  const json s = RunScenario("decline-all", kDeclineAllScenario);
  ASSERT_EQ(s["frameworks"].size(), 2u);
  const json& linux_fw = s["frameworks"][0]["offers"];
  const json& windows_fw = s["frameworks"][1]["offers"];
  EXPECT_EQ(s["frameworks"][1]["name"], "windows-jobs");
  EXPECT_GT(windows_fw["received"].get<uint64_t>(), 10u) << windows_fw.dump();
  EXPECT_EQ(windows_fw["declined"], windows_fw["received"]);
  EXPECT_EQ(windows_fw["accepted"].get<uint64_t>(), 0u);
  EXPECT_EQ(windows_fw["rescinded"].get<uint64_t>(), 0u);
  EXPECT_GT(linux_fw["accepted"].get<uint64_t>(), 0u) << linux_fw.dump();
  EXPECT_EQ(s["frameworks"][1]["tasks_pending_at_end"].get<uint64_t>(), 4u);
}

// Agents that crash and agents cut off by partitions, under partition-aware and plain
// frameworks: every task is counted once, in a final state or as pending or running at the end
// (results/README.md, `tasks`), whatever the faults did to its attempts.
constexpr const char* kFaultsScenario = R"(name: faults
seed: 5
duration: 2h
images:
  - {name: app, os: linux, layers: [{digest: app, download: 100MB, disk: 250MB}]}
cluster:
  groups:
    - {name: crashy, count: 6, os: linux, resources: {cpus: 8, mem: 32GiB}, preloaded_images: [app],
       failures: {mtbf: 20m, mttr: 3m}}
    - {name: cut-off, count: 6, os: linux, resources: {cpus: 8, mem: 32GiB},
       preloaded_images: [app], failures: {kind: partition, mtbf: 15m, mttr: 4m}}
frameworks:
  - name: aware
    partition_aware: true
    workload: {arrival: poisson, rate: 10/min, duration: 10m, resources: {cpus: 1, mem: 1GiB},
               images: [app]}
  - name: plain
    workload: {arrival: poisson, rate: 10/min, duration: 10m, resources: {cpus: 1, mem: 1GiB},
               images: [app]}
  - name: fragile
    checkpoint: false
    max_retries: 0
    workload: {arrival: poisson, rate: 4/min, duration: 5m, resources: {cpus: 1, mem: 1GiB},
               images: [app]}
)";

TEST(TaskIdentityTest, EveryTaskCountedOnceWithAgentFaults) {
  const json s = RunScenario("faults", kFaultsScenario);
  const json& t = s["tasks"];
  auto n = [&](const char* key) { return t[key].get<uint64_t>(); };
  EXPECT_EQ(n("submitted"), n("finished") + n("failed") + n("lost") + n("unreachable") +
                                n("killed") + n("unschedulable") + n("pending_at_end") +
                                n("running_at_end"));
  for (const char* state : {"unschedulable", "failed", "lost", "unreachable", "killed"}) {
    uint64_t sum = 0;
    for (const auto& [reason, count] : t["by_reason"][state].items()) sum += count.get<uint64_t>();
    EXPECT_EQ(sum, n(state)) << state;
  }
  // The faults did happen, and were seen as Mesos would see them.
  const json& a = s["agent_faults"];
  EXPECT_GT(a["faults"].get<uint64_t>(), 20u);
  EXPECT_GT(a["unreachable"].get<uint64_t>(), 10u);
  EXPECT_GT(a["reregistered"].get<uint64_t>(), 5u);
  EXPECT_GT(n("retried_attempts"), 0u);
  EXPECT_LE(n("recovered_attempts"), n("retried_attempts"));
  EXPECT_GT(t["by_reason"]["lost"]["slave_disconnected"].get<uint64_t>(), 0u);  // fragile
}

}  // namespace
}  // namespace clustersim::test
