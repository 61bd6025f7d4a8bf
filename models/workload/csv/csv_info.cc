// `trace-info --format csv`: a task table's columns, and with --columns what a replay would make
// of it (rows parsed by the replay's own row parser, csv_reader.h).
#include "models/workload/csv/csv_info.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_set>
#include <utility>

#include "models/workload/csv/csv_reader.h"
#include "models/workload/trace_io/line_reader.h"

namespace clustersim::models {
namespace trace_info {
namespace {

constexpr size_t kMaxFields = CsvRowParser::kMaxFields;
constexpr size_t kMaxColumnsShown = 40;

// One column's values: numbers (their distribution), empty fields, and text.
struct Column {
  uint64_t numbers = 0, empty = 0, text = 0, negative = 0;
  ValueSketch values;  // of the non-negative numbers

  void Add(std::string_view field) {
    double v = 0;
    if (field.empty()) {
      ++empty;
    } else if (ParseDouble(field, v) && std::isfinite(v)) {
      ++numbers;
      if (v >= 0) {
        values.Add(v);
      } else {
        ++negative;
      }
    } else {
      ++text;
    }
  }
};

// An amount as the replay's resources hold it: fixed point with three decimals (Resources::Of).
double AsReplayed(double amount) { return static_cast<double>(std::llround(amount * 1000)) / 1000; }

// With --columns: the replay's jobs (runs of rows with one job_id), tasks, instances, requests.
struct Replayed {
  uint64_t jobs = 0, tasks = 0, instances = 0;
  std::string last_job;
  bool have_job = false;
  double first_submit = std::numeric_limits<double>::max(), last_submit = -1;
  ValueSketch duration, cpus, mem, disk;
  std::unordered_set<std::string> users;
  std::map<std::string, uint64_t> by_class, by_priority;

  void Add(const CsvRow& row) {
    ++tasks;
    instances += static_cast<uint64_t>(row.instances);
    if (!have_job || row.job_id.empty() || row.job_id != last_job) {
      ++jobs;
      last_job.assign(row.job_id);
      have_job = true;
    }
    first_submit = std::min(first_submit, row.submit_time);
    last_submit = std::max(last_submit, row.submit_time);
    duration.Add(row.duration);
    cpus.Add(AsReplayed(row.cpus));
    mem.Add(AsReplayed(row.mem));
    disk.Add(AsReplayed(row.disk));
    if (!row.user.empty() && users.size() < 10'000'000) users.emplace(row.user);
    if (row.scheduling_class >= 0) ++by_class[std::to_string(row.scheduling_class)];
    if (row.priority >= 0) ++by_priority[std::to_string(row.priority)];
  }

  std::string Format() const {
    std::string out = fmt::format(
        "  as replayed      jobs {} (runs of rows with one job_id), tasks {}, instances {}\n", jobs,
        tasks, instances);
    if (last_submit >= 0) {
      out += fmt::format("  submit span      {:.6g} s .. {:.6g} s ({})\n", first_submit,
                         last_submit, Duration(last_submit - first_submit));
    }
    // Requests as the file gives them: cores and MiB, or fractions for normalised columns.
    out += fmt::format("  duration         {}\n", Quantiles(duration, 1, "s"));
    out += fmt::format("  cpus             {}\n", Quantiles(cpus, 1, ""));
    out += fmt::format("  mem              {}\n", Quantiles(mem, 1, ""));
    out += fmt::format("  disk             {}\n", Quantiles(disk, 1, ""));
    if (!users.empty()) out += fmt::format("  users            {} distinct\n", users.size());
    if (!by_class.empty()) out += fmt::format("  scheduling class {}\n", Counts(by_class));
    if (!by_priority.empty()) out += fmt::format("  priority         {}\n", Counts(by_priority));
    return out;
  }
};

// The columns' table: name, role, and what their values look like.
std::string FormatColumns(const std::vector<Column>& columns, const std::vector<std::string>& names,
                          const TraceInfoOptions& options) {
  std::string out = fmt::format("  columns          {}{}\n", columns.size(),
                                options.csv_header ? " (named by the header)" : " (no header)");
  for (size_t i = 0; i < columns.size() && i < kMaxColumnsShown; ++i) {
    const Column& c = columns[i];
    std::string role;
    for (const auto& [r, index] : options.csv_columns) {
      if (static_cast<size_t>(index) == i) role = fmt::format("-> {}", r);
    }
    const std::string name = i < names.size() && !names[i].empty() ? names[i] : "(unnamed)";
    out += fmt::format("    {:>3} {:<16} {:<19} numbers {}, empty {}, text {}", i, name, role,
                       c.numbers, c.empty, c.text);
    if (c.negative > 0) out += fmt::format(", negative {}", c.negative);
    if (!c.values.empty()) {
      out += fmt::format("; min {:.4g}  {}", c.values.Min(), Quantiles(c.values, 1, ""));
    }
    out += "\n";
  }
  if (columns.size() > kMaxColumnsShown) out += "    ...\n";
  return out;
}

bool HasColumn(const TraceInfoOptions& options, std::string_view role) {
  return std::any_of(options.csv_columns.begin(), options.csv_columns.end(),
                     [&](const auto& c) { return c.first == role; });
}

// The columns trace-info can use: no image (it needs a scenario's catalog), and with any columns
// at least those a replay needs.
sim::Status CheckColumns(const TraceInfoOptions& options) {
  if (HasColumn(options, "image")) {
    return sim::Status::Error(
        "trace-info --columns: 'image' needs a scenario's image catalog; leave it out");
  }
  if (options.csv_columns.empty()) return sim::Status::Ok();
  for (std::string_view role : {"submit_time", "duration", "cpus"}) {
    if (!HasColumn(options, role)) {
      return sim::Status::Error(fmt::format(
          "trace-info --columns names at least submit_time, duration and cpus (missing '{}')",
          role));
    }
  }
  return sim::Status::Ok();
}

// The table of `paths` (one header per file unless !options.csv_header).
sim::Result<std::string> Table(const std::vector<std::string>& paths,
                               const TraceInfoOptions& options) {
  SIM_RETURN_IF_ERROR(CheckColumns(options));
  const bool mapped = !options.csv_columns.empty();
  const CsvRowParser parser(options.csv_columns);
  LineReader reader;
  SIM_RETURN_IF_ERROR(reader.Open(paths));
  std::vector<std::string> names;
  size_t header_fields = 0;
  std::vector<Column> columns;
  uint64_t rows = 0, malformed = 0;
  std::string first_malformed;
  Replayed replayed;
  auto bad = [&](std::string what) {
    if (malformed++ == 0) first_malformed = fmt::format("{}: {}", reader.Where(), what);
  };
  std::string_view line;
  size_t file = ~size_t{0};
  while (reader.Next(line)) {
    std::array<std::string_view, kMaxFields> f;
    if (std::exchange(file, reader.file_index()) != reader.file_index() && options.csv_header) {
      // The first file's header names the columns and fixes every row's field count.
      if (reader.file_index() == 0) {
        header_fields = SplitFields(line, ',', f);
        for (size_t i = 0; i < std::min(header_fields, kMaxFields); ++i) names.emplace_back(f[i]);
      }
      continue;
    }
    if (line.empty()) continue;
    ++rows;
    const size_t n = SplitFields(line, ',', f);
    if (header_fields > 0 && n != header_fields) {
      bad(fmt::format("expected {} comma-separated fields (as the header), found {}", header_fields,
                      n));
      continue;
    }
    if (mapped) {
      CsvRow row;
      if (auto e = parser.Parse(line, row)) {
        bad(std::move(*e));
        continue;
      }
      replayed.Add(row);
    }
    if (columns.size() < std::min(n, kMaxFields)) columns.resize(std::min(n, kMaxFields));
    for (size_t i = 0; i < std::min(n, kMaxFields); ++i) columns[i].Add(f[i]);
  }
  SIM_RETURN_IF_ERROR(reader.status());
  std::string out = "csv task table\n";
  out += RowsLine(rows, reader.bytes_consumed(), malformed, first_malformed);
  out += FormatColumns(columns, names, options);
  if (!mapped) {
    return out +
           "  (--columns role=index,... shows the jobs, tasks and requests a replay would see)\n";
  }
  return out + replayed.Format();
}

}  // namespace
}  // namespace trace_info

sim::Result<std::string> CsvTraceInfo(const std::vector<std::string>& paths,
                                      const TraceInfoOptions& options) {
  return trace_info::Table(paths, options);
}

sim::Result<std::vector<std::pair<std::string, int>>> ParseCsvColumns(std::string_view text) {
  std::vector<std::pair<std::string, int>> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const size_t eq = item.find('=');
    int64_t index = -1;
    const std::string role(item.substr(0, eq));
    if (eq == std::string_view::npos || !ParseInt(item.substr(eq + 1), index) || index < 0 ||
        index >= static_cast<int64_t>(CsvRowParser::kMaxFields)) {
      return sim::Status::Error(
          fmt::format("--columns: expected role=index with index in [0, {}] (e.g. "
                      "submit_time=1,duration=2,cpus=3), got '{}'",
                      CsvRowParser::kMaxFields - 1, item));
    }
    if (std::find(std::begin(kCsvColumnRoles), std::end(kCsvColumnRoles), role) ==
        std::end(kCsvColumnRoles)) {
      return sim::Status::Error(
          fmt::format("--columns: unknown column role '{}' ({})", role, CsvColumnRoleList()));
    }
    // As a duplicate key in trace.columns is an error: which of the two was meant is unknown.
    const auto same_role = [&](const auto& c) { return c.first == role; };
    if (const auto it = std::find_if(out.begin(), out.end(), same_role); it != out.end()) {
      return sim::Status::Error(fmt::format(
          "--columns: role '{}' given twice (columns {} and {}); give each role one column", role,
          it->second, index));
    }
    out.emplace_back(role, static_cast<int>(index));
  }
  return out;
}

}  // namespace clustersim::models
