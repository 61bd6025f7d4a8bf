// `clustersim compare [SCENARIO]`: allocator x placement cells over seeds.
#include "apps/experiment/compare.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>

#include "apps/cli/command.h"
#include "apps/config/overrides.h"
#include "apps/experiment/mpi.h"
#include "apps/runner.h"
#include "apps/scenario.h"

namespace clustersim::apps::cli {
namespace {

// CLI::Range would call 'abc' "not in range"; this says what a seed count is.
CLI::Validator SeedCountValidator() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        int value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size() && value >= 1 &&
            value <= kMaxSeedsPerCell) {
          return "";
        }
        return fmt::format("expected a whole number of seeds from 1 to {}, got '{}'",
                           kMaxSeedsPerCell, text);
      },
      fmt::format("1..{}", kMaxSeedsPerCell));
}

class CompareCommand : public Command {
 public:
  void AddOptions(CLI::App& compare) override {
    compare.add_option(
        "scenario", file_,
        "scenario YAML file, or default (the embedded default.yaml; also when omitted)");
    compare.add_option("--allocators", options_.allocators, "comma-separated allocators")
        ->delimiter(',');
    compare.add_option("--placements", options_.placements, "comma-separated placements")
        ->delimiter(',');
    compare
        .add_option("--seeds", options_.seeds,
                    "seeds per cell (default: the scenario's compare block, else 5)")
        ->check(SeedCountValidator());
    compare.add_option("--jobs,-j", options_.jobs, "worker threads (default: all cores)");
    compare.add_option("--out", options_.out_dir, "output folder (default out/compare-<name>)");
    compare.add_option("--set", sets_, "override a key of the base scenario")->take_all();
    compare.add_flag("--keep-runs", options_.keep_runs, "also keep every run's files");
    progress_.Add(compare, "no progress on stderr (the table still goes to stdout)");
  }

  int Run() override {
    InstallInterruptHandler();
    const auto progress = progress_.Options();
    if (!progress.ok()) return Fail(progress.status());
    options_.progress = *progress;
    auto doc = LoadDocument(file_);
    if (!doc.ok()) return Fail(doc.status());
    if (auto s = ApplyOverrides(*doc, sets_); !s.ok()) return Fail(s);
    const ScopedMpi mpi;  // a no-op unless an MPI launcher started us
    auto md = RunCompare(*doc, options_, &mpi.job());
    if (!md.ok()) return Interrupted() ? FailInterrupted(md.status()) : Fail(md.status());
    if (*md) std::fputs((*md)->c_str(), stdout);
    return 0;
  }

 private:
  std::string file_;
  std::vector<std::string> sets_;
  CompareOptions options_;
  ProgressFlags progress_;
};

}  // namespace

std::unique_ptr<Command> NewCompareCommand() { return std::make_unique<CompareCommand>(); }

}  // namespace clustersim::apps::cli
