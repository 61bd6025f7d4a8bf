// `charge_wall_time: true` (issue 17, item 3): an external policy's answer time becomes simulated
// time — a framework's decision time, or the allocator actor's busy time under
// master.cost_model — and summary.json's run.nondeterministic says the run depends on the machine.
// Where the model has no place for it, the key is refused at load.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "external_support.h"

namespace clustersim::test {
namespace {

using json = nlohmann::ordered_json;

// The Python first-fit, 50 ms slower per round.
std::string SlowFirstFit() {
  return Script("slow_first_fit", R"(
import sys, time
sys.path.insert(0, ")" + SourcePath("python/examples") +
                                      R"(")
from first_fit import FirstFit
from clustersim import run
class Slow(FirstFit):
    def on_round(self, r):
        time.sleep(0.05)
        super().on_round(r)
run(Slow())
)");
}

json RunDefault(const std::string& name, const std::vector<std::string>& sets) {
  const std::string dir = TempDir("external-charge-" + name);
  std::vector<std::string> args = {
      "run", SourcePath("scenarios/default.yaml"), "--out", dir, "--quiet", "--set", "duration=2m"};
  for (const std::string& s : sets) args.insert(args.end(), {"--set", s});
  const CliResult r = RunCli(args, /*time_limit_s=*/120);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(ReadFile(dir + "/summary.json"));
}

// `web` answers its offers at once in default.yaml (queue delay 0); charged 50 ms and more per
// round, each of its tasks waits at least that long for its launch.
TEST(ExternalChargeTest, APlacementsWallTimeBecomesDecisionTime) {
  const std::string slow = SlowFirstFit();
  const json free = RunDefault("free", {"frameworks[0].placement=" + External({kPython, slow})});
  const json charged = RunDefault(
      "charged",
      {"frameworks[0].placement=" + External({kPython, slow}, ", charge_wall_time: true")});
  EXPECT_EQ(free["frameworks"][0]["queue_delay_s"]["mean"].get<double>(), 0.0);
  EXPECT_GE(charged["frameworks"][0]["queue_delay_s"]["p50"].get<double>(), 0.05);
  EXPECT_FALSE(free["run"].contains("nondeterministic"));
  ASSERT_EQ(charged["run"]["nondeterministic"].size(), 1u);
  EXPECT_NE(charged["run"]["nondeterministic"][0].get<std::string>().find(
                "frameworks[name=web].placement charge_wall_time"),
            std::string::npos);
}

// Under shared-state a job attempt places at its start and commits at its end: the charge
// lengthens the attempt, so web's scheduler is busy where it was not.
TEST(ExternalChargeTest, ASharedStateAttemptIsLongerByTheCharge) {
  const std::string slow = SlowFirstFit();
  const json free = RunDefault(
      "shared-free",
      {"master.architecture=shared-state", "frameworks[0].placement=" + External({kPython, slow})});
  const json charged = RunDefault(
      "shared-charged",
      {"master.architecture=shared-state",
       "frameworks[0].placement=" + External({kPython, slow}, ", charge_wall_time: true")});
  EXPECT_EQ(free["schedulers"][0]["busyness"].get<double>(), 0.0);
  EXPECT_GT(charged["schedulers"][0]["busyness"].get<double>(), 0.02);
  EXPECT_GE(charged["frameworks"][0]["queue_delay_s"]["p50"].get<double>(), 0.05);
}

// Under master.cost_model the allocator actor is busy for the answer's time too: 20 ms per cycle
// at one cycle a second is at least 2% of the run more.
TEST(ExternalChargeTest, AnAllocatorsWallTimeOccupiesTheAllocator) {
  const std::string slow = Script("slow_drf", R"(
import sys, time
sys.path.insert(0, ")" + SourcePath("python/examples") +
                                                  R"(")
from drf_allocator import Drf
from clustersim import run
class Slow(Drf):
    def on_cycle(self, c):
        time.sleep(0.02)
        super().on_cycle(c)
run(Slow())
)");
  const json free = RunDefault(
      "alloc-free", {"master.cost_model=true", "master.allocator=" + External({kPython, slow})});
  const json charged =
      RunDefault("alloc-charged",
                 {"master.cost_model=true",
                  "master.allocator=" + External({kPython, slow}, ", charge_wall_time: true")});
  const double before = free["master_cost"]["allocator_busy_fraction"].get<double>();
  const double after = charged["master_cost"]["allocator_busy_fraction"].get<double>();
  EXPECT_GE(after, before + 0.02) << before;
  ASSERT_EQ(charged["run"]["nondeterministic"].size(), 1u);
  EXPECT_NE(charged["run"]["nondeterministic"][0].get<std::string>().find("master.allocator"),
            std::string::npos);
}

TEST(ExternalChargeTest, WhereNothingCanBeChargedTheKeyIsRefused) {
  const std::string fit = SourcePath("python/examples/first_fit.py");
  const CliResult monolithic = RunCli(
      {"validate", SourcePath("scenarios/default.yaml"), "--set", "master.architecture=monolithic",
       "--set", "frameworks[1].placement=" + External({kPython, fit}, ", charge_wall_time: true")});
  EXPECT_EQ(monolithic.exit_code, 2);
  EXPECT_NE(monolithic.err.find("frameworks[1].placement.charge_wall_time"), std::string::npos)
      << monolithic.err;
  EXPECT_NE(monolithic.err.find("master.architecture: monolithic"), std::string::npos)
      << monolithic.err;
  const CliResult no_cost =
      RunCli({"validate", SourcePath("scenarios/default.yaml"), "--set",
              "master.allocator=" + External({kPython, fit}, ", charge_wall_time: true")});
  EXPECT_EQ(no_cost.exit_code, 2);
  EXPECT_NE(no_cost.err.find("master.allocator.charge_wall_time"), std::string::npos)
      << no_cost.err;
  EXPECT_NE(no_cost.err.find("needs master.cost_model"), std::string::npos) << no_cost.err;
  const CliResult typo = RunCli(
      {"validate", SourcePath("scenarios/default.yaml"), "--set",
       "frameworks[1].placement=" + External({kPython, fit}, ", charge_wall_time: yes please")});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("true or false"), std::string::npos) << typo.err;
}

}  // namespace
}  // namespace clustersim::test
