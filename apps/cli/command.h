#pragma once

// The command line: one Command per subcommand (apps/cli/<command>.cc), each declaring its own
// options and running itself; main.cc only registers them with CLI11 (name and one-line help)
// and runs the one chosen.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apps/config/warnings.h"
#include "apps/config/yaml_value.h"
#include "apps/progress.h"
#include "apps/scenario.h"
#include "sim/status.h"

namespace clustersim::apps::cli {

// Exit code of bad user input (a scenario, a flag, a trace file).
constexpr int kInputError = 2;

class Command {
 public:
  virtual ~Command() = default;
  // Declares the subcommand's options and arguments on `command` (main.cc created it).
  virtual void AddOptions(CLI::App& command) = 0;
  // Runs after the command line was parsed (and plugins loaded); returns the exit code.
  virtual int Run() = 0;
};

// The subcommands, in the order `clustersim --help` lists them.
std::unique_ptr<Command> NewRunCommand();
std::unique_ptr<Command> NewValidateCommand();
std::unique_ptr<Command> NewPoliciesCommand();
std::unique_ptr<Command> NewMetricsCommand();
std::unique_ptr<Command> NewPlotCommand();
std::unique_ptr<Command> NewSweepCommand();
std::unique_ptr<Command> NewTraceInfoCommand();
std::unique_ptr<Command> NewCompareCommand();
std::unique_ptr<Command> NewBenchCommand();
std::unique_ptr<Command> NewEventsCommand();

// --quiet, --no-progress and --progress-interval, the same for run, compare and sweep.
struct ProgressFlags {
  bool quiet = false;
  bool no_progress = false;
  std::string interval = "10s";
  // Declares the three flags; `quiet_help` says what --quiet silences besides progress.
  void Add(CLI::App& command, const char* quiet_help);
  // The progress options, or an error naming --progress-interval and the form it expects.
  sim::Result<ProgressOptions> Options() const;
};

// Exit code of a run or experiment stopped by SIGINT/SIGTERM (128 + SIGINT, as a shell shows it).
constexpr int kInterrupted = 130;

// Prints "clustersim: MESSAGE" on stderr; returns kInputError.
int Fail(const sim::Status& status);
// The same for a command stopped by SIGINT/SIGTERM; returns kInterrupted.
int FailInterrupted(const sim::Status& status);

// "" or "default" is the embedded default scenario; anything else a file.
sim::Result<YamlDocument> LoadDocument(const std::string& scenario);
// The scenario with `sets` (--set) and then the seed applied, validated; its warnings
// (config/warnings.h) go to `warnings`.
sim::Result<Scenario> LoadScenarioFile(const std::string& file,
                                       const std::vector<std::string>& sets,
                                       const std::optional<std::string>& seed,
                                       std::vector<Warning>& warnings);
// Each warning on its own line on stderr.
void PrintWarnings(const std::vector<Warning>& warnings);

}  // namespace clustersim::apps::cli
