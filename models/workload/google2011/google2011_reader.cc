#include "models/workload/google2011/google2011_reader.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <limits>

#include "models/workload/trace_io/row_ranges.h"

namespace clustersim::models::google2011 {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

std::string Shown(std::string_view v) {
  return v.size() <= 40 ? std::string(v) : std::string(v.substr(0, 37)) + "...";
}

std::string FieldCount(const char* table, size_t got, size_t want) {
  return fmt::format("{} row has {} fields, expected {}", table, got, want);
}

// Required integer fields.
bool Time(std::string_view v, int64_t& out, std::string& error) {
  if (v.empty()) {
    error = "missing timestamp (field 1)";
    return false;
  }
  if (!ParseInt(v, out) || out < 0) {
    error = fmt::format("timestamp (field 1) is not a non-negative integer: '{}'", Shown(v));
    return false;
  }
  // 2^63 - 1 is the trace's "after the window"; any other time must fit sim::Time with room.
  if (out != kAfterWindow) {
    if (auto e = CheckTraceMicros(out, "timestamp (field 1)")) {
      error = std::move(*e);
      return false;
    }
  }
  return true;
}

bool Id(std::string_view v, int field, const char* name, uint64_t& out, std::string& error) {
  if (v.empty()) {
    error = fmt::format("missing {} (field {})", name, field);
    return false;
  }
  if (!ParseUint(v, out)) {
    error = fmt::format("{} (field {}) is not a non-negative integer: '{}'", name, field, Shown(v));
    return false;
  }
  return true;
}

// Optional small integer in [lo, hi]; -1 when empty.
bool SmallInt(std::string_view v, int field, const char* name, int lo, int hi, int& out,
              std::string& error) {
  if (v.empty()) {
    out = -1;
    return true;
  }
  int64_t x = 0;
  if (!ParseInt(v, x)) {
    error = fmt::format("{} (field {}) is not an integer: '{}'", name, field, Shown(v));
    return false;
  }
  if (x < lo || x > hi) {
    error = fmt::format("{} (field {}) is {}, outside {}..{}", name, field, x, lo, hi);
    return false;
  }
  out = static_cast<int>(x);
  return true;
}

// Optional normalised value >= 0; NaN when empty.
bool Normalised(std::string_view v, int field, const char* name, double& out, std::string& error) {
  if (v.empty()) {
    out = kMissing;
    return true;
  }
  if (!ParseDouble(v, out)) {
    error = fmt::format("{} (field {}) is not a number: '{}'", name, field, Shown(v));
    return false;
  }
  if (out < 0) {
    error = fmt::format("{} (field {}) is negative: '{}'", name, field, Shown(v));
    return false;
  }
  // A fraction of the largest machine, in [0, 1] in the trace; the bound keeps any use of it
  // finite (the replay checks it again times trace.machine_size).
  if (!TraceAmountInRange(out)) {
    error = TraceAmountError(out, fmt::format("{} (field {})", name, field));
    return false;
  }
  return true;
}

bool EventCode(std::string_view v, int field, int count, const char* table, int& out,
               std::string& error) {
  if (v.empty()) {
    error = fmt::format("missing event type (field {})", field);
    return false;
  }
  int64_t x = 0;
  if (!ParseInt(v, x)) {
    error = fmt::format("event type (field {}) is not an integer: '{}'", field, Shown(v));
    return false;
  }
  if (x < 0 || x >= count) {
    error = fmt::format("unknown {} event type {} (known: 0..{})", table, x, count - 1);
    return false;
  }
  out = static_cast<int>(x);
  return true;
}

}  // namespace

std::string_view TableName(Table table) {
  switch (table) {
    case Table::kMachineEvents:
      return "machine_events";
    case Table::kJobEvents:
      return "job_events";
    case Table::kTaskEvents:
      return "task_events";
  }
  return "?";
}

std::optional<Table> TableFromPath(std::string_view path) {
  // The file name ("task_events-part-00000-of-00500.csv"), else its folder's, as Google lays the
  // trace out ("task_events/part-00000-of-00500.csv").
  const size_t slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::string_view folder;
  if (slash != std::string_view::npos) {
    folder = path.substr(0, slash);
    const size_t up = folder.find_last_of('/');
    if (up != std::string_view::npos) folder = folder.substr(up + 1);
  }
  for (std::string_view part : {name, folder}) {
    for (Table t : {Table::kMachineEvents, Table::kJobEvents, Table::kTaskEvents}) {
      if (part.find(TableName(t)) != std::string_view::npos) return t;
    }
  }
  return std::nullopt;
}

std::string_view EventName(EventType type) {
  static constexpr std::string_view kNames[] = {"SUBMIT", "SCHEDULE",       "EVICT",
                                                "FAIL",   "FINISH",         "KILL",
                                                "LOST",   "UPDATE_PENDING", "UPDATE_RUNNING"};
  return kNames[static_cast<int>(type)];
}

std::string ParseRow(std::string_view line, MachineEvent& row) {
  std::array<std::string_view, 6> f;
  const size_t n = SplitFields(line, ',', f);
  if (n != f.size()) return FieldCount("machine_events", n, f.size());
  std::string error;
  int type = 0;
  if (!Time(f[0], row.time, error) || !Id(f[1], 2, "machine ID", row.machine, error) ||
      !EventCode(f[2], 3, kMachineEventTypes, "machine", type, error) ||
      !Normalised(f[4], 5, "CPU capacity", row.cpus, error) ||
      !Normalised(f[5], 6, "memory capacity", row.mem, error)) {
    return error;
  }
  row.type = static_cast<MachineEventType>(type);
  row.platform = f[3];
  return error;
}

std::string ParseRow(std::string_view line, JobEvent& row) {
  std::array<std::string_view, 8> f;
  const size_t n = SplitFields(line, ',', f);
  if (n != f.size()) return FieldCount("job_events", n, f.size());
  std::string error;
  int type = 0;
  if (!Time(f[0], row.time, error) ||
      !SmallInt(f[1], 2, "missing-info flag", 0, 1 << 30, row.missing_info, error) ||
      !Id(f[2], 3, "job ID", row.job, error) ||
      !EventCode(f[3], 4, kEventTypes, "job", type, error) ||
      !SmallInt(f[5], 6, "scheduling class", 0, 3, row.scheduling_class, error)) {
    return error;
  }
  row.type = static_cast<EventType>(type);
  row.user = f[4];
  row.job_name = f[6];
  row.logical_job_name = f[7];
  return error;
}

std::string ParseRow(std::string_view line, TaskEvent& row) {
  std::array<std::string_view, 13> f;
  const size_t n = SplitFields(line, ',', f);
  if (n != f.size()) return FieldCount("task_events", n, f.size());
  std::string error;
  int type = 0;
  uint64_t index = 0;
  if (!Time(f[0], row.time, error) ||
      !SmallInt(f[1], 2, "missing-info flag", 0, 1 << 30, row.missing_info, error) ||
      !Id(f[2], 3, "job ID", row.job, error) || !Id(f[3], 4, "task index", index, error) ||
      !EventCode(f[5], 6, kEventTypes, "task", type, error) ||
      !SmallInt(f[7], 8, "scheduling class", 0, 3, row.scheduling_class, error) ||
      !SmallInt(f[8], 9, "priority", 0, 11, row.priority, error) ||
      !Normalised(f[9], 10, "CPU request", row.cpus, error) ||
      !Normalised(f[10], 11, "memory request", row.mem, error) ||
      !Normalised(f[11], 12, "disk request", row.disk, error) ||
      !SmallInt(f[12], 13, "different-machine constraint", 0, 1, row.different_machine, error)) {
    return error;
  }
  if (index > std::numeric_limits<uint32_t>::max()) {
    return fmt::format("task index (field 4) {} is too large", index);
  }
  row.index = static_cast<uint32_t>(index);
  row.has_machine = !f[4].empty();
  row.machine = 0;
  if (row.has_machine && !Id(f[4], 5, "machine ID", row.machine, error)) return error;
  row.type = static_cast<EventType>(type);
  row.user = f[6];
  return error;
}

namespace {

// The normalised values of a row and their names, for the scale check.
std::array<std::pair<double, const char*>, 3> Scaled(const MachineEvent& row) {
  return {{{row.cpus, "CPU capacity (field 5)"}, {row.mem, "memory capacity (field 6)"}, {0, ""}}};
}
std::array<std::pair<double, const char*>, 3> Scaled(const JobEvent&) {
  return {{{0, ""}, {0, ""}, {0, ""}}};
}
std::array<std::pair<double, const char*>, 3> Scaled(const TaskEvent& row) {
  return {{{row.cpus, "CPU request (field 10)"},
           {row.mem, "memory request (field 11)"},
           {row.disk, "disk request (field 12)"}}};
}

}  // namespace

template <typename Row>
sim::Status Reader<Row>::Open(std::vector<std::string> paths) {
  status_ = lines_.Open(std::move(paths));
  last_time_ = std::numeric_limits<int64_t>::min();
  rows_ = skipped_ = after_window_ = 0;
  first_error_.clear();
  return status_;
}

template <typename Row>
std::string Reader<Row>::CheckRow(const Row& row) const {
  if (row.time < last_time_) {
    return fmt::format("time {} is before the previous row's {} (rows must be in time order)",
                       row.time, last_time_);
  }
  const auto values = Scaled(row);
  for (size_t k = 0; k < values.size(); ++k) {
    const double v = values[k].first;
    if (std::isnan(v) || v == 0 || v * scale_[k] <= sim::kMaxInputResourceAmount) continue;
    return fmt::format(
        "{} {:g} x trace.machine_size {:g} is out of range (a resource amount is at most {:.0f})",
        values[k].second, v, scale_[k], sim::kMaxInputResourceAmount);
  }
  return {};
}

template <typename Row>
bool Reader<Row>::Next(Row& row) {
  if (!status_.ok()) return false;
  std::string_view line;
  while (lines_.Next(line)) {
    if (line.empty()) continue;
    std::string error = ParseRow(line, row);
    if (error.empty() && row.time == kAfterWindow) {
      // After the trace window: not replayed, and not a time the next rows' order is checked
      // against (a real trace has them only at its end; one amid others must not stop the read).
      ++after_window_;
      continue;
    }
    if (error.empty()) error = CheckRow(row);
    if (error.empty()) {
      last_time_ = row.time;
      ++rows_;
      return true;
    }
    std::string message = fmt::format("{}: {}", lines_.Where(), error);
    if (strict_) {
      status_ = sim::Status::Error(std::move(message));
      return false;
    }
    ++skipped_;
    if (first_error_.empty()) first_error_ = std::move(message);
  }
  status_ = lines_.status();
  return false;
}

template class Reader<MachineEvent>;
template class Reader<JobEvent>;
template class Reader<TaskEvent>;

}  // namespace clustersim::models::google2011
