#pragma once

// The allocation-cycle benchmark, shared by the Google Benchmark suite (bench/allocation_bench.cc)
// and `clustersim bench offers`: a real models::Master and a registered allocator policy, with the
// benchmark itself in the frameworks' place. It keeps every offer it receives and can decline them
// all (no filter) so that the next cycle again finds every agent free. Nothing runs on the event
// queue: cycles are driven with Master::AllocateNow, so the measured time is the cycle's alone.
//
// Shapes, after Apache Mesos's allocator benchmarks (src/tests/hierarchical_allocator_*):
//   DeclineOffers — A agents of cpus:24;mem:4096;disk:4096 (HierarchicalAllocator_BENCHMARK_Test,
//     ports left out), F frameworks each in its own role (or all in role `*`, as Mesos's), every
//     agent free: one offer per agent.
//   LargeAndSmallQuota — (BENCHMARK_HierarchicalAllocator_WithQuotaParam) S "small" roles with a
//     quota of cpus:1;mem:1024;disk:1024 (half an agent) and L "large" ones with
//     cpus:4;mem:4096;disk:4096 (two agents), one framework each, on S/5 + 5L agents of
//     cpus:2;mem:2048;disk:2048, the quotas as master.quotas (guarantee, no limit) under the chosen
//     allocator (default drf). Mesos's /2 is
//     S = 2500, L = 500: 3,000 agents and 3,000 roles.

#include <memory>
#include <string>
#include <vector>

#include "models/agent/container_runtime.h"
#include "models/master/master.h"
#include "models/signals.h"
#include "models/spec.h"
#include "models/task_table.h"
#include "scheduler_plugins/api/allocator_policy.h"
#include "sim/simulator.h"
#include "sim/status.h"

namespace clustersim::apps {

struct OfferBenchOptions {
  enum class Shape { kDeclineOffers, kLargeAndSmallQuota };
  Shape shape = Shape::kDeclineOffers;
  int agents = 10'000;     // DeclineOffers only
  int frameworks = 1'000;  // DeclineOffers: frameworks
  // DeclineOffers: each framework in its own role `role-<i>` (clustersim's shape since the first
  // benchmark), or all of them in role `*` as Mesos's DeclineOffers has them
  // (hierarchical_allocator_tests.cpp:7580-7581).
  bool one_role = false;
  int small_quota_roles = 2'500;  // LargeAndSmallQuota only
  int large_quota_roles = 500;    // LargeAndSmallQuota only
  // Any registered allocator (its parameters at their defaults). LargeAndSmallQuota gives the
  // master the shape's quotas (master.quotas).
  std::string allocator = "drf";
  uint64_t seed = 1;
};

// `options` with Mesos's LargeAndSmallQuota shape over `roles` roles: one in six large, the rest
// small (`clustersim bench offers --quota --frameworks N`).
OfferBenchOptions LargeAndSmallQuotaOptions(OfferBenchOptions options, int roles);

class OfferBench {
 public:
  // Validates the options (counts >= 1, a registered allocator) and builds the cluster: agents
  // first, then frameworks (so that no framework's share is re-keyed once per agent). No cycle has
  // run yet. Precondition: plugins::RegisterBuiltinPolicies() has run.
  static sim::Result<std::unique_ptr<OfferBench>> Create(const OfferBenchOptions& options);
  ~OfferBench();
  OfferBench(const OfferBench&) = delete;
  OfferBench& operator=(const OfferBench&) = delete;

  // One allocation cycle now; returns the offers it made. They stay outstanding (held by the
  // benchmark) until DeclineAll.
  int RunCycle();
  // Declines every outstanding offer, with a filter of `refuse` (0: none; the clock never moves,
  // so any positive filter lasts for good): with none, the next cycle sees the same free cluster.
  void DeclineAll(sim::Time refuse = sim::Time::Zero());
  // Mesos DeclineOffers' steady state: cycles whose offers are all declined with a filter that
  // never expires, until a cycle makes no offer — every framework has refused every agent. The
  // cycles after that visit every free agent and find no taker. O(agents x frameworks) offers.
  void FilterEverything();
  // Every framework suppresses offers (Mesos frameworks with nothing to run): the cycles after
  // that visit every free agent and find no taker. O(frameworks).
  void SuppressAll();

  const OfferBenchOptions& options() const { return options_; }
  size_t agent_count() const;
  size_t framework_count() const;
  size_t outstanding() const { return outstanding_.size(); }
  models::Master& master() { return *master_; }

 private:
  explicit OfferBench(const OfferBenchOptions& options);

  OfferBenchOptions options_;
  models::ScenarioSpec spec_;
  sim::Simulator sim_;
  models::TaskTable tasks_;
  models::ClusterSignals signals_;
  std::unique_ptr<plugins::AllocatorPolicy> policy_;
  std::unique_ptr<models::ContainerRuntime> runtime_;
  std::unique_ptr<models::Master> master_;
  std::vector<models::OfferSlot> outstanding_;
};

// Wall-clock figures of `cycles` cycles, each starting from every agent free, and of as many
// cycles that find nothing to offer (run right after a cycle that offered everything).
struct OfferBenchResult {
  int cycles = 0;
  double min_s = 0, median_s = 0, max_s = 0;                    // cycle time, every agent free
  double offers_per_cycle = 0;                                  // median
  double offers_per_s = 0;                                      // offers_per_cycle / median_s
  double empty_min_s = 0, empty_median_s = 0, empty_max_s = 0;  // cycle with nothing to offer
  double setup_s = 0;                                           // building the cluster
};

// Builds the bench, runs one untimed warm-up cycle, then measures. Precondition: cycles >= 1.
sim::Result<OfferBenchResult> RunOfferBench(const OfferBenchOptions& options, int cycles);

// The report's line saying what it measures: this program's speed, not a modelled master's
// throughput (that is summary.json master_cost.offers_per_s under master.cost_model).
inline constexpr const char* kOfferBenchMeasures =
    "  measures simulator speed: how fast this program computes offers in real time (for how many "
    "offers/s a Mesos master sustains, run master.cost_model: scenarios/offer-throughput.yaml)\n";

// The report `clustersim bench offers` prints: the figures above and the published Mesos ones.
std::string FormatOfferBenchReport(const OfferBenchOptions& options,
                                   const OfferBenchResult& result);

}  // namespace clustersim::apps
