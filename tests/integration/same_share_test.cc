// Issue 14, acceptance 2, through the real binary: two frameworks at the same share that keep
// declining one agent with no filter get it in turn, as Mesos's DRF sorter does (its test
// SameShareFairness, src/tests/hierarchical_allocator_tests.cpp:1311-1360, 5 and 5 of 10;
// the tie-break is compareDRF's allocation count, sorter/drf/sorter.hpp:427-429).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/cli_runner.h"

namespace clustersim::test {
namespace {

// One Linux agent and one Windows agent that `holder`'s service task fills at t = 0. From t = 5 s
// two frameworks wait for Windows work that cannot start (no Windows room left) and are offered
// the Linux agent, which they decline with refuse_seconds: 0 (no filter). Both hold nothing, in
// roles of their own: equal shares (0) at every cycle, t = 5 .. 65 s, one a second.
std::string Scenario(const std::string& allocator) {
  return R"(name: same-share-decliners
seed: 1
duration: 65s
master:
  allocation_interval: 1s
  allocator: )" +
         allocator + R"(
cluster:
  groups:
    - {name: linux, count: 1, os: linux, resources: {cpus: 4, mem: 8GiB}}
    - {name: windows, count: 1, os: windows, version: ltsc2019, resources: {cpus: 4, mem: 8GiB}}
frameworks:
  - name: holder
    workload: {initial_jobs: 1, windows_fraction: 1, duration: service,
               resources: {cpus: 4, mem: 8GiB}}
  - name: windows-a
    refuse_seconds: 0
    workload: {initial_jobs: 5, start: 5s, windows_fraction: 1}
  - name: windows-b
    refuse_seconds: 0
    workload: {initial_jobs: 5, start: 5s, windows_fraction: 1}
)";
}

// The framework of every offer sent, in order, from events.binpb with `clustersim events --jsonl`.
std::vector<std::string> OffersSent(const std::string& allocator, const std::string& name) {
  const std::string dir = TempDir(name);
  WriteFile(dir + "/scenario.yaml", Scenario(allocator));
  const CliResult run = RunCli({"run", dir + "/scenario.yaml", "--out", dir + "/out", "--events",
                                "--quiet", "--no-progress"},
                               120);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const CliResult events = RunCli({"events", dir + "/out/events.binpb", "--jsonl"}, 60);
  EXPECT_EQ(events.exit_code, 0) << events.err;
  std::vector<std::string> offers;
  std::istringstream lines(events.out);
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json e = nlohmann::json::parse(line);
    if (e["kind"] == "OFFER_SENT") offers.push_back(e["framework"].get<std::string>());
  }
  return offers;
}

int Count(const std::vector<std::string>& offers, const std::string& framework) {
  return static_cast<int>(std::count(offers.begin(), offers.end(), framework));
}

TEST(SameShareTest, TwoDeclinersAtEqualShareGetTheAgentInTurn) {
  const std::vector<std::string> offers = OffersSent("drf", "same-share-mesos");
  ASSERT_EQ(Count(offers, "holder"), 2);  // its two at t = 0; then it suppresses
  std::vector<std::string> decliners;
  for (const std::string& f : offers) {
    if (f != "holder") decliners.push_back(f);
  }
  // One offer per cycle from t = 5 s to 65 s, each to the one that had fewer so far: 31 and 31,
  // never twice in a row to the same framework.
  EXPECT_EQ(Count(decliners, "windows-a"), 31);
  EXPECT_EQ(Count(decliners, "windows-b"), 31);
  for (size_t i = 1; i < decliners.size(); ++i) {
    EXPECT_NE(decliners[i], decliners[i - 1]) << "offers " << i - 1 << " and " << i;
  }
}

// The order before issue 14 (`tie_break: registration`, not Mesos): the first-registered of the
// two gets every offer — 62 and 0, the issue's report.
TEST(SameShareTest, RegistrationTieBreakGivesEveryOfferToTheFirst) {
  const std::vector<std::string> offers =
      OffersSent("{name: drf, tie_break: registration}", "same-share-registration");
  EXPECT_EQ(Count(offers, "windows-a"), 62);
  EXPECT_EQ(Count(offers, "windows-b"), 0);
}

}  // namespace
}  // namespace clustersim::test
