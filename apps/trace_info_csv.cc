// `trace-info --format csv`: a task table's columns, and with --columns what a replay would make
// of it (rows parsed by the replay's own CsvTableReplay::Parse).
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <unordered_set>
#include <utility>

#include "apps/trace_info_internal.h"
#include "models/workload/csv/csv_format.h"
#include "models/workload/csv/csv_table_replay.h"
#include "models/workload/trace_io/line_reader.h"

namespace clustersim::apps::trace_info {
namespace {

constexpr size_t kMaxFields = 256;
constexpr size_t kMaxColumnsShown = 40;

// One column's values: numbers (their distribution), empty fields, and text.
struct Column {
  uint64_t numbers = 0, empty = 0, text = 0, negative = 0;
  results::LogHistogram values;  // of the non-negative numbers

  void Add(std::string_view field) {
    double v = 0;
    if (field.empty()) {
      ++empty;
    } else if (models::ParseDouble(field, v) && std::isfinite(v)) {
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

// With --columns: the replay's jobs (runs of rows with one job_id), tasks, instances, requests.
struct Replayed {
  uint64_t jobs = 0, tasks = 0, instances = 0;
  std::string last_job;
  bool have_job = false;
  double first_submit = std::numeric_limits<double>::max(), last_submit = -1;
  results::LogHistogram duration, cpus, mem, disk;
  std::unordered_set<std::string> users;
  std::map<std::string, uint64_t> by_class, by_priority;

  void Add(const models::CsvTableReplay::Row& row) {
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
    cpus.Add(row.resources.cpus());
    mem.Add(row.resources.mem());
    disk.Add(row.resources.disk());
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

// The spec a replay's parser reads its columns from; checks the columns trace-info can use.
sim::Result<models::ScenarioSpec> ParserSpec(const TraceInfoOptions& options) {
  models::ScenarioSpec spec;
  spec.trace.format = "csv";
  auto csv = std::make_shared<models::CsvOptions>();
  csv->columns = options.csv_columns;
  csv->header = options.csv_header;
  spec.trace.options = csv;
  if (csv->HasColumn("image")) {
    return sim::Status::Error(
        "trace-info --columns: 'image' needs a scenario's image catalog; leave it out");
  }
  if (options.csv_columns.empty()) return spec;
  for (std::string_view role : {"submit_time", "duration", "cpus"}) {
    if (!csv->HasColumn(role)) {
      return sim::Status::Error(fmt::format(
          "trace-info --columns names at least submit_time, duration and cpus (missing '{}')",
          role));
    }
  }
  return spec;
}

}  // namespace

sim::Result<std::string> Csv(const std::vector<std::string>& paths,
                             const TraceInfoOptions& options) {
  SIM_ASSIGN_OR_RETURN(const models::ScenarioSpec spec, ParserSpec(options));
  const bool mapped = !options.csv_columns.empty();
  const models::CsvTableReplay parser(spec);
  models::LineReader reader;
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
        header_fields = models::SplitFields(line, ',', f);
        for (size_t i = 0; i < std::min(header_fields, kMaxFields); ++i) names.emplace_back(f[i]);
      }
      continue;
    }
    if (line.empty()) continue;
    ++rows;
    const size_t n = models::SplitFields(line, ',', f);
    if (header_fields > 0 && n != header_fields) {
      bad(fmt::format("expected {} comma-separated fields (as the header), found {}", header_fields,
                      n));
      continue;
    }
    if (mapped) {
      models::CsvTableReplay::Row row;
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

}  // namespace clustersim::apps::trace_info
