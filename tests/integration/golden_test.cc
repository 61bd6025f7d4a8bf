// Golden summaries: every shipped scenario that runs in under 10 s is run by the real binary and
// its summary.json, minus the "run" object (wall clock, version), must equal the checked-in
// tests/golden/<scenario>.summary.json byte for byte. A change that moves results on purpose
// regenerates them with `./dev golden` (CLUSTERSIM_UPDATE_GOLDEN=1) and the diff shows in review.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using nlohmann::json;

// Shipped scenarios too slow for a golden (minutes each; bench/RESULTS.md measures them).
const std::vector<std::string> kTooSlow = {"scale-100k-hour", "scale-google-day"};

const std::vector<std::string> kGolden = {"alibaba2018-machines",
                                          "allocator-study",
                                          "cloudsimpy-w-large",
                                          "default",
                                          "drf-paper",
                                          "google2011-recorded",
                                          "google2011-sample",
                                          "kth-sp2-easy",
                                          "kth-sp2-fcfs",
                                          "offer-throughput",
                                          "policy-study",
                                          "windows-cold-start",
                                          "windows-patch-day",
                                          "windows-stock-timeouts"};

bool Updating() {
  const char* v = std::getenv("CLUSTERSIM_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

std::string GoldenPath(const std::string& scenario) {
  return SourcePath("tests/golden/" + scenario + ".summary.json");
}

// The canonical text of a summary: two-space indented, keys sorted (nlohmann::json), no "run".
std::string Canonical(json summary) {
  summary.erase("run");
  return summary.dump(2) + "\n";
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, SummaryMatches) {
  const std::string scenario = GetParam();
  const std::string yaml = SourcePath("scenarios/" + scenario + ".yaml");
  // A golden that needs the shared traces fails loudly without them: a skip would hide drift.
  if (ReadFile(yaml).find("shared/traces/") != std::string::npos) {
    ASSERT_TRUE(std::filesystem::is_directory(SourcePath("../shared/traces")))
        << scenario << " reads ../shared/traces, which is absent: this golden cannot be checked";
  }
  const std::string out = TempDir("golden-" + scenario);
  const CliResult r = RunCli({"run", yaml, "--out", out, "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string actual = Canonical(json::parse(ReadFile(out + "/summary.json")));
  if (Updating()) {
    WriteFile(GoldenPath(scenario), actual);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(GoldenPath(scenario)))
      << "no golden for " << scenario << "; create it with ./dev golden";
  const std::string expected = ReadFile(GoldenPath(scenario));
  // Equal bytes; on a difference, name the first differing line so the drift is readable.
  if (actual != expected) {
    std::istringstream a(actual), e(expected);
    std::string la, le;
    int line = 0;
    while (true) {
      ++line;
      const bool more_a = static_cast<bool>(std::getline(a, la));
      const bool more_e = static_cast<bool>(std::getline(e, le));
      if (!more_a && !more_e) break;
      if (la != le || more_a != more_e) {
        ADD_FAILURE() << scenario << ": summary differs from " << GoldenPath(scenario)
                      << " at line " << line << "\n  golden: " << le << "\n  now:    " << la
                      << "\nIf the change is meant to move results, run ./dev golden and say why "
                         "in the commit message.";
        break;
      }
    }
    // Lines equal but bytes not (a final newline, a carriage return): still a difference.
    EXPECT_EQ(actual.size(), expected.size()) << scenario << ": same lines, different bytes";
    EXPECT_TRUE(actual == expected) << scenario << ": summary differs from its golden";
  }
}

INSTANTIATE_TEST_SUITE_P(Shipped, GoldenTest, ::testing::ValuesIn(kGolden), [](const auto& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

// A new scenario must be given a golden (or be listed as too slow, with a reason).
TEST(GoldenCoverageTest, EveryShippedScenarioHasAGoldenOrIsListedSlow) {
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath("scenarios"))) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string name = entry.path().stem().string();
    const bool listed = std::count(kGolden.begin(), kGolden.end(), name) +
                            std::count(kTooSlow.begin(), kTooSlow.end(), name) ==
                        1;
    EXPECT_TRUE(listed) << "scenarios/" << name
                        << ".yaml: add it to kGolden (and run ./dev golden) or to kTooSlow";
  }
}

}  // namespace
}  // namespace clustersim::test
