#pragma once

// Drives an AllocatorPolicy over a FakeClusterView the way Master::Allocate does, minus filters
// and reservations: each agent's available resources go to frameworks in the policy's order, each
// offer shrunk by LimitOffer, until no framework takes (each framework at most once per agent and
// cycle). Offers are granted at once (the view's allocations grow, the agent's available shrinks).

#include <functional>
#include <vector>

#include "scheduler_plugins/api/allocator_policy.h"
#include "tests/support/builders.h"

namespace clustersim::test {

struct Granted {
  uint32_t framework = 0;
  uint32_t agent = 0;
  plugins::Resources resources;
};

// Mesos's default --min_allocatable_resources: cpus:0.01 | mem:32.
inline bool MinAllocatable(const plugins::Resources& r) {
  return r.Contains(plugins::Resources::Of(0.01, 0)) || r.Contains(plugins::Resources::Of(0, 32));
}

class AllocatorDriver {
 public:
  AllocatorDriver(plugins::AllocatorPolicy& policy, FakeClusterView& view)
      : policy_(policy), view_(view) {}

  // Frameworks for which wants(f) is false decline to be visited (suppressed). Returns the offers
  // of this cycle in the order made.
  std::vector<Granted> Cycle(const std::function<bool(plugins::FrameworkId)>& wants = nullptr) {
    std::vector<Granted> out;
    policy_.BeginCycle(view_);
    for (size_t a = 0; a < view_.agent_count(); ++a) {
      const plugins::AgentId agent(static_cast<uint32_t>(a));
      if (!view_.agent_active(agent)) continue;
      std::vector<plugins::FrameworkId> served;
      while (MinAllocatable(view_.agent_available(agent))) {
        const plugins::Resources offerable = view_.agent_available(agent);
        bool found = false;
        plugins::FrameworkId chosen;
        plugins::Resources amount;
        policy_.VisitInOrder(view_, agent, [&](plugins::FrameworkId f) {
          if (!view_.framework_active(f)) return false;
          if (wants && !wants(f)) return false;
          for (auto s : served) {
            if (s == f) return false;
          }
          const plugins::Resources limited = policy_.LimitOffer(view_, agent, f, offerable);
          EXPECT_TRUE(offerable.Contains(limited) && !limited.AnyNegative())
              << "LimitOffer returned " << limited.ToString() << " out of " << offerable.ToString();
          const plugins::Resources a = limited.Min(offerable).Max(plugins::Resources());
          if (!MinAllocatable(a)) return false;
          chosen = f;
          amount = a;
          found = true;
          return true;
        });
        if (!found) break;
        served.push_back(chosen);
        Grant(chosen, agent, amount);
        out.push_back(Granted{chosen.value, agent.value, amount});
      }
    }
    return out;
  }

  void Grant(plugins::FrameworkId f, plugins::AgentId agent, const plugins::Resources& r) {
    view_.SetAvailable(agent, view_.agent_available(agent) - r);
    view_.SetAllocated(f, view_.framework_allocated(f) + r);
    view_.CountOffer(f);
    policy_.AllocationChanged(view_, f);
  }
  // Returns `r` of framework f's allocation to `agent`.
  void Release(plugins::FrameworkId f, plugins::AgentId agent, const plugins::Resources& r) {
    view_.SetAvailable(agent, view_.agent_available(agent) + r);
    view_.SetAllocated(f, view_.framework_allocated(f) - r);
    policy_.AllocationChanged(view_, f);
  }

 private:
  plugins::AllocatorPolicy& policy_;
  FakeClusterView& view_;
};

// Frameworks in the order the policy would offer `agent`, none taking it.
inline std::vector<uint32_t> VisitOrder(plugins::AllocatorPolicy& policy,
                                        const plugins::ClusterView& view,
                                        plugins::AgentId agent = plugins::AgentId(0)) {
  std::vector<uint32_t> order;
  policy.VisitInOrder(view, agent, [&](plugins::FrameworkId f) {
    order.push_back(f.value);
    return false;
  });
  return order;
}

}  // namespace clustersim::test
