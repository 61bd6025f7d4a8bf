// Offer constraints through the real binary: scenario errors (exit 2, located), the validate
// warning for a framework that excludes every agent, and issue 14's acceptance 3 — on
// scenarios/default.yaml with OS constraints for every framework no framework is offered an agent
// of the other OS, and the offers declined drop by the cross-OS declines of the unconstrained run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/cli_runner.h"

namespace clustersim::test {
namespace {

constexpr const char* kBase = R"(name: constrained
seed: 3
duration: 2m
cluster:
  groups:
    - {name: linux, count: 2, os: linux, resources: {cpus: 8, mem: 16GiB}}
    - {name: win, count: 2, os: windows, version: ltsc2019, resources: {cpus: 8, mem: 16GiB}}
frameworks:
  - name: batch
    offer_constraints: [[{attribute: os, equals: linux}]]
    workload: {initial_jobs: 4, duration: 1m, resources: {cpus: 1, mem: 1GiB}}
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

struct Outcome {
  CliResult cli;
  std::string file;
};

Outcome Validate(const std::string& name, const std::string& yaml,
                 std::vector<std::string> extra = {}) {
  const std::string dir = TempDir(name);
  const std::string file = dir + "/scenario.yaml";
  WriteFile(file, yaml);
  std::vector<std::string> args = {"validate", file};
  args.insert(args.end(), extra.begin(), extra.end());
  return {RunCli(args, 60), file};
}

void ExpectInputError(const Outcome& o, const std::string& location, const std::string& expected) {
  EXPECT_EQ(o.cli.exit_code, 2) << o.cli.err;
  EXPECT_EQ(std::count(o.cli.err.begin(), o.cli.err.end(), '\n'), 1) << o.cli.err;
  EXPECT_NE(o.cli.err.find(o.file + ":" + location), std::string::npos) << o.cli.err;
  EXPECT_NE(o.cli.err.find(expected), std::string::npos) << o.cli.err;
}

TEST(OfferConstraintsInputTest, TheBaseScenarioIsValid) {
  const Outcome o = Validate("oc-base", kBase);
  EXPECT_EQ(o.cli.exit_code, 0) << o.cli.err;
}

TEST(OfferConstraintsInputTest, ABadRegexIsLocated) {
  const Outcome o = Validate("oc-regex", Replace(kBase, "equals: linux", "matches: 'lin(ux'"));
  ExpectInputError(o, "10:51",
                   "frameworks[0].offer_constraints[0][0].matches: cannot compile "
                   "regex 'lin(ux' in RE2: missing )");
}

TEST(OfferConstraintsInputTest, AnUnknownPredicateIsLocated) {
  const Outcome o = Validate("oc-predicate", Replace(kBase, "equals: linux", "equal: linux"));
  ExpectInputError(o, "10:42", "unknown key 'equal' (did you mean 'equals'?");
}

TEST(OfferConstraintsInputTest, AMissingPredicateListsThem) {
  const Outcome o = Validate("oc-missing", Replace(kBase, ", equals: linux", ""));
  ExpectInputError(o, "10:26",
                   "a predicate is missing: one of exists, not_exists, equals, not_equals, "
                   "matches, not_matches");
}

TEST(OfferConstraintsInputTest, AnEmptyGroupIsRefused) {
  const Outcome o =
      Validate("oc-empty", Replace(kBase, "[[{attribute: os, equals: linux}]]", "[[]]"));
  ExpectInputError(o, "10:25", "expected a group: a non-empty list of predicates");
}

TEST(OfferConstraintsInputTest, AConstraintForAnotherRoleIsRefused) {
  const Outcome o = Validate("oc-role", Replace(kBase, "[[{attribute: os, equals: linux}]]",
                                                "{web: [[{attribute: os, equals: linux}]]}"));
  ExpectInputError(o, "10:25", "'web' is not a role of framework 'batch' (its role: batch)");
}

TEST(OfferConstraintsInputTest, ABuiltinAttributeNameIsReserved) {
  const Outcome o = Validate(
      "oc-reserved",
      Replace(kBase, "count: 2, os: linux,", "count: 2, os: linux, attributes: {os_version: x},"));
  ExpectInputError(o, "6:67", "'os_version' is a built-in attribute every agent carries");
}

TEST(OfferConstraintsInputTest, AnUnknownCapabilityListsTheKnownOnes) {
  const Outcome o = Validate("oc-capability", Replace(kBase, "    workload:",
                                                      "    capabilities: [gpus]\n"
                                                      "    workload:"));
  ExpectInputError(o, "11:20", "gpu_resources");
}

TEST(OfferConstraintsWarningTest, ConstraintsThatExcludeEveryAgentAreWarnedAbout) {
  const std::string yaml = Replace(kBase, "equals: linux", "matches: 'solaris|bsd'");
  const Outcome o = Validate("oc-warn", yaml);
  EXPECT_EQ(o.cli.exit_code, 0) << o.cli.err;
  EXPECT_NE(o.cli.err.find(o.file + ":10:5: warning: frameworks[0].offer_constraints: framework "
                                    "'batch' is offered no agent"),
            std::string::npos)
      << o.cli.err;
  EXPECT_EQ(Validate("oc-warn-fail", yaml, {"--fail-on-warning"}).cli.exit_code, 2);
  // Constraints some agent meets: no warning.
  EXPECT_EQ(Validate("oc-nowarn", kBase).cli.err.find("warning"), std::string::npos);
}

TEST(OfferConstraintsWarningTest, GpuAgentsForAFrameworkWithoutTheCapabilityAreWarnedAbout) {
  std::string yaml =
      Replace(kBase, "    offer_constraints: [[{attribute: os, equals: linux}]]\n", "");
  yaml = Replace(yaml, "cpus: 8, mem: 16GiB}}\n    - {name: win",
                 "cpus: 8, mem: 16GiB, gpus: 1}}\n    - {name: win");
  yaml = Replace(yaml, "{name: win, count: 2", "{name: win, count: 0");
  const Outcome o = Validate("oc-gpu", yaml);
  EXPECT_NE(o.cli.err.find("capabilities: [gpu_resources]"), std::string::npos) << o.cli.err;
  const Outcome capable = Validate("oc-gpu-ok", Replace(yaml, "    workload:",
                                                        "    capabilities: [gpu_resources]\n"
                                                        "    workload:"));
  EXPECT_EQ(capable.cli.err.find("warning"), std::string::npos) << capable.cli.err;
}

// --- Acceptance 3
// ---------------------------------------------------------------------------------

struct OfferCounts {
  std::map<std::string, int> sent, cross_os_sent, declined, cross_os_declined;
};

// default.yaml's frameworks: web and batch-linux run Linux images, batch-windows Windows ones.
std::string FrameworkOs(const std::string& framework) {
  return framework == "batch-windows" ? "windows" : "linux";
}
// Its agents are named after their groups: linux-N, win2019-N, win2022-N.
std::string AgentOs(const std::string& agent) {
  return agent.rfind("linux", 0) == 0 ? "linux" : "windows";
}

OfferCounts RunDefault(const std::string& name, std::vector<std::string> sets) {
  const std::string dir = TempDir(name);
  std::vector<std::string> args = {"run",     "--out",         dir + "/out", "--events",
                                   "--quiet", "--no-progress", "--set",      "duration=5m"};
  for (const std::string& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  const CliResult run = RunCli(args, 600);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const CliResult events = RunCli({"events", dir + "/out/events.binpb", "--jsonl"}, 600);
  EXPECT_EQ(events.exit_code, 0) << events.err;
  OfferCounts c;
  std::map<uint64_t, bool> cross_os;  // by offer id
  std::istringstream lines(events.out);
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json e = nlohmann::json::parse(line);
    const std::string kind = e["kind"];
    if (kind != "OFFER_SENT" && kind != "OFFER_DECLINED") continue;
    const std::string fw = e["framework"];
    const uint64_t id = e["offer_id"];
    if (kind == "OFFER_SENT") {
      const bool cross = FrameworkOs(fw) != AgentOs(e["agent"].get<std::string>());
      cross_os[id] = cross;
      ++c.sent[fw];
      if (cross) ++c.cross_os_sent[fw];
    } else {
      ++c.declined[fw];
      if (cross_os[id]) ++c.cross_os_declined[fw];
    }
  }
  return c;
}

int Sum(const std::map<std::string, int>& m) {
  int total = 0;
  for (const auto& [k, v] : m) total += v;
  return total;
}

// Issue 14's acceptance 3 expected the declines to drop by exactly the cross-OS declines (±1%).
// They drop by less, in clustersim as in Mesos: an agent goes to one framework per cycle (Mesos's
// stage 2 breaks to the next agent once it is empty, hierarchical.cpp:2401-2403), so a cross-OS
// offer also used up that agent's cycle, and the 5 s filter its decline left kept it from that
// framework for five more. Without them the agent reaches a framework of its OS sooner and more
// often — the point of the constraints — and that framework declines some of those extra offers
// too. How many depends on the run: on this 5-minute run (seed 42) 157,242 cross-OS declines
// before, a drop of 88,703 (56%); seeds 43 and 44 drop 70% and 85% (55-87% over seeds 42-44 before
// start latencies and job shapes were drawn per item). Over the hour it is steadier: 2,301,931
// and 1,721,989 (75%) on seed 42, 76% on seeds 43 and 44.
TEST(OfferConstraintsAcceptanceTest, OsConstraintsRemoveEveryCrossOsOffer) {
  const OfferCounts before = RunDefault("oc-default", {});
  const OfferCounts after = RunDefault(
      "oc-default-os", {"frameworks[0].offer_constraints=[[{attribute: os, equals: linux}]]",
                        "frameworks[1].offer_constraints=[[{attribute: os, equals: linux}]]",
                        "frameworks[2].offer_constraints=[[{attribute: os, equals: windows}]]"});
  // Unconstrained, both batch frameworks are offered agents of the other OS and decline them.
  EXPECT_GT(before.cross_os_declined.at("batch-linux"), 10000);
  EXPECT_GT(before.cross_os_declined.at("batch-windows"), 10000);
  EXPECT_EQ(Sum(after.cross_os_sent), 0);
  EXPECT_EQ(Sum(after.cross_os_declined), 0);
  const double cross = Sum(before.cross_os_declined);
  const double drop = Sum(before.declined) - Sum(after.declined);
  EXPECT_LT(drop, cross);
  EXPECT_GT(drop, 0.5 * cross) << "declined before " << Sum(before.declined)
                               << ", of which cross-OS " << cross << "; after "
                               << Sum(after.declined);
  // Each batch framework is offered more agents of its own OS than before.
  for (const std::string fw : {"batch-linux", "batch-windows"}) {
    EXPECT_GT(after.sent.at(fw), before.sent.at(fw) - before.cross_os_sent.at(fw)) << fw;
  }
}

}  // namespace
}  // namespace clustersim::test
