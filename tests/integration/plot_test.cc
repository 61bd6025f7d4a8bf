// `clustersim plot` renders valid images of sensible size for a run, a compare and a sweep.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

// Width and height from a PNG's IHDR chunk; {0, 0} if it is not a PNG.
std::pair<uint32_t, uint32_t> PngSize(const std::string& path) {
  const std::string data = ReadFile(path);
  static const std::string kSignature = "\x89PNG\r\n\x1a\n";
  if (data.size() < 24 || data.compare(0, 8, kSignature) != 0 || data.compare(12, 4, "IHDR") != 0) {
    return {0, 0};
  }
  auto be32 = [&](size_t at) {
    return (uint32_t{static_cast<uint8_t>(data[at])} << 24) |
           (uint32_t{static_cast<uint8_t>(data[at + 1])} << 16) |
           (uint32_t{static_cast<uint8_t>(data[at + 2])} << 8) |
           uint32_t{static_cast<uint8_t>(data[at + 3])};
  };
  return {be32(16), be32(20)};
}

void ExpectImages(const std::string& dir, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const auto [w, h] = PngSize(dir + "/" + name + ".png");
    EXPECT_GE(w, 400u) << name;
    EXPECT_GE(h, 250u) << name;
    EXPECT_LE(w, 4000u) << name;
    const std::string svg = ReadFile(dir + "/" + name + ".svg");
    EXPECT_NE(svg.find("<svg"), std::string::npos) << name;
  }
  // The report shows each figure inlined (a data: URI right after the figure's id).
  const std::string report = ReadFile(dir + "/report.html");
  for (const std::string& name : names) {
    EXPECT_NE(report.find(" id='fig-" + name + "'><img src='data:image/"), std::string::npos)
        << name;
  }
}

TEST(PlotTest, RunFolder) {
  const std::string dir = TempDir("plot-run");
  // Seed 8: a run in which some tasks wait (on the scenario's own seed none does, and an
  // all-zero queue-delay CDF is left out: LeavesOutAllZeroFigures).
  ASSERT_EQ(RunCli({"run", SourcePath("scenarios/windows-cold-start.yaml"), "--seed", "8", "--out",
                    dir, "-q"})
                .exit_code,
            0);
  const CliResult r = RunCli({"plot", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectImages(dir, {"start_latency_cdf", "queue_delay_cdf", "utilization_pending", "os_timeline",
                     "dominant_shares"});
}

TEST(PlotTest, CompareFolder) {
  const std::string dir = TempDir("plot-compare");
  ASSERT_EQ(RunCli({"compare", SourcePath("scenarios/windows-cold-start.yaml"), "--seeds", "2",
                    "--out", dir})
                .exit_code,
            0);
  const CliResult r = RunCli({"plot", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The per-policy CDFs come from cdfs.csv: the runs' quantile points, no run folder kept.
  EXPECT_TRUE(std::filesystem::exists(dir + "/cdfs.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/runs"));
  ExpectImages(dir, {"policy_bars", "cdf_start_latency_s_windows", "cdf_start_latency_s_linux"});
  // Panel titles and axis labels are the metric catalogue's, handed over by clustersim plot.
  const std::string svg = ReadFile(dir + "/policy_bars.svg");
  EXPECT_NE(svg.find("Windows start latency, p99"), std::string::npos);
  EXPECT_NE(svg.find("seconds"), std::string::npos);
}

// policy-study's cluster is large enough that no task ever waits: the queue-delay CDF would be a
// step at 0 on a degenerate axis, so it is left out, named on stderr, and absent from the report.
TEST(PlotTest, LeavesOutAllZeroFigures) {
  const std::string dir = TempDir("plot-zero");
  ASSERT_EQ(RunCli({"run", SourcePath("scenarios/policy-study.yaml"), "--set", "duration=10m",
                    "--out", dir, "-q"})
                .exit_code,
            0);
  const CliResult r = RunCli({"plot", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("plot: skipped queue_delay_cdf: every value is 0"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/queue_delay_cdf.png"));
  EXPECT_EQ(ReadFile(dir + "/report.html").find("queue_delay_cdf"), std::string::npos);
  ExpectImages(dir, {"start_latency_cdf", "utilization_pending", "dominant_shares"});
}

// A second run in a plotted folder removes the first's report.html (it described that run); the
// next plot draws what this run has and removes the figures it does not draw again. A compare
// into a plotted folder removes its report.html too.
TEST(PlotTest, AFolderUsedAgainShowsOnlyItsLatestRun) {
  const std::string dir = TempDir("plot-again");
  const std::string cold_start = SourcePath("scenarios/windows-cold-start.yaml");
  ASSERT_EQ(RunCli({"run", cold_start, "--seed", "8", "--out", dir, "-q"}).exit_code, 0);
  ASSERT_EQ(RunCli({"plot", dir}).exit_code, 0);
  ASSERT_TRUE(std::filesystem::exists(dir + "/os_timeline.png"));
  ASSERT_EQ(RunCli({"run", SourcePath("scenarios/drf-paper.yaml"), "--set",
                    "results.tasks_csv=false", "--out", dir, "-q"})
                .exit_code,
            0);
  EXPECT_FALSE(std::filesystem::exists(dir + "/report.html"));
  const CliResult r = RunCli({"plot", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("plot: skipped start_latency_cdf, queue_delay_cdf, os_timeline: the run "
                       "wrote no tasks.csv"),
            std::string::npos)
      << r.err;
  for (const char* gone : {"start_latency_cdf", "queue_delay_cdf", "os_timeline"}) {
    EXPECT_FALSE(std::filesystem::exists(dir + "/" + gone + ".png")) << gone;
    EXPECT_FALSE(std::filesystem::exists(dir + "/" + gone + ".svg")) << gone;
  }
  EXPECT_NE(ReadFile(dir + "/report.html").find("drf-paper"), std::string::npos);
  ExpectImages(dir, {"utilization_pending", "dominant_shares"});

  const std::string compared = TempDir("plot-compare-again");
  ASSERT_EQ(RunCli({"compare", cold_start, "--seeds", "2", "--out", compared}).exit_code, 0);
  ASSERT_EQ(RunCli({"plot", compared}).exit_code, 0);
  ASSERT_EQ(RunCli({"compare", cold_start, "--seeds", "2", "--out", compared}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(compared + "/report.html"));
}

TEST(PlotTest, NotAnOutputFolder) {
  const CliResult r = RunCli({"plot", TempDir("plot-empty")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no summary.json"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace clustersim::test
