#pragma once

// The row parser of a csv task table (part of clustersim_trace_io: it depends on sim/ only, for
// the replay, trace-info and fuzz targets). It turns a line's fields into a typed row by the
// columns' roles; what needs the scenario (the image catalog) is the replay's (csv_table_replay.h).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clustersim::models {

// The roles a csv trace's columns may have (trace.columns, trace-info --columns).
inline constexpr std::string_view kCsvColumnRoles[] = {
    "submit_time", "job_id", "task_id", "instances",        "duration", "cpus",    "mem",
    "disk",        "os",     "image",   "scheduling_class", "user",     "priority"};
// "submit_time, job_id, ...", for messages.
std::string CsvColumnRoleList();

// One row as its columns give it. String views point into the line.
struct CsvRow {
  double submit_time = 0;
  std::string_view job_id;
  int64_t instances = 1;
  double duration = 0;
  double cpus = 0, mem = 0, disk = 0;  // x the parser's scale
  std::string_view os;                 // "linux", "windows", or empty (no column or no value)
  std::string_view image;              // a catalog name, or empty
  std::string_view user;
  int scheduling_class = -1;  // -1: no column, or empty
  int priority = -1;
};

// Parses rows by column role (role -> index; unknown roles are ignored).
class CsvRowParser {
 public:
  // The index of each role's column; -1: none.
  struct Columns {
    int submit_time = -1, job_id = -1, task_id = -1, instances = -1, duration = -1, cpus = -1,
        mem = -1, disk = -1, os = -1, image = -1, user = -1, scheduling_class = -1, priority = -1;
    int max = -1;  // largest index named
  };

  // `scale`: multipliers of cpus, mem and disk (fractions of machine_size for normalised roles).
  explicit CsvRowParser(const std::vector<std::pair<std::string, int>>& columns,
                        std::array<double, 3> scale = {1, 1, 1});

  // With a header, a row must have as many fields as the header (0: any number).
  void set_header_fields(size_t n) { header_fields_ = n; }
  const Columns& columns() const { return columns_; }

  // An error message naming the column, or nullopt if the row is valid. Submit time, duration
  // and the resources are non-negative numbers within the trace ranges (trace_io/row_ranges.h;
  // resources times their scale); instances an integer in [1, 10^6]; scheduling class and
  // priority integers in [0, 1000000] or empty; os linux, windows or empty. A column index of
  // kMaxFields or more makes every row an error (callers refuse such indices first).
  std::optional<std::string> Parse(std::string_view line, CsvRow& row) const;

  // Fields a row may have; column indices are below it.
  static constexpr size_t kMaxFields = 256;

 private:
  using Fields = std::array<std::string_view, kMaxFields>;
  // The parts of Parse: submit time, duration and resources; job id, instances, user, class and
  // priority; os and image.
  std::optional<std::string> ParseAmounts(const Fields& f, CsvRow& row) const;
  std::optional<std::string> ParseKeys(const Fields& f, CsvRow& row) const;
  std::optional<std::string> ParseOsAndImage(const Fields& f, CsvRow& row) const;

  Columns columns_;
  std::array<double, 3> scale_;  // cpus, mem, disk multipliers
  size_t header_fields_ = 0;
};

}  // namespace clustersim::models
