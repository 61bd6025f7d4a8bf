#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "apps/config/yaml_value.h"
#include "apps/experiment/batch_runner.h"
#include "apps/run_metrics.h"
#include "sim/status.h"

namespace clustersim::apps {

// One dimension of an experiment. Usually one key path and its values; several paths move
// together (each value then has one entry per path), e.g. the sizes of three agent groups, or a
// placement set on every framework at once.
struct Axis {
  std::string name;                              // column name in tables
  std::vector<std::string> paths;                // scenario key paths, the --set grammar
  std::vector<std::vector<std::string>> values;  // [value][path]: YAML text, as --set takes it
  std::vector<std::string> labels;               // [value]: how the value shows in tables
  // [value]: where it was given, for errors: "sweep.yaml:9:15: axes[0].values[1]",
  // "--placements nosuch". Empty: errors show the --set it became.
  std::vector<std::string> origins{};
  // [path]: where each path was given, "sweep.yaml:8:11: axes[0].path", for errors about the
  // path itself (a key the scenario does not have). Empty: such errors show the value's origin.
  std::vector<std::string> path_origins{};
};

// An experiment: a base scenario, axes whose cartesian product is the set of cells (row-major:
// the last axis varies fastest), and seeds base_seed .. base_seed + seeds - 1 shared by every
// cell, so that for a given seed every cell sees the same workload and failures (common random
// numbers). `clustersim sweep` reads one from a sweep file; `clustersim compare` builds one with
// two axes, allocator x placement.
struct ExperimentPlan {
  std::string name;
  std::optional<YamlDocument> base;         // optional only because a document has no empty state
  std::vector<std::string> base_overrides;  // applied to every cell before its axes' values
  std::vector<std::string> base_override_origins;  // [override]: as Axis::origins
  std::vector<Axis> axes;
  int seeds = 1;
  uint64_t base_seed = 1;  // set by ValidatePlan from the base scenario's seed
  std::vector<MetricPath> metrics;
  std::vector<std::string> timing;  // columns of timing.csv, names in the summary's "run" object
  // Set by ValidatePlan: the cells' scenario warnings (config/warnings.h), each line once however
  // many cells share it, in cell order.
  std::vector<std::string> warnings;
};

size_t CellCount(const ExperimentPlan& plan);
// The cell's value index on each axis.
std::vector<size_t> CellCoordinates(const ExperimentPlan& plan, size_t cell);
// The cell's label on each axis.
std::vector<std::string> CellLabels(const ExperimentPlan& plan, size_t cell);
// The base overrides, then "path=value" for each path of each axis.
std::vector<std::string> CellOverrides(const ExperimentPlan& plan, size_t cell);

// Every cell must be a valid scenario before anything runs: loads each one and returns the first
// error. Sets plan.base_seed to the seed of cell 0 and plan.warnings.
sim::Status ValidatePlan(ExperimentPlan& plan);

// The run of one (cell, seed). With a non-empty `runs_dir`, the run writes its files to
// runs_dir/<labels joined by '-'>-s<seed>.
RunRequest PlanRequest(const ExperimentPlan& plan, size_t cell, uint64_t seed,
                       const std::string& runs_dir);

}  // namespace clustersim::apps
