// `clustersim policies`: the registered allocator and placement policies.
#include <cstdio>

#include "apps/cli/command.h"
#include "scheduler_plugins/api/registry.h"

namespace clustersim::apps::cli {
namespace {

class PoliciesCommand : public Command {
 public:
  void AddOptions(CLI::App&) override {}

  int Run() override {
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
};

}  // namespace

std::unique_ptr<Command> NewPoliciesCommand() { return std::make_unique<PoliciesCommand>(); }

}  // namespace clustersim::apps::cli
