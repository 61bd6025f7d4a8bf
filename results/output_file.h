#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "sim/status.h"

namespace clustersim::results {

// Result files are never seen half-written: each is written as `<path>.tmp` in its own folder and
// renamed to `<path>` once complete (a rename within one folder replaces the name atomically), so
// a file under its final name is always whole, even if the process is killed mid-write. Files are
// not fsync'd: this guards against the process dying, not the machine.

// The name a file is written under until it is complete.
std::string TempPath(const std::string& path);
// Renames TempPath(path) to `path`, replacing any older file of that name.
sim::Status RenameIntoPlace(const std::string& path);
// Writes `text` to `path` through its temporary name.
sim::Status WriteFileAtomically(const std::string& path, std::string_view text);
// Removes a file an earlier command left at `path` that would no longer describe the folder (a
// missing file is fine); an error names the path if it is there and cannot be removed.
sim::Status RemoveStale(const std::string& path);

// A stdio file written under TempPath(path) and renamed into place by Commit. Destroying it
// uncommitted (a run that failed before its files were complete) removes the temporary file.
class OutputFile {
 public:
  static sim::Result<OutputFile> Open(const std::string& path);
  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();

  std::FILE* get() const { return file_; }  // nullptr once committed
  void Write(std::string_view text) {
    if (file_ != nullptr) std::fwrite(text.data(), 1, text.size(), file_);
  }
  // Flushes, closes and renames the file into place; an error if any write failed.
  sim::Status Commit();

 private:
  OutputFile(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
  void Discard();

  std::string path_;
  std::FILE* file_ = nullptr;
};

// A log appended one whole line at a time (runs.csv, timing.csv): each line goes to the file in
// one write(2) on a descriptor opened with O_APPEND, with no user-space buffer, so a kill leaves
// whole lines, plus at most one torn last line (no final newline) if the kill came mid-write;
// readers drop such a line.
class AppendOnlyFile {
 public:
  static sim::Result<AppendOnlyFile> Open(const std::string& path);
  AppendOnlyFile(AppendOnlyFile&& other) noexcept;
  AppendOnlyFile& operator=(AppendOnlyFile&& other) noexcept;
  AppendOnlyFile(const AppendOnlyFile&) = delete;
  AppendOnlyFile& operator=(const AppendOnlyFile&) = delete;
  ~AppendOnlyFile();

  // Appends `line`, which ends in '\n'.
  sim::Status Append(std::string_view line);
  void Close();

 private:
  AppendOnlyFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
};

// Whether the file at `path` is empty or ends in '\n' (false if it cannot be read): a file whose
// last line has no newline was cut short mid-write.
bool EndsWithNewline(const std::string& path);

}  // namespace clustersim::results
