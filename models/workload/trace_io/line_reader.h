#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/workload/trace_io/gzip_input.h"
#include "sim/status.h"

// Streaming text input for trace readers: lines of one or more files read in order with big
// buffered reads (memory is the buffer, not the file), fast field splitting, and strict number
// parsing. Shared by every trace format; nothing here knows a format.
namespace clustersim::models {

// Reads the lines of a sequence of files, in order, as string_views into an internal buffer.
// Each file is read with large read(2) calls into one buffer (1 MiB by default) that grows only
// for a line longer than it; memory is independent of the files' lengths. Line terminators are
// "\n" or "\r\n", or "\r" alone in a file whose first line ends so (old Mac style: such a file
// was one huge line, silently no rows); a last line without a terminator is still a line. A
// gzip-compressed file (by its magic bytes, whatever its name) is decompressed as it is read.
// Not thread-safe.
class LineReader {
 public:
  static constexpr size_t kDefaultBufferBytes = size_t{1} << 20;
  static constexpr size_t kMaxLineBytes = size_t{64} << 20;  // a longer line is an error

  explicit LineReader(size_t buffer_bytes = kDefaultBufferBytes);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Checks that every file can be opened, then positions before the first line of the first.
  // An empty list is allowed (no lines). Resets any previous state.
  sim::Status Open(std::vector<std::string> paths);

  // The next line, without its terminator; valid until the next call to Next or Open. Returns
  // false at the end of the last file, or on a read error (then status() says what).
  bool Next(std::string_view& line);

  // The file and 1-based line number of the line Next last returned.
  const std::string& file() const;
  uint64_t line_number() const { return line_number_; }
  size_t file_index() const { return file_index_; }
  // "path:line", for error messages.
  std::string Where() const;
  const sim::Status& status() const { return status_; }
  // Bytes consumed so far, over all files (terminators included).
  uint64_t bytes_consumed() const { return bytes_consumed_; }
  // The current file's terminator: '\n' ("\n" or "\r\n"), or '\r' when its lines end in a lone
  // "\r" (known from its first line end on; '\n' before).
  char terminator() const { return terminator_; }

 private:
  // Sets terminator_ from the first line end in the buffer, once one is there.
  void DetectTerminator();
  bool OpenFile(size_t index);
  void CloseFile();
  // Reads more of the current file after the unconsumed tail; false at end of file or on error.
  bool Refill();

  std::vector<std::string> paths_;
  size_t file_index_ = 0;
  int fd_ = -1;
  bool eof_ = true;
  std::unique_ptr<GzipInput> gzip_;  // made for the first compressed file, reused after
  bool gzip_active_ = false;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t begin_ = 0;  // unconsumed data is [begin_, end_)
  size_t end_ = 0;
  uint64_t line_number_ = 0;
  uint64_t bytes_consumed_ = 0;
  char terminator_ = '\n';
  bool terminator_known_ = false;
  sim::Status status_;
};

// Splits `line` at every `sep`. Stores the first out.size() fields in `out` and returns the total
// number of fields (one more than the separators), so a caller can tell a short or long row.
// O(length), using memchr.
size_t SplitFields(std::string_view line, char sep, std::span<std::string_view> out);
// Splits at runs of spaces and tabs, ignoring leading and trailing ones (SWF-style). Same
// contract as SplitFields; an all-blank line has zero fields.
size_t SplitWhitespace(std::string_view line, std::span<std::string_view> out);

// Strict number parsing: the whole field must be the number (no spaces, no trailing text).
// Return false on anything else, including an empty field and overflow.
bool ParseInt(std::string_view s, int64_t& out);
bool ParseUint(std::string_view s, uint64_t& out);
// Decimal or scientific notation ("0.5", "1.526e-05", "-1"); no "nan" or "inf".
bool ParseDouble(std::string_view s, double& out);

// A field quoted for an error message: 'text', cut to its first 40 bytes ("'1234...'") so that a
// message stays one short line whatever the row holds.
std::string QuotedField(std::string_view field);

// The last non-empty line of a file (read from its end; cost independent of the file's size for
// lines shorter than 64 KiB; a gzip-compressed file is read through). Empty string for an empty
// file.
sim::Result<std::string> ReadLastLine(const std::string& path);

}  // namespace clustersim::models
