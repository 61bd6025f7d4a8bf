// Hostile scenario input through the real binary (issue 12): extreme numbers, overflowing sums,
// infinities, tiny intervals, huge counts, invalid UTF-8 and path tricks. Each case must either
// exit 2 with one line naming FILE:LINE:COL, or run to a sane end within kTimeLimitS — never abort
// (134), crash (139) or hang. Each case is a one-line edit of tests/hostile/base.yaml.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

constexpr unsigned kTimeLimitS = 20;

// The scenario every case edits (it runs cleanly as it is).
const std::string& Base() {
  static const std::string base = ReadFile(SourcePath("tests/hostile/base.yaml"));
  return base;
}

struct Case {
  std::string label;
  std::string from;  // text of the base scenario to replace (must occur)
  std::string to;
  std::string expected;  // a substring of the error line; empty: the run must succeed
  std::vector<std::string> extra_args = {};
  // For a run that must succeed: summary.json values (JSON pointer, value as JSON text).
  std::vector<std::pair<std::string, std::string>> summary = {};
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

class HostileInputTest : public ::testing::TestWithParam<Case> {};

TEST_P(HostileInputTest, ExitsTwoWithALocatedLineOrRunsSanely) {
  const Case& c = GetParam();
  std::string yaml = Base();
  ASSERT_FALSE(yaml.empty());
  const size_t at = yaml.find(c.from);
  ASSERT_NE(at, std::string::npos) << c.from;
  yaml.replace(at, c.from.size(), c.to);
  const std::string dir = TempDir("hostile-" + c.label);
  const std::string file = dir + "/scenario.yaml";
  WriteFile(file, yaml);
  std::vector<std::string> args = {"run", file, "--out", dir + "/out", "--quiet"};
  args.insert(args.end(), c.extra_args.begin(), c.extra_args.end());
  const auto start = std::chrono::steady_clock::now();
  const CliResult r = RunCli(args, kTimeLimitS);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(r.exit_code, 128 + SIGALRM) << "no answer within " << kTimeLimitS << " s";
  EXPECT_NE(r.exit_code, 134) << r.err;
  EXPECT_NE(r.exit_code, 139) << r.err;
  if (c.expected.empty()) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_LT(seconds, kTimeLimitS);
    if (c.summary.empty()) return;
    const auto summary = nlohmann::json::parse(ReadFile(dir + "/out/summary.json"));
    for (const auto& [pointer, value] : c.summary) {
      EXPECT_EQ(summary.at(nlohmann::json::json_pointer(pointer)).dump(), value) << pointer;
    }
    return;
  }
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  // "clustersim: FILE:LINE:COL: ..." (or "--set ...: " for a value that came from a flag).
  const std::string located = "clustersim: " + file + ":";
  const bool from_flag = r.err.find("clustersim: --set ") == 0;
  if (!from_flag) {
    ASSERT_EQ(r.err.rfind(located, 0), 0u) << r.err;
    const std::string rest = r.err.substr(located.size());
    const size_t colon = rest.find(':');
    ASSERT_NE(colon, std::string::npos) << r.err;
    const size_t colon2 = rest.find(':', colon + 1);
    ASSERT_NE(colon2, std::string::npos) << r.err;
    EXPECT_GT(std::stoi(rest.substr(0, colon)), 0) << r.err;                       // line
    EXPECT_GT(std::stoi(rest.substr(colon + 1, colon2 - colon - 1)), 0) << r.err;  // column
  }
  EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
}

const std::string kAgentResources = "resources: {cpus: 8, mem: 16GiB}";
const std::string kTaskResources = "resources: {cpus: 1, mem: 1GiB}";

std::vector<Case> Cases() {
  return {
      // Resources past what fixed point holds, and sums past 2^63.
      {"agent_cpus_1e16", kAgentResources, "resources: {cpus: 1e16, mem: 16GiB}",
       "cluster.groups[0].resources.cpus: expected a number in [0, 4294967296], got '1e16'"},
      {"agent_cpus_1e308", kAgentResources, "resources: {cpus: 1e308, mem: 16GiB}",
       "expected a number in [0, 4294967296]"},
      {"agent_mem_1e308PiB", kAgentResources, "resources: {cpus: 8, mem: 1e308PiB}",
       "resources.mem: expected a size like 512MiB or 2GiB, got '1e308PiB' (at most 4PiB)"},
      {"task_cpus_1e16", kTaskResources, "resources: {cpus: 1e16, mem: 1GiB}",
       "workload.resources.cpus: expected a number of at most 4294967296, got '1e16'"},
      {"task_mem_1e308PiB", kTaskResources, "resources: {cpus: 1, mem: 1e308PiB}",
       "(at most 4PiB)"},
      {"reservations_9e15_twice", kAgentResources,
       "resources: {cpus: 8, mem: 16GiB}\n      reservations: {a: {cpus: 9e15}, b: {cpus: 9e15}}",
       "reservations.a.cpus: expected a number in [0, 4294967296], got '9e15'"},
      {"quota_1e308", "seed: 3",
       "seed: 3\nmaster: {allocator: {name: drf-quota, quotas: {batch: {guarantee: {cpus: "
       "1e308}}}}}",
       "quotas.batch.guarantee.cpus: expected a number in [0, 4294967296]"},
      {"mem_overhead_1e308", "seed: 3", "seed: 3\nruntime: {docker: {mem_overhead: 1e308}}",
       "runtime.docker.mem_overhead: expected a size like 512MiB or 2GiB, got '1e308' (at most "
       "4PiB)"},
      // Work that cannot finish.
      {"rate_inf", "initial_jobs: 5", "initial_jobs: 5\n      arrival: poisson\n      rate: .inf",
       "workload.rate: expected a rate"},
      {"rate_1e9", "initial_jobs: 5", "initial_jobs: 5\n      arrival: poisson\n      rate: 1e9/s",
       "workload.rate: expected a positive rate of at most 1000000/s, got '1e9/s'"},
      {"rate_times_window", "initial_jobs: 5",
       "initial_jobs: 5\n      arrival: poisson\n      rate: 1e6/s",
       "submits about 6e+08 jobs; at most 67108864"},
      {"initial_jobs_1e8", "initial_jobs: 5", "initial_jobs: 1e8",
       "workload.initial_jobs: expected an integer in [0, 67108864], got '1e8'"},
      {"live_tasks", "initial_jobs: 5\n      tasks_per_job: 2",
       "initial_jobs: 1000000\n      tasks_per_job: 1000", "at most 67108864 tasks may be live"},
      {"tasks_per_job_5e9", "tasks_per_job: 2", "tasks_per_job: 5e9",
       "workload.tasks_per_job: expected a number of at most 1000000, got '5e9'"},
      {"tasks_per_job_1e9", "tasks_per_job: 2", "tasks_per_job: 1e9", "at most 1000000"},
      {"tasks_per_job_1e308", "tasks_per_job: 2", "tasks_per_job: 1e308", "at most 1000000"},
      {"tasks_per_job_heavy_tail", "tasks_per_job: 2",
       "tasks_per_job: {dist: lognormal, median: 1, p99: 1000}", ""},
      // Infinite distribution parameters (a Distribution SIM_CHECK before).
      {"exponential_mean_inf", "duration: 1m", "duration: {dist: exponential, mean: .inf}",
       "workload.duration.mean: expected a duration"},
      {"exponential_mean_inf_word", "duration: 1m", "duration: {dist: exponential, mean: inf}",
       "workload.duration.mean: expected a finite duration, got 'inf'"},
      {"lognormal_p99_inf", "duration: 1m", "duration: {dist: lognormal, median: 1s, p99: inf}",
       "workload.duration.p99: expected a finite duration"},
      {"uniform_max_inf", "duration: 1m", "duration: {dist: uniform, min: 1s, max: .inf}",
       "workload.duration.max: expected a duration"},
      {"exponential_mem_1e308PiB", kTaskResources,
       "resources: {cpus: 1, mem: {dist: exponential, mean: 1e308PiB}}",
       "resources.mem.mean: expected a size like 512MiB or 2GiB, got '1e308PiB' (at most 4PiB)"},
      {"cpus_heavy_tail", kTaskResources,
       "resources: {cpus: {dist: lognormal, median: 1e-300, p99: 4294967296}, mem: 1GiB}", ""},
      // Invalid UTF-8 (escaped as an uncaught json type_error before).
      {"invalid_utf8", "name: batch", "name: ba\xff\xfetch", "invalid UTF-8 (byte 0xff)"},
      // Tiny intervals and huge times (hangs before).
      {"allocation_interval_1us", "seed: 3", "seed: 3\nmaster: {allocation_interval: 1us}",
       "master.allocation_interval: expected 0 or a finite duration of at least 1ms, got '1us'"},
      {"allocation_interval_0", "seed: 3", "seed: 3\nmaster: {allocation_interval: 0}", ""},
      // The one-actor cost model's flat keys (before issue 14) name the new layout.
      {"cost_model_flat_key", "seed: 3", "seed: 3\nmaster: {cost_model: {per_offer_us: 100}}",
       "master.cost_model.per_offer_us: per_offer_us moved: the cost model has two actors now"},
      {"cost_model_negative", "seed: 3",
       "seed: 3\nmaster: {cost_model: {allocator: {per_recover_us: -1}}}",
       "master.cost_model.allocator.per_recover_us: expected"},
      {"sample_interval_1us", "seed: 3", "seed: 3\nresults: {sample_interval: 1us}",
       "results.sample_interval: expected a finite duration of at least 1ms, got '1us'"},
      {"duration_9.1e12s", "duration: 10m", "duration: 9.1e12s",
       "duration: expected a duration like 250ms, 5s or 2h, got '9.1e12s' (too large: at most "
       "2^61us"},
      {"duration_many_samples", "duration: 10m", "duration: 1e9s",
       "duration / results.sample_interval is 100000000 samples; at most 10000000"},
      {"mtbf_1us", kAgentResources, kAgentResources + "\n      failures: {mtbf: 1us, mttr: 1h}",
       "failures.mtbf: expected a finite duration of at least 1s, got '1us'"},
      {"mtbf_0", kAgentResources, kAgentResources + "\n      failures: {mtbf: 0, mttr: 1h}",
       "failures.mtbf: expected a finite duration of at least 1s, got '0'"},
      {"time_to_repair_0", kAgentResources,
       kAgentResources + "\n      failures: {mtbf: 1h, time_to_repair: 0}",
       "time_to_repair must have a mean of at least 1s"},
      {"pull_bandwidth_1Bps", kAgentResources, kAgentResources + "\n      pull_bandwidth: 1B/s",
       "pull_bandwidth: expected a bandwidth in [1KiB/s, 4096TiB/s], got '1B/s'"},
      {"pull_bandwidth_1KiBps", kAgentResources, kAgentResources + "\n      pull_bandwidth: 1KiB/s",
       ""},
      // Huge counts.
      {"agents_10M", "count: 4", "count: 10000000",
       "cluster.groups[0].count: expected an integer in [0, 1048576], got '10000000'"},
      {"agents_10M_over_groups", "frameworks:",
       "    - {name: b, count: 1048573, os: linux, resources: {cpus: 1, mem: 1GiB}}\n"
       "frameworks:",
       "the groups have 1048577 agents in all; at most 1048576"},
      // Path tricks.
      {"name_dotdot", "name: hostile", "name: ../../../tmp/x",
       "name: expected a name of letters, digits, '.', '_' and '-' (it names the output folder), "
       "got '../../../tmp/x'"},
      {"name_dots_only", "name: hostile", "name: ..", "expected a name of letters"},
      // --set reaches documented defaults on a scenario without those blocks.
      // yaml-cpp's nesting limit, which it calls "bad file".
      {"nesting_3000_deep", "seed: 3",
       "seed: 3\nmaster: " + std::string(3000, '[') + std::string(3000, ']'), "nested more than"},
      // A rack value past int64 was parsed with std::stoll (an uncaught out_of_range); it is a
      // name like any other, which no agent has, so the framework's tasks stay unschedulable.
      {"rack_past_int64",
       "images: [lin]",
       "images: [lin]\n      constraints: {attributes: {rack: r99999999999999999999}}",
       "",
       {},
       {{"/tasks/submitted", "10"}, {"/tasks/by_reason/unschedulable/constraint_unmet", "10"}}},
      {"set_absent_master", "seed: 3", "seed: 3", "", {"--set", "master.allocator=fifo"}},
      {"set_absent_results", "seed: 3", "seed: 3", "", {"--set", "results.sample_interval=1m"}},
      // --set through a YAML alias renames only the copy (or the two groups' names collide).
      {"set_through_alias",
       "    - name: linux\n      count: 4\n      os: linux\n      resources: {cpus: 8, mem: "
       "16GiB}\n",
       "    - &g\n      name: linux\n      count: 4\n      os: linux\n      resources: {cpus: 8, "
       "mem: 16GiB}\n    - *g\n",
       "",
       {"--set", "cluster.groups[1].name=copy"}},
      // "Billion laughs": ten levels of ten aliases expand to 10^10 nodes; looking for aliases of
      // the node being set must not walk them all (it hung).
      {"set_beside_billion_laughs",
       kAgentResources,
       kAgentResources +
           "\n      attributes:\n        x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, "
           "lol]\n        x1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\n        x2: "
           "&a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\n        x3: &a3 [*a2, *a2, "
           "*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\n        x4: &a4 [*a3, *a3, *a3, *a3, *a3, "
           "*a3, *a3, *a3, *a3, *a3]\n        x5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, "
           "*a4, *a4]\n        x6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]\n        "
           "x7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]\n        x8: &a8 [*a7, *a7, "
           "*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]\n        x9: &a9 [*a8, *a8, *a8, *a8, *a8, "
           "*a8, *a8, *a8, *a8, *a8]",
       "attributes.x0: expected a string, got a list",
       {"--set", "cluster.groups[0].name=z"}},
      {"set_absent_bad_value",
       "seed: 3",
       "seed: 3",
       "--set master.allocation_interval=1us: ",
       {"--set", "master.allocation_interval=1us"}},
  };
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.label;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Scenario, HostileInputTest, ::testing::ValuesIn(Cases()), CaseName);

}  // namespace
}  // namespace clustersim::test
