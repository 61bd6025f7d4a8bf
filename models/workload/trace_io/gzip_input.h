#pragma once

#include <sys/types.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

// Google publishes clusterdata-2011-2 as part-NNNNN-of-MMMMM.csv.gz and the Parallel Workloads
// Archive its SWF logs as .swf.gz: the streaming readers take them as they are downloaded.
namespace clustersim::models {

// Whether the file at `fd` starts with gzip's magic bytes (1f 8b), read without moving its offset.
bool IsGzipFile(int fd);
// The same for a path; false when it cannot be opened (the caller's open reports that).
bool IsGzipPath(const std::string& path);

// The decompressed bytes of a gzip file, read as they are needed from an open descriptor: one
// member or several (`cat a.gz b.gz`, pigz), checked (CRC and length) by zlib.
class GzipInput {
 public:
  GzipInput();
  ~GzipInput();
  GzipInput(const GzipInput&) = delete;
  GzipInput& operator=(const GzipInput&) = delete;

  // Starts over on a new file, read from `fd`'s current offset.
  void Reset(int fd);
  // Up to `size` (> 0) decompressed bytes into `out`: how many (> 0), 0 at the end of the file,
  // or -1 on a read error or bad data (error() says which).
  ssize_t Read(char* out, size_t size);
  const std::string& error() const { return error_; }

 private:
  // More compressed input, when zlib has used all it had; false at end of file or on error.
  bool FillInput();

  static constexpr size_t kInputBytes = size_t{256} << 10;
  z_stream stream_{};
  bool initialized_ = false;
  int fd_ = -1;
  std::unique_ptr<unsigned char[]> input_;
  bool input_eof_ = false;
  bool member_ended_ = false;       // the last member's trailer was read; another may follow
  uint64_t compressed_offset_ = 0;  // of the next byte zlib will read, for error messages
  std::string error_;
};

}  // namespace clustersim::models
