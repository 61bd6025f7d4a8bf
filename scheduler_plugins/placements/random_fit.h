#pragma once

#include <cstdint>
#include <vector>

#include "scheduler_plugins/api/placement_policy.h"
#include "sim/random.h"

namespace clustersim::plugins {

// The released Omega simulator's placement (google/cluster-scheduler-simulator,
// CoreClusterSimulation.scala:485-549, `scheduleJob`): each pending task, in queue order, draws an
// offer uniformly at random from its candidates. An offer it fits takes it and stays a candidate,
// so several tasks may land on one agent (with replacement); an offer it does not fit stops being
// a candidate for that task (without replacement). A task no offer fits stays pending. The pool is
// one permutation of the offers kept for the whole round (as the released code keeps its
// candidate array): a task's candidates are its first `n` entries, so starting a task costs
// O(1), and a task probes O(1) offers on a roomy cell, every offer at worst. Issue 16 uses it for
// the Omega paper's runs, where first-fit over 10k agents per task is too slow and too packed.
class RandomFitPlacement final : public PlacementPolicy {
 public:
  explicit RandomFitPlacement(sim::Rng rng) : rng_(rng) {}
  void Place(PlacementContext& ctx) override;

 private:
  sim::Rng rng_;
  std::vector<uint32_t> pool_;  // scratch: a permutation of the round's offer indices
};

}  // namespace clustersim::plugins
