#include "apps/experiment/run_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "apps/experiment/writers.h"
#include "apps/runner.h"
#include "results/csv.h"
#include "results/output_file.h"

namespace clustersim::apps {
namespace {

namespace fs = std::filesystem;

// A number field as FormatValue wrote it ("" and "nan" are missing values).
double ParseValue(const std::string& field) {
  return field.empty() ? std::nan("") : std::stod(field);
}

// The rows of a per-run file we wrote with `columns`, keyed by (cell, seed), each with the values
// after the seed column. Rows with another field count (cut short by a kill) or unreadable numbers
// are left out. `columns_match` tells whether the file's header is `columns`.
std::map<ResultTable::Key, std::vector<double>> ReadRunFile(const std::string& path,
                                                            const std::vector<std::string>& columns,
                                                            size_t seed_column,
                                                            bool* columns_match) {
  results::CsvFile file = results::ReadCsvFile(path);
  *columns_match = file.header == columns;
  // A last line without its newline was cut short mid-write: even with the right field count
  // its last value may be cut (0.125 read as 0.1).
  if (!file.rows.empty() && !results::EndsWithNewline(path)) file.rows.pop_back();
  std::map<ResultTable::Key, std::vector<double>> rows;
  for (const auto& fields : file.rows) {
    if (fields.size() != file.header.size() || fields.size() <= seed_column) continue;
    try {
      std::vector<double> values;
      for (size_t f = seed_column + 1; f < fields.size(); ++f) {
        values.push_back(ParseValue(fields[f]));
      }
      rows[{std::stoull(fields[0]), std::stoull(fields[seed_column])}] = std::move(values);
    } catch (const std::exception&) {
      continue;
    }
  }
  return rows;
}

// Whether `header` is what an older clustersim (before the metric catalogue, summary schema 1)
// wrote for `plan`: the same run columns, each metric under one of its old names.
bool IsLegacyHeader(const std::vector<std::string>& header, const ExperimentPlan& plan) {
  const std::vector<std::string> now = RunColumns(plan, MetricNames(plan));
  if (header.size() != now.size() || header == now) return false;
  const size_t first_metric = now.size() - plan.metrics.size();
  if (!std::equal(now.begin(), now.begin() + first_metric, header.begin())) return false;
  for (size_t m = 0; m < plan.metrics.size(); ++m) {
    const std::vector<std::string> old = LegacyColumnNames(plan.metrics[m]);
    if (std::find(old.begin(), old.end(), header[first_metric + m]) == old.end()) return false;
  }
  return true;
}

// The runs already recorded in `runs_path` (with their timing from `timing_path`, if recorded).
sim::Status ReadRecordedRuns(const ExperimentPlan& plan, const std::string& runs_path,
                             const std::string& timing_path, ResultTable& table) {
  const size_t seed_column = plan.axes.size() + 1;
  bool runs_match = false, timing_match = false;
  const auto runs =
      ReadRunFile(runs_path, RunColumns(plan, MetricNames(plan)), seed_column, &runs_match);
  if (!runs_match && IsLegacyHeader(results::ReadCsvFile(runs_path).header, plan)) {
    return sim::Status::Error(fmt::format(
        "{}: written by an older clustersim, whose columns were named differently "
        "(start_p99_windows_s is now start_latency_s.by_os.windows.p99; see CHANGES.md, "
        "\"Metric catalogue\"); --resume cannot carry it on: use another --out or "
        "drop --resume",
        runs_path));
  }
  if (!runs.empty() && !runs_match) {
    return sim::Status::Error(
        fmt::format("{}: written by a different sweep (other axes or metrics); "
                    "use another --out or drop --resume",
                    runs_path));
  }
  const auto timing =
      ReadRunFile(timing_path, RunColumns(plan, plan.timing), seed_column, &timing_match);
  for (const auto& [key, metrics] : runs) {
    ResultRow row{key.first, key.second, metrics, std::nullopt};
    const auto t = timing.find(key);
    if (timing_match && t != timing.end()) row.timing = t->second;
    table.Add(std::move(row));
  }
  return sim::Status::Ok();
}

// What the recorded runs depend on besides the columns: the base scenario's text, the `set:`
// overrides and every cell's values (the seed count may grow on resume).
std::string PlanFingerprint(const ExperimentPlan& plan) {
  std::string what = plan.base ? plan.base->text() : "";
  for (size_t cell = 0; cell < CellCount(plan); ++cell) {
    what += "\n--cell\n";
    for (const std::string& o : CellOverrides(plan, cell)) what += o + "\n";
  }
  return Sha256Hex(what);
}

// experiment.sha256 holds the fingerprint of the plan the runs in the folder were made with:
// --resume refuses to carry on runs of another base scenario or other values. A folder without
// it (older clustersim) is trusted as before.
sim::Status CheckSamePlan(const std::string& dir, const std::string& fingerprint,
                          const ResultTable& table) {
  const fs::path path = fs::path(dir) / kPlanFingerprintFile;
  if (table.size() == 0 || !fs::exists(path)) return sim::Status::Ok();
  std::ifstream in(path);
  std::string recorded;
  std::getline(in, recorded);
  if (recorded == fingerprint) return sim::Status::Ok();
  return sim::Status::Error(fmt::format(
      "{}: the runs there were made with another base scenario, set: or axis values (its {} "
      "differs); --resume would mix them: use another --out or drop --resume",
      dir, kPlanFingerprintFile));
}

}  // namespace

RunLog::RunLog(const ExperimentPlan& plan, std::string runs_path, std::string timing_path)
    : plan_(plan), runs_path_(std::move(runs_path)), timing_path_(std::move(timing_path)) {}

sim::Result<std::unique_ptr<RunLog>> RunLog::Open(const ExperimentPlan& plan,
                                                  const std::string& dir,
                                                  const std::string& runs_file, bool resume,
                                                  ResultTable& table) {
  std::unique_ptr<RunLog> log(new RunLog(plan, (fs::path(dir) / runs_file).string(),
                                         (fs::path(dir) / "timing.csv").string()));
  const std::string fingerprint = PlanFingerprint(plan);
  if (resume) {
    SIM_RETURN_IF_ERROR(ReadRecordedRuns(plan, log->runs_path_, log->timing_path_, table));
    SIM_RETURN_IF_ERROR(CheckSamePlan(dir, fingerprint, table));
  }
  // An earlier `plot`'s report.html describes other runs (or fewer): gone until plotted again.
  SIM_RETURN_IF_ERROR(results::RemoveStale((fs::path(dir) / "report.html").string()));
  SIM_RETURN_IF_ERROR(
      WriteTextFile((fs::path(dir) / kPlanFingerprintFile).string(), fingerprint + "\n"));
  SIM_RETURN_IF_ERROR(log->Rewrite(table));
  SIM_ASSIGN_OR_RETURN(log->runs_, results::AppendOnlyFile::Open(log->runs_path_));
  SIM_ASSIGN_OR_RETURN(log->timing_, results::AppendOnlyFile::Open(log->timing_path_));
  return log;
}

sim::Status RunLog::Append(const ResultRow& row) {
  // On disk now, whole: a kill loses only the runs in flight.
  SIM_RETURN_IF_ERROR(runs_->Append(RunsCsvLine(plan_, row)));
  if (row.timing) SIM_RETURN_IF_ERROR(timing_->Append(TimingCsvLine(plan_, row)));
  return sim::Status::Ok();
}

sim::Status RunLog::Finish(const ResultTable& table) {
  runs_.reset();
  timing_.reset();
  return Rewrite(table);
}

sim::Status RunLog::Rewrite(const ResultTable& table) {
  SIM_RETURN_IF_ERROR(WriteTextFile(runs_path_, RunsCsv(plan_, table)));
  return WriteTextFile(timing_path_, TimingCsv(plan_, table));
}

}  // namespace clustersim::apps
