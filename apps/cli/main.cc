// The clustersim command line: registers the subcommands (apps/cli/<command>.cc), parses, loads
// plugins and runs the one chosen.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "apps/cli/command.h"
#include "apps/runner.h"
#include "scheduler_plugins/builtin.h"
#include "scheduler_plugins/loader.h"

namespace clustersim::apps::cli {

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
  std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> commands;
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
