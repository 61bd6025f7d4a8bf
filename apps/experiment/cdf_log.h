#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "apps/experiment/plan.h"
#include "apps/experiment/result_table.h"
#include "results/output_file.h"
#include "sim/status.h"

namespace clustersim::apps {

// cdfs.csv of an experiment (compare, sweep): each run's CDF points — summary.json's "cdf" object
// (results/cdf.h), which reaches the coordinator with the summary, also across MPI ranks — as one
// line per point: cell, one column per axis, seed, series (queue_delay_s, start_latency_s), os,
// q, value. Reports overlay the cells' CDFs from it without any run's tasks.csv being kept.
//
// Written like the runs file (RunLog): a finished run's lines are appended at once in one write,
// so a kill loses only the runs in flight; at the end the file is rewritten with the recorded runs
// in (cell, seed) order, so it does not depend on threads, ranks or resumes.
class CdfLog {
 public:
  // Opens `dir`/cdfs.csv. With `resume`, the lines of the runs already in `table` are kept (those
  // of other runs, and a last line cut short by a kill, are dropped); the file is then rewritten
  // with them and reopened for appending.
  static sim::Result<std::unique_ptr<CdfLog>> Open(const ExperimentPlan& plan,
                                                   const std::string& dir, bool resume,
                                                   const ResultTable& table);

  // Records the points of the run (cell, seed) from its summary; a summary without "cdf" adds none.
  sim::Status Append(size_t cell, uint64_t seed, const nlohmann::ordered_json& summary);
  // Rewrites the file with the lines of `table`'s runs, in (cell, seed) order.
  sim::Status Finish(const ResultTable& table);

 private:
  CdfLog(const ExperimentPlan& plan, std::string path) : plan_(plan), path_(std::move(path)) {}
  void ReadRecorded(const ResultTable& table);
  sim::Status Rewrite(const ResultTable& table);

  const ExperimentPlan& plan_;
  std::string path_;
  std::map<ResultTable::Key, std::string> lines_;  // every recorded run's lines, whole
  std::optional<results::AppendOnlyFile> file_;
};

}  // namespace clustersim::apps
