#include "models/workload/trace_io/csv_table_io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "models/workload/trace_io/gzip_input.h"
#include "models/workload/trace_io/line_reader.h"
#include "models/workload/trace_io/warn_once.h"

namespace clustersim::models {

bool RowErrors::Add(std::string_view file, uint64_t line, std::string_view what) {
  ++count_;
  const std::string message = fmt::format("{}:{}: {}", file, line, what);
  if (count_ == 1) first_ = message;
  if (strict_) {
    if (fatal_.ok()) fatal_ = sim::Status::Error(message);
    return false;
  }
  if (warn_ && count_ <= kMaxWarnings) {
    WarnOnce(fmt::format("clustersim: warning: {} ({} skipped)", message, unit_));
    if (count_ == kMaxWarnings) {
      WarnOnce(fmt::format(
          "clustersim: warning: further malformed {}s are skipped silently and counted in "
          "summary.json trace.skipped_{}s",
          unit_, unit_));
    }
  }
  return true;
}

sim::Status CheckReadable(const std::vector<std::string>& files) {
  for (const std::string& path : files) {
    // O_NONBLOCK: opening a FIFO nobody writes to must not hang the check; O_NOCTTY: naming a
    // terminal must not make it ours.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
      return sim::Status::Error(
          fmt::format("cannot open trace file {}: {}", path, std::strerror(errno)));
    }
    struct stat info {};
    const bool directory = ::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode);
    ::close(fd);
    if (directory) {
      return sim::Status::Error(fmt::format("trace file {} is a directory, not a file", path));
    }
  }
  return sim::Status::Ok();
}

sim::Status CheckNotCompressed(const std::vector<std::string>& files) {
  for (const std::string& path : files) {
    if (IsGzipPath(path)) {
      return sim::Status::Error(fmt::format(
          "trace file {} is gzip-compressed; this format re-reads rows by their offsets in the "
          "file, so it needs the file decompressed first (gunzip -k {})",
          path, path));
    }
  }
  return sim::Status::Ok();
}

// Lines of a byte range [begin, end) of a file, read with pread into a buffer of its own.
class TimeOrderedTable::RangeReader {
 public:
  // `terminator`: the file's line end as its scan found it (LineReader::terminator()).
  void Reset(int fd, uint64_t begin, uint64_t end, uint64_t first_line, size_t buffer_bytes,
             char terminator) {
    fd_ = fd;
    terminator_ = terminator;
    pos_ = begin;
    end_ = end;
    line_ = first_line - 1;
    buf_off_ = begin;
    len_ = 0;
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer_bytes, end - begin + 1));
    if (buffer_.size() < want) buffer_.resize(std::max<size_t>(want, 64));
  }
  void Release() { std::vector<char>().swap(buffer_); }

  // The next line (without terminator), its starting offset and line number.
  bool Next(std::string_view& line, uint64_t& at, uint64_t& line_number, sim::Status& status) {
    if (pos_ >= end_) return false;
    while (true) {
      const size_t from = static_cast<size_t>(pos_ - buf_off_);
      const char* data = buffer_.data();
      const void* nl = len_ > from ? std::memchr(data + from, terminator_, len_ - from) : nullptr;
      const bool all_read = buf_off_ + len_ >= end_;
      if (nl != nullptr || (all_read && len_ > from)) {
        size_t stop = nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - data)
                                    : static_cast<size_t>(end_ - buf_off_);
        const uint64_t next = buf_off_ + stop + (nl != nullptr ? 1 : 0);
        if (stop > from && data[stop - 1] == '\r') --stop;
        line = std::string_view(data + from, stop - from);
        at = pos_;
        pos_ = next;
        line_number = ++line_;
        return true;
      }
      if (all_read) return false;
      // Keep the unread tail, grow if it fills the buffer, read more.
      const size_t tail = len_ - from;
      if (tail > 0) std::memmove(buffer_.data(), data + from, tail);
      buf_off_ = pos_;
      len_ = tail;
      if (len_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
      const size_t want =
          static_cast<size_t>(std::min<uint64_t>(buffer_.size() - len_, end_ - (buf_off_ + len_)));
      ssize_t got;
      do {
        got = ::pread(fd_, buffer_.data() + len_, want, static_cast<off_t>(buf_off_ + len_));
      } while (got < 0 && errno == EINTR);
      if (got <= 0) {
        status = sim::Status::Error(got < 0 ? fmt::format("read error: {}", std::strerror(errno))
                                            : std::string("file shrank while it was being read"));
        return false;
      }
      len_ += static_cast<size_t>(got);
    }
  }
  // Back to the start of the line Next returned last.
  void Rewind(uint64_t at, uint64_t line_number) {
    pos_ = at;
    line_ = line_number - 1;
  }

 private:
  int fd_ = -1;
  char terminator_ = '\n';
  uint64_t pos_ = 0;
  uint64_t end_ = 0;
  uint64_t line_ = 0;
  uint64_t buf_off_ = 0;  // file offset of buffer_[0]
  size_t len_ = 0;        // valid bytes in buffer_
  std::vector<char> buffer_;
};

struct TimeOrderedTable::Cursor {
  uint32_t file = 0;
  RangeReader reader;
  TableUnit unit;  // the run's next unit
};

TimeOrderedTable::TimeOrderedTable() = default;

TimeOrderedTable::~TimeOrderedTable() {
  for (int fd : fds_) ::close(fd);
}

sim::Status TimeOrderedTable::Scan(const std::vector<std::string>& files, const Options& options,
                                   Classify classify, RowErrors& errors) {
  files_ = files;
  options_ = options;
  classify_ = std::move(classify);
  std::vector<Run> runs;
  for (uint32_t f = 0; f < files_.size() && !Stopped(); ++f) {
    SIM_RETURN_IF_ERROR(ScanFile(f, errors, runs));
  }
  runs_ = runs.size();
  if (options_.random_access_only) {
    buffer_bytes_ = size_t{64} << 10;
    return sim::Status::Ok();
  }
  buffer_bytes_ = std::clamp<size_t>((size_t{16} << 20) / std::max<size_t>(1, runs.size()),
                                     size_t{4} << 10, size_t{1} << 20);
  cursors_.reserve(runs.size());
  heap_.reserve(runs.size());
  for (const Run& r : runs) {
    auto cursor = std::make_unique<Cursor>();
    cursor->file = r.file;
    cursor->reader.Reset(fds_[r.file], r.begin, r.end, r.line, buffer_bytes_, terminators_[r.file]);
    cursors_.push_back(std::move(cursor));
    if (Advance(cursors_.size() - 1)) Push(cursors_.size() - 1);
    if (!status_.ok()) return status_;
  }
  return sim::Status::Ok();
}

sim::Status TimeOrderedTable::ScanFile(uint32_t f, RowErrors& errors, std::vector<Run>& runs) {
  const int fd = ::open(files_[f].c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return sim::Status::Error(
        fmt::format("cannot open trace file {}: {}", files_[f], std::strerror(errno)));
  }
  fds_.push_back(fd);
  if (IsGzipFile(fd)) return CheckNotCompressed({files_[f]});  // the error, with what to do
  LineReader reader;
  SIM_RETURN_IF_ERROR(reader.Open({files_[f]}));
  std::string group, error;
  bool have_unit = false;
  TableUnit unit;
  bool have_run = false;
  Run run{};
  double last_time = 0;
  auto close_unit = [&] {
    ++units_;
    if (options_.on_unit) options_.on_unit(unit, group);
    if (!have_run || unit.time < last_time) {
      if (have_run) runs.push_back(run);
      run = Run{f, unit.begin, unit.end, unit.line};
      have_run = true;
    }
    run.end = unit.end;
    last_time = unit.time;
    have_unit = false;
  };
  std::string_view line;
  uint64_t at = 0;
  bool first = true;
  while (reader.Next(line)) {
    if (rows_ % 4096 == 0 && Stopped()) break;
    const uint64_t line_end = reader.bytes_consumed();
    const uint64_t line_begin = at;
    at = line_end;
    if (std::exchange(first, false) && options_.header) continue;
    ++rows_;
    std::string_view g;
    double t = 0;
    if (!classify_(line, g, t, error)) {
      if (!errors.Add(files_[f], reader.line_number(), error)) return errors.fatal();
      continue;
    }
    if (have_unit && options_.grouped && g == group) {
      unit.end = line_end;
      if (options_.unit_time == UnitTime::kLast) unit.time = t;
      if (options_.unit_time == UnitTime::kMin) unit.time = std::min(unit.time, t);
      continue;
    }
    if (have_unit) close_unit();
    have_unit = true;
    unit = TableUnit{t, f, line_begin, line_end, reader.line_number()};
    if (options_.grouped) group.assign(g);
  }
  SIM_RETURN_IF_ERROR(reader.status());
  terminators_.push_back(reader.terminator());
  if (have_unit) close_unit();
  if (have_run) runs.push_back(run);
  return sim::Status::Ok();
}

bool TimeOrderedTable::Advance(size_t index) {
  Cursor& c = *cursors_[index];
  std::string_view line;
  uint64_t at = 0, number = 0;
  std::string group, error;
  bool have = false;
  while (c.reader.Next(line, at, number, status_)) {
    std::string_view g;
    double t = 0;
    if (!classify_(line, g, t, error)) continue;  // counted by Scan
    if (!have) {
      have = true;
      c.unit = TableUnit{t, c.file, at, at + line.size(), number};
      if (!options_.grouped) break;
      group.assign(g);
      continue;
    }
    if (g != group) {
      c.reader.Rewind(at, number);
      break;
    }
    if (options_.unit_time == UnitTime::kLast) c.unit.time = t;
    if (options_.unit_time == UnitTime::kMin) c.unit.time = std::min(c.unit.time, t);
    c.unit.end = at + line.size();
  }
  if (!have) c.reader.Release();
  return have;
}

// Heap order: smallest (time, file, begin) on top.
static bool After(const TableUnit& a, const TableUnit& b) {
  if (a.time != b.time) return a.time > b.time;
  if (a.file != b.file) return a.file > b.file;
  return a.begin > b.begin;
}

void TimeOrderedTable::Push(size_t cursor) {
  heap_.push_back(cursor);
  std::push_heap(heap_.begin(), heap_.end(), [this](size_t a, size_t b) {
    return After(cursors_[a]->unit, cursors_[b]->unit);
  });
}

void TimeOrderedTable::Pop() {
  std::pop_heap(heap_.begin(), heap_.end(),
                [this](size_t a, size_t b) { return After(cursors_[a]->unit, cursors_[b]->unit); });
  heap_.pop_back();
}

bool TimeOrderedTable::Next(TableUnit& unit) {
  if (heap_.empty() || !status_.ok()) return false;
  const size_t top = heap_.front();
  unit = cursors_[top]->unit;
  Pop();
  if (Advance(top)) Push(top);
  return true;
}

sim::Status TimeOrderedTable::ForEachRow(
    const TableUnit& unit, const std::function<void(uint64_t, std::string_view)>& fn) {
  // A unit's end is the end of its last row's text; take the terminator along.
  RangeReader reader;
  reader.Reset(fds_[unit.file], unit.begin, unit.end, unit.line, buffer_bytes_,
               terminators_[unit.file]);
  std::string_view line;
  uint64_t at = 0, number = 0;
  std::string error;
  sim::Status status;
  while (reader.Next(line, at, number, status)) {
    std::string_view g;
    double t = 0;
    if (classify_(line, g, t, error)) fn(number, line);
  }
  return status;
}

}  // namespace clustersim::models
