#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/workload/trace_io/line_reader.h"
#include "sim/status.h"

// Streaming readers of the Google cluster trace clusterdata-2011-2 (format v2.1): the
// machine_events, job_events and task_events tables, CSV without a header. See
// ../shared/traces/README.md and Google's "v2.1 format + schema" document.
//
// Conventions kept from the trace: times in microseconds, 0 = before the trace window, 2^63 - 1 =
// after it; CPU, memory and disk normalised to the largest machine (in [0, 1]); an empty field
// means "missing" (NaN for the normalised values, -1 for small integers here).
namespace clustersim::models::google2011 {

inline constexpr int64_t kBeforeWindow = 0;
inline constexpr int64_t kAfterWindow = std::numeric_limits<int64_t>::max();
// The trace window opens at 600 s.
inline constexpr int64_t kWindowStart = 600'000'000;

enum class Table : uint8_t { kMachineEvents, kJobEvents, kTaskEvents };
std::string_view TableName(Table table);
// The table a file holds, told by its name ("task_events" in ".../task_events-part-00000...") or
// else its folder's (".../task_events/part-00000-of-00500.csv", Google's layout).
std::optional<Table> TableFromPath(std::string_view path);

enum class MachineEventType : uint8_t { kAdd = 0, kRemove = 1, kUpdate = 2 };
inline constexpr int kMachineEventTypes = 3;

// Job and task events share their codes.
enum class EventType : uint8_t {
  kSubmit = 0,
  kSchedule = 1,
  kEvict = 2,
  kFail = 3,
  kFinish = 4,
  kKill = 5,
  kLost = 6,
  kUpdatePending = 7,
  kUpdateRunning = 8,
};
inline constexpr int kEventTypes = 9;
std::string_view EventName(EventType type);
// EVICT, FAIL, FINISH, KILL, LOST: the end of a task's (or job's) run or wait.
inline bool IsTerminal(EventType t) { return t >= EventType::kEvict && t <= EventType::kLost; }

// String views point into the reader's buffer: valid until the reader's next Next().
struct MachineEvent {
  int64_t time = 0;
  uint64_t machine = 0;
  MachineEventType type = MachineEventType::kAdd;
  std::string_view platform;
  double cpus = 0;  // normalised capacity; NaN when missing
  double mem = 0;   // normalised capacity; NaN when missing
};

struct JobEvent {
  int64_t time = 0;
  int missing_info = -1;
  uint64_t job = 0;
  EventType type = EventType::kSubmit;
  std::string_view user;
  int scheduling_class = -1;
  std::string_view job_name;
  std::string_view logical_job_name;
};

struct TaskEvent {
  int64_t time = 0;
  int missing_info = -1;
  uint64_t job = 0;
  uint32_t index = 0;  // task index within the job
  bool has_machine = false;
  uint64_t machine = 0;
  EventType type = EventType::kSubmit;
  std::string_view user;
  int scheduling_class = -1;  // 0..3; -1 missing
  int priority = -1;          // 0..11; -1 missing
  double cpus = 0;            // normalised requests; NaN when missing
  double mem = 0;
  double disk = 0;
  int different_machine = -1;  // 1: tasks of this job on different machines; -1 missing
};

// Parses one row (a line without its terminator). Returns an empty string, or what is wrong with
// the row (without its location). Exposed for tests and tools; the readers below call these.
std::string ParseRow(std::string_view line, MachineEvent& row);
std::string ParseRow(std::string_view line, JobEvent& row);
std::string ParseRow(std::string_view line, TaskEvent& row);

// Streams the rows of one table, spread over one or more files read in order (the trace's
// part-NNNNN-of-MMMMM shards). Checks each row: field count, numbers, event codes, value ranges
// (times within sim::Time's input bound, normalised values times the scale within a resource
// amount's, trace_io/row_ranges.h), and that times never go backwards. A malformed row is an
// error "file:line: what" — returned at once in strict mode; otherwise skipped, counted and the
// first message kept. Rows at 2^63 - 1 (after the window) are not returned: they are counted
// (after_window()) and do not take part in the time order. Blank lines are not rows and are
// ignored. Memory is the line buffer only.
template <typename Row>
class Reader {
 public:
  explicit Reader(bool strict = false) : strict_(strict) {}

  // Checks the files can be opened. Resets counts.
  sim::Status Open(std::vector<std::string> paths);
  // The multipliers of the normalised values (cpus, mem, disk: trace.machine_size) a consumer
  // applies; a row whose value times its multiplier passes a resource amount's bound is
  // malformed. Default 1.
  void set_scale(double cpus, double mem, double disk) { scale_ = {cpus, mem, disk}; }
  // The next well-formed row. False at the end, or on an error (status()).
  bool Next(Row& row);

  const sim::Status& status() const { return status_; }
  uint64_t rows() const { return rows_; }                  // well-formed rows returned
  uint64_t skipped() const { return skipped_; }            // malformed rows skipped (non-strict)
  uint64_t after_window() const { return after_window_; }  // rows at 2^63 - 1, not returned
  const std::string& first_error() const { return first_error_; }
  uint64_t bytes_consumed() const { return lines_.bytes_consumed(); }
  const LineReader& lines() const { return lines_; }

 private:
  // What is wrong with a parsed row in this reader's context (order, scale), or empty.
  std::string CheckRow(const Row& row) const;

  LineReader lines_;
  bool strict_;
  std::array<double, 3> scale_ = {1, 1, 1};
  uint64_t after_window_ = 0;
  sim::Status status_;
  int64_t last_time_ = std::numeric_limits<int64_t>::min();
  uint64_t rows_ = 0;
  uint64_t skipped_ = 0;
  std::string first_error_;
};

using MachineEventReader = Reader<MachineEvent>;
using JobEventReader = Reader<JobEvent>;
using TaskEventReader = Reader<TaskEvent>;

extern template class Reader<MachineEvent>;
extern template class Reader<JobEvent>;
extern template class Reader<TaskEvent>;

}  // namespace clustersim::models::google2011
