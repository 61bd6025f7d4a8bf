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
  // The master's whole-cluster sweep (Master::CheckInvariants: allocated + offered + available ==
  // capacity per agent, framework and role sums, offers) after every event and at the end; a
  // violation aborts with its message. O(cluster) per event: for small scenarios, tests, plugin
  // development and bug reports. Results are the same with or without it.
  bool check_invariants = false;
};

// Builds the cluster for `scenario`, runs it for its duration (or until SIGINT/SIGTERM, after
// which the partial results are still written, marked "interrupted"), and returns summary.json's
// content. Every file is written as `<name>.tmp` and renamed when complete; summary.json comes
// last and lists the others with their sizes.
sim::Result<nlohmann::ordered_json> RunScenario(const Scenario& scenario,
                                                const RunOptions& options);

// Installs the SIGINT and SIGTERM handler: the first signal asks every running simulation to stop
// and write its files (polled after each event), and batch runs to start no more runs; a second
// one kills the process at once (the default action).
void InstallInterruptHandler();
// True once that first signal arrived.
bool Interrupted();

std::string Sha256Hex(std::string_view data);
std::string Version();

}  // namespace clustersim::apps
