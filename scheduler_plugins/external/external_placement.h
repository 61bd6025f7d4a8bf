#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol.pb.h"
#include "scheduler_plugins/api/placement_policy.h"
#include "scheduler_plugins/external/answer_rules.h"
#include "scheduler_plugins/external/policy_process.h"
#include "sim/status.h"

namespace clustersim::plugins::external {

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
                    std::chrono::milliseconds timeout, std::string framework,
                    bool charge_wall_time = false, std::string shared = {});
  ~ExternalPlacement() override;

  void Bind(ExternalRun run) { process_->Bind(std::move(run)); }
  // `shared: NAME`: keys naming the same process talk to one (the runner hands it around).
  const std::string& shared() const { return shared_; }
  const std::shared_ptr<PolicyProcess>& process() const { return process_; }
  void ShareProcess(std::shared_ptr<PolicyProcess> process) { process_ = std::move(process); }
  void Place(PlacementContext& ctx) override;
  // `charge_wall_time: true`: each answer's wall time is charged to the round's decision time.
  bool charges_wall_time() const { return charge_wall_time_; }
  // The run is over (PolicyProcess::End).
  void End(const std::string& summary_json) { process_->End(summary_json); }

 private:
  sim::Status Start(const PlacementContext& ctx);
  void BuildRound(const PlacementContext& ctx);
  void DescribeAgent(const PlacementContext& ctx, size_t offer);
  void AddImageCache(const PlacementContext& ctx);
  void AddTask(const PlacementContext& ctx, size_t t);
  void AddJobTallies(const PlacementContext& ctx);
  // The round's pending queue: whole, or as a QueueDelta from the last round's.
  void AddQueue(const PlacementContext& ctx);
  // Fills queue_delta_ if the queue is the last one less some tasks, plus new ones at its front
  // and back (tasks [0, prepended) and [appended_from, end)); false if it changed otherwise.
  bool ComputeDelta(const PlacementContext& ctx, size_t& prepended, size_t& appended_from);
  void SerializeRound(int64_t now_us);
  sim::Status Apply(PlacementContext& ctx);
  sim::Status Problem(const std::string& what) const { return process_->Problem(who_, what); }

  std::shared_ptr<PolicyProcess> process_;
  std::string shared_;
  std::string who_;  // "external placement of framework 'web'", for messages
  bool said_hello_ = false;
  std::string framework_;
  bool charge_wall_time_;
  bool wants_image_cache_ = false;
  bool wants_queue_deltas_ = false;
  // The queue as the last round sent it (with wants_queue_deltas_), and scratch.
  std::vector<uint64_t> sent_ids_;
  std::vector<TaskView> sent_views_;
  std::vector<uint64_t> sorted_ids_;
  std::vector<int32_t> round_images_;
  uint64_t rounds_ = 0;
  // By agent id: what an Agents message told the process last.
  struct Described {
    bool sent = false;
    bool attributes_match = false;
    int64_t mem_overhead = 0;
    bool operator==(const Described&) const = default;
  };
  std::vector<Described> described_;
  // A round's parts and its decision, kept from round to round (see BuildRound).
  clustersim::external::v1::Agents agents_;
  clustersim::external::v1::OfferColumns offers_;
  clustersim::external::v1::TaskColumns tasks_;
  clustersim::external::v1::ImageCache image_cache_;
  clustersim::external::v1::QueueDelta queue_delta_;
  clustersim::external::v1::JobTallies job_tallies_;
  bool has_job_constraints_ = false;  // this round's
  std::vector<uint64_t> round_jobs_;  // scratch: the round's distinct jobs
  clustersim::external::v1::PlacementDecision decision_;
  bool has_decision_ = false;
  std::string out_;
};

}  // namespace clustersim::plugins::external
