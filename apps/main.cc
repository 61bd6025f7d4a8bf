// The clustersim command line: a thin layer over the runner library.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "apps/compare.h"
#include "apps/config/overrides.h"
#include "apps/config/yaml_value.h"
#include "apps/embedded_scenarios.h"
#include "apps/offer_bench.h"
#include "apps/plot.h"
#include "apps/runner.h"
#include "apps/scenario.h"
#include "apps/sweep.h"
#include "apps/sweep_mpi.h"
#include "apps/trace_info.h"
#include "results/summary.h"
#include "scheduler_plugins/api/registry.h"
#include "scheduler_plugins/builtin.h"
#include "scheduler_plugins/loader.h"

namespace clustersim::apps {
namespace {

constexpr int kInputError = 2;

int Fail(const sim::Status& status) {
  std::fprintf(stderr, "clustersim: %s\n", status.message().c_str());
  return kInputError;
}

// "" or "default" is the embedded default scenario; anything else a file.
sim::Result<YamlDocument> LoadDocument(const std::string& scenario) {
  if (scenario.empty() || scenario == "default") {
    return LoadYamlString(EmbeddedDefaultScenario(), "default.yaml (embedded)");
  }
  return LoadYamlFile(scenario);
}

sim::Result<Scenario> Load(const std::string& file, const std::vector<std::string>& sets,
                           const std::optional<int64_t>& seed) {
  SIM_ASSIGN_OR_RETURN(YamlDocument doc, LoadDocument(file));
  std::vector<std::string> all = sets;
  if (seed) all.push_back(fmt::format("seed={}", *seed));
  SIM_RETURN_IF_ERROR(ApplyOverrides(doc, all));
  return LoadScenario(doc);
}

std::string Slug(const std::string& name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
  return out;
}

}  // namespace

int Main(int argc, char** argv) {
  if (auto s = plugins::RegisterBuiltinPolicies(); !s.ok()) return Fail(s);

  CLI::App app{
      "clustersim: a discrete-event simulator of Mesos-style clusters with mixed "
      "Windows and Linux agents"};
  app.require_subcommand(1);
  app.set_version_flag("--version", Version());
  std::vector<std::string> plugin_paths;
  app.add_option("--plugin", plugin_paths,
                 "load more policies from a shared object (repeatable; before or after the "
                 "subcommand; see scheduler_plugins/README.md)");
  app.fallthrough();

  std::string run_file;
  std::string out_dir;
  std::vector<std::string> sets;
  std::optional<int64_t> seed;
  bool events = false, quiet = false, no_progress = false;
  CLI::App* run = app.add_subcommand("run", "run a scenario and write its results");
  run->add_option("scenario", run_file, "scenario YAML file (default: the embedded default.yaml)");
  run->add_option("--seed", seed, "override the scenario's seed");
  run->add_option("--out", out_dir, "output folder (default: out/<scenario>-s<seed>)");
  run->add_option("--set", sets, "override a key: --set frameworks[1].workload.rate=2/s")
      ->take_all();
  run->add_flag("--events", events, "also write events.binpb");
  run->add_flag("--quiet,-q", quiet, "do not print the summary table");
  run->add_flag("--no-progress", no_progress, "no progress line on stderr");

  std::vector<std::string> validate_files;
  std::vector<std::string> validate_sets;
  CLI::App* validate = app.add_subcommand("validate", "check scenarios without running them");
  validate->add_option("scenario", validate_files, "scenario YAML files")->required();
  validate->add_option("--set", validate_sets, "override a key before validating")->take_all();

  CLI::App* policies = app.add_subcommand("policies", "list the registered policies");

  std::string plot_dir;
  CLI::App* plot = app.add_subcommand(
      "plot", "plot a run, compare or sweep folder as PNG/SVG with report.html (matplotlib)");
  plot->add_option("dir", plot_dir, "output folder of run, compare or sweep")->required();

  std::string sweep_file;
  SweepOptions sweep_options;
  CLI::App* sweep = app.add_subcommand(
      "sweep", "run a sweep file: cartesian product of axes x seeds; mean and 95% CI per cell");
  sweep->add_option("file", sweep_file, "sweep YAML file (scenarios/sweeps/*.yaml)")->required();
  sweep->add_option("--jobs,-j", sweep_options.jobs, "worker threads (default: all cores)");
  sweep->add_option("--out", sweep_options.out_dir, "output folder (default out/sweep-<name>)");
  sweep->add_flag("--resume", sweep_options.resume, "skip runs already in runs.csv");

  std::vector<std::string> trace_files;
  std::string trace_format;
  CLI::App* trace_info = app.add_subcommand(
      "trace-info", "a quick look at trace files: event counts, time span, machines, requests");
  trace_info->add_option("paths", trace_files, "trace files (the table is told by the file name)")
      ->required();
  trace_info
      ->add_option("--format", trace_format,
                   "trace format: google2011, swf, alibaba2018, "
                   "alibaba2017, csv")
      ->required();
  std::string trace_columns;
  bool trace_no_header = false;
  trace_info->add_option("--columns", trace_columns,
                         "csv: column roles as in trace.columns, e.g. "
                         "submit_time=1,duration=2,cpus=3,job_id=5,instances=7");
  trace_info->add_flag("--no-header", trace_no_header, "csv: the files have no header row");

  std::string compare_file;
  std::vector<std::string> compare_sets;
  CompareOptions compare_options;
  CLI::App* compare = app.add_subcommand(
      "compare", "run allocator x placement cells over seeds; mean and 95% CI per cell");
  compare->add_option("scenario", compare_file, "scenario YAML file (default: embedded default)");
  compare->add_option("--allocators", compare_options.allocators, "comma-separated allocators")
      ->delimiter(',');
  compare->add_option("--placements", compare_options.placements, "comma-separated placements")
      ->delimiter(',');
  compare->add_option("--seeds", compare_options.seeds, "seeds per cell (default 5)");
  compare->add_option("--jobs,-j", compare_options.jobs, "worker threads (default: all cores)");
  compare->add_option("--out", compare_options.out_dir,
                      "output folder (default out/compare-<name>)");
  compare->add_option("--set", compare_sets, "override a key of the base scenario")->take_all();
  compare->add_flag("--keep-runs", compare_options.keep_runs, "also keep every run's files");

  OfferBenchOptions offer_options;
  int offer_cycles = 10;
  bool offer_quota = false;
  CLI::App* bench = app.add_subcommand("bench", "benchmarks for users (see bench/ for the suites)");
  bench->require_subcommand(1);
  CLI::App* bench_offers = bench->add_subcommand(
      "offers", "time allocation cycles of a real master: min/median/max, offers/s, vs Mesos");
  bench_offers->add_option("--agents", offer_options.agents, "agents (default 10000)");
  bench_offers->add_option("--frameworks", offer_options.frameworks,
                           "frameworks, one role each (default 1000)");
  bench_offers->add_option("--allocator", offer_options.allocator,
                           "allocator policy, default parameters (default drf)");
  bench_offers->add_option("--cycles", offer_cycles, "timed cycles (default 10)");
  bench_offers->add_flag("--quota", offer_quota,
                         "Mesos's LargeAndSmallQuota shape instead, drf-quota: --frameworks roles "
                         "(5/6 small, 1/6 large quota) on small/5 + 5 x large agents");
  bench_offers->add_option("--seed", offer_options.seed, "seed of the agent order (default 1)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kInputError;
  }
  for (const std::string& path : plugin_paths) {
    if (auto loaded = plugins::LoadPlugin(path); !loaded.ok()) return Fail(loaded.status());
  }

  if (*run) {
    InstallInterruptHandler();
    auto scenario = Load(run_file, sets, seed);
    if (!scenario.ok()) return Fail(scenario.status());
    RunOptions options;
    options.out_dir =
        out_dir.empty() ? fmt::format("out/{}-s{}", Slug(scenario->spec.name), scenario->spec.seed)
                        : out_dir;
    options.events_binpb = events;
    options.progress = !no_progress;
    auto summary = RunScenario(*scenario, options);
    if (!summary.ok()) return Fail(summary.status());
    if (!quiet) {
      std::fputs(results::FormatSummaryTable(*summary).c_str(), stdout);
      std::printf("  results in %s/\n", options.out_dir.c_str());
    }
    return (*summary)["run"]["interrupted"].get<bool>() ? 130 : 0;
  }
  if (*validate) {
    for (const std::string& file : validate_files) {
      auto scenario = Load(file, validate_sets, std::nullopt);
      if (!scenario.ok()) return Fail(scenario.status());
      int agents = 0;
      for (const auto& g : scenario->spec.groups) agents += g.count;
      std::printf("%s: ok (%d agents in %zu groups, %zu frameworks, %zu images)\n", file.c_str(),
                  agents, scenario->spec.groups.size(), scenario->spec.frameworks.size(),
                  scenario->spec.images.images.size());
    }
    return 0;
  }
  if (*compare) {
    InstallInterruptHandler();
    auto doc = LoadDocument(compare_file);
    if (!doc.ok()) return Fail(doc.status());
    if (auto s = ApplyOverrides(*doc, compare_sets); !s.ok()) return Fail(s);
    auto md = RunCompare(*doc, compare_options);
    if (!md.ok()) return Fail(md.status());
    std::fputs(md->c_str(), stdout);
    return 0;
  }
  if (*trace_info) {
    TraceInfoOptions options;
    options.csv_header = !trace_no_header;
    if (!trace_columns.empty()) {
      auto columns = ParseCsvColumns(trace_columns);
      if (!columns.ok()) return Fail(columns.status());
      options.csv_columns = std::move(*columns);
    }
    auto text = TraceInfo(trace_files, trace_format, options);
    if (!text.ok()) return Fail(text.status());
    std::fputs(text->c_str(), stdout);
    return 0;
  }
  if (*sweep) {
    InstallInterruptHandler();
    const MpiJob mpi = MpiStart(nullptr, nullptr);  // a no-op unless an MPI launcher started us
    const sim::Status s = RunSweep(sweep_file, sweep_options, &mpi);
    MpiFinish(mpi);
    if (!s.ok()) return Fail(s);
    return 0;
  }
  if (*bench_offers) {
    if (offer_quota) {
      offer_options.shape = OfferBenchOptions::Shape::kLargeAndSmallQuota;
      offer_options.large_quota_roles = offer_options.frameworks / 6;
      offer_options.small_quota_roles = offer_options.frameworks - offer_options.large_quota_roles;
    }
    auto result = RunOfferBench(offer_options, offer_cycles);
    if (!result.ok()) return Fail(result.status());
    std::fputs(FormatOfferBenchReport(offer_options, *result).c_str(), stdout);
    return 0;
  }
  if (*plot) {
    auto code = RunPlot(plot_dir);
    if (!code.ok()) return Fail(code.status());
    return *code;
  }
  if (*policies) {
    for (const auto& name : plugins::Allocators().Names()) {
      std::printf("allocator  %-20s %s\n", name.c_str(),
                  plugins::Allocators().Description(name).c_str());
    }
    for (const auto& name : plugins::Placements().Names()) {
      std::printf("placement  %-20s %s\n", name.c_str(),
                  plugins::Placements().Description(name).c_str());
    }
    return 0;
  }
  return 0;
}

}  // namespace clustersim::apps

int main(int argc, char** argv) { return clustersim::apps::Main(argc, argv); }
