#include "apps/compare.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "apps/batch_runner.h"
#include "apps/run_metrics.h"
#include "apps/scenario.h"
#include "apps/stats.h"

namespace clustersim::apps {
namespace {

using nlohmann::ordered_json;

struct BaseInfo {
  uint64_t seed = 1;
  size_t frameworks = 0;
};

// Fills what the command line left open from the scenario's compare block and defaults.
sim::Result<BaseInfo> ReadCompareBlock(const YamlDocument& base, CompareOptions& options) {
  SIM_ASSIGN_OR_RETURN(Scenario scenario, LoadScenario(base));
  const CompareSpec& block = scenario.compare;
  if (options.allocators.empty()) options.allocators = block.allocators;
  if (options.placements.empty()) options.placements = block.placements;
  if (options.seeds <= 0) options.seeds = block.seeds;
  if (options.allocators.empty()) options.allocators = {scenario.allocator.name};
  if (options.placements.empty()) {
    options.placements = {scenario.placements.empty() ? "first-fit" : scenario.placements[0].name};
  }
  if (options.seeds <= 0) options.seeds = 5;
  if (options.out_dir.empty()) options.out_dir = "out/compare-" + scenario.spec.name;
  return BaseInfo{scenario.spec.seed, scenario.spec.frameworks.size()};
}

}  // namespace

sim::Result<std::string> RunCompare(const YamlDocument& base, CompareOptions options) {
  SIM_ASSIGN_OR_RETURN(const BaseInfo info, ReadCompareBlock(base, options));
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec)
    return sim::Status::Error(fmt::format("cannot create {}: {}", options.out_dir, ec.message()));

  struct Cell {
    std::string allocator, placement;
  };
  std::vector<Cell> cells;
  std::vector<RunRequest> requests;
  for (const std::string& a : options.allocators) {
    for (const std::string& p : options.placements) {
      const size_t cell = cells.size();
      cells.push_back({a, p});
      std::vector<std::string> overrides = {"master.allocator=" + a};
      for (size_t f = 0; f < info.frameworks; ++f) {
        overrides.push_back(fmt::format("frameworks[{}].placement={}", f, p));
      }
      for (int s = 0; s < options.seeds; ++s) {
        RunRequest r;
        r.cell = cell;
        r.overrides = overrides;
        r.seed = info.seed + static_cast<uint64_t>(s);
        if (options.keep_runs) {
          r.out_dir = (fs::path(options.out_dir) / "runs" / fmt::format("{}-{}-s{}", a, p, r.seed))
                          .string();
        }
        requests.push_back(std::move(r));
      }
    }
  }

  size_t done = 0;
  const bool tty = isatty(fileno(stderr)) == 1;
  auto results = RunBatch(base, requests, options.jobs, [&](size_t, const RunResult&) {
    ++done;
    if (tty) std::fprintf(stderr, "\r  compare: %zu / %zu runs", done, requests.size());
  });
  if (tty) std::fprintf(stderr, "\r%40s\r", "");
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i].status.ok()) {
      const Cell& c = cells[requests[i].cell];
      return sim::Status::Error(fmt::format("run {} / {} seed {}: {}", c.allocator, c.placement,
                                            requests[i].seed, results[i].status.message()));
    }
  }

  // compare.csv and timing.csv, in (cell, seed) order.
  std::ofstream csv(fs::path(options.out_dir) / "compare.csv");
  std::ofstream timing(fs::path(options.out_dir) / "timing.csv");
  csv << "cell,allocator,placement,seed";
  for (const MetricPath& m : DefaultMetrics()) csv << ',' << m.name;
  csv << '\n';
  const auto timing_fields = TimingFields(results.front().summary);
  timing << "cell,allocator,placement,seed";
  for (const auto& [name, value] : timing_fields) timing << ',' << name;
  timing << '\n';
  std::vector<std::vector<std::vector<double>>> samples(
      cells.size(), std::vector<std::vector<double>>(DefaultMetrics().size()));
  // The policies' own CPU time (not deterministic): allocator per cycle, placement per round.
  static constexpr std::array<const char*, 2> kCpuKeys = {"policy_cpu_us_per_cycle",
                                                          "policy_cpu_us_per_round"};
  std::vector<std::array<std::vector<double>, 2>> policy_cpu(cells.size());
  for (size_t i = 0; i < results.size(); ++i) {
    const RunRequest& r = requests[i];
    const Cell& c = cells[r.cell];
    const auto& summary = results[i].summary;
    csv << r.cell << ',' << CsvField(c.allocator) << ',' << CsvField(c.placement) << ',' << r.seed;
    for (size_t m = 0; m < DefaultMetrics().size(); ++m) {
      const double v = LookupMetric(summary, DefaultMetrics()[m]);
      samples[r.cell][m].push_back(v);
      csv << ',' << fmt::format("{}", v);
    }
    csv << '\n';
    timing << r.cell << ',' << CsvField(c.allocator) << ',' << CsvField(c.placement) << ','
           << r.seed;
    for (const auto& [name, value] : TimingFields(summary)) {
      timing << ',' << fmt::format("{}", value);
      for (size_t k = 0; k < kCpuKeys.size(); ++k) {
        if (name == kCpuKeys[k]) policy_cpu[r.cell][k].push_back(value);
      }
    }
    timing << '\n';
  }
  if (!csv || !timing) return sim::Status::Error("cannot write compare.csv / timing.csv");

  // compare.md: one row per cell, mean ± 95% interval half-width over seeds.
  std::string md =
      fmt::format("# Policy comparison: {} seeds per cell (seeds {}..{})\n\n", options.seeds,
                  info.seed, info.seed + static_cast<uint64_t>(options.seeds) - 1);
  md +=
      "Mean ± half-width of the 95% Student-t confidence interval over seeds. Every cell sees "
      "the same workloads and failures for a given seed.\n\n| allocator | placement |";
  std::string rule = "|---|---|";
  for (const MetricPath& m : DefaultMetrics()) {
    md += fmt::format(" {} |", m.name);
    rule += "---:|";
  }
  const bool has_cpu = std::any_of(policy_cpu.begin(), policy_cpu.end(),
                                   [](const auto& v) { return !v[0].empty() || !v[1].empty(); });
  if (has_cpu) {
    md += " allocator CPU µs/cycle* | placement CPU µs/round* |";
    rule += "---:|---:|";
  }
  md += "\n" + rule + "\n";
  for (size_t c = 0; c < cells.size(); ++c) {
    md += fmt::format("| {} | {} |", cells[c].allocator, cells[c].placement);
    for (size_t m = 0; m < DefaultMetrics().size(); ++m) {
      const MeanCi ci = MeanWithCi(samples[c][m]);
      md += " " + FormatMeanCi(ci) + " |";
    }
    if (has_cpu) {
      for (const auto& values : policy_cpu[c]) md += " " + FormatMeanCi(MeanWithCi(values)) + " |";
    }
    md += "\n";
  }
  if (has_cpu) md += "\n\\* wall-clock time of the policies' own code: not deterministic.\n";
  std::ofstream(fs::path(options.out_dir) / "compare.md") << md;
  return md;
}

}  // namespace clustersim::apps
