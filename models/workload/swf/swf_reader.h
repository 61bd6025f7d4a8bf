#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/workload/trace_io/line_reader.h"
#include "sim/input_limits.h"
#include "sim/status.h"

namespace clustersim::models {

// One job of a Standard Workload Format log (Parallel Workloads Archive,
// https://www.cs.huji.ac.il/labs/parallel/workload/swf.html): the 18 fields in file order. -1 means
// unknown. Times in seconds; fields that count or name things must be integers.
struct SwfJob {
  int64_t number = -1;           // 1
  double submit_s = -1;          // 2, since the start of the log
  double wait_s = -1;            // 3
  double run_s = -1;             // 4
  int64_t allocated_procs = -1;  // 5
  double avg_cpu_s = -1;         // 6
  double used_mem_kb = -1;       // 7, per processor
  int64_t requested_procs = -1;  // 8
  double requested_time_s = -1;  // 9, the user's run-time estimate
  double requested_mem_kb = -1;  // 10
  int64_t status = -1;           // 11
  int64_t user = -1;             // 12
  int64_t group = -1;            // 13
  int64_t executable = -1;       // 14
  int64_t queue = -1;            // 15
  int64_t partition = -1;        // 16
  int64_t preceding_job = -1;    // 17
  double think_time_s = -1;      // 18
  uint64_t line = 0;             // 1-based line number in the file
};

// The replay's reading of a job (issue 4's rules), shared by the replay and `trace-info`:
// width = requested processors (field 8) if > 0, else allocated (field 5); estimate = requested
// time (field 9) if > 0, else the run time; the job is skipped when its run time is < 0, its
// width <= 0, > max_procs or > sim::kMaxInputTasksPerJob (a gang of that many tasks is made at
// once), or its submit time unknown.
inline int64_t SwfWidth(const SwfJob& job) {
  return job.requested_procs > 0 ? job.requested_procs : job.allocated_procs;
}
inline double SwfEstimate(const SwfJob& job) {
  return job.requested_time_s > 0 ? job.requested_time_s : job.run_s;
}
inline bool SwfSkipped(const SwfJob& job, int64_t max_procs) {
  const int64_t width = SwfWidth(job);
  return job.run_s < 0 || width <= 0 || width > max_procs || width > sim::kMaxInputTasksPerJob ||
         job.submit_s < 0;
}

// Parses one data row (not a comment or blank line) into `job` (its `line` untouched): 18
// whitespace-separated numbers, integers where the field counts or names things, times within
// the trace time range (trace_io/row_ranges.h). An error message, or nullopt. Pure: no file, no
// state; the order of submit times is the reader's check.
std::optional<std::string> ParseSwfRow(std::string_view line, SwfJob& job);

// What the `;` comment header says about the machine (-1 when absent).
struct SwfHeader {
  int64_t max_procs = -1;
  int64_t max_nodes = -1;
  uint64_t max_procs_line = 0;  // where each was given, for messages (0: absent)
  uint64_t max_nodes_line = 0;
};

// A streaming SWF reader: the file is read in big chunks (1 MiB by default) and parsed in place,
// so memory does not depend on the file's length (only on its longest line). Lines starting with
// `;` are comments: the header is the run of them before the first job; later ones are skipped.
// Blank lines are skipped. A malformed row (not 18 fields, a field that is not a number, a count
// that is not an integer, a submit time before the previous job's) is reported as kMalformed
// with an error "path:line: what", consumed, and counted; reading may go on.
class SwfReader {
 public:
  enum class Row {
    kJob,        // `job` holds the next row
    kMalformed,  // error() says why; the row is skipped
    kEnd,        // end of file
    kError,      // read error; error() says which; nothing more can be read
  };

  // Opens the file and reads its header. Errors: cannot open, a header value that is not a
  // positive integer.
  static sim::Result<std::unique_ptr<SwfReader>> Open(const std::string& path,
                                                      size_t buffer_bytes = size_t{1} << 20);
  ~SwfReader();
  SwfReader(const SwfReader&) = delete;
  SwfReader& operator=(const SwfReader&) = delete;

  const std::string& path() const { return path_; }
  const SwfHeader& header() const { return header_; }

  // `job` holds the row when kJob (and is unspecified otherwise).
  Row Next(SwfJob& job);
  // The last kMalformed or kError's message.
  const sim::Status& error() const { return error_; }
  uint64_t rows() const { return rows_; }  // data rows so far, malformed ones included
  uint64_t malformed() const { return malformed_; }
  uint64_t bytes_read() const { return lines_.bytes_consumed(); }

 private:
  SwfReader(std::string path, size_t buffer_bytes);
  // The next line without its terminator (valid until the next call); false at the end or on
  // error. The header's look past its end is handed back first.
  bool NextLine(std::string_view& line);
  sim::Status ReadHeader();
  bool ParseRow(std::string_view line, SwfJob& job);
  bool Malformed(std::string message);

  std::string path_;
  LineReader lines_;
  std::string pending_;  // the first job's line, read while looking for the header's end
  uint64_t pending_line_ = 0;
  bool have_pending_ = false;
  uint64_t line_ = 0;
  SwfHeader header_;
  sim::Status error_;
  bool failed_ = false;
  uint64_t rows_ = 0;
  uint64_t malformed_ = 0;
  double last_submit_s_ = -1;
};

}  // namespace clustersim::models
