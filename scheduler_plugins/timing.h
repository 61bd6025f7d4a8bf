#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "scheduler_plugins/api/allocator_policy.h"
#include "scheduler_plugins/api/placement_policy.h"

namespace clustersim::plugins {

// The one place where a policy's own running time is measured (DESIGN.md: no clock in the models
// except this). The runner wraps each policy in one of these decorators; the time they accumulate
// goes to summary.json's "run" object only, never into deterministic outputs.
//
// Clock: std::chrono::steady_clock, read around every call into the policy (~20 ns a read, where
// CLOCK_THREAD_CPUTIME_ID costs ~180 ns, several times a DRF visit). On an unloaded core it equals
// the thread's CPU time; under oversubscription it over-counts. The allocator's VisitInOrder time
// includes the master's per-framework checks made in `visit` (suppression, filters, LimitOffer),
// which are O(1) each; a placement round's time includes the context's feasibility checks.
class PolicyStopwatch {
 public:
  void Start() { start_ = std::chrono::steady_clock::now(); }
  void Stop() { total_ += std::chrono::steady_clock::now() - start_; }
  double seconds() const { return std::chrono::duration<double>(total_).count(); }

 private:
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::duration total_{};
};

class TimedAllocatorPolicy final : public AllocatorPolicy {
 public:
  explicit TimedAllocatorPolicy(std::unique_ptr<AllocatorPolicy> inner)
      : inner_(std::move(inner)) {}

  void FrameworkAdded(const ClusterView& view, FrameworkId id) override;
  void FrameworkRemoved(const ClusterView& view, FrameworkId id) override;
  void AllocationChanged(const ClusterView& view, FrameworkId id) override;
  void TotalChanged(const ClusterView& view) override;
  void BeginCycle(const ClusterView& view) override;
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override;
  Resources LimitOffer(const ClusterView& view, AgentId agent, FrameworkId framework,
                       const Resources& offerable) override;

  AllocatorPolicy& inner() { return *inner_; }
  double seconds() const { return clock_.seconds(); }
  uint64_t cycles() const { return cycles_; }

 private:
  std::unique_ptr<AllocatorPolicy> inner_;
  PolicyStopwatch clock_;
  uint64_t cycles_ = 0;
  int depth_ = 0;  // LimitOffer runs inside VisitInOrder: time it once
};

class TimedPlacementPolicy final : public PlacementPolicy {
 public:
  explicit TimedPlacementPolicy(std::unique_ptr<PlacementPolicy> inner)
      : inner_(std::move(inner)) {}

  void Place(PlacementContext& ctx) override;

  PlacementPolicy& inner() { return *inner_; }
  double seconds() const { return clock_.seconds(); }
  uint64_t rounds() const { return rounds_; }

 private:
  std::unique_ptr<PlacementPolicy> inner_;
  PolicyStopwatch clock_;
  uint64_t rounds_ = 0;
};

}  // namespace clustersim::plugins
