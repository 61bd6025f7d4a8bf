#pragma once

#include <string>

#include "apps/experiment/plan.h"
#include "apps/progress.h"
#include "sim/status.h"

namespace clustersim::apps {

struct MpiJob;

struct SweepOptions {
  unsigned jobs = 0;         // worker threads; 0: one per core
  std::string out_dir;       // default out/sweep-<name>
  bool resume = false;       // skip runs already in out_dir/runs.csv
  ProgressOptions progress;  // runs done / total and ETA on stderr
};

// Reads a sweep file: a base scenario (relative to the file), `set` overrides for every cell,
// axes (lists of values for scenario key paths, the --set grammar; `paths` move together), a seed
// count and the metrics to collect (summary.json paths; default DefaultMetrics()).
sim::Result<ExperimentPlan> LoadSweepPlan(const std::string& sweep_file);

// `clustersim sweep FILE`: runs the plan (RunExperiment: runs.csv appended as runs finish and
// rewritten sorted by (cell, seed) at the end; wall times in timing.csv; CDF points in cdfs.csv),
// then writes summary.csv, summary.md (mean and 95% Student-t interval per cell) and cells.json,
// and prints summary.md.
//
// Under an MPI launcher (`mpirun -n K`, K > 1) the runs are spread over the ranks instead of
// threads; rank 0 writes the same files, so runs.csv is byte-identical to the local mode's.
sim::Status RunSweep(const std::string& sweep_file, const SweepOptions& options,
                     const MpiJob* mpi = nullptr);

}  // namespace clustersim::apps
