// `clustersim validate SCENARIO...`: load and check scenarios without running them.
#include <cstdio>

#include "apps/cli/command.h"

namespace clustersim::apps::cli {
namespace {

class ValidateCommand : public Command {
 public:
  void AddOptions(CLI::App& validate) override {
    validate.add_option("scenario", files_, "scenario YAML files")->required();
    validate.add_option("--set", sets_, "override a key before validating")->take_all();
  }

  int Run() override {
    for (const std::string& file : files_) {
      auto scenario = LoadScenarioFile(file, sets_, std::nullopt);
      if (!scenario.ok()) return Fail(scenario.status());
      int agents = 0;
      for (const auto& g : scenario->spec.groups) agents += g.count;
      std::printf("%s: ok (%d agents in %zu groups, %zu frameworks, %zu images)\n", file.c_str(),
                  agents, scenario->spec.groups.size(), scenario->spec.frameworks.size(),
                  scenario->spec.images.images.size());
    }
    return 0;
  }

 private:
  std::vector<std::string> files_;
  std::vector<std::string> sets_;
};

}  // namespace

std::unique_ptr<Command> NewValidateCommand() { return std::make_unique<ValidateCommand>(); }

}  // namespace clustersim::apps::cli
