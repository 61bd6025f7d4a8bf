#pragma once

#include <string>
#include <vector>

#include "apps/config/yaml_value.h"
#include "sim/status.h"

namespace clustersim::apps {

struct CompareOptions {
  std::vector<std::string> allocators;  // empty: the scenario's compare block, else its allocator
  std::vector<std::string> placements;  // empty: the scenario's compare block, else first-fit
  int seeds = 0;                        // 0: the scenario's compare block, else 5
  unsigned jobs = 0;                    // worker threads; 0: one per core
  std::string out_dir;                  // default out/compare-<scenario>
  bool keep_runs = false;               // also write every run's files under runs/
};

// Runs every (allocator, placement) cell for N seeds — seeds base, base+1, ... shared by all cells,
// so for a given seed every cell sees the same workload and the same failures (common random
// numbers) — and writes compare.csv (one row per run, deterministic metrics only), timing.csv
// (wall and policy CPU time) and compare.md (mean and 95% Student-t interval per cell).
// Returns compare.md's text.
sim::Result<std::string> RunCompare(const YamlDocument& base, CompareOptions options);

}  // namespace clustersim::apps
