#pragma once

#include <optional>
#include <string>
#include <vector>

#include "apps/config/yaml_value.h"
#include "apps/experiment/plan.h"
#include "apps/progress.h"
#include "sim/status.h"

namespace clustersim::apps {

struct MpiJob;

struct CompareOptions {
  std::vector<std::string> allocators;  // empty: the scenario's compare block, else its allocator
  std::vector<std::string> placements;  // empty: the scenario's compare block, else first-fit
  int seeds = 0;                        // 0: the scenario's compare block, else 5
  unsigned jobs = 0;                    // worker threads; 0: one per core
  std::string out_dir;                  // default out/compare-<scenario>
  bool keep_runs = false;               // also write every run's files under runs/
  ProgressOptions progress;             // runs done / total and ETA on stderr
};

// A compare as an experiment: two axes, allocator (master.allocator) x placement (set on every
// framework at once), over the options' seeds; what the options leave open comes from the
// scenario's compare block, then the defaults. Fills in options.out_dir.
sim::Result<ExperimentPlan> ComparePlan(const YamlDocument& base, CompareOptions& options);

// `clustersim compare`: runs every (allocator, placement) cell for N seeds — seeds base, base+1,
// ... shared by all cells (common random numbers) — and writes compare.csv (one row per run,
// deterministic metrics only), timing.csv (wall and policy CPU time), cdfs.csv (each run's CDF
// points, CdfLog), compare.md (mean and 95% Student-t interval per cell) and cells.json. Returns
// compare.md's text (nullopt on an MPI worker rank).
sim::Result<std::optional<std::string>> RunCompare(const YamlDocument& base, CompareOptions options,
                                                   const MpiJob* mpi = nullptr);

}  // namespace clustersim::apps
