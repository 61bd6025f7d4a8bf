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
// Clock: the CPU's time-stamp counter on x86-64 (a few ns a read; the stopwatch sits around every
// call into the allocator, i.e. per agent per cycle, where two steady_clock reads cost a fifth of a
// whole run), converted to seconds with a rate calibrated against steady_clock over the process's
// life; steady_clock elsewhere. CLOCK_THREAD_CPUTIME_ID would cost ~180 ns a read. On an unloaded
// core this equals the thread's CPU time; under oversubscription it over-counts. The allocator's
// VisitInOrder time includes the master's per-framework checks made in `visit` (suppression,
// filters, LimitOffer), which are O(1) each; a placement round's time includes the context's
// feasibility checks.
class PolicyStopwatch {
 public:
  void Start() { start_ = Ticks(); }
  void Stop() { total_ += Ticks() - start_; }
  double seconds() const { return static_cast<double>(total_) * SecondsPerTick(); }

  static uint64_t Ticks() {
#if defined(__x86_64__)
    return __builtin_ia32_rdtsc();
#else
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count());
#endif
  }
  // Seconds per tick, measured between the first use and now (1e-9 without a TSC).
  static double SecondsPerTick();

 private:
  uint64_t start_ = 0;
  uint64_t total_ = 0;
};

class TimedAllocatorPolicy final : public AllocatorPolicy {
 public:
  explicit TimedAllocatorPolicy(std::unique_ptr<AllocatorPolicy> inner)
      : inner_(std::move(inner)) {}

  void FrameworkAdded(const ClusterView& view, FrameworkId id) override;
  void FrameworkRemoved(const ClusterView& view, FrameworkId id) override;
  void AllocationChanged(const ClusterView& view, FrameworkId id) override;
  void TotalChanged(const ClusterView& view) override;
  void RoleWeightsChanged(const ClusterView& view) override;
  void AllocatorRestarted(const ClusterView& view) override;
  void BeginCycle(const ClusterView& view) override;
  bool WantsCyclePlan() const override { return inner_->WantsCyclePlan(); }
  sim::Time PlanCycle(const ClusterView& view, const CyclePlan& plan) override;
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override;
  Resources LimitOffer(const ClusterView& view, AgentId agent, FrameworkId framework,
                       const Resources& offerable) override;
  // Forwarded, not left to the base class's defaults: those derive from VisitInOrder in O(F)
  // and would make a timed quota run slower than an untimed one.
  void VisitRolesInOrder(const ClusterView& view, AgentId agent,
                         FunctionRef<bool(RoleId)> visit) override;
  void OrderRoles(const ClusterView& view, AgentId agent, std::vector<RoleId>& roles) override;
  void VisitRoleInOrder(const ClusterView& view, AgentId agent, RoleId role,
                        FunctionRef<bool(FrameworkId)> visit) override;

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
