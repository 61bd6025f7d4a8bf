#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "protocol.pb.h"
#include "scheduler_plugins/api/allocator_policy.h"
#include "scheduler_plugins/api/placement_policy.h"
#include "sim/status.h"

namespace clustersim::plugins::external {

// The rules an external policy's answers must keep, apart from the process that sends them, so
// that a fuzz target can feed them any message (tests/fuzz/external_answers_fuzz.cc). Errors are
// one line; the caller puts who and what command in front.

// Applies a PlacementDecision to the round, in order: the check_* pairs (compared with CanPlace
// at the round's start), the launches through CanPlace and Place (the first illegal one is an
// error naming the rule it breaks), the filters (SetRefuse) and suppress. `round` is for
// messages.
sim::Status ApplyDecision(PlacementContext& ctx,
                          const clustersim::external::v1::PlacementDecision& d, uint64_t round);

// Whether an AllocationOrder answers a cycle's plan: one count per planned agent, counts adding
// up to the entries, each entry an existing subscription eligible for its agent and listed once.
// On success ranges[a] is planned agent a's [first, first + count) of order.framework(). Keeps
// its scratch from cycle to cycle.
class OrderCheck {
 public:
  sim::Status Check(const ClusterView& view, const CyclePlan& plan,
                    const clustersim::external::v1::AllocationOrder& order, uint64_t cycle,
                    std::vector<std::pair<uint32_t, uint32_t>>& ranges);

 private:
  std::vector<uint64_t> mark_;  // by subscription: marks_ eligible here, marks_ + 1 listed
  uint64_t marks_ = 0;
};

}  // namespace clustersim::plugins::external
