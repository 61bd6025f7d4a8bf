#pragma once

#include <string>

#include "sim/status.h"

namespace clustersim::apps {

struct SweepOptions {
  unsigned jobs = 0;    // worker threads; 0: one per core
  std::string out_dir;  // default out/sweep-<name>
  bool resume = false;  // skip runs already in out_dir/runs.csv
};

// Runs a sweep file: a base scenario plus axes (lists of values for scenario key paths, the
// --set grammar), a seed count and the metrics to collect. The cartesian product of the axes
// is the set of cells; every cell runs with seeds base..base+N-1 (common random numbers across
// cells). Each finished run is appended to runs.csv at once (so a killed sweep loses nothing),
// which is rewritten sorted by (cell, seed) at the end; wall times go to timing.csv; summary.csv
// and summary.md give the mean and 95% Student-t interval per cell.
//
// Under an MPI launcher (`mpirun -n K`, K > 1) the runs are spread over the ranks instead of
// threads; rank 0 writes the same files, so runs.csv is byte-identical to the local mode's.
struct MpiJob;
sim::Status RunSweep(const std::string& sweep_file, const SweepOptions& options,
                     const MpiJob* mpi = nullptr);

}  // namespace clustersim::apps
