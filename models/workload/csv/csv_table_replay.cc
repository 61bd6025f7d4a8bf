#include "models/workload/csv/csv_table_replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "models/workload/csv/csv_format.h"
#include "models/workload/framework_mapping.h"
#include "models/workload/trace_io/line_reader.h"

namespace clustersim::models {
namespace {

constexpr size_t kMaxFields = 256;

}  // namespace

sim::Result<std::unique_ptr<TraceSource>> CsvTableReplay::Open(const ScenarioSpec& spec) {
  const TraceSpec& t = spec.trace;
  const std::vector<std::string>* files = t.Paths("jobs");
  if (files == nullptr || files->empty()) {
    return sim::Status::Error("a csv trace needs a 'jobs' table in trace.paths");
  }
  SIM_RETURN_IF_ERROR(CheckReadable(*files));
  return std::unique_ptr<TraceSource>(std::make_unique<CsvTableReplay>(spec));
}

CsvTableReplay::CsvTableReplay(const ScenarioSpec& spec)
    : spec_(spec), options_(spec.trace.Options<CsvOptions>()), errors_(spec.trace.strict) {
  for (const auto& [role, index] : options_.columns) {
    int* slot = role == "submit_time"        ? &columns_.submit_time
                : role == "job_id"           ? &columns_.job_id
                : role == "task_id"          ? &columns_.task_id
                : role == "instances"        ? &columns_.instances
                : role == "duration"         ? &columns_.duration
                : role == "cpus"             ? &columns_.cpus
                : role == "mem"              ? &columns_.mem
                : role == "disk"             ? &columns_.disk
                : role == "os"               ? &columns_.os
                : role == "image"            ? &columns_.image
                : role == "user"             ? &columns_.user
                : role == "scheduling_class" ? &columns_.scheduling_class
                : role == "priority"         ? &columns_.priority
                                             : nullptr;
    if (slot == nullptr) continue;
    *slot = index;
    columns_.max = std::max(columns_.max, index);
  }
  const Resources& size = spec.trace.machine_size;
  for (const std::string& role : options_.normalised) {
    if (role == "cpus") scale_[0] = size.cpus();
    if (role == "mem") scale_[1] = size.mem();
    if (role == "disk") scale_[2] = size.disk();
  }
}

namespace {

using Fields = std::array<std::string_view, kMaxFields>;

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

}  // namespace

std::optional<std::string> CsvTableReplay::Parse(std::string_view line, Row& row) const {
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

std::optional<std::string> CsvTableReplay::ParseAmounts(const Fields& f, Row& row) const {
  if (auto e = Number(f, columns_.submit_time, "submit_time", row.submit_time)) return e;
  if (auto e = Number(f, columns_.duration, "duration", row.duration)) return e;
  double amount[3] = {0, 0, 0};
  const int resource_columns[3] = {columns_.cpus, columns_.mem, columns_.disk};
  const char* names[3] = {"cpus", "mem", "disk"};
  for (int k = 0; k < 3; ++k) {
    if (resource_columns[k] < 0) continue;
    if (auto e = Number(f, resource_columns[k], names[k], amount[k])) return e;
  }
  row.resources =
      Resources::Of(amount[0] * scale_[0], amount[1] * scale_[1], amount[2] * scale_[2]);
  return std::nullopt;
}

std::optional<std::string> CsvTableReplay::ParseKeys(const Fields& f, Row& row) const {
  row.job_id = columns_.job_id >= 0 ? f[static_cast<size_t>(columns_.job_id)] : std::string_view();
  if (columns_.job_id >= 0 && row.job_id.empty()) return std::string("empty job_id");
  row.instances = 1;
  if (columns_.instances >= 0) {
    const std::string_view v = f[static_cast<size_t>(columns_.instances)];
    if (!ParseInt(v, row.instances) || row.instances < 1 || row.instances > (int64_t{1} << 31)) {
      return fmt::format("instances (column {}) '{}' is not a positive integer", columns_.instances,
                         v);
    }
  }
  row.user = columns_.user >= 0 ? f[static_cast<size_t>(columns_.user)] : std::string_view();
  if (auto e = Level(f, columns_.scheduling_class, "scheduling_class", row.scheduling_class)) {
    return e;
  }
  return Level(f, columns_.priority, "priority", row.priority);
}

std::optional<std::string> CsvTableReplay::ParseOsAndImage(const Fields& f, Row& row) const {
  row.os.reset();
  if (columns_.os >= 0) {
    const std::string_view v = f[static_cast<size_t>(columns_.os)];
    if (v == "linux") {
      row.os = plugins::Os::kLinux;
    } else if (v == "windows") {
      row.os = plugins::Os::kWindows;
    } else if (!v.empty()) {
      return fmt::format("os (column {}) '{}' is not linux or windows", columns_.os, v);
    }
  }
  row.image.reset();
  if (columns_.image < 0) return std::nullopt;
  const std::string_view v = f[static_cast<size_t>(columns_.image)];
  if (v.empty()) return std::nullopt;
  row.image = spec_.images.FindImage(v);
  if (!row.image) {
    return fmt::format("image (column {}) '{}' is not in the scenario's image catalog",
                       columns_.image, v);
  }
  const plugins::Os image_os = spec_.images.images[*row.image].os;
  if (row.os && *row.os != image_os) {
    return fmt::format("os '{}' does not match image '{}' ({})", plugins::OsName(*row.os), v,
                       plugins::OsName(image_os));
  }
  row.os = image_os;
  return std::nullopt;
}

void CsvTableReplay::Start(const TraceHost& host) {
  pump_.Bind(host);
  submit_ = &host.submit;
  os_ = std::make_unique<TraceOsMapper>(spec_.trace.os, spec_.images, pump_.simulator().random());
  const std::vector<std::string>* files = spec_.trace.Paths("jobs");
  if (files == nullptr || files->empty()) {
    pump_.Stop(sim::Status::Error("a csv trace needs a 'jobs' table in trace.paths"));
    return;
  }
  if (options_.header) {
    // The header fixes the field count of every row (from the first file's first line).
    LineReader reader;
    std::string_view line;
    const sim::Status opened = reader.Open({files->front()});
    if (!opened.ok()) return pump_.Stop(opened);
    if (reader.Next(line)) {
      std::array<std::string_view, kMaxFields> f;
      header_fields_ = SplitFields(line, ',', f);
    }
    if (!reader.status().ok()) return pump_.Stop(reader.status());
  }
  TimeOrderedTable::Options options;
  options.header = options_.header;
  options.grouped = columns_.job_id >= 0;
  options.unit_time = UnitTime::kLast;
  const sim::Status scanned = input_.Scan(
      *files, options,
      [this](std::string_view line, std::string_view& group, double& time, std::string& error) {
        Row row;
        if (auto e = Parse(line, row)) {
          error = std::move(*e);
          return false;
        }
        group = row.job_id;
        time = row.submit_time;
        return true;
      },
      errors_);
  if (!scanned.ok()) return pump_.Stop(scanned);
  pump_.Run(input_,
            {.more = [this] { return options_.first_jobs < 0 || jobs_ < options_.first_jobs; },
             .due =
                 [this](const TableUnit& u) {
                   if (jobs_ == 0 && options_.rebase_time) time_base_ = u.time;
                   return sim::Time::FromSeconds(u.time - time_base_);
                 },
             .handle = [this](const TableUnit& u) { SubmitJob(u); }});
}

void CsvTableReplay::SubmitJob(const TableUnit& unit) {
  ++jobs_;
  const uint64_t job = submit_->NewJobId();
  const TraceOsMapper::JobOs drawn = os_->DrawJob();
  std::optional<uint32_t> framework;
  const sim::Status read = input_.ForEachRow(unit, [&](uint64_t, std::string_view line) {
    Row row;
    if (Parse(line, row)) return;  // counted by the scan
    if (!framework) {
      framework =
          MapToFramework(spec_.trace.map, spec_.frameworks.size(),
                         TraceJobKeys{row.user, std::nullopt, row.scheduling_class, row.priority});
    }
    Task task;
    task.job = job;
    task.resources = row.resources;
    task.duration = std::max(sim::Time::Micros(1), sim::Time::FromSeconds(row.duration));
    TraceOsMapper::Apply(drawn, task);
    if (row.image) {
      task.os = *row.os;
      task.has_image = true;
      task.image = plugins::ImageId(*row.image);
      task.image_version = spec_.images.images[*row.image].version;
    } else if (row.os && *row.os != drawn.os) {
      task.os = *row.os;  // the row's OS, without the drawn image of the other OS
      task.has_image = false;
      task.image_version = plugins::OsVersion::kNone;
    }
    ++tasks_;
    instances_ += static_cast<uint64_t>(row.instances);
    for (int64_t i = 0; i < row.instances; ++i) submit_->Submit(*framework, task);
  });
  if (!read.ok()) pump_.Stop(read);
}

std::vector<std::pair<std::string, double>> CsvTableReplay::Report() const {
  return {{"rows", static_cast<double>(input_.rows())},
          {"skipped_rows", static_cast<double>(errors_.count())},
          {"jobs", static_cast<double>(jobs_)},
          {"tasks", static_cast<double>(tasks_)},
          {"instances", static_cast<double>(instances_)},
          {"time_base_s", time_base_}};
}

}  // namespace clustersim::models
