#pragma once

#include <memory>
#include <optional>
#include <string>

#include "apps/experiment/plan.h"
#include "apps/experiment/result_table.h"
#include "results/output_file.h"
#include "sim/status.h"

namespace clustersim::apps {

// The per-run files of an experiment: the runs file (deterministic metrics: runs.csv, or
// compare.csv) and timing.csv (wall-clock figures). Each finished run is appended at once as one
// whole line in one write (results::AppendOnlyFile), so a killed experiment loses only the runs in
// flight and leaves at most a torn last line, which --resume drops; at the end both files are
// rewritten from the table in (cell, seed) order, so they do not depend on the order runs
// finished in or on how often the experiment was resumed.
// The plan's fingerprint beside runs.csv: what --resume checks the recorded runs were made with.
inline constexpr const char* kPlanFingerprintFile = "experiment.sha256";

class RunLog {
 public:
  // Opens the files in `dir`. With `resume`, the runs already in them are first read into `table`
  // (a line cut short by a kill — no final newline, or another field count — is dropped, and
  // that run is redone); a runs file written by a
  // different plan (other axes or metrics) is an error. Both files are then rewritten with the
  // table's rows only and reopened for appending.
  static sim::Result<std::unique_ptr<RunLog>> Open(const ExperimentPlan& plan,
                                                   const std::string& dir,
                                                   const std::string& runs_file, bool resume,
                                                   ResultTable& table);

  sim::Status Append(const ResultRow& row);
  // Rewrites both files from `table`.
  sim::Status Finish(const ResultTable& table);

 private:
  RunLog(const ExperimentPlan& plan, std::string runs_path, std::string timing_path);
  sim::Status Rewrite(const ResultTable& table);

  const ExperimentPlan& plan_;
  std::string runs_path_;
  std::string timing_path_;
  std::optional<results::AppendOnlyFile> runs_;
  std::optional<results::AppendOnlyFile> timing_;
};

}  // namespace clustersim::apps
