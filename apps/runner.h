#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "apps/progress.h"
#include "apps/scenario.h"
#include "sim/status.h"

namespace clustersim::apps {

struct RunOptions {
  std::string out_dir;        // created if missing
  bool write_files = true;    // summary.json, tasks.csv, timeseries.csv (+ events.binpb on request)
  bool events_binpb = false;  // in addition to the scenario's results.events_binpb
  ProgressOptions progress;   // on stderr: a line on a terminal, else a line per interval
};

// Builds the cluster for `scenario`, runs it for its duration (or until Ctrl-C, after which the
// partial results are still written), and returns summary.json's content.
sim::Result<nlohmann::ordered_json> RunScenario(const Scenario& scenario,
                                                const RunOptions& options);

// Installs the SIGINT handler that asks running simulations to stop and flush.
void InstallInterruptHandler();

std::string Sha256Hex(std::string_view data);
std::string Version();

}  // namespace clustersim::apps
