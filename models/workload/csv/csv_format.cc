#include "models/workload/csv/csv_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "models/workload/csv/csv_info.h"
#include "models/workload/csv/csv_table_replay.h"
#include "models/workload/framework_mapping.h"

namespace clustersim::models {
namespace {

using By = FrameworkMapping::By;

sim::Status ReadOptions(TraceParams& params, const TraceSpec& t, CsvOptions& options) {
  SIM_RETURN_IF_ERROR(params.Int("first_jobs", 1, INT64_MAX, options.first_jobs));
  SIM_RETURN_IF_ERROR(params.Bool("rebase_time", options.rebase_time));
  SIM_RETURN_IF_ERROR(params.Bool("header", options.header));
  SIM_RETURN_IF_ERROR(params.NamedInts("columns", kCsvColumnRoles, "column role",
                                       static_cast<int64_t>(CsvRowParser::kMaxFields) - 1,
                                       options.columns));
  SIM_RETURN_IF_ERROR(params.Choices("normalised", {"cpus", "mem", "disk"}, options.normalised));
  for (std::string_view role : {"submit_time", "duration", "cpus"}) {
    if (!options.HasColumn(role)) {
      return params.Fail(fmt::format(
          "a csv trace needs 'columns' naming at least submit_time, duration and cpus (missing "
          "'{}')",
          role));
    }
  }
  if (t.Paths("jobs") == nullptr) return params.Fail("a csv trace needs a 'jobs' table in paths");
  return sim::Status::Ok();
}

// Every rule whose field has a column.
sim::Status CheckMapping(const TraceSpec& t) {
  const CsvOptions& options = t.Options<CsvOptions>();
  std::vector<By> rules = {By::kAll};
  if (options.HasColumn("user")) rules.push_back(By::kUser);
  if (options.HasColumn("scheduling_class")) rules.push_back(By::kSchedulingClass);
  if (options.HasColumn("priority")) rules.push_back(By::kPriorityBand);
  if (std::find(rules.begin(), rules.end(), t.map.by) != rules.end()) return sim::Status::Ok();
  std::string names;
  for (By r : rules) names += (names.empty() ? "" : ", ") + std::string(MappingRuleName(r));
  const std::string_view role = t.map.by == By::kUser              ? "user"
                                : t.map.by == By::kSchedulingClass ? "scheduling_class"
                                                                   : "priority";
  return sim::Status::Error(
      fmt::format("trace format csv maps jobs by '{}' only with a '{}' column in trace.columns; "
                  "with these columns it supports: {}",
                  MappingRuleName(t.map.by), role, names));
}

}  // namespace

bool CsvOptions::HasColumn(std::string_view role) const {
  return std::any_of(columns.begin(), columns.end(),
                     [&](const auto& c) { return c.first == role; });
}

sim::Status RegisterCsv(TraceFormats& formats) {
  TraceFormatEntry entry;
  entry.description = "a task table in CSV, its columns named by role (e.g. CloudSimPy's jobs.csv)";
  entry.tables = {"jobs"};
  entry.parse_options = ParseOptionsWith<CsvOptions>(ReadOptions);
  entry.check_mapping = CheckMapping;
  entry.check_tables = [](const TraceSpec& t) {
    const std::vector<std::string>* files = t.Paths("jobs");
    if (files != nullptr && !files->empty()) return sim::Status::Ok();
    return sim::Status::Error("a csv trace needs a 'jobs' table in trace.paths");
  };
  entry.open = CsvTableReplay::Open;
  entry.info = CsvTraceInfo;
  entry.info_takes_columns = true;
  return formats.Register("csv", std::move(entry));
}

}  // namespace clustersim::models
