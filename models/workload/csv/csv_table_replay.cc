#include "models/workload/csv/csv_table_replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "models/workload/csv/csv_format.h"
#include "models/workload/framework_mapping.h"
#include "models/workload/trace_io/line_reader.h"
#include "sim/check.h"

namespace clustersim::models {

sim::Result<std::unique_ptr<TraceSource>> CsvTableReplay::Open(const ScenarioSpec& spec) {
  const TraceSpec& t = spec.trace;
  const std::vector<std::string>* files = t.Paths("jobs");
  SIM_CHECK(files != nullptr && !files->empty());  // MakeTraceSource's check
  SIM_RETURN_IF_ERROR(CheckReadable(*files));
  return std::unique_ptr<TraceSource>(std::make_unique<CsvTableReplay>(spec));
}

namespace {

// The multipliers of cpus, mem and disk: machine_size for the normalised roles, else 1.
std::array<double, 3> Scale(const TraceSpec& trace, const CsvOptions& options) {
  std::array<double, 3> scale = {1, 1, 1};
  const Resources& size = trace.machine_size;
  for (const std::string& role : options.normalised) {
    if (role == "cpus") scale[0] = size.cpus();
    if (role == "mem") scale[1] = size.mem();
    if (role == "disk") scale[2] = size.disk();
  }
  return scale;
}

}  // namespace

CsvTableReplay::CsvTableReplay(const ScenarioSpec& spec)
    : spec_(spec),
      options_(spec.trace.Options<CsvOptions>()),
      parser_(options_.columns, Scale(spec.trace, options_)),
      errors_(spec.trace.strict) {}

std::optional<std::string> CsvTableReplay::Parse(std::string_view line, Row& row) const {
  CsvRow parsed;
  if (auto e = parser_.Parse(line, parsed)) return e;
  row.submit_time = parsed.submit_time;
  row.job_id = parsed.job_id;
  row.instances = parsed.instances;
  row.duration = parsed.duration;
  row.resources = Resources::Of(parsed.cpus, parsed.mem, parsed.disk);
  row.user = parsed.user;
  row.scheduling_class = parsed.scheduling_class;
  row.priority = parsed.priority;
  row.os.reset();
  if (!parsed.os.empty()) {
    row.os = parsed.os == "linux" ? plugins::Os::kLinux : plugins::Os::kWindows;
  }
  row.image.reset();
  if (parsed.image.empty()) return std::nullopt;
  return LookUpImage(parsed.image, row);
}

std::optional<std::string> CsvTableReplay::LookUpImage(std::string_view name, Row& row) const {
  row.image = spec_.images.FindImage(name);
  if (!row.image) {
    return fmt::format("image (column {}) {} is not in the scenario's image catalog",
                       parser_.columns().image, QuotedField(name));
  }
  const plugins::Os image_os = spec_.images.images[*row.image].os;
  if (row.os && *row.os != image_os) {
    return fmt::format("os '{}' does not match image '{}' ({})", plugins::OsName(*row.os), name,
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
      std::array<std::string_view, CsvRowParser::kMaxFields> f;
      parser_.set_header_fields(SplitFields(line, ',', f));
    }
    if (!reader.status().ok()) return pump_.Stop(reader.status());
  }
  TimeOrderedTable::Options options;
  options.header = options_.header;
  options.grouped = parser_.columns().job_id >= 0;
  options.unit_time = UnitTime::kLast;
  options.stop = pump_.InterruptPoll();
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
  // The job is submitted whole, so its size is known: held here until its last row is read, for
  // job_completion_s (Task::job_tasks).
  std::vector<std::pair<Task, int64_t>> rows;
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
    rows.emplace_back(std::move(task), row.instances);
  });
  if (!read.ok()) return pump_.Stop(read);
  uint64_t job_tasks = 0;
  for (const auto& [task, instances] : rows) job_tasks += static_cast<uint64_t>(instances);
  for (auto& [task, instances] : rows) {
    task.job_tasks = job_tasks <= UINT32_MAX ? static_cast<uint32_t>(job_tasks) : 0;
    for (int64_t i = 0; i < instances; ++i) submit_->Submit(*framework, task);
  }
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
