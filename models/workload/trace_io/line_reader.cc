#include "models/workload/trace_io/line_reader.h"

#include <fast_float/fast_float.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>

namespace clustersim::models {

LineReader::LineReader(size_t buffer_bytes)
    : buffer_(new char[std::max<size_t>(buffer_bytes, 64)]),
      capacity_(std::max<size_t>(buffer_bytes, 64)) {}

LineReader::~LineReader() { CloseFile(); }

sim::Status LineReader::Open(std::vector<std::string> paths) {
  CloseFile();
  paths_ = std::move(paths);
  file_index_ = 0;
  begin_ = end_ = 0;
  line_number_ = 0;
  bytes_consumed_ = 0;
  status_ = sim::Status::Ok();
  for (const std::string& p : paths_) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      status_ = sim::Status::Error(fmt::format("cannot open {}: {}", p, std::strerror(errno)));
      paths_.clear();
      return status_;
    }
    ::close(fd);
  }
  if (!paths_.empty() && !OpenFile(0)) return status_;
  return status_;
}

bool LineReader::OpenFile(size_t index) {
  CloseFile();
  file_index_ = index;
  line_number_ = 0;
  begin_ = end_ = 0;
  terminator_ = '\n';
  terminator_known_ = false;
  fd_ = ::open(paths_[index].c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    status_ =
        sim::Status::Error(fmt::format("cannot open {}: {}", paths_[index], std::strerror(errno)));
    eof_ = true;
    return false;
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  gzip_active_ = IsGzipFile(fd_);
  if (gzip_active_) {
    if (!gzip_) gzip_ = std::make_unique<GzipInput>();
    gzip_->Reset(fd_);
  }
  eof_ = false;
  return true;
}

void LineReader::CloseFile() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  eof_ = true;
}

const std::string& LineReader::file() const {
  static const std::string kNone;
  return file_index_ < paths_.size() ? paths_[file_index_] : kNone;
}

std::string LineReader::Where() const { return fmt::format("{}:{}", file(), line_number_); }

bool LineReader::Refill() {
  if (eof_ || !status_.ok()) return false;
  // Keep the unconsumed tail (a partial line) at the front; grow only if it fills the buffer.
  const size_t tail = end_ - begin_;
  if (begin_ > 0) {
    if (tail > 0) std::memmove(buffer_.get(), buffer_.get() + begin_, tail);
    begin_ = 0;
    end_ = tail;
  }
  if (end_ == capacity_) {
    if (capacity_ >= kMaxLineBytes) {
      status_ = sim::Status::Error(
          fmt::format("{}:{}: line longer than {} bytes", file(), line_number_ + 1, kMaxLineBytes));
      return false;
    }
    const size_t grown = std::min(capacity_ * 2, kMaxLineBytes);
    std::unique_ptr<char[]> bigger(new char[grown]);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ = grown;
  }
  if (gzip_active_) {
    const ssize_t n = gzip_->Read(buffer_.get() + end_, capacity_ - end_);
    if (n > 0) {
      end_ += static_cast<size_t>(n);
      return true;
    }
    eof_ = true;
    if (n < 0) {
      status_ = sim::Status::Error(fmt::format("error reading {}: {}", file(), gzip_->error()));
    }
    return false;
  }
  while (true) {
    const ssize_t n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
    if (n > 0) {
      end_ += static_cast<size_t>(n);
      return true;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    if (errno == EINTR) continue;
    status_ = sim::Status::Error(fmt::format("error reading {}: {}", file(), std::strerror(errno)));
    eof_ = true;
    return false;
  }
}

void LineReader::DetectTerminator() {
  const char* data = buffer_.get();
  for (size_t i = begin_; i < end_; ++i) {
    if (data[i] == '\n') {
      terminator_known_ = true;
      return;
    }
    if (data[i] == '\r') {
      if (i + 1 == end_ && !eof_) return;  // "\r\n" or "\r": the next read tells
      terminator_ = i + 1 < end_ && data[i + 1] == '\n' ? '\n' : '\r';
      terminator_known_ = true;
      return;
    }
  }
}

bool LineReader::Next(std::string_view& line) {
  while (true) {
    if (!status_.ok() || file_index_ >= paths_.size()) return false;
    if (!terminator_known_) DetectTerminator();
    const char* data = buffer_.get();
    // Search only the bytes not yet searched: after a refill, the tail before it had no line end.
    size_t searched = begin_;
    while (true) {
      const void* nl = std::memchr(data + searched, terminator_, end_ - searched);
      if (nl != nullptr) {
        const size_t at = static_cast<size_t>(static_cast<const char*>(nl) - data);
        size_t stop = at;
        if (stop > begin_ && data[stop - 1] == '\r') --stop;
        line = std::string_view(data + begin_, stop - begin_);
        bytes_consumed_ += at + 1 - begin_;
        begin_ = at + 1;
        ++line_number_;
        return true;
      }
      const size_t tail_before = end_ - begin_;
      if (!Refill()) break;
      data = buffer_.get();
      searched = begin_ + tail_before;
      if (!terminator_known_) {
        // The first line end may have come with this read: search the line again for it.
        DetectTerminator();
        searched = begin_;
      }
    }
    if (!status_.ok()) return false;
    if (end_ > begin_) {  // a last line without a terminator
      size_t stop = end_;
      if (data[stop - 1] == '\r') --stop;
      line = std::string_view(data + begin_, stop - begin_);
      bytes_consumed_ += end_ - begin_;
      begin_ = end_;
      ++line_number_;
      return true;
    }
    // This file is done: on to the next one.
    if (file_index_ + 1 >= paths_.size()) {
      CloseFile();
      return false;
    }
    if (!OpenFile(file_index_ + 1)) return false;
  }
}

size_t SplitFields(std::string_view line, char sep, std::span<std::string_view> out) {
  const char* p = line.data();
  const char* const end = p + line.size();
  size_t n = 0;
  while (true) {
    const void* hit = std::memchr(p, sep, static_cast<size_t>(end - p));
    const char* stop = hit != nullptr ? static_cast<const char*>(hit) : end;
    if (n < out.size()) out[n] = std::string_view(p, static_cast<size_t>(stop - p));
    ++n;
    if (hit == nullptr) return n;
    p = stop + 1;
  }
}

size_t SplitWhitespace(std::string_view line, std::span<std::string_view> out) {
  size_t n = 0;
  size_t i = 0;
  const size_t len = line.size();
  while (true) {
    while (i < len && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= len) return n;
    const size_t start = i;
    while (i < len && line[i] != ' ' && line[i] != '\t') ++i;
    if (n < out.size()) out[n] = line.substr(start, i - start);
    ++n;
  }
}

bool ParseInt(std::string_view s, int64_t& out) {
  if (s.empty()) return false;
  const char* first = s.data();
  if (*first == '+') ++first;  // from_chars rejects a plus sign; traces sometimes write one
  const auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseUint(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  const char* first = s.data();
  if (*first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double& out) {
  if (s.empty()) return false;
  const char* first = s.data();
  if (*first == '+') ++first;
  const auto r = fast_float::from_chars(first, s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

std::string QuotedField(std::string_view field) {
  constexpr size_t kShown = 40;
  if (field.size() <= kShown) return fmt::format("'{}'", field);
  return fmt::format("'{}...'", field.substr(0, kShown));
}

namespace {
// A compressed file has no end to read back from: every line is decompressed on the way.
sim::Result<std::string> ReadLastLineStreamed(const std::string& path) {
  LineReader reader;
  SIM_RETURN_IF_ERROR(reader.Open({path}));
  std::string last;
  std::string_view line;
  while (reader.Next(line)) {
    if (!line.empty()) last.assign(line);
  }
  SIM_RETURN_IF_ERROR(reader.status());
  return last;
}
}  // namespace

sim::Result<std::string> ReadLastLine(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return sim::Status::Error(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  if (IsGzipFile(fd)) {
    ::close(fd);
    return ReadLastLineStreamed(path);
  }
  const off_t size = ::lseek(fd, 0, SEEK_END);
  std::string result;
  if (size > 0) {
    // Grow the window from the end until it holds a complete non-empty line (or the whole file).
    off_t window = std::min<off_t>(size, 64 * 1024);
    std::string buf;
    while (true) {
      buf.resize(static_cast<size_t>(window));
      const ssize_t n = ::pread(fd, buf.data(), buf.size(), size - window);
      if (n != static_cast<ssize_t>(buf.size())) {
        ::close(fd);
        return sim::Status::Error(fmt::format("error reading {}", path));
      }
      // Strip trailing terminators (and blank lines), then look for the line's start.
      size_t stop = buf.size();
      while (stop > 0 && (buf[stop - 1] == '\n' || buf[stop - 1] == '\r')) --stop;
      if (stop > 0) {
        // "\n", "\r\n" or a lone "\r" (LineReader's terminators) end the line before.
        const size_t nl = buf.find_last_of("\r\n", stop - 1);
        if (nl != std::string::npos) {
          result = buf.substr(nl + 1, stop - nl - 1);
          break;
        }
        if (window == size) {
          result = buf.substr(0, stop);
          break;
        }
      }
      if (window == size) break;
      window = std::min<off_t>(size, window * 4);
    }
  }
  ::close(fd);
  return result;
}

}  // namespace clustersim::models
