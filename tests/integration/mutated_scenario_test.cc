// Damaged scenarios through the real binary (ScenarioMutator on ScenarioGenerator's documents):
// whatever a user gets wrong, `validate` answers with exit 0, or exit 2 and one located line per
// error; a scenario it accepts runs under `--check-invariants` to exit 0, or to exit 2 with a
// message — never a crash, an abort on an invariant (user input must not be able to trip one) or
// a hang.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.h"
#include "scenario_generator.h"
#include "scenario_mutator.h"

namespace clustersim::test {
namespace {

constexpr unsigned kTimeLimitS = 60;
constexpr double kMaxTasks = 2e4;
constexpr double kMaxCheckedAgents = 200;
// A cluster scaled to 10^5 agents and more runs this many agent-seconds: each agent's offers and
// declines are linear work (10^6 agents offer ~250k times a simulated second, ~1 s of wall time;
// with a reservation on every agent, its part goes to one more framework: ~500k offers and
// ~2.5 s), while the stalls this hunt exists to find (seeds 37252, 39210: a list of all agents
// scanned per agent; 125888: agents with reservations never settling idle, every cycle visiting
// all of them) show within seconds of such a run. So its duration (and a recorded trace's, which
// ends such a replay) is set to 10^7 / agents seconds. A monolithic or shared-state scheduler
// shows every job attempt the whole cell (O(agents) per attempt, by design): 10^6 agents run ~5
// wall seconds a simulated second, so those get 2*10^6; so does a cell with an external policy,
// a Python process that reads every offer (~20 µs each: 10^6 agents took 8 wall seconds a
// simulated second, three quarters of it in Python; seed 130278).
constexpr double kHugeClusterAgents = 1e5;
constexpr double kMaxAgentSeconds = 1e7;
constexpr double kMaxAgentSecondsSlow = 2e6;

// Every line of stderr is a warning or names the scenario file (file:line:col: ...), apart from
// the run-time failures that have no place in it.
void ExpectLocatedErrors(const std::string& err, const std::string& file) {
  std::istringstream lines(err);
  int errors = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.find(": warning: ") != std::string::npos) continue;
    ++errors;
    EXPECT_EQ(line.rfind("clustersim: " + file + ":", 0), 0u) << line;
  }
  EXPECT_EQ(errors, 1) << err;
}

class MutatedScenarioTest : public ::testing::TestWithParam<int> {};

TEST_P(MutatedScenarioTest, IsRefusedWithALocatedErrorOrRunsChecked) {
  const uint64_t seed = static_cast<uint64_t>(GetParam());
  ScenarioGenerator generator(seed, SourcePath("python/examples"));
  std::vector<std::string> log;
  const int mutations = 1 + static_cast<int>(seed % 3);
  const bool numbers_only = seed % 2 == 1;
  const std::string yaml =
      ScenarioMutator(seed).Mutate(generator.Yaml(), mutations, log, numbers_only);
  const std::string dir = TempDir("mutated-scenario-" + std::to_string(seed));
  const std::string file = dir + "/scenario.yaml";
  WriteFile(file, yaml);
  for (const auto& [name, text] : generator.Files()) WriteFile(dir + "/" + name, text);
  std::string what;
  for (const std::string& change : log) what += "  " + change + "\n";
  SCOPED_TRACE("seed " + std::to_string(seed) + ", changes:\n" + what + yaml);

  const CliResult validate = RunCli({"validate", file}, kTimeLimitS);
  ASSERT_TRUE(validate.exit_code == 0 || validate.exit_code == 2)
      << "exit " << validate.exit_code << "\n"
      << validate.err;
  if (validate.exit_code == 2) {
    ExpectLocatedErrors(validate.err, file);
    return;
  }
  // A valid scenario scaled far up (a million initial jobs) is a long run, not a defect: what
  // validate estimates bounds what is run here, and the whole-cluster checks after every event
  // are for small cells.
  // (A trace's own tasks are not estimated: "tasks from the trace", no "about".)
  const size_t about = validate.out.find("about "), open = validate.out.find(": ok (");
  ASSERT_NE(open, std::string::npos) << validate.out;
  if (about != std::string::npos && std::atof(validate.out.c_str() + about + 6) > kMaxTasks) return;
  std::vector<std::string> args = {"run", file, "--out", dir + "/out", "--quiet"};
  const double agents = std::atof(validate.out.c_str() + open + 6);
  if (agents <= kMaxCheckedAgents) args.push_back("--check-invariants");
  if (agents >= kHugeClusterAgents) {
    args.push_back("--set");
    const bool slow_per_agent = yaml.find("architecture: monolithic") != std::string::npos ||
                                yaml.find("architecture: shared-state") != std::string::npos ||
                                yaml.find("external:") != std::string::npos;
    const double bound = slow_per_agent ? kMaxAgentSecondsSlow : kMaxAgentSeconds;
    const int64_t seconds = std::max<int64_t>(1, static_cast<int64_t>(bound / agents));
    args.push_back(fmt::format("duration={}s", seconds));
    if (yaml.find("mode: recorded") != std::string::npos) {
      args.insert(args.end(), {"--set", fmt::format("trace.duration={}s", seconds)});
    }
  }
  const CliResult run = RunCli(args, kTimeLimitS);
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 2) << "exit " << run.exit_code << "\n"
                                                        << run.err;
  EXPECT_EQ(run.err.find("invariant violated"), std::string::npos) << run.err;
}

// Seeds beyond the first 64 that found a bug, kept as regressions: an image listing a layer twice
// (4218, 5964) aborted on the image store's pin count, a trace machine_size of 1.6e16 cpus on
// the resource amounts' bound (10352).
INSTANTIATE_TEST_SUITE_P(Found, MutatedScenarioTest, ::testing::Values(4218, 5964, 10352));
INSTANTIATE_TEST_SUITE_P(Seeds, MutatedScenarioTest,
                         ::testing::Range(SeedRange("CLUSTERSIM_MUTATED_SCENARIOS", 64).first,
                                          SeedRange("CLUSTERSIM_MUTATED_SCENARIOS", 64).second +
                                              1));

// A sweep file damaged the same ways, over a generated base scenario: `sweep` refuses it with one
// located line and exit 2, or runs its cells and exits 0 or 2. Found: a cell whose axis values
// made the base scenario invalid (1e9s as its duration) was reported at the base's key only (1386).
constexpr const char* kSweep = R"(name: mutated
base: base.yaml
set:
  - results.tasks_csv=false
seeds: 2
axes:
  - path: master.allocator
    values: [drf, fifo]
  - name: lengths
    paths: [duration, results.sample_interval]
    values: [[60s, 5s], [90s, 10s]]
    labels: [short, long]
metrics: [tasks.finished, queue_delay_s.mean, utilization.cpus]
)";

class MutatedSweepTest : public ::testing::TestWithParam<int> {};

TEST_P(MutatedSweepTest, IsRefusedWithALocatedErrorOrRuns) {
  const uint64_t seed = static_cast<uint64_t>(GetParam());
  ScenarioGenerator generator(seed, SourcePath("python/examples"));
  const std::string dir = TempDir("mutated-sweep-" + std::to_string(seed));
  WriteFile(dir + "/base.yaml", generator.Yaml());
  for (const auto& [name, text] : generator.Files()) WriteFile(dir + "/" + name, text);
  std::vector<std::string> log;
  const std::string sweep = ScenarioMutator(seed).Mutate(kSweep, 1 + seed % 2, log);
  const std::string file = dir + "/sweep.yaml";
  WriteFile(file, sweep);
  std::string what;
  for (const std::string& change : log) what += "  " + change + "\n";
  SCOPED_TRACE("seed " + std::to_string(seed) + ", changes:\n" + what + sweep);
  const CliResult r =
      RunCli({"sweep", file, "--out", dir + "/out", "-j", "1", "--quiet"}, kTimeLimitS);
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 2) << "exit " << r.exit_code << "\n" << r.err;
  EXPECT_EQ(r.err.find("invariant violated"), std::string::npos) << r.err;
  if (r.exit_code == 2 && !std::filesystem::exists(dir + "/out/runs.csv")) {
    // At the sweep file, or at the base scenario with the cell and where its values were given.
    std::istringstream lines(r.err);
    int errors = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.find(": warning: ") != std::string::npos) continue;
      ++errors;
      EXPECT_TRUE(line.rfind("clustersim: " + file + ":", 0) == 0 ||
                  (line.rfind("clustersim: " + dir + "/base.yaml:", 0) == 0 &&
                   line.find("[in cell ") != std::string::npos &&
                   line.find(file + ":") != std::string::npos))
          << line;
    }
    EXPECT_EQ(errors, 1) << r.err;
  }
}

INSTANTIATE_TEST_SUITE_P(Found, MutatedSweepTest, ::testing::Values(1385, 1386));
INSTANTIATE_TEST_SUITE_P(Seeds, MutatedSweepTest,
                         ::testing::Range(SeedRange("CLUSTERSIM_MUTATED_SWEEPS", 24).first,
                                          SeedRange("CLUSTERSIM_MUTATED_SWEEPS", 24).second + 1));

// The mutator must damage: most of its documents differ from the input and some are refused.
TEST(ScenarioMutatorTest, SameSeedSameDamage) {
  const std::string yaml = ScenarioGenerator(3).Yaml();
  std::vector<std::string> log_a, log_b;
  EXPECT_EQ(ScenarioMutator(5).Mutate(yaml, 2, log_a), ScenarioMutator(5).Mutate(yaml, 2, log_b));
  EXPECT_EQ(log_a, log_b);
  EXPECT_EQ(log_a.size(), 2u);
  int changed = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::vector<std::string> log;
    const std::string clean = ScenarioMutator(seed).Mutate(yaml, 0, log);
    if (ScenarioMutator(seed).Mutate(yaml, 1, log) != clean) ++changed;
  }
  EXPECT_GE(changed, 15);
}

}  // namespace
}  // namespace clustersim::test
