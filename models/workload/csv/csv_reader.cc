#include "models/workload/csv/csv_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "models/workload/trace_io/line_reader.h"

namespace clustersim::models {
namespace {

using Fields = std::array<std::string_view, CsvRowParser::kMaxFields>;

// A non-negative number in `column`.
std::optional<std::string> Number(const Fields& f, int column, const char* role, double& out) {
  const std::string_view v = f[static_cast<size_t>(column)];
  if (!ParseDouble(v, out) || !std::isfinite(out)) {
    return fmt::format("{} (column {}) '{}' is not a number", role, column, v);
  }
  if (out < 0) return fmt::format("{} (column {}) is negative: {}", role, column, v);
  return std::nullopt;
}

// An integer level in [0, 1000000] (scheduling class, priority); -1 without a column or value.
std::optional<std::string> Level(const Fields& f, int column, const char* role, int& out) {
  out = -1;
  if (column < 0) return std::nullopt;
  const std::string_view v = f[static_cast<size_t>(column)];
  if (v.empty()) return std::nullopt;
  int64_t value = 0;
  if (!ParseInt(v, value) || value < 0 || value > 1'000'000) {
    return fmt::format("{} (column {}) '{}' is not an integer in [0, 1000000]", role, column, v);
  }
  out = static_cast<int>(value);
  return std::nullopt;
}

// The field of `column`, or empty without one.
std::string_view Field(const Fields& f, int column) {
  return column >= 0 ? f[static_cast<size_t>(column)] : std::string_view();
}

}  // namespace

std::string CsvColumnRoleList() {
  std::string out;
  for (std::string_view role : kCsvColumnRoles) {
    if (!out.empty()) out += ", ";
    out += role;
  }
  return out;
}

namespace {

// Each role's column slot, in kCsvColumnRoles' order (the role names are written there only).
constexpr int CsvRowParser::Columns::*kRoleSlots[] = {&CsvRowParser::Columns::submit_time,
                                                      &CsvRowParser::Columns::job_id,
                                                      &CsvRowParser::Columns::task_id,
                                                      &CsvRowParser::Columns::instances,
                                                      &CsvRowParser::Columns::duration,
                                                      &CsvRowParser::Columns::cpus,
                                                      &CsvRowParser::Columns::mem,
                                                      &CsvRowParser::Columns::disk,
                                                      &CsvRowParser::Columns::os,
                                                      &CsvRowParser::Columns::image,
                                                      &CsvRowParser::Columns::scheduling_class,
                                                      &CsvRowParser::Columns::user,
                                                      &CsvRowParser::Columns::priority};
static_assert(std::size(kRoleSlots) == std::size(kCsvColumnRoles));

}  // namespace

CsvRowParser::CsvRowParser(const std::vector<std::pair<std::string, int>>& columns,
                           std::array<double, 3> scale)
    : scale_(scale) {
  for (const auto& [role, index] : columns) {
    const auto* named = std::find(std::begin(kCsvColumnRoles), std::end(kCsvColumnRoles), role);
    if (named == std::end(kCsvColumnRoles)) continue;
    columns_.*kRoleSlots[named - std::begin(kCsvColumnRoles)] = index;
    columns_.max = std::max(columns_.max, index);
  }
}

std::optional<std::string> CsvRowParser::Parse(std::string_view line, CsvRow& row) const {
  // trace.columns allows indices up to 10000, but a row is split into kMaxFields views only.
  if (columns_.max >= static_cast<int>(kMaxFields)) {
    return fmt::format("column {} is beyond the {} fields a row is read into", columns_.max,
                       kMaxFields);
  }
  Fields f;
  const size_t n = SplitFields(line, ',', f);
  if (header_fields_ > 0 && n != header_fields_) {
    return fmt::format("expected {} comma-separated fields (as the header), found {}",
                       header_fields_, n);
  }
  if (n <= static_cast<size_t>(columns_.max)) {
    return fmt::format("expected at least {} comma-separated fields, found {}", columns_.max + 1,
                       n);
  }
  if (auto e = ParseAmounts(f, row)) return e;
  if (auto e = ParseKeys(f, row)) return e;
  return ParseOsAndImage(f, row);
}

std::optional<std::string> CsvRowParser::ParseAmounts(const Fields& f, CsvRow& row) const {
  if (auto e = Number(f, columns_.submit_time, "submit_time", row.submit_time)) return e;
  if (auto e = Number(f, columns_.duration, "duration", row.duration)) return e;
  double amount[3] = {0, 0, 0};
  const int resource_columns[3] = {columns_.cpus, columns_.mem, columns_.disk};
  const char* names[3] = {"cpus", "mem", "disk"};
  for (int k = 0; k < 3; ++k) {
    if (resource_columns[k] < 0) continue;
    if (auto e = Number(f, resource_columns[k], names[k], amount[k])) return e;
  }
  row.cpus = amount[0] * scale_[0];
  row.mem = amount[1] * scale_[1];
  row.disk = amount[2] * scale_[2];
  return std::nullopt;
}

std::optional<std::string> CsvRowParser::ParseKeys(const Fields& f, CsvRow& row) const {
  row.job_id = Field(f, columns_.job_id);
  if (columns_.job_id >= 0 && row.job_id.empty()) return std::string("empty job_id");
  row.instances = 1;
  if (columns_.instances >= 0) {
    const std::string_view v = f[static_cast<size_t>(columns_.instances)];
    if (!ParseInt(v, row.instances) || row.instances < 1 || row.instances > (int64_t{1} << 31)) {
      return fmt::format("instances (column {}) '{}' is not a positive integer", columns_.instances,
                         v);
    }
  }
  row.user = Field(f, columns_.user);
  if (auto e = Level(f, columns_.scheduling_class, "scheduling_class", row.scheduling_class)) {
    return e;
  }
  return Level(f, columns_.priority, "priority", row.priority);
}

std::optional<std::string> CsvRowParser::ParseOsAndImage(const Fields& f, CsvRow& row) const {
  row.os = Field(f, columns_.os);
  if (!row.os.empty() && row.os != "linux" && row.os != "windows") {
    return fmt::format("os (column {}) '{}' is not linux or windows", columns_.os, row.os);
  }
  row.image = Field(f, columns_.image);
  return std::nullopt;
}

}  // namespace clustersim::models
