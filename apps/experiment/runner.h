#pragma once

#include <optional>
#include <string>

#include "apps/experiment/mpi.h"
#include "apps/experiment/plan.h"
#include "apps/experiment/result_table.h"
#include "apps/progress.h"
#include "sim/status.h"

namespace clustersim::apps {

struct ExperimentOptions {
  std::string out_dir;                 // created if missing
  std::string runs_file = "runs.csv";  // the per-run metrics file in out_dir
  unsigned jobs = 0;                   // worker threads; 0: one per core
  bool resume = false;                 // skip the runs already in out_dir's runs file
  std::string runs_dir;                // keep every run's files under it; empty: none
  const MpiJob* mpi = nullptr;         // spread the runs over MPI ranks when active
  ProgressOptions progress;            // runs done / total and ETA on stderr
};

// The batch runner: validates every cell of `plan` (an input error before anything runs), then
// runs each (cell, seed) not yet recorded — on `jobs` threads, or over the ranks of an active MPI
// job (rank 0 coordinates and writes, the others run) — with one progress bar, recording each run
// in out_dir's runs file and timing.csv as it finishes (RunLog). Returns every recorded run, or
// nullopt on an MPI worker rank (which has nothing to write). A failed run is an error naming its
// cell and seed; the runs that finished stay recorded for --resume. After SIGINT/SIGTERM the runs
// in flight stop and are not recorded, no run starts, the runs file is finished with the runs
// recorded so far, and the result is an error saying so.
sim::Result<std::optional<ResultTable>> RunExperiment(ExperimentPlan& plan,
                                                      const ExperimentOptions& options);

}  // namespace clustersim::apps
