#include "models/workload/swf/swf_reader.h"

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <tuple>

#include "models/workload/trace_io/row_ranges.h"

namespace clustersim::models {
namespace {

constexpr int kFields = 18;
constexpr const char* kFieldNames[kFields] = {"job number",
                                              "submit time",
                                              "wait time",
                                              "run time",
                                              "allocated processors",
                                              "average CPU time",
                                              "used memory",
                                              "requested processors",
                                              "requested time",
                                              "requested memory",
                                              "status",
                                              "user ID",
                                              "group ID",
                                              "executable number",
                                              "queue number",
                                              "partition number",
                                              "preceding job number",
                                              "think time"};
// Fields that count or name things: must be integers.
constexpr bool kInteger[kFields] = {true,  false, false, false, true, false, false, true, false,
                                    false, true,  true,  true,  true, true,  true,  true, false};
// Fields in seconds (submit, wait, run, average CPU, requested and think time): within the trace
// time range, so that no time saturates sim::Time (a submit time of 1e300 stalled the replay).
constexpr bool kSeconds[kFields] = {false, true,  true,  true,  false, true,  false, false, true,
                                    false, false, false, false, false, false, false, false, true};

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

// A token quoted for an error message, cut if long.
std::string Quote(std::string_view s) {
  if (s.size() > 40) return fmt::format("'{}...'", s.substr(0, 40));
  return fmt::format("'{}'", s);
}

bool ParseNumber(std::string_view s, double& out) {
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (first != last && *first == '+') ++first;
  const auto [ptr, ec] = fast_float::from_chars(first, last, out);
  return ec == std::errc() && ptr == last && first != last && std::isfinite(out);
}

// The second whitespace-separated field (the submit time) of a row that has 18.
std::string_view SubmitField(std::string_view line) {
  std::string_view fields[2];
  size_t i = 0;
  for (int count = 0; count < 2 && i < line.size();) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    const size_t start = i;
    while (i < line.size() && !IsBlank(line[i])) ++i;
    if (i > start) fields[count++] = line.substr(start, i - start);
  }
  return fields[1];
}

}  // namespace

sim::Result<std::unique_ptr<SwfReader>> SwfReader::Open(const std::string& path,
                                                        size_t buffer_bytes) {
  std::unique_ptr<SwfReader> reader(new SwfReader(path, buffer_bytes));
  if (const sim::Status opened = reader->lines_.Open({path}); !opened.ok()) {
    return sim::Status::Error(
        fmt::format("cannot open SWF log {}: {}", path,
                    opened.message().substr(opened.message().rfind(": ") + 2)));
  }
  SIM_RETURN_IF_ERROR(reader->ReadHeader());
  return reader;
}

SwfReader::SwfReader(std::string path, size_t buffer_bytes)
    : path_(std::move(path)), lines_(std::max<size_t>(buffer_bytes, 64)) {}

SwfReader::~SwfReader() = default;

bool SwfReader::NextLine(std::string_view& line) {
  if (have_pending_) {
    have_pending_ = false;
    line = pending_;
    line_ = pending_line_;
    return true;
  }
  if (lines_.Next(line)) {
    line_ = lines_.line_number();
    return true;
  }
  if (!lines_.status().ok()) {
    error_ = lines_.status();
    failed_ = true;
  }
  return false;
}

sim::Status SwfReader::ReadHeader() {
  std::string_view line;
  for (;;) {
    if (!NextLine(line)) return failed_ ? error_ : sim::Status::Ok();
    const std::string_view text = Trim(line);
    if (text.empty()) continue;
    if (text.front() != ';') {
      // The first job: leave it for Next.
      pending_.assign(line);
      pending_line_ = line_;
      have_pending_ = true;
      return sim::Status::Ok();
    }
    std::string_view body = Trim(text.substr(1));
    for (auto [key, out, at] :
         {std::tuple{std::string_view("MaxProcs:"), &header_.max_procs, &header_.max_procs_line},
          std::tuple{std::string_view("MaxNodes:"), &header_.max_nodes, &header_.max_nodes_line}}) {
      if (!body.starts_with(key)) continue;
      const std::string_view value = Trim(body.substr(key.size()));
      double v = 0;
      if (!ParseNumber(value, v) || v != std::floor(v) || v < 1 || v > 1e9) {
        return sim::Status::Error(fmt::format("{}:{}: {} {} is not a positive integer", path_,
                                              line_, key.substr(0, key.size() - 1), Quote(value)));
      }
      *out = static_cast<int64_t>(v);
      *at = line_;
    }
  }
}

bool SwfReader::Malformed(std::string message) {
  ++malformed_;
  error_ = sim::Status::Error(fmt::format("{}:{}: {}", path_, line_, message));
  return false;
}

std::optional<std::string> ParseSwfRow(std::string_view line, SwfJob& job) {
  std::string_view fields[kFields];
  int count = 0;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i == line.size()) break;
    const size_t start = i;
    while (i < line.size() && !IsBlank(line[i])) ++i;
    if (count < kFields) fields[count] = line.substr(start, i - start);
    ++count;
  }
  if (count != kFields) {
    return fmt::format("expected {} whitespace-separated fields, found {}", kFields, count);
  }
  double v[kFields];
  for (int f = 0; f < kFields; ++f) {
    if (!ParseNumber(fields[f], v[f])) {
      return fmt::format("field {} ({}): {} is not a number", f + 1, kFieldNames[f],
                         Quote(fields[f]));
    }
    if (kInteger[f] && (v[f] != std::floor(v[f]) || std::fabs(v[f]) > 9e15)) {
      return fmt::format("field {} ({}): {} is not an integer", f + 1, kFieldNames[f],
                         Quote(fields[f]));
    }
    if (kSeconds[f] && !TraceSecondsInRange(v[f])) {
      return TraceSecondsError(v[f], fmt::format("field {} ({}):", f + 1, kFieldNames[f]));
    }
  }
  auto integer = [&v](int f) { return static_cast<int64_t>(v[f]); };
  job.number = integer(0);
  job.submit_s = v[1];
  job.wait_s = v[2];
  job.run_s = v[3];
  job.allocated_procs = integer(4);
  job.avg_cpu_s = v[5];
  job.used_mem_kb = v[6];
  job.requested_procs = integer(7);
  job.requested_time_s = v[8];
  job.requested_mem_kb = v[9];
  job.status = integer(10);
  job.user = integer(11);
  job.group = integer(12);
  job.executable = integer(13);
  job.queue = integer(14);
  job.partition = integer(15);
  job.preceding_job = integer(16);
  job.think_time_s = v[17];
  return std::nullopt;
}

bool SwfReader::ParseRow(std::string_view line, SwfJob& job) {
  if (auto error = ParseSwfRow(line, job)) return Malformed(std::move(*error));
  if (job.submit_s >= 0) {
    if (job.submit_s < last_submit_s_) {
      return Malformed(fmt::format(
          "submit time {} is before the previous job's ({}); SWF logs are sorted by submit time",
          SubmitField(line), last_submit_s_));
    }
    last_submit_s_ = job.submit_s;
  }
  job.line = line_;
  return true;
}

SwfReader::Row SwfReader::Next(SwfJob& job) {
  if (failed_) return Row::kError;
  std::string_view line;
  for (;;) {
    if (!NextLine(line)) return failed_ ? Row::kError : Row::kEnd;
    const std::string_view text = Trim(line);
    if (text.empty() || text.front() == ';') continue;
    ++rows_;
    return ParseRow(text, job) ? Row::kJob : Row::kMalformed;
  }
}

}  // namespace clustersim::models
