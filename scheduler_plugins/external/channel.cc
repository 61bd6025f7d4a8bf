#include "scheduler_plugins/external/channel.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <thread>
#include <utility>

extern char** environ;

namespace clustersim::plugins::external {
namespace {

using Clock = std::chrono::steady_clock;

sim::Status Errno(const std::string& what) {
  return sim::Status::Error(what + ": " + std::strerror(errno));
}

// Writing to a pipe whose reader is gone must be an error, not a signal that kills the simulator.
void IgnoreSigpipe() {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, nullptr);
}

// A close-on-exec pipe with both ends above 9: the child's dup2 onto 3 and 4 then always copies
// (a dup2 onto itself would keep close-on-exec) and never overwrites the other pipe.
bool HighPipe(int fds[2]) {
  int raw[2];
  if (pipe2(raw, O_CLOEXEC) != 0) return false;
  for (int i = 0; i < 2; ++i) {
    fds[i] = fcntl(raw[i], F_DUPFD_CLOEXEC, 10);
    close(raw[i]);
  }
  if (fds[0] >= 0 && fds[1] >= 0) return true;
  for (int i = 0; i < 2; ++i) {
    if (fds[i] >= 0) close(fds[i]);
  }
  return false;
}

// The simulator's environment, with `python_path` first in PYTHONPATH.
std::vector<std::string> ChildEnvironment(const std::string& python_path) {
  std::vector<std::string> env;
  std::string pythonpath = python_path;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (entry.starts_with("PYTHONPATH=")) {
      const std::string_view rest = entry.substr(11);
      if (!rest.empty()) pythonpath += (pythonpath.empty() ? "" : ":") + std::string(rest);
    } else {
      env.emplace_back(entry);
    }
  }
  if (!pythonpath.empty()) env.push_back("PYTHONPATH=" + pythonpath);
  return env;
}

// posix_spawnp looks a bare name ("policy.sh") up on PATH only, as a shell does; a user who
// meant the file in the current folder is told how to name it.
std::string NotOnPathHint(const std::string& program, int spawn_error) {
  if (spawn_error != ENOENT || program.find('/') != std::string::npos) return "";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(program, ec)) return "";
  return " (a name without '/' is looked up on PATH only; write ./" + program +
         " for the file in the current folder)";
}

}  // namespace

// Milliseconds from now to `deadline` for poll: at least 0, at most INT_MAX (the callers poll
// again while the deadline is ahead, so a longer timeout is waited in several polls).
static int PollMillis(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(left, 0, INT_MAX));
}

sim::Result<Channel> Channel::Start(const std::vector<std::string>& argv,
                                    const std::string& log_path,
                                    std::chrono::milliseconds answer_timeout,
                                    const std::string& python_path) {
  if (argv.empty()) return sim::Status::Error("external policy: an empty command");
  IgnoreSigpipe();
  Channel c;
  c.timeout_ = answer_timeout;
  c.log_path_ = log_path;
  int requests[2], answers[2];  // [0] read end, [1] write end
  if (!HighPipe(requests)) return Errno("cannot start the policy: pipe");
  if (!HighPipe(answers)) {
    close(requests[0]);
    close(requests[1]);
    return Errno("cannot start the policy: pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (!log_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  }
  // dup2 clears close-on-exec on the copies: the child keeps exactly fds 3 and 4.
  posix_spawn_file_actions_adddup2(&actions, requests[0], 3);
  posix_spawn_file_actions_adddup2(&actions, answers[1], 4);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_text = ChildEnvironment(python_path);
  std::vector<char*> env;
  for (std::string& e : env_text) env.push_back(e.data());
  env.push_back(nullptr);
  // Its own process group: a terminal's Ctrl-C reaches the simulator alone, which then ends the
  // run as interrupted and its policies itself; and Finish can end a policy started through a
  // wrapper (sh -c, a venv launcher) with everything it started.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  const int rc = posix_spawnp(&c.pid_, args[0], &actions, &attributes, args.data(), env.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  close(requests[0]);
  close(answers[1]);
  c.to_child_ = requests[1];
  c.from_child_ = answers[0];
  // Writes wait in poll, so that a policy that stops reading is bounded by the timeout.
  fcntl(c.to_child_, F_SETFL, fcntl(c.to_child_, F_GETFL) | O_NONBLOCK);
  if (rc != 0) {
    c.pid_ = -1;
    return sim::Status::Error(std::string("cannot start the policy: ") + std::strerror(rc) +
                              NotOnPathHint(argv[0], rc));
  }
  return c;
}

sim::Result<Channel> Channel::Connect(const std::string& socket_path,
                                      std::chrono::milliseconds answer_timeout) {
  IgnoreSigpipe();
  Channel c;
  c.timeout_ = answer_timeout;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(address.sun_path)) {
    return sim::Status::Error(fmt::format("the socket path is {} bytes; at most {}",
                                          socket_path.size(), sizeof(address.sun_path) - 1));
  }
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("cannot create a socket");
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    const sim::Status error = Errno("cannot connect to the policy");
    close(fd);
    return error;
  }
  // Non-blocking (for both fds: they share the socket), as Start's request pipe.
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  c.to_child_ = fd;
  c.from_child_ = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (c.from_child_ < 0) return Errno("cannot duplicate the socket's descriptor");
  return c;
}

Channel::Channel(Channel&& other) noexcept { *this = std::move(other); }

Channel& Channel::operator=(Channel&& other) noexcept {
  if (this == &other) return *this;
  Finish(std::chrono::milliseconds(0));
  timeout_ = other.timeout_;
  stop_ = other.stop_;
  pid_ = std::exchange(other.pid_, -1);
  log_path_ = std::move(other.log_path_);
  to_child_ = std::exchange(other.to_child_, -1);
  from_child_ = std::exchange(other.from_child_, -1);
  return *this;
}

Channel::~Channel() { Finish(std::chrono::milliseconds(500)); }

sim::Status Channel::Send(const std::string& bytes) {
  if (to_child_ < 0) return sim::Status::Error("the channel to the policy is closed");
  const uint32_t n = static_cast<uint32_t>(bytes.size());
  const unsigned char header[4] = {
      static_cast<unsigned char>(n), static_cast<unsigned char>(n >> 8),
      static_cast<unsigned char>(n >> 16), static_cast<unsigned char>(n >> 24)};
  struct Part {
    const char* data;
    size_t size;
  };
  // A policy that stops reading leaves the pipe full: the write waits as long as an answer may.
  const Clock::time_point deadline = Clock::now() + timeout_;
  for (Part part : {Part{reinterpret_cast<const char*>(header), 4}, Part{bytes.data(), n}}) {
    while (part.size > 0) {
      const ssize_t w = write(to_child_, part.data, part.size);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        pollfd p{to_child_, POLLOUT, 0};
        const int ready = poll(&p, 1, PollMillis(deadline));
        if (ready < 0 && errno == EINTR && interrupted()) return Interrupted();
        if (ready < 0 && errno != EINTR) return Errno("poll");
        if (ready == 0 && Clock::now() < deadline) continue;  // a timeout beyond one poll's
        if (ready == 0) {
          return sim::Status::Error(fmt::format("the policy did not read its request within {:g} s",
                                                timeout_.count() / 1000.0));
        }
        continue;
      }
      if (w < 0) return sim::Status::Error("the policy stopped reading: " + ClosedReason());
      part.data += w;
      part.size -= static_cast<size_t>(w);
    }
  }
  return sim::Status::Ok();
}

sim::Status Channel::Receive(std::string& bytes) {
  if (from_child_ < 0) return sim::Status::Error("the channel from the policy is closed");
  const Clock::time_point deadline = Clock::now() + timeout_;
  unsigned char header[4];
  SIM_RETURN_IF_ERROR(ReadExactly(reinterpret_cast<char*>(header), 4, deadline));
  const uint32_t n = header[0] | (uint32_t{header[1]} << 8) | (uint32_t{header[2]} << 16) |
                     (uint32_t{header[3]} << 24);
  if (n > kMaxMessageBytes) {
    return sim::Status::Error("the policy sent a frame of " + std::to_string(n) +
                              " bytes; expected a 4-byte little-endian " + "length of at most " +
                              std::to_string(kMaxMessageBytes) + " and a message (protocol.proto)");
  }
  bytes.resize(n);
  return ReadExactly(bytes.data(), n, deadline);
}

sim::Status Channel::ReadExactly(char* out, size_t n, Clock::time_point deadline) {
  while (n > 0) {
    pollfd p{from_child_, POLLIN, 0};
    const int ready = poll(&p, 1, PollMillis(deadline));
    if (ready < 0 && errno == EINTR && interrupted()) return Interrupted();
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0 && Clock::now() < deadline) continue;  // a timeout beyond one poll's
    if (ready == 0) {
      return sim::Status::Error(
          fmt::format("the policy did not answer within {:g} s", timeout_.count() / 1000.0));
    }
    const ssize_t r = read(from_child_, out, n);
    if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (r <= 0) {
      if (pid_ < 0) return sim::Status::Error("the policy closed its socket connection");
      return sim::Status::Error("the policy closed its answer pipe: " + ExitReason());
    }
    out += r;
    n -= static_cast<size_t>(r);
  }
  return sim::Status::Ok();
}

sim::Status Channel::Interrupted() const { return sim::Status::Error("interrupted (Ctrl-C)"); }

// A policy on a socket (Connect) is no child of ours: it closed the connection, whatever became of
// it; a child's exit says more.
std::string Channel::ClosedReason() {
  return pid_ < 0 ? "it closed its socket connection" : ExitReason();
}

std::string Channel::ExitReason() {
  if (pid_ < 0) return "not running";
  // The pipe closing and the exit are near: give the child a moment. Not reaped here (WNOWAIT):
  // Finish reaps it after killing what is left of its process group.
  for (int i = 0; i < 50; ++i) {
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid_) {
      // What it printed on its way out (a Python traceback) is in its log, if it has one.
      const std::string see_log = log_path_.empty() ? "" : " (its output: " + log_path_ + ")";
      if (info.si_code == CLD_EXITED) {
        return "it exited with status " + std::to_string(info.si_status) + see_log;
      }
      return std::string("it was killed by signal ") + strsignal(info.si_status) + see_log;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return "it is still running";
}

void Channel::CloseFds() {
  if (to_child_ >= 0) close(std::exchange(to_child_, -1));
  if (from_child_ >= 0) close(std::exchange(from_child_, -1));
}

void Channel::Finish(std::chrono::milliseconds grace) {
  CloseFds();
  if (pid_ < 0) return;
  // Waits for the exit without reaping (WNOWAIT): until it is reaped, the child's pid is its
  // process group's id and cannot be reused, so the kill below hits that group only — the
  // policy, or what a wrapper (sh -c, a venv launcher) left running in it.
  const Clock::time_point deadline = Clock::now() + grace;
  while (Clock::now() < deadline) {
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid_) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);  // in case it left its group
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace clustersim::plugins::external
