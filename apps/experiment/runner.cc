#include "apps/experiment/runner.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "apps/experiment/batch_runner.h"
#include "apps/experiment/cdf_log.h"
#include "apps/experiment/run_log.h"
#include "apps/progress.h"
#include "apps/runner.h"

namespace clustersim::apps {
namespace {

// Every (cell, seed) of the plan that `done` does not hold yet, cell by cell.
std::vector<RunRequest> PendingRuns(const ExperimentPlan& plan, const ResultTable& done,
                                    const std::string& runs_dir) {
  std::vector<RunRequest> requests;
  for (size_t c = 0; c < CellCount(plan); ++c) {
    for (int s = 0; s < plan.seeds; ++s) {
      const uint64_t seed = plan.base_seed + static_cast<uint64_t>(s);
      if (!done.Contains(c, seed)) requests.push_back(PlanRequest(plan, c, seed, runs_dir));
    }
  }
  return requests;
}

std::string RunName(const ExperimentPlan& plan, const RunRequest& r) {
  std::string cell;
  for (const std::string& label : CellLabels(plan, r.cell)) {
    cell += (cell.empty() ? "" : " / ") + label;
  }
  return fmt::format("run {} seed {}", cell, r.seed);
}

// Runs `requests` on threads or MPI ranks; each finished run goes into `table`, `log` and `cdfs`.
sim::Status RunPending(const ExperimentPlan& plan, const ExperimentOptions& options,
                       const std::vector<RunRequest>& requests, ResultTable& table, RunLog& log,
                       CdfLog& cdfs) {
  BatchProgress progress(table.size() + requests.size(), table.size(), options.progress);
  sim::Status first_error;
  const RunDone record = [&](size_t i, const RunResult& result) {
    const RunRequest& r = requests[i];
    if (RunWasInterrupted(result)) return;  // partial: not a result; --resume redoes it
    if (!result.status.ok()) {
      if (first_error.ok()) {
        first_error =
            sim::Status::Error(fmt::format("{}: {}", RunName(plan, r), result.status.message()));
      }
      return;
    }
    ResultRow row = MakeResultRow(plan, r.cell, r.seed, result.summary);
    // The CDF points first: a run is recorded (runs file) only once its points are whole.
    sim::Status appended = cdfs.Append(r.cell, r.seed, result.summary);
    if (appended.ok()) appended = log.Append(row);
    if (!appended.ok() && first_error.ok()) first_error = appended;
    table.Add(std::move(row));
    progress.RunFinished();
  };
  if (options.mpi != nullptr && options.mpi->active) {
    MpiCoordinate(*options.mpi, requests, record);
  } else {
    RunBatch(*plan.base, requests, options.jobs, record);
  }
  progress.Clear();
  return first_error;
}

}  // namespace

sim::Result<std::optional<ResultTable>> RunExperiment(ExperimentPlan& plan,
                                                      const ExperimentOptions& options) {
  SIM_RETURN_IF_ERROR(ValidatePlan(plan));
  if (options.mpi != nullptr && options.mpi->active && options.mpi->rank != 0) {
    MpiWork(*options.mpi, *plan.base, [&](size_t cell, uint64_t seed) {
      return PlanRequest(plan, cell, seed, options.runs_dir);
    });
    return std::optional<ResultTable>();
  }
  for (const std::string& w : plan.warnings) std::fprintf(stderr, "%s\n", w.c_str());
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) {
    return sim::Status::Error(fmt::format("cannot create {}: {}", options.out_dir, ec.message()));
  }
  ResultTable table;
  SIM_ASSIGN_OR_RETURN(
      auto log, RunLog::Open(plan, options.out_dir, options.runs_file, options.resume, table));
  const std::vector<RunRequest> requests = PendingRuns(plan, table, options.runs_dir);
  SIM_ASSIGN_OR_RETURN(auto cdfs, CdfLog::Open(plan, options.out_dir, options.resume, table));
  const sim::Status run_status = RunPending(plan, options, requests, table, *log, *cdfs);
  SIM_RETURN_IF_ERROR(run_status);
  SIM_RETURN_IF_ERROR(log->Finish(table));
  SIM_RETURN_IF_ERROR(cdfs->Finish(table));
  if (Interrupted()) {
    // The runs file holds every run that finished, complete; the tables over cells are not
    // written from a part of the runs.
    return sim::Status::Error(
        fmt::format("interrupted: {} of {} runs recorded in {}", table.size(),
                    CellCount(plan) * static_cast<size_t>(plan.seeds),
                    (std::filesystem::path(options.out_dir) / options.runs_file).string()));
  }
  return std::optional<ResultTable>(std::move(table));
}

}  // namespace clustersim::apps
