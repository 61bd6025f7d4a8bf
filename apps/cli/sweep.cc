// `clustersim sweep FILE`: the cartesian product of a sweep file's axes x seeds.
#include "apps/experiment/sweep.h"

#include "apps/cli/command.h"
#include "apps/experiment/mpi.h"
#include "apps/runner.h"

namespace clustersim::apps::cli {
namespace {

class SweepCommand : public Command {
 public:
  void AddOptions(CLI::App& sweep) override {
    sweep.add_option("file", file_, "sweep YAML file (scenarios/sweeps/*.yaml)")->required();
    sweep.add_option("--jobs,-j", options_.jobs, "worker threads (default: all cores)");
    sweep.add_option("--out", options_.out_dir, "output folder (default out/sweep-<name>)");
    sweep.add_flag("--resume", options_.resume, "skip runs already in runs.csv");
    progress_.Add(sweep, "no progress on stderr (the table still goes to stdout)");
  }

  int Run() override {
    InstallInterruptHandler();
    const auto progress = progress_.Options();
    if (!progress.ok()) return Fail(progress.status());
    options_.progress = *progress;
    const ScopedMpi mpi;  // a no-op unless an MPI launcher started us
    const sim::Status s = RunSweep(file_, options_, &mpi.job());
    if (!s.ok()) return Interrupted() ? FailInterrupted(s) : Fail(s);
    return 0;
  }

 private:
  std::string file_;
  SweepOptions options_;
  ProgressFlags progress_;
};

}  // namespace

std::unique_ptr<Command> NewSweepCommand() { return std::make_unique<SweepCommand>(); }

}  // namespace clustersim::apps::cli
