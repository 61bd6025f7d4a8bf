#pragma once

#include <cstdint>
#include <set>
#include <utility>

#include "scheduler_plugins/api/allocator_policy.h"

namespace clustersim::plugins {

// First come, first served: every agent goes to the earliest-registered framework that will take
// it, whatever it already holds and whatever its role. The baseline that shows what fairness buys:
// a busy early framework starves the later ones. O(k) per VisitInOrder for k frameworks visited,
// O(log F) per registration.
class FifoAllocator final : public AllocatorPolicy {
 public:
  void FrameworkAdded(const ClusterView& view, FrameworkId id) override {
    order_.emplace(view.framework(id).registration_order, id.value);
  }
  void FrameworkRemoved(const ClusterView& view, FrameworkId id) override {
    order_.erase({view.framework(id).registration_order, id.value});
  }
  void AllocationChanged(const ClusterView& view, FrameworkId id) override {}
  void TotalChanged(const ClusterView& view) override {}
  void VisitInOrder(const ClusterView& view, AgentId agent,
                    FunctionRef<bool(FrameworkId)> visit) override {
    for (const auto& [order, id] : order_) {
      if (visit(FrameworkId(id))) return;
    }
  }

 private:
  std::set<std::pair<uint32_t, uint32_t>> order_;  // (registration order, id)
};

}  // namespace clustersim::plugins
