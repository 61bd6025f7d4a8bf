#include "scheduler_plugins/timing.h"

namespace clustersim::plugins {

namespace {
// The calibration origin, taken at static initialisation, before any policy runs.
struct Origin {
  std::chrono::steady_clock::time_point time = std::chrono::steady_clock::now();
  uint64_t ticks = PolicyStopwatch::Ticks();
};
const Origin& TheOrigin() {
  static const Origin origin;
  return origin;
}
[[maybe_unused]] const Origin& kTouchOriginEarly = TheOrigin();
}  // namespace

double PolicyStopwatch::SecondsPerTick() {
#if defined(__x86_64__)
  const Origin& o = TheOrigin();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - o.time).count();
  const uint64_t ticks = Ticks() - o.ticks;
  // Too short to calibrate: assume a 1 GHz counter rather than divide by ~0.
  return ticks > 1'000'000 ? seconds / static_cast<double>(ticks) : 1e-9;
#else
  return 1e-9;
#endif
}
namespace {

// Times the enclosing scope unless an outer call is already being timed.
class Scope {
 public:
  Scope(PolicyStopwatch& clock, int& depth) : clock_(clock), depth_(depth) {
    if (depth_++ == 0) clock_.Start();
  }
  ~Scope() {
    if (--depth_ == 0) clock_.Stop();
  }

 private:
  PolicyStopwatch& clock_;
  int& depth_;
};

}  // namespace

void TimedAllocatorPolicy::FrameworkAdded(const ClusterView& view, FrameworkId id) {
  Scope s(clock_, depth_);
  inner_->FrameworkAdded(view, id);
}

void TimedAllocatorPolicy::FrameworkRemoved(const ClusterView& view, FrameworkId id) {
  Scope s(clock_, depth_);
  inner_->FrameworkRemoved(view, id);
}

void TimedAllocatorPolicy::AllocationChanged(const ClusterView& view, FrameworkId id) {
  Scope s(clock_, depth_);
  inner_->AllocationChanged(view, id);
}

void TimedAllocatorPolicy::TotalChanged(const ClusterView& view) {
  Scope s(clock_, depth_);
  inner_->TotalChanged(view);
}

void TimedAllocatorPolicy::RoleWeightsChanged(const ClusterView& view) {
  Scope s(clock_, depth_);
  inner_->RoleWeightsChanged(view);
}

void TimedAllocatorPolicy::AllocatorRestarted(const ClusterView& view) {
  Scope s(clock_, depth_);
  inner_->AllocatorRestarted(view);
}

void TimedAllocatorPolicy::BeginCycle(const ClusterView& view) {
  ++cycles_;
  Scope s(clock_, depth_);
  inner_->BeginCycle(view);
}

sim::Time TimedAllocatorPolicy::PlanCycle(const ClusterView& view, const CyclePlan& plan) {
  Scope s(clock_, depth_);
  return inner_->PlanCycle(view, plan);
}

void TimedAllocatorPolicy::VisitInOrder(const ClusterView& view, AgentId agent,
                                        FunctionRef<bool(FrameworkId)> visit) {
  Scope s(clock_, depth_);
  inner_->VisitInOrder(view, agent, visit);
}

Resources TimedAllocatorPolicy::LimitOffer(const ClusterView& view, AgentId agent,
                                           FrameworkId framework, const Resources& offerable) {
  Scope s(clock_, depth_);
  return inner_->LimitOffer(view, agent, framework, offerable);
}

void TimedAllocatorPolicy::VisitRolesInOrder(const ClusterView& view, AgentId agent,
                                             FunctionRef<bool(RoleId)> visit) {
  Scope s(clock_, depth_);
  inner_->VisitRolesInOrder(view, agent, visit);
}

void TimedAllocatorPolicy::OrderRoles(const ClusterView& view, AgentId agent,
                                      std::vector<RoleId>& roles) {
  Scope s(clock_, depth_);
  inner_->OrderRoles(view, agent, roles);
}

void TimedAllocatorPolicy::VisitRoleInOrder(const ClusterView& view, AgentId agent, RoleId role,
                                            FunctionRef<bool(FrameworkId)> visit) {
  Scope s(clock_, depth_);
  inner_->VisitRoleInOrder(view, agent, role, visit);
}

void TimedPlacementPolicy::Place(PlacementContext& ctx) {
  ++rounds_;
  clock_.Start();
  inner_->Place(ctx);
  clock_.Stop();
}

}  // namespace clustersim::plugins
