// `clustersim plot DIR`: figures of a run, compare or sweep folder.
#include "apps/plot.h"

#include "apps/cli/command.h"

namespace clustersim::apps::cli {
namespace {

class PlotCommand : public Command {
 public:
  void AddOptions(CLI::App& plot) override {
    plot.add_option("dir", dir_, "output folder of run, compare or sweep")->required();
  }

  int Run() override {
    auto code = RunPlot(dir_);
    if (!code.ok()) return Fail(code.status());
    return *code;
  }

 private:
  std::string dir_;
};

}  // namespace

std::unique_ptr<Command> NewPlotCommand() { return std::make_unique<PlotCommand>(); }

}  // namespace clustersim::apps::cli
