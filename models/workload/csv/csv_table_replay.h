#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/workload/csv/csv_format.h"
#include "models/workload/csv/csv_reader.h"
#include "models/workload/table_pump.h"
#include "models/workload/trace_io/csv_table_io.h"
#include "models/workload/trace_os_mapping.h"
#include "models/workload/trace_source.h"

namespace clustersim::models {

// A generic task table in CSV: one row per task, its columns named by role in the scenario
// (trace.columns: submit_time, job_id, task_id, instances, duration, cpus, mem, disk, os, image,
// user, scheduling_class, priority; other columns are ignored). Each row is a task of `instances`
// identical instances (default 1) running `duration` seconds, each requesting cpus (cores), mem and
// disk (MiB, or fractions of machine_size for the roles listed in trace.normalised).
//
// Jobs are the consecutive rows sharing a job_id (each row is its own job when there is no job_id
// column). As CloudSimPy does with its jobs.csv, a job is submitted whole at its *last* row's
// submit_time, and jobs are replayed in order of that time, file order among equal times — the file
// need not be sorted: TimeOrderedTable merges its sorted runs. trace.first_jobs keeps the first N
// jobs of that order; with trace.rebase_time (default) times count from the first job's.
//
// OS and image: the os (linux | windows) and image (a catalog name) columns when present and not
// empty, else one draw per job from the trace's OS mapping.
//
// Frameworks (trace.map_to_frameworks, framework_mapping.h): by the user (any text),
// scheduling_class or priority (non-negative integers; empty = missing) of the job's first row,
// so that a job's tasks stay together; the rule needs its column.
class CsvTableReplay final : public TraceSource {
 public:
  // A row as the replay takes it: the parsed row (csv_reader.h) with its image looked up in the
  // scenario's catalog.
  struct Row {
    double submit_time = 0;
    std::string_view job_id;
    int64_t instances = 1;
    double duration = 0;
    Resources resources;
    std::optional<plugins::Os> os;
    std::optional<uint32_t> image;
    std::string_view user;
    int scheduling_class = -1;  // -1: no column, or empty
    int priority = -1;
  };

  // Checks the mode, that the mapping's rule has its column, and that the files can be opened;
  // rows are read when the run starts.
  static sim::Result<std::unique_ptr<TraceSource>> Open(const ScenarioSpec& spec);
  explicit CsvTableReplay(const ScenarioSpec& spec);

  void Start(const TraceHost& host) override;
  std::vector<std::pair<std::string, double>> Report() const override;

  // Parsing of one row (public for the tests): an error message, or nullopt if valid. With a
  // header, a row must have as many fields as the header (known once Start has read it).
  std::optional<std::string> Parse(std::string_view line, Row& row) const;

 private:
  // The image named by the row, looked up in the catalog; its OS must agree with the row's.
  std::optional<std::string> LookUpImage(std::string_view name, Row& row) const;
  void SubmitJob(const TableUnit& unit);

  const ScenarioSpec& spec_;
  const CsvOptions& options_;
  CsvRowParser parser_;
  TraceSubmit* submit_ = nullptr;
  std::unique_ptr<TraceOsMapper> os_;
  RowErrors errors_;
  TimeOrderedTable input_;
  TablePump pump_;
  double time_base_ = 0;
  int64_t jobs_ = 0;
  uint64_t tasks_ = 0;
  uint64_t instances_ = 0;
};

}  // namespace clustersim::models
