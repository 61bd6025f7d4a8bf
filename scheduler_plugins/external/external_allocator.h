#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "protocol.pb.h"
#include "scheduler_plugins/api/allocator_policy.h"
#include "scheduler_plugins/external/answer_rules.h"
#include "scheduler_plugins/external/policy_process.h"
#include "sim/status.h"

namespace clustersim::plugins::external {

// `master.allocator: {external: [program, args...], timeout: 60s}` (or `{socket: PATH}`): the
// order in which the master offers agents to frameworks, decided by another process over
// protocol.proto (AllocationCycle -> AllocationOrder). The master lays each cycle out first
// (AllocatorPolicy::PlanCycle: the agents in visit order, each with the subscriptions every rule
// allows), so one message each way covers the cycle; VisitInOrder then walks the answered list
// of the agent, and the master checks each framework as it does for any policy. The process
// starts at the first cycle (`validate` starts nothing). A crash, a hang past `timeout`, garbage,
// another protocol version or an illegal order (a framework that is not eligible for the agent,
// named twice, an unknown id, a list per agent that does not add up) ends the run through
// ExternalRun::fail with one line; from then on no agent is offered to anyone. Per cycle it
// reuses its messages and buffers.
class ExternalAllocator final : public AllocatorPolicy {
 public:
  ExternalAllocator(std::vector<std::string> argv, std::string socket,
                    std::chrono::milliseconds timeout, bool charge_wall_time = false,
                    std::string shared = {});

  void Bind(ExternalRun run) { process_->Bind(std::move(run)); }
  // `shared: NAME` (see ExternalPlacement::shared).
  const std::string& shared() const { return shared_; }
  const std::shared_ptr<PolicyProcess>& process() const { return process_; }
  void ShareProcess(std::shared_ptr<PolicyProcess> process) { process_ = std::move(process); }
  // The run is over (PolicyProcess::End).
  void End(const std::string& summary_json) { process_->End(summary_json); }

  // Its state travels with each cycle: nothing to keep between them.
  void FrameworkAdded(const ClusterView&, FrameworkId) override {}
  void FrameworkRemoved(const ClusterView&, FrameworkId) override {}
  void AllocationChanged(const ClusterView&, FrameworkId) override {}
  void TotalChanged(const ClusterView&) override {}
  void RoleWeightsChanged(const ClusterView&) override {}

  bool WantsCyclePlan() const override { return true; }
  // Returns the answer's wall time with `charge_wall_time: true` (the allocator actor of
  // master.cost_model is busy that much longer), else zero.
  sim::Time PlanCycle(const ClusterView& view, const CyclePlan& plan) override;
  bool charges_wall_time() const { return charge_wall_time_; }
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override;

 private:
  sim::Status Start(const ClusterView& view);
  void BuildCycle(const ClusterView& view, const CyclePlan& plan);
  void DescribeNews(const ClusterView& view);
  void AddPaths(const std::string& role);
  void SerializeCycle();
  // Checks the answer against the plan and indexes it for VisitInOrder.
  sim::Status Accept(const ClusterView& view, const CyclePlan& plan);
  sim::Status Problem(const std::string& what) const {
    return process_->Problem("external allocator", what);
  }

  std::shared_ptr<PolicyProcess> process_;
  std::string shared_;
  bool said_hello_ = false;
  bool charge_wall_time_;
  uint64_t cycles_ = 0;
  size_t agents_described_ = 0;
  size_t subscriptions_described_ = 0;
  std::vector<std::string> paths_;  // the role tree's paths sent so far, in index order
  clustersim::external::v1::Agents agents_;
  clustersim::external::v1::Subscriptions subscriptions_;
  clustersim::external::v1::AllocationCycle cycle_;  // without agents_ and subscriptions_
  clustersim::external::v1::AllocationOrder order_;
  std::string out_;
  // The accepted order: agent id -> its entries in order_.framework(), for this cycle.
  std::vector<uint64_t> order_cycle_;  // by agent: the cycle its entry below belongs to
  std::vector<std::pair<uint32_t, uint32_t>> order_range_;  // by agent: [first, first + count)
  OrderCheck order_check_;
  std::vector<std::pair<uint32_t, uint32_t>> ranges_;  // by planned agent, from order_check_
};

}  // namespace clustersim::plugins::external
