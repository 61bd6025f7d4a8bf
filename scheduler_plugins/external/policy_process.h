#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "protocol.pb.h"
#include "scheduler_plugins/external/channel.h"
#include "sim/status.h"
#include "sim/time.h"

namespace clustersim::plugins::external {

inline constexpr uint32_t kProtocolVersion = 1;

// What a run tells its external policies once the cluster exists (apps/runner.cc).
struct ExternalRun {
  std::string log_path;  // the process's stdout and stderr; empty: the simulator's stderr
  std::string scenario;
  uint64_t seed = 0;
  // Put first in the process's PYTHONPATH: where the clustersim Python package is.
  std::string python_path;
  // Ends the run with this error; what ran is written, as after Ctrl-C.
  std::function<void(sim::Status)> fail;
  // The run's Ctrl-C flag (Channel::SetStop); null: none.
  const std::atomic<bool>* stop = nullptr;
};

// Wall time since construction, as simulated time: what `charge_wall_time` charges.
class WallClock {
 public:
  sim::Time Elapsed() const {
    return sim::Time::Micros(std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::steady_clock::now() - start_)
                                 .count());
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// The conversation with one policy process over protocol.proto, for the external placements and
// the external allocator — one process per key, or one shared by the keys that name the same
// `shared:` process: starting it (a command, or a Unix socket to connect to), each key's hello,
// one request and its answer at a time, the end. Every problem is a Status of one line that names
// `who` asked ("external placement of framework 'web'") and the command.
class PolicyProcess {
 public:
  PolicyProcess(std::vector<std::string> argv, std::string socket,
                std::chrono::milliseconds timeout);

  void Bind(ExternalRun run) { run_ = std::move(run); }
  bool failed() const { return failed_; }
  // The command, or the socket: what keys that share a process must agree on.
  const std::vector<std::string>& argv() const { return argv_; }
  const std::string& socket() const { return socket_; }

  // Starts the process if it has not started, then exchanges `hello` (completed here with the
  // version, scenario and seed) for its HelloReply: once per key the process serves.
  sim::Result<clustersim::external::v1::HelloReply> Hello(const std::string& who,
                                                          clustersim::external::v1::Hello hello);

  // Sends `request_bytes` (a serialized ToPolicy) and reads the answer: when it is the FromPolicy
  // field `answer_field` alone, parsed into `answer` (kept by the caller, so that nothing is
  // allocated per round) and true is returned; anything else but an Error is false (the caller
  // names what it expected); an Error, garbage or a broken process is an error.
  // Which exchange it is, for the error line: {"round", 3} is "round 3", {"hello"} is "hello".
  struct Step {
    const char* name;
    uint64_t number = 0;  // 0: the step has no number
  };
  sim::Result<bool> Exchange(const std::string& who, Step step, const std::string& request_bytes,
                             int answer_field, google::protobuf::MessageLite& answer);

  // "WHO ('COMMAND'): PROBLEM", the one line a failing run ends with.
  sim::Status Problem(const std::string& who, const std::string& problem) const;
  // Ends the run with `error` (ExternalRun::fail); later requests are not made, for any key.
  void Fail(sim::Status error);
  // The run is over: RunEnd (with summary.json's text, or empty after an error), then the
  // process is given a moment to exit and is killed if it does not. Once, whichever key asks.
  void End(const std::string& summary_json);

 private:
  std::vector<std::string> argv_;
  std::string socket_;
  std::chrono::milliseconds timeout_;
  ExternalRun run_;
  std::optional<Channel> channel_;
  bool failed_ = false;
  bool ended_ = false;
  clustersim::external::v1::ToPolicy request_;   // Hello and RunEnd
  clustersim::external::v1::FromPolicy answer_;  // anything but the expected answer
  std::string out_, in_;
};

}  // namespace clustersim::plugins::external
