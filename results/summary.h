#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "models/cluster.h"
#include "results/metrics.h"

namespace clustersim::results {

// What is not deterministic about a run; kept in summary.json's "run" object, apart from the rest.
struct RunInfo {
  double wall_seconds = 0;
  std::string version;
  std::string scenario_sha256;
  bool interrupted = false;  // stopped early (Ctrl-C): the summary covers what ran
  std::string error;         // stopped by an input error (a strict trace row, a policy's): why
};

// The run's other result files (name in the run folder, size in bytes), in the order written.
using FileSizes = std::vector<std::pair<std::string, uint64_t>>;

// summary.json's content. Everything outside "run" is a pure function of (scenario, seed).
// `files` becomes the "files" object: summary.json is written last, so a file it does not list,
// or whose size differs, is not this run's (the run was killed before it finished).
nlohmann::ordered_json BuildSummary(const models::Cluster& cluster, const MetricsCollector& metrics,
                                    const FileSizes& files, const RunInfo& run);

// A short human-readable table of the summary, for the terminal.
std::string FormatSummaryTable(const nlohmann::ordered_json& summary);

}  // namespace clustersim::results
