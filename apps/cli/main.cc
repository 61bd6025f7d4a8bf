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

  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(NewRunCommand());
  commands.push_back(NewValidateCommand());
  commands.push_back(NewPoliciesCommand());
  commands.push_back(NewPlotCommand());
  commands.push_back(NewSweepCommand());
  commands.push_back(NewTraceInfoCommand());
  commands.push_back(NewCompareCommand());
  commands.push_back(NewBenchCommand());
  std::vector<CLI::App*> subcommands;
  for (const auto& command : commands) subcommands.push_back(command->Register(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kInputError;
  }
  for (const std::string& path : plugin_paths) {
    if (auto loaded = plugins::LoadPlugin(path); !loaded.ok()) return Fail(loaded.status());
  }
  for (size_t i = 0; i < commands.size(); ++i) {
    if (subcommands[i]->parsed()) return commands[i]->Run();
  }
  return 0;
}

}  // namespace clustersim::apps::cli

int main(int argc, char** argv) { return clustersim::apps::cli::Main(argc, argv); }
