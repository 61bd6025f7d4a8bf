// Offer throughput: `clustersim bench offers` (small clusters, the report's fields, bad input exits
// 2) and scenarios/offer-throughput.yaml (the simulated master saturates as the cluster grows).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

TEST(BenchOffersTest, PrintsCycleFiguresAndMesosReference) {
  const CliResult r =
      RunCli({"bench", "offers", "--agents", "40", "--frameworks", "7", "--cycles", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("40 agents x 7 frameworks (one role each), allocator drf, 3 cycles"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("cycle time:"), std::string::npos) << r.out;
  for (const char* field : {"min ", "median ", "max "}) {
    EXPECT_NE(r.out.find(field), std::string::npos) << field << "\n" << r.out;
  }
  // Every agent is free at the start of a timed cycle: one offer each.
  EXPECT_NE(r.out.find("offers per cycle:        40\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("offers/s:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cycle, nothing to offer:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("DeclineOffers/21, 10,000 agents x 1,000 frameworks: 1.06 s per cycle"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("LargeAndSmallQuota/2"), std::string::npos) << r.out;
  // Which "offers/s" this is, on the line after the title, before any figure.
  EXPECT_NE(r.out.find(" cycles\n  measures simulator speed: how fast this program computes offers "
                       "in real time (for how many offers/s a Mesos master sustains, run "
                       "master.cost_model: scenarios/offer-throughput.yaml)\n  setup:"),
            std::string::npos)
      << r.out;
}

// Mesos's own DeclineOffers shape: every framework in role `*` (T:7580-7581).
TEST(BenchOffersTest, OneRoleAsMesosDeclineOffers) {
  const CliResult r = RunCli(
      {"bench", "offers", "--agents", "30", "--frameworks", "5", "--cycles", "2", "--one-role"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("30 agents x 5 frameworks (all in role *), allocator drf, 2 cycles"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("offers per cycle:        30\n"), std::string::npos) << r.out;
}

TEST(BenchOffersTest, OtherAllocator) {
  const CliResult r = RunCli({"bench", "offers", "--agents", "20", "--frameworks", "3",
                              "--allocator", "random", "--cycles", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("allocator random"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("offers per cycle:        20\n"), std::string::npos) << r.out;
}

TEST(BenchOffersTest, QuotaShape) {
  // 60 roles: 50 small (half an agent each) and 10 large (two agents each) on 10 + 50 agents.
  const CliResult r = RunCli({"bench", "offers", "--quota", "--frameworks", "60", "--cycles", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("LargeAndSmallQuota shape, 60 agents x 60 roles (50 small, 10 large "
                       "quota as master.quotas"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("allocator drf,"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("offers per cycle:        0\n"), std::string::npos) << r.out;
}

TEST(BenchOffersTest, BadInputExitsTwo) {
  CliResult r = RunCli({"bench", "offers", "--agents", "10", "--allocator", "no-such-policy"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown allocator policy 'no-such-policy' (valid: "), std::string::npos)
      << r.err;
  r = RunCli({"bench", "offers", "--agents", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("at least 1"), std::string::npos) << r.err;
  r = RunCli({"bench", "offers", "--agents", "10", "--cycles", "0"});
  EXPECT_EQ(r.exit_code, 2);
  r = RunCli({"bench"});
  EXPECT_EQ(r.exit_code, 2);
  // The quota shape derives its agents: flags it would ignore, and a shape with no agent, are
  // refused rather than benchmarked (0 offers/s, exit 0, before).
  r = RunCli({"bench", "offers", "--quota", "--agents", "5000", "--frameworks", "7"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--agents does not apply with --quota"), std::string::npos) << r.err;
  r = RunCli({"bench", "offers", "--quota", "--one-role", "--frameworks", "7"});
  EXPECT_NE(r.err.find("--one-role does not apply with --quota"), std::string::npos) << r.err;
  r = RunCli({"bench", "offers", "--quota", "--frameworks", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("the quota shape with 1 role has no agent"), std::string::npos) << r.err;
}

nlohmann::json RunOfferThroughput(const std::string& name, int agents, bool cost_model = true) {
  const std::string out = TempDir(name);
  const CliResult r =
      RunCli({"run", SourcePath("scenarios/offer-throughput.yaml"), "--out", out, "--quiet",
              "--set", "duration=30s", "--set", "cluster.groups[0].count=" + std::to_string(agents),
              "--set", std::string("master.cost_model=") + (cost_model ? "true" : "false")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(ReadFile(out + "/summary.json"));
}

TEST(OfferThroughputScenarioTest, OffersPerSecondSaturateAndDelayClimbs) {
  const nlohmann::json small = RunOfferThroughput("ot-small", 500);
  const nlohmann::json large = RunOfferThroughput("ot-large", 16000);
  ASSERT_TRUE(small.contains("master_cost")) << small.dump();
  ASSERT_TRUE(large.contains("master_cost")) << large.dump();
  const auto& s = small["master_cost"];
  const auto& l = large["master_cost"];
  // Every agent is offered once a cycle. With 4 frameworks an offered agent costs the allocator
  // 4.5 + 4 x 0.077 + 1.5 + 23 = 29.3 us (cost_model.h defaults), and the next cycle falls due
  // 1 s after a cycle ends; the decline recoveries (20 us each) fit in that interval here. So a
  // cycle period is 1 s + N x 29.3 us: 500 agents, ~493 offers/s, plus the cycles that
  // registrations and revives trigger (34 cycles in 30 s here, 33 of them with offers).
  auto expected_offers_per_s = [](double agents) { return agents / (1 + agents * 29.3e-6); };
  EXPECT_NEAR(s["offers_per_s"].get<double>(), expected_offers_per_s(500), 60);
  // 32x the agents: ~22x the offers (each cycle now takes ~0.47 s), and the delay between a
  // cycle falling due and its offers arriving grows with the cluster.
  EXPECT_NEAR(l["offers_per_s"].get<double>(), expected_offers_per_s(16000),
              0.05 * expected_offers_per_s(16000));
  EXPECT_LT(l["offers_per_s"].get<double>(), 26 * s["offers_per_s"].get<double>());
  EXPECT_GT(l["mean_offer_delay_s"].get<double>(), 20 * s["mean_offer_delay_s"].get<double>());
  EXPECT_GT(l["busy_fraction"].get<double>(), s["busy_fraction"].get<double>());
  // The allocator is the busier actor (cycles and recoveries against building offers and
  // handling declines), as in Mesos's own benchmarks, where the allocator is the bottleneck.
  EXPECT_GT(l["allocator_busy_fraction"].get<double>(), l["busy_fraction"].get<double>());
  EXPECT_LE(l["allocator_busy_fraction"].get<double>(), 1.0);
  // Off: no simulated master time, no master_cost object.
  EXPECT_FALSE(RunOfferThroughput("ot-off", 500, false).contains("master_cost"));
}

TEST(OfferThroughputScenarioTest, RunOutputSaysItsOffersPerSecondAreTheSimulatedMasters) {
  const CliResult r =
      RunCli({"run", SourcePath("scenarios/offer-throughput.yaml"), "--out", TempDir("ot-text"),
              "--set", "duration=30s", "--set", "cluster.groups[0].count=500"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t master = r.out.find("  master: offers/s, busy, delay");
  ASSERT_NE(master, std::string::npos) << r.out;
  const size_t next = r.out.find('\n', master) + 1;
  EXPECT_EQ(r.out.substr(next, r.out.find('\n', next) - next),
            std::string(38, ' ') +
                "(simulated master throughput under master.cost_model, not this program's speed)")
      << r.out;
}

}  // namespace
}  // namespace clustersim::test
