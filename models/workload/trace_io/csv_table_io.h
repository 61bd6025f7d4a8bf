#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/status.h"

// Reading trace tables in time order when the files are not in time order.
//
// Several tables are grouped by something other than time: Alibaba 2018 machine_meta by machine,
// Alibaba 2017 server_event in a few time-sorted runs, CloudSimPy's jobs.csv by job id. A table is
// read as *units*: a unit is one row, or (for grouped tables) the consecutive valid rows that share
// a group key (a job). Each unit has a time (its first, last or smallest row time). A first pass
// streams every file once (models/workload/trace_io/line_reader.h), validates every row and cuts
// the files into *runs* of units whose times do not decrease; the replay then merges the runs with
// a heap, re-reading each unit's bytes with pread when it comes up. Memory is O(runs) — one run for
// a time-sorted file, one per machine for machine_meta, a few hundred for jobs.csv — never O(rows).
namespace clustersim::models {

// Rows that failed to parse. Each gives "file:line: what". Strict: the first one is fatal (the
// caller stops the run with fatal()). Otherwise rows are skipped and counted, and the first few
// messages are printed to stderr as warnings so that a user sees what was skipped.
class RowErrors {
 public:
  static constexpr int kMaxWarnings = 5;

  // `unit` names what a non-strict error skips, for the warnings ("row", "job"); `warn`: print
  // the warnings (tools that report the errors themselves pass false).
  explicit RowErrors(bool strict, std::string unit = "row", bool warn = true)
      : strict_(strict), warn_(warn), unit_(std::move(unit)) {}
  // Returns false when the run must stop (strict mode).
  bool Add(std::string_view file, uint64_t line, std::string_view what);
  uint64_t count() const { return count_; }
  const std::string& first() const { return first_; }  // "file:line: what" of the first error
  bool failed() const { return !fatal_.ok(); }
  const sim::Status& fatal() const { return fatal_; }

 private:
  bool strict_;
  bool warn_;
  std::string unit_;
  uint64_t count_ = 0;
  std::string first_;
  sim::Status fatal_;
};

// Checks that each file can be opened for reading and is not a directory ("cannot open trace file
// PATH: reason"). Never throws, never blocks (a FIFO with no writer is opened non-blocking).
sim::Status CheckReadable(const std::vector<std::string>& files);
// An error naming the first gzip-compressed file, for formats that read by offset (they cannot
// seek in a compressed stream): it has to be decompressed first.
sim::Status CheckNotCompressed(const std::vector<std::string>& files);

enum class UnitTime { kFirst, kLast, kMin };

// One unit: a byte range of one file holding its rows (and possibly malformed rows between them,
// which readers skip again).
struct TableUnit {
  double time = 0;
  uint32_t file = 0;
  uint64_t begin = 0;  // byte offsets in the file
  uint64_t end = 0;
  uint64_t line = 0;  // line number of the unit's first row
};

class TimeOrderedTable {
 public:
  // Validates one row. On success sets `group` (the unit key; ignored for ungrouped tables; it may
  // point into `line`) and `time`, and returns true; otherwise sets `error` and returns false.
  using Classify = std::function<bool(std::string_view line, std::string_view& group, double& time,
                                      std::string& error)>;
  struct Options {
    bool header = false;   // skip each file's first line
    bool grouped = false;  // units are runs of rows with equal group keys; else one row each
    UnitTime unit_time = UnitTime::kFirst;
    // Called for each unit as the scan closes it, with its group key (empty if not grouped).
    std::function<void(const TableUnit&, std::string_view group)> on_unit;
    // Only random access through ForEachRow (units from on_unit): Next() returns nothing.
    bool random_access_only = false;
    // Polled every 4,096 rows; once it returns true the scan ends early with the units read so
    // far (a run being interrupted by Ctrl-C: a big table's scan takes minutes).
    std::function<bool()> stop;
  };

  TimeOrderedTable();
  ~TimeOrderedTable();
  TimeOrderedTable(const TimeOrderedTable&) = delete;
  TimeOrderedTable& operator=(const TimeOrderedTable&) = delete;

  // Pass 1: streams every file, validates each row (a bad row goes to `errors`; the scan stops at
  // a fatal one) and records the runs. An unreadable file is an error. O(bytes) time, O(runs)
  // memory.
  sim::Status Scan(const std::vector<std::string>& files, const Options& options, Classify classify,
                   RowErrors& errors);

  // Pass 2: the next unit in (time, file, offset) order — file order among equal times — or false
  // when every unit has been returned (or on an I/O error, see status()). O(log runs) plus the
  // unit's bytes.
  bool Next(TableUnit& unit);
  // Calls fn(line_number, line) for each valid row of `unit`, in file order.
  sim::Status ForEachRow(const TableUnit& unit,
                         const std::function<void(uint64_t, std::string_view)>& fn);

  const std::string& file(uint32_t index) const { return files_[index]; }
  size_t runs() const { return runs_; }
  uint64_t units() const { return units_; }  // counted by Scan
  uint64_t rows() const { return rows_; }    // data rows read by Scan, valid or not
  const sim::Status& status() const { return status_; }

 private:
  struct Cursor;
  class RangeReader;

  // A stretch of a file whose units are in time order (one cursor of the merge).
  struct Run {
    uint32_t file;
    uint64_t begin, end, line;
  };
  // Classifies one file's rows into units and its units into runs.
  sim::Status ScanFile(uint32_t file, RowErrors& errors, std::vector<Run>& runs);
  bool Stopped() const { return options_.stop && options_.stop(); }
  bool Advance(size_t cursor);  // reads the cursor's next unit; false when its run is done
  void Push(size_t cursor);
  void Pop();

  std::vector<std::string> files_;
  std::vector<int> fds_;
  std::vector<char> terminators_;  // each file's line end, as its scan found it
  Options options_;
  Classify classify_;
  std::vector<std::unique_ptr<Cursor>> cursors_;
  std::vector<size_t> heap_;  // cursor indices, min-heap on (time, file, begin)
  size_t runs_ = 0;
  uint64_t units_ = 0;
  uint64_t rows_ = 0;
  size_t buffer_bytes_ = 0;
  sim::Status status_;
};

}  // namespace clustersim::models
