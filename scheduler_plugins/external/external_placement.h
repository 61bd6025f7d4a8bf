#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "protocol.pb.h"
#include "scheduler_plugins/api/placement_policy.h"
#include "scheduler_plugins/external/channel.h"
#include "sim/status.h"

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
};

// `placement: {external: [program, args...], timeout: 60s}` (or `{socket: PATH}`, a process that
// started the simulator and listens there: python/clustersim/env.py): a framework's placement
// decided by another process over protocol.proto. The process starts at the framework's first
// decision round (so `validate` starts nothing); each round is one PlacementRound and one
// PlacementDecision, whose launches are applied in order through the round's CanPlace and Place,
// so the master enforces every rule an in-tree policy obeys. Anything wrong — the process
// crashing, hanging past `timeout`, sending garbage, another protocol version or an illegal
// launch — ends the run through ExternalRun::fail with one line naming the command, the message
// and the field. Per round it reuses its message objects and buffers.
class ExternalPlacement final : public PlacementPolicy {
 public:
  // `argv` a command to start, or `socket` a Unix socket to connect to (exactly one non-empty).
  ExternalPlacement(std::vector<std::string> argv, std::string socket,
                    std::chrono::milliseconds timeout, std::string framework);
  ~ExternalPlacement() override;

  void Bind(ExternalRun run) { run_ = std::move(run); }
  void Place(PlacementContext& ctx) override;
  // The run is over: RunEnd (with summary.json's text, or empty after an error), then the
  // process is given a moment to exit and is killed if it does not.
  void End(const std::string& summary_json);

 private:
  sim::Status Start(const PlacementContext& ctx);
  void BuildRound(const PlacementContext& ctx);
  void DescribeAgent(const PlacementContext& ctx, size_t offer);
  void AddImageCache(const PlacementContext& ctx);
  void SerializeRound(int64_t now_us);
  bool ParseDecision();
  sim::Status Exchange();
  sim::Status Apply(PlacementContext& ctx);
  sim::Status Check(const PlacementContext& ctx,
                    const clustersim::external::v1::PlacementDecision& d) const;
  sim::Status Problem(const std::string& what) const;
  void Fail(sim::Status error);

  std::vector<std::string> argv_;
  std::string socket_;
  std::chrono::milliseconds timeout_;
  std::string framework_;
  ExternalRun run_;
  std::optional<Channel> channel_;
  bool failed_ = false;
  bool wants_image_cache_ = false;
  std::vector<int32_t> round_images_;
  uint64_t rounds_ = 0;
  std::vector<uint8_t> described_;               // by agent id: sent in an Agents message already
  clustersim::external::v1::ToPolicy request_;   // Hello and RunEnd
  clustersim::external::v1::FromPolicy answer_;  // anything but a decision
  // A round's parts and its decision, kept from round to round (see BuildRound).
  clustersim::external::v1::Agents agents_;
  clustersim::external::v1::OfferColumns offers_;
  clustersim::external::v1::TaskColumns tasks_;
  clustersim::external::v1::ImageCache image_cache_;
  clustersim::external::v1::PlacementDecision decision_;
  bool has_decision_ = false;
  std::string out_, in_;
};

}  // namespace clustersim::plugins::external
