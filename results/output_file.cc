#include "results/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace clustersim::results {

std::string TempPath(const std::string& path) { return path + ".tmp"; }

// A rename that fails (the name is a directory, the folder went read-only) leaves no .tmp: one
// left behind means a killed run (results/README.md), not a handled error.
sim::Status RenameIntoPlace(const std::string& path) {
  if (std::rename(TempPath(path).c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(TempPath(path).c_str());
    return sim::Status::Error("cannot write " + path + ": " + why);
  }
  return sim::Status::Ok();
}

sim::Status RemoveStale(const std::string& path) {
  if (std::remove(path.c_str()) != 0 && errno != ENOENT)
    return sim::Status::Error("cannot remove " + path + ": " + std::strerror(errno));
  return sim::Status::Ok();
}

sim::Status WriteFileAtomically(const std::string& path, std::string_view text) {
  SIM_ASSIGN_OR_RETURN(OutputFile file, OutputFile::Open(path));
  file.Write(text);
  return file.Commit();
}

sim::Result<OutputFile> OutputFile::Open(const std::string& path) {
  std::FILE* f = std::fopen(TempPath(path).c_str(), "wb");
  if (f == nullptr) return sim::Status::Error("cannot write " + path + ": " + std::strerror(errno));
  return OutputFile(path, f);
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : path_(std::move(other.path_)), file_(std::exchange(other.file_, nullptr)) {}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
  if (this != &other) {
    Discard();
    path_ = std::move(other.path_);
    file_ = std::exchange(other.file_, nullptr);
  }
  return *this;
}

OutputFile::~OutputFile() { Discard(); }

void OutputFile::Discard() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  file_ = nullptr;
  std::remove(TempPath(path_).c_str());
}

sim::Status OutputFile::Commit() {
  if (file_ == nullptr) return sim::Status::Error("cannot write " + path_ + ": already closed");
  const bool written = std::fflush(file_) == 0 && !std::ferror(file_);
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!written || !closed) {
    std::remove(TempPath(path_).c_str());
    return sim::Status::Error("error writing " + path_);
  }
  return RenameIntoPlace(path_);
}

sim::Result<AppendOnlyFile> AppendOnlyFile::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return sim::Status::Error("cannot append to " + path + ": " + std::strerror(errno));
  return AppendOnlyFile(path, fd);
}

AppendOnlyFile::AppendOnlyFile(AppendOnlyFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

AppendOnlyFile& AppendOnlyFile::operator=(AppendOnlyFile&& other) noexcept {
  if (this != &other) {
    Close();
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

AppendOnlyFile::~AppendOnlyFile() { Close(); }

void AppendOnlyFile::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

sim::Status AppendOnlyFile::Append(std::string_view line) {
  if (fd_ < 0) return sim::Status::Error("cannot append to " + path_ + ": closed");
  // One write for the whole line; the loop only finishes a short write (a full disk, a signal).
  while (!line.empty()) {
    const ssize_t n = ::write(fd_, line.data(), line.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return sim::Status::Error("cannot append to " + path_ + ": " + std::strerror(errno));
    line.remove_prefix(static_cast<size_t>(n));
  }
  return sim::Status::Ok();
}

bool EndsWithNewline(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char last = '\n';
  const off_t size = ::lseek(fd, 0, SEEK_END);
  const bool ok = size == 0 || (size > 0 && ::pread(fd, &last, 1, size - 1) == 1);
  ::close(fd);
  return ok && last == '\n';
}

}  // namespace clustersim::results
