#include "models/workload/trace_io/gzip_input.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace clustersim::models {

bool IsGzipFile(int fd) {
  unsigned char magic[2] = {0, 0};
  ssize_t n;
  do {
    n = ::pread(fd, magic, sizeof magic, 0);
  } while (n < 0 && errno == EINTR);
  return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

bool IsGzipPath(const std::string& path) {
  // O_NONBLOCK: a FIFO nobody writes to must not hang the check.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return false;
  const bool gzip = IsGzipFile(fd);
  ::close(fd);
  return gzip;
}

GzipInput::GzipInput() : input_(new unsigned char[kInputBytes]) {}

GzipInput::~GzipInput() {
  if (initialized_) inflateEnd(&stream_);
}

void GzipInput::Reset(int fd) {
  fd_ = fd;
  input_eof_ = false;
  member_ended_ = false;
  compressed_offset_ = 0;
  error_.clear();
  stream_.next_in = input_.get();
  stream_.avail_in = 0;
  // 16 + MAX_WBITS: gzip wrapper only (a zlib or raw stream is bad data here).
  if (!initialized_) {
    initialized_ = inflateInit2(&stream_, 16 + MAX_WBITS) == Z_OK;
    if (!initialized_) error_ = "cannot start gzip decompression (out of memory)";
  } else {
    inflateReset(&stream_);
  }
}

bool GzipInput::FillInput() {
  while (true) {
    const ssize_t n = ::read(fd_, input_.get(), kInputBytes);
    if (n > 0) {
      stream_.next_in = input_.get();
      stream_.avail_in = static_cast<uInt>(n);
      return true;
    }
    if (n == 0) {
      input_eof_ = true;
      return false;
    }
    if (errno == EINTR) continue;
    error_ = std::strerror(errno);
    return false;
  }
}

ssize_t GzipInput::Read(char* out, size_t size) {
  if (!initialized_ || !error_.empty()) return -1;
  stream_.next_out = reinterpret_cast<unsigned char*>(out);
  stream_.avail_out = static_cast<uInt>(std::min<size_t>(size, UINT32_MAX));
  const uInt wanted = stream_.avail_out;
  while (stream_.avail_out == wanted) {
    if (stream_.avail_in == 0 && !input_eof_ && !FillInput() && !error_.empty()) return -1;
    if (member_ended_) {
      if (stream_.avail_in == 0 && input_eof_) return 0;  // the file ends after a whole member
      if (stream_.avail_in == 0) continue;
      inflateReset(&stream_);  // another member follows (concatenated gzip files)
      member_ended_ = false;
    }
    if (stream_.avail_in == 0 && input_eof_) {
      error_ = fmt::format("gzip data ends early (truncated file?) after {} compressed bytes",
                           compressed_offset_);
      return -1;
    }
    const uInt before = stream_.avail_in;
    const int rc = inflate(&stream_, Z_NO_FLUSH);
    compressed_offset_ += before - stream_.avail_in;
    if (rc == Z_STREAM_END) {
      member_ended_ = true;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      error_ = fmt::format("bad gzip data near compressed byte {}: {}", compressed_offset_,
                           stream_.msg != nullptr ? stream_.msg : "invalid data");
      return -1;
    }
  }
  return static_cast<ssize_t>(wanted - stream_.avail_out);
}

}  // namespace clustersim::models
