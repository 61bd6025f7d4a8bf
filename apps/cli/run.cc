// `clustersim run [SCENARIO]`: one run, its files and its summary table.
#include <fmt/format.h>

#include <cctype>
#include <cstdio>

#include "apps/cli/command.h"
#include "apps/runner.h"
#include "results/summary.h"

namespace clustersim::apps::cli {
namespace {

// A scenario name as a folder name: anything but letters, digits and '-' becomes '_'.
std::string Slug(const std::string& name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
  return out;
}

class RunCommand : public Command {
 public:
  void AddOptions(CLI::App& run) override {
    run.add_option("scenario", file_,
                   "scenario YAML file, or default (the embedded default.yaml; also when omitted)");
    run.add_option("--seed", seed_, "override the scenario's seed");
    run.add_option("--out", out_dir_, "output folder (default: out/<scenario>-s<seed>)");
    run.add_option("--set", sets_, "override a key: --set frameworks[1].workload.rate=2/s")
        ->take_all();
    run.add_flag("--events", events_, "also write events.binpb");
    run.add_flag(
        "--check-invariants", check_invariants_,
        "sweep the whole cluster's invariants after every event (slow; results unchanged)");
    progress_.Add(run, "print neither the summary table nor progress");
  }

  int Run() override {
    InstallInterruptHandler();
    const auto progress = progress_.Options();
    if (!progress.ok()) return Fail(progress.status());
    std::vector<Warning> warnings;
    auto scenario = LoadScenarioFile(file_, sets_, seed_, warnings);
    if (!scenario.ok()) return Fail(scenario.status());
    PrintWarnings(warnings);
    RunOptions options;
    options.out_dir =
        out_dir_.empty() ? fmt::format("out/{}-s{}", Slug(scenario->spec.name), scenario->spec.seed)
                         : out_dir_;
    options.events_binpb = events_;
    options.check_invariants = check_invariants_;
    options.progress = *progress;
    auto summary = RunScenario(*scenario, options);
    if (!summary.ok()) return Fail(summary.status());
    if (!progress_.quiet) {
      std::fputs(results::FormatSummaryTable(*summary).c_str(), stdout);
      std::printf("  results in %s/\n", options.out_dir.c_str());
    }
    if (!(*summary)["run"]["interrupted"].get<bool>()) return 0;
    // Said even with --quiet: the files cover only what ran before the signal.
    std::fprintf(stderr,
                 "clustersim: interrupted at %s simulated s: %s/ holds what ran until then\n",
                 fmt::format("{:g}", (*summary)["sim_seconds"].get<double>()).c_str(),
                 options.out_dir.c_str());
    return kInterrupted;
  }

 private:
  std::string file_;
  std::string out_dir_;
  std::vector<std::string> sets_;
  std::optional<std::string> seed_;  // checked as the scenario's `seed:` is
  bool events_ = false;
  bool check_invariants_ = false;
  ProgressFlags progress_;
};

}  // namespace

std::unique_ptr<Command> NewRunCommand() { return std::make_unique<RunCommand>(); }

}  // namespace clustersim::apps::cli
