// The clustersim command line: registers the subcommands (apps/cli/<command>.cc), parses, loads
// plugins and runs the one chosen.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/cli/command.h"
#include "apps/config/yaml_value.h"
#include "apps/runner.h"
#include "scheduler_plugins/builtin.h"
#include "scheduler_plugins/loader.h"

namespace clustersim::apps::cli {
namespace {

using Commands = std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>>;

// The first word that is neither an option nor --plugin's value must name a command, and the
// options before it must be the program's own: CLI11 alone would say only "A subcommand is
// required" for `clustersim runn x.yaml` or `clustersim --bogus run`.
sim::Status UnknownCommand(int argc, char** argv, const Commands& commands) {
  std::vector<std::string> names;
  for (const auto& [sub, command] : commands) names.push_back(sub->get_name());
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--plugin") {
      ++i;
      continue;
    }
    if (arg.starts_with("-")) {
      // Before the command only the program's own options are known; CLI11 would answer an
      // unknown one with "A subcommand is required".
      static constexpr std::string_view kOwn[] = {"--help", "-h", "--version"};
      if (arg.starts_with("--plugin=") ||
          std::find(std::begin(kOwn), std::end(kOwn), arg) != std::end(kOwn)) {
        continue;
      }
      return sim::Status::Error(fmt::format(
          "unknown option '{}' before the command (there: --plugin, --help, --version); "
          "commands: {}",
          arg, fmt::join(names, ", ")));
    }
    if (std::find(names.begin(), names.end(), arg) != names.end()) return sim::Status::Ok();
    const std::optional<std::string> nearest = ClosestMatch(arg, names);
    return sim::Status::Error(
        fmt::format("unknown command '{}'{}; commands: {}", arg,
                    nearest ? fmt::format(" (did you mean '{}'?)", *nearest) : std::string(),
                    fmt::join(names, ", ")));
  }
  return sim::Status::Ok();
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

  // The subcommands, in the order --help lists them.
  Commands commands;
  auto add = [&](const char* name, const char* help, std::unique_ptr<Command> command) {
    CLI::App* sub = app.add_subcommand(name, help);
    command->AddOptions(*sub);
    commands.emplace_back(sub, std::move(command));
  };
  add("run", "run a scenario and write its results", NewRunCommand());
  add("validate", "check scenarios without running them", NewValidateCommand());
  add("policies", "list the registered policies", NewPoliciesCommand());
  add("metrics", "list the metric catalogue: summary.json paths, units, titles, presence",
      NewMetricsCommand());
  add("plot", "plot a run, compare or sweep folder as PNG/SVG with report.html (matplotlib)",
      NewPlotCommand());
  add("sweep", "run a sweep file: cartesian product of axes x seeds; mean and 95% CI per cell",
      NewSweepCommand());
  add("trace-info", "a quick look at trace files: event counts, time span, machines, requests",
      NewTraceInfoCommand());
  add("compare", "run allocator x placement cells over seeds; mean and 95% CI per cell",
      NewCompareCommand());
  add("events", "print an events.binpb (run --events) as lines, CSV or JSON lines",
      NewEventsCommand());
  add("bench", "benchmarks for users (see bench/ for the suites)", NewBenchCommand());

  if (auto unknown = UnknownCommand(argc, argv, commands); !unknown.ok()) return Fail(unknown);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kInputError;
  }
  for (const std::string& path : plugin_paths) {
    if (auto loaded = plugins::LoadPlugin(path); !loaded.ok()) return Fail(loaded.status());
  }
  for (const auto& [sub, command] : commands) {
    if (sub->parsed()) return command->Run();
  }
  return 0;
}

}  // namespace clustersim::apps::cli

int main(int argc, char** argv) { return clustersim::apps::cli::Main(argc, argv); }
