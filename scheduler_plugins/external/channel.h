#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "sim/status.h"

namespace clustersim::plugins::external {

// A policy process and the two pipes the simulator talks to it over (protocol.proto): the child
// reads requests on its fd 3 and writes answers to its fd 4; its stdin is /dev/null, its stdout
// and stderr go to `log_path` (appended), or stay the simulator's stderr when it is empty.
// Messages are framed as a 4-byte little-endian length and the bytes. Every failure is a Status
// saying what happened — a process that cannot start, exits, closes a pipe, sends a frame over
// the size limit or does not answer within the timeout — without naming the command: the caller
// puts the key and the command in front (PolicyProcess::Problem) and the exchange
// (PolicyProcess::Exchange). Never throws, never raises SIGPIPE.
class Channel {
 public:
  static constexpr uint32_t kMaxMessageBytes = 256u << 20;

  // Starts `argv` (argv[0] looked up in PATH, as a shell would, but with no shell in between)
  // in the simulator's environment, with `python_path` (if not empty) put first in PYTHONPATH.
  static sim::Result<Channel> Start(const std::vector<std::string>& argv,
                                    const std::string& log_path,
                                    std::chrono::milliseconds answer_timeout,
                                    const std::string& python_path = {});
  // Connects to a Unix stream socket a policy listens on (a learning environment that drives the
  // simulator: python/clustersim/env.py); requests and answers share the connection. Nothing is
  // started or killed: Finish only closes it.
  static sim::Result<Channel> Connect(const std::string& socket_path,
                                      std::chrono::milliseconds answer_timeout);
  Channel(Channel&& other) noexcept;
  Channel& operator=(Channel&& other) noexcept;
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;
  // Closes the pipes, gives the process a moment to exit, then kills it.
  ~Channel();

  // Writes one frame. `bytes` is reused by the caller: nothing is allocated here.
  sim::Status Send(const std::string& bytes);
  // Reads one frame into `bytes` (its capacity is reused), waiting at most the answer timeout.
  sim::Status Receive(std::string& bytes);
  // Closes the request pipe (the child sees end of file) and waits up to `grace` for it to exit,
  // then kills it. Idempotent.
  void Finish(std::chrono::milliseconds grace);

  // The run's Ctrl-C flag: a wait for the policy interrupted by a signal while it is set ends
  // with an error that interrupted() reports, instead of waiting out the timeout.
  void SetStop(const std::atomic<bool>* stop) { stop_ = stop; }
  bool interrupted() const { return stop_ != nullptr && stop_->load(std::memory_order_relaxed); }

 private:
  Channel() = default;
  sim::Status ReadExactly(char* out, size_t n, std::chrono::steady_clock::time_point deadline);
  // Why the process stopped talking: its exit status if it has exited.
  std::string ExitReason();
  // ExitReason, or for a policy on a socket, that it closed the connection.
  std::string ClosedReason();
  sim::Status Interrupted() const;
  void CloseFds();

  std::chrono::milliseconds timeout_{0};
  const std::atomic<bool>* stop_ = nullptr;
  // The child until Finish reaps it (nothing else does: while it is not reaped its pid, its
  // process group's id, cannot be reused, so Finish can kill that group).
  pid_t pid_ = -1;
  std::string log_path_;  // where its stdout and stderr go (empty: the simulator's stderr)
  int to_child_ = -1;     // our end of the child's fd 3
  int from_child_ = -1;   // our end of the child's fd 4
};

}  // namespace clustersim::plugins::external
