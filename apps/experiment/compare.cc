#include "apps/experiment/compare.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>

#include "apps/experiment/runner.h"
#include "apps/experiment/writers.h"
#include "apps/scenario.h"

namespace clustersim::apps {
namespace {

namespace fs = std::filesystem;

// The policies' own CPU time (not deterministic): allocator per cycle, placement per round.
constexpr const char* kCpuColumns[] = {"policy_cpu_us_per_cycle", "policy_cpu_us_per_round"};

// Fills what the command line left open from the scenario's compare block and defaults.
void ApplyCompareBlock(const Scenario& scenario, CompareOptions& options) {
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
}

// An axis of single-word values set on every one of `paths`. `origin` names where they came
// from, for errors: "--allocators", or "compare.allocators" (the scenario's compare block).
Axis PolicyAxis(std::string name, std::vector<std::string> paths,
                const std::vector<std::string>& policies, const std::string& origin) {
  Axis axis{std::move(name), std::move(paths), {}, policies, {}, {}};
  for (const std::string& p : policies) {
    axis.values.emplace_back(axis.paths.size(), p);
    axis.origins.push_back(fmt::format("{} {}", origin, p));
  }
  return axis;
}

// The cells against the first one, seed by seed (PairedStats): what tells two policies apart
// when their per-cell intervals overlap. Empty below two seeds or two cells.
std::string PairedMarkdown(const ExperimentPlan& plan, const ResultTable& table) {
  if (plan.seeds < 2 || CellCount(plan) < 2) return "";
  MarkdownTable paired = CellStatsTable(plan, PairedStats(plan, table, 0));
  paired.rows.erase(paired.rows.begin());  // the baseline against itself
  return fmt::format(
      "\n## Differences from {}, seed by seed\n\nEach cell minus that one on the same seed: mean "
      "± half-width of the 95% Student-t interval of the differences. The cells see the same "
      "workloads and failures for a seed, so an interval that excludes 0 is a difference at the "
      "95% level even where the intervals above overlap (and overlapping intervals above do not "
      "mean no difference).\n\n{}",
      fmt::join(CellLabels(plan, 0), " / "), RenderMarkdown(paired, /*trailing_space=*/false));
}

std::string CompareMarkdown(const ExperimentPlan& plan, const ResultTable& table) {
  const auto stats = MetricStats(plan, table);
  MarkdownTable md_table = CellStatsTable(plan, stats);
  const auto cycle_cpu = TimingStats(plan, table, kCpuColumns[0]);
  const auto round_cpu = TimingStats(plan, table, kCpuColumns[1]);
  const bool has_cpu =
      std::any_of(cycle_cpu.begin(), cycle_cpu.end(), [](const MeanCi& ci) { return ci.n > 0; }) ||
      std::any_of(round_cpu.begin(), round_cpu.end(), [](const MeanCi& ci) { return ci.n > 0; });
  if (has_cpu) {
    // A dagger, not an asterisk: it needs no Markdown escape, so it reads the same as raw text
    // (stdout) and rendered.
    md_table.AddColumn("allocator CPU µs/cycle†", true);
    md_table.AddColumn("placement CPU µs/round†", true);
    for (size_t c = 0; c < md_table.rows.size(); ++c) {
      md_table.rows[c].push_back(FormatMeanCi(cycle_cpu[c]));
      md_table.rows[c].push_back(FormatMeanCi(round_cpu[c]));
    }
  }
  const uint64_t last_seed = plan.base_seed + static_cast<uint64_t>(plan.seeds) - 1;
  std::string md =
      plan.seeds == 1
          ? fmt::format("# Policy comparison: 1 seed per cell (seed {})\n\n", plan.base_seed)
          : fmt::format("# Policy comparison: {} seeds per cell (seeds {}..{})\n\n", plan.seeds,
                        plan.base_seed, last_seed);
  md += CellStatsNote(plan, "compare.csv (per run) and cells.json (per cell)");
  md += " Every cell sees the same workloads and failures for a given seed.\n\n";
  md += RenderMarkdown(md_table, /*trailing_space=*/false);
  if (has_cpu) md += "\n† wall-clock time of the policies' own code: not deterministic.\n";
  md += PairedMarkdown(plan, table);
  return md;
}

}  // namespace

sim::Result<ExperimentPlan> ComparePlan(const YamlDocument& base, CompareOptions& options) {
  SIM_ASSIGN_OR_RETURN(Scenario scenario, LoadScenario(base));
  const std::string allocators_from =
      options.allocators.empty() ? "compare.allocators" : "--allocators";
  const std::string placements_from =
      options.placements.empty() ? "compare.placements" : "--placements";
  ApplyCompareBlock(scenario, options);
  ExperimentPlan plan;
  plan.name = scenario.spec.name;
  plan.base.emplace(base.Clone());
  std::vector<std::string> placement_paths;
  for (size_t f = 0; f < scenario.spec.frameworks.size(); ++f) {
    placement_paths.push_back(fmt::format("frameworks[{}].placement", f));
  }
  // A policy named twice would run two cells into one run folder.
  for (const auto& [list, from] : {std::pair{&options.allocators, &allocators_from},
                                   std::pair{&options.placements, &placements_from}}) {
    for (size_t i = 0; i < list->size(); ++i) {
      if (std::find(list->begin(), list->begin() + static_cast<std::ptrdiff_t>(i), (*list)[i]) !=
          list->begin() + static_cast<std::ptrdiff_t>(i)) {
        return sim::Status::Error(
            fmt::format("{}: '{}' is named twice; name each policy once", *from, (*list)[i]));
      }
    }
  }
  plan.axes.push_back(
      PolicyAxis("allocator", {"master.allocator"}, options.allocators, allocators_from));
  plan.axes.push_back(
      PolicyAxis("placement", std::move(placement_paths), options.placements, placements_from));
  plan.seeds = options.seeds;
  plan.base_seed = scenario.spec.seed;
  plan.metrics = DefaultMetrics();
  plan.timing = TimingColumns();
  return plan;
}

sim::Result<std::optional<std::string>> RunCompare(const YamlDocument& base, CompareOptions options,
                                                   const MpiJob* mpi) {
  SIM_ASSIGN_OR_RETURN(ExperimentPlan plan, ComparePlan(base, options));
  ExperimentOptions run;
  run.out_dir = options.out_dir;
  run.runs_file = "compare.csv";
  run.jobs = options.jobs;
  run.mpi = mpi;
  run.progress = options.progress;
  if (options.keep_runs) run.runs_dir = (fs::path(options.out_dir) / "runs").string();
  SIM_ASSIGN_OR_RETURN(std::optional<ResultTable> table, RunExperiment(plan, run));
  if (!table) return std::optional<std::string>();  // an MPI worker rank: rank 0 writes
  const std::string md = CompareMarkdown(plan, *table);
  SIM_RETURN_IF_ERROR(WriteTextFile((fs::path(options.out_dir) / "compare.md").string(), md));
  nlohmann::ordered_json cells = CellsJson(plan, MetricStats(plan, *table));
  AddPairedToCellsJson(plan, PairedStats(plan, *table, 0), cells);
  SIM_RETURN_IF_ERROR(
      WriteTextFile((fs::path(options.out_dir) / "cells.json").string(), cells.dump(2) + "\n"));
  return std::optional<std::string>(md);
}

}  // namespace clustersim::apps
