// run's summary table on stdout (results::FormatSummaryTable): the simulated time in a readable
// unit, latencies at a precision that suits their size, latency columns as wide as their widest
// cell.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "results/summary.h"

namespace clustersim::results {
namespace {

nlohmann::ordered_json Quantiles(double p50, double p99) { return {{"p50", p50}, {"p99", p99}}; }

// The fields the table reads, with the given run length, queue delays and Windows start latency.
nlohmann::ordered_json Summary(double sim_seconds, const nlohmann::ordered_json& queue_delay,
                               const nlohmann::ordered_json& windows_start = Quantiles(2.5, 86)) {
  nlohmann::ordered_json empty = {{"p50", nullptr}, {"p99", nullptr}};
  auto by_os = [&](const nlohmann::ordered_json& all, const nlohmann::ordered_json& windows) {
    nlohmann::ordered_json q = all;
    q["by_os"] = {{"linux", all}, {"windows", windows}};
    return q;
  };
  nlohmann::ordered_json s;
  s["scenario"] = "t";
  s["seed"] = 7;
  s["sim_seconds"] = sim_seconds;
  s["events"] = 10;
  s["tasks"] = {{"submitted", 3},      {"finished", 3},      {"failed", 0},
                {"lost", 0},           {"unreachable", 0},   {"unschedulable", 0},
                {"pending_at_end", 0}, {"running_at_end", 0}};
  s["queue_delay_s"] = by_os(queue_delay, empty);
  s["start_latency_s"] = by_os(Quantiles(0.5, 2), windows_start);
  s["pull_s"] = by_os(empty, empty);
  s["offers"] = {{"sent", 5}, {"accepted", 3}, {"declined", 2}};
  s["utilization"] = {{"cpus", 0.5}, {"mem", 0.25}};
  s["frameworks"] = nlohmann::ordered_json::array();
  s["run"] = {{"wall_seconds", 0.1}, {"events_per_second", 100.0}};
  return s;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(SummaryTableTest, HeaderGivesTheSimulatedTimeInAReadableUnit) {
  const auto header = [](double s) {
    return Lines(FormatSummaryTable(Summary(s, Quantiles(0.1, 4.1)))).front();
  };
  EXPECT_EQ(header(60), "t (seed 7): 60 simulated s, 10 events");
  EXPECT_EQ(header(600), "t (seed 7): 600 simulated s (10 min), 10 events");
  EXPECT_EQ(header(3600), "t (seed 7): 3600 simulated s (1 h), 10 events");
  EXPECT_EQ(header(86400), "t (seed 7): 86400 simulated s (24 h), 10 events");
  EXPECT_EQ(header(34560000), "t (seed 7): 34560000 simulated s (400 d), 10 events");
}

TEST(SummaryTableTest, LatencyColumnsFitTheirWidestCell) {
  // A short run's cells fit the default width of 10.
  const auto small = Lines(FormatSummaryTable(Summary(3600, Quantiles(0.1, 4.1))));
  EXPECT_EQ(small[5], "  seconds (p50 / p99)                        all      linux    windows");
  EXPECT_EQ(small[6], "  queue_delay_s                        0.10/4.10  0.10/4.10          -");
  EXPECT_EQ(small[7], "  start_latency_s                      0.50/2.00  0.50/2.00 2.50/86.00");
  // A trace's waits run to days: whole seconds, and every column as wide as the widest cell.
  const auto wide =
      Lines(FormatSummaryTable(Summary(34560000, Quantiles(5532, 174137), Quantiles(12.7, 386))));
  EXPECT_EQ(wide[5], "  seconds (p50 / p99)                         all       linux     windows");
  EXPECT_EQ(wide[6], "  queue_delay_s                       5532/174137 5532/174137           -");
  EXPECT_EQ(wide[7], "  start_latency_s                       0.50/2.00   0.50/2.00 12.70/386.0");
}

}  // namespace
}  // namespace clustersim::results
