// `clustersim bench offers`: small clusters, the report's fields, bad input exits 2.
#include <gtest/gtest.h>

#include <string>

#include "cli_runner.h"

namespace clustersim::testing {
namespace {

TEST(BenchOffersTest, PrintsCycleFiguresAndMesosReference) {
  const CliResult r =
      RunCli({"bench", "offers", "--agents", "40", "--frameworks", "7", "--cycles", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("40 agents x 7 frameworks, allocator drf, 3 cycles"), std::string::npos)
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
  EXPECT_NE(r.out.find("LargeAndSmallQuota shape, 60 agents x 60 roles (50 small, 10 large"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("allocator drf-quota"), std::string::npos) << r.out;
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
}

}  // namespace
}  // namespace clustersim::testing
