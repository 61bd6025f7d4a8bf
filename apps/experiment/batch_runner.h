#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apps/config/yaml_value.h"
#include "sim/status.h"

namespace clustersim::apps {

// One run of a batch: a base scenario with key overrides (the cell) and a seed.
struct RunRequest {
  size_t cell = 0;
  std::vector<std::string> overrides;  // "path=value", applied in order (the seed last)
  uint64_t seed = 1;
  std::string out_dir;  // empty: write no files
};

struct RunResult {
  sim::Status status;
  nlohmann::ordered_json summary;  // valid when status is ok
};

// Runs every request on `jobs` worker threads (0: one per core) and returns the results in
// request order, whatever order they finished in. Runs share nothing but read-only registries, so
// each result is exactly what a single `clustersim run` of the same cell and seed gives.
// `on_done(i, result)` is called (from a worker, serialised) as each run finishes, e.g. to record
// it at once or show progress. After SIGINT/SIGTERM (apps/runner.h: Interrupted) no further run
// starts: those requests keep an ok status and an empty summary, and the runs in flight return
// summaries marked "interrupted" (see RunWasInterrupted).
using RunDone = std::function<void(size_t, const RunResult&)>;
// True if `result` is a run stopped by SIGINT/SIGTERM, or one never started because of it: not a
// result to record.
bool RunWasInterrupted(const RunResult& result);

std::vector<RunResult> RunBatch(const YamlDocument& base, const std::vector<RunRequest>& requests,
                                unsigned jobs, const RunDone& on_done = {});

}  // namespace clustersim::apps
