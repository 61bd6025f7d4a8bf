#include "scheduler_plugins/timing.h"

namespace clustersim::plugins {
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

void TimedAllocatorPolicy::BeginCycle(const ClusterView& view) {
  ++cycles_;
  Scope s(clock_, depth_);
  inner_->BeginCycle(view);
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

void TimedPlacementPolicy::Place(PlacementContext& ctx) {
  ++rounds_;
  clock_.Start();
  inner_->Place(ctx);
  clock_.Stop();
}

}  // namespace clustersim::plugins
