// Allocation-cycle benchmarks: a real models::Master with a registered allocator policy, the
// frameworks played by the benchmark (apps/offer_bench.h), one allocation cycle per iteration.
//
//   BM_AllocationCycle/<policy>/agents:A/frameworks:F — Mesos's DeclineOffers grid shapes
//     (HierarchicalAllocator_BENCHMARK_Test): every agent free, one offer per agent. Between
//     iterations every offer is declined without a filter, outside the timed region. Each
//     framework in its own role `role-<i>`.
//   BM_AllocationCycleOneRole/drf/agents:A/frameworks:F — the same with every framework in role
//     `*`, as Mesos's DeclineOffers has them (hierarchical_allocator_tests.cpp:7580-7581).
//   BM_AllocationCycleNoOffers/drf/agents:A/frameworks:F — the same cluster once everything is
//     offered: a cycle that finds nothing to offer.
//   BM_AllocationCycleFiltered/drf/agents:A/frameworks:F — DeclineOffers' steady state: every
//     framework has declined every agent with a filter that has not expired, so every agent is
//     free and a cycle makes no offer (OfferBench::FilterEverything, untimed; its set-up makes
//     about A x F^2 / 2 visits, hence a smaller grid).
//   BM_AllocationCycleSuppressed/drf/agents:A/frameworks:F — every agent free, every framework
//     suppressed: again a cycle with no taker for any agent.
//   BM_LargeAndSmallQuota/{first_cycle,no_offers}/small:S/large:L — Mesos's
//     BENCHMARK_HierarchicalAllocator_WithQuotaParam.LargeAndSmallQuota with master.quotas; S =
//     2500, L = 500 is Mesos's /2 (3,000 agents, 3,000 roles).
//
// Counters: offers (per cycle) and offers/s. Every policy registered by RegisterBuiltinPolicies
// gets the grid, with its parameters at their defaults.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>

#include "apps/offer_bench.h"
#include "scheduler_plugins/api/registry.h"
#include "scheduler_plugins/builtin.h"

namespace clustersim::apps {
namespace {

using Shape = OfferBenchOptions::Shape;

// Google Benchmark calls a benchmark function again while it sizes the iteration count; building
// a 50k-agent cluster each time would dominate the run. The last fixture is kept and reused while
// the same shape is asked for.
enum class Prep { kNone, kFiltered, kSuppressed };

OfferBench* Fixture(benchmark::State& state, const OfferBenchOptions& o, Prep prep = Prep::kNone) {
  static std::unique_ptr<OfferBench> cached;
  static Prep cached_prep = Prep::kNone;
  if (cached && cached_prep == prep) {
    const OfferBenchOptions& c = cached->options();
    const bool same =
        c.shape == o.shape && c.allocator == o.allocator && c.seed == o.seed &&
        (o.shape == Shape::kLargeAndSmallQuota
             ? c.small_quota_roles == o.small_quota_roles &&
                   c.large_quota_roles == o.large_quota_roles
             : c.agents == o.agents && c.frameworks == o.frameworks && c.one_role == o.one_role);
    if (same) {
      cached->DeclineAll();
      return cached.get();
    }
  }
  cached.reset();  // free the old cluster before building the next
  auto built = OfferBench::Create(o);
  if (!built.ok()) {
    state.SkipWithError(built.status().message().c_str());
    return nullptr;
  }
  cached = std::move(*built);
  cached_prep = prep;
  if (prep == Prep::kFiltered) cached->FilterEverything();
  if (prep == Prep::kSuppressed) cached->SuppressAll();
  return cached.get();
}

void ReportOffers(benchmark::State& state, int per_cycle, int64_t total) {
  state.counters["offers"] = per_cycle;
  state.counters["offers/s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}

// One cycle from every agent free per iteration.
void FullCycles(benchmark::State& state, OfferBench& b) {
  int last = 0;
  int64_t total = 0;
  for (auto _ : state) {
    state.PauseTiming();
    b.DeclineAll();
    state.ResumeTiming();
    last = b.RunCycle();
    total += last;
  }
  ReportOffers(state, last, total);
}

// Cycles that find everything offered already.
void EmptyCycles(benchmark::State& state, OfferBench& b) {
  b.RunCycle();
  int last = 0;
  int64_t total = 0;
  for (auto _ : state) {
    last = b.RunCycle();
    total += last;
  }
  ReportOffers(state, last, total);
}

void BM_AllocationCycle(benchmark::State& state, const std::string& allocator) {
  OfferBenchOptions o;
  o.agents = static_cast<int>(state.range(0));
  o.frameworks = static_cast<int>(state.range(1));
  o.allocator = allocator;
  if (OfferBench* b = Fixture(state, o)) FullCycles(state, *b);
}

// Mesos's own DeclineOffers shape: every framework in role `*`.
void BM_AllocationCycleOneRole(benchmark::State& state, const std::string& allocator) {
  OfferBenchOptions o;
  o.agents = static_cast<int>(state.range(0));
  o.frameworks = static_cast<int>(state.range(1));
  o.allocator = allocator;
  o.one_role = true;
  if (OfferBench* b = Fixture(state, o)) FullCycles(state, *b);
}

void BM_AllocationCycleNoOffers(benchmark::State& state, const std::string& allocator) {
  OfferBenchOptions o;
  o.agents = static_cast<int>(state.range(0));
  o.frameworks = static_cast<int>(state.range(1));
  o.allocator = allocator;
  if (OfferBench* b = Fixture(state, o)) EmptyCycles(state, *b);
}

void BM_AllocationCycleFiltered(benchmark::State& state, const std::string& allocator) {
  OfferBenchOptions o;
  o.agents = static_cast<int>(state.range(0));
  o.frameworks = static_cast<int>(state.range(1));
  o.allocator = allocator;
  if (OfferBench* b = Fixture(state, o, Prep::kFiltered)) EmptyCycles(state, *b);
}

void BM_AllocationCycleSuppressed(benchmark::State& state, const std::string& allocator) {
  OfferBenchOptions o;
  o.agents = static_cast<int>(state.range(0));
  o.frameworks = static_cast<int>(state.range(1));
  o.allocator = allocator;
  if (OfferBench* b = Fixture(state, o, Prep::kSuppressed)) EmptyCycles(state, *b);
}

void BM_LargeAndSmallQuota(benchmark::State& state, bool first_cycle) {
  OfferBenchOptions o;
  o.shape = Shape::kLargeAndSmallQuota;
  o.small_quota_roles = static_cast<int>(state.range(0));
  o.large_quota_roles = static_cast<int>(state.range(1));
  OfferBench* b = Fixture(state, o);
  if (b == nullptr) return;
  if (first_cycle) {
    FullCycles(state, *b);
  } else {
    EmptyCycles(state, *b);
  }
}

void DeclineOffersGrid(benchmark::internal::Benchmark* b) {
  b->ArgNames({"agents", "frameworks"});
  for (int64_t agents : {1'000, 5'000, 10'000, 20'000, 50'000}) {
    for (int64_t frameworks : {1, 100, 1'000, 3'000}) b->Args({agents, frameworks});
  }
  b->Unit(benchmark::kMillisecond);
}

// Filtering every agent takes about agents x frameworks^2 / 2 visits to set up: a smaller grid.
void FilteredGrid(benchmark::internal::Benchmark* b) {
  b->ArgNames({"agents", "frameworks"});
  for (int64_t agents : {1'000, 10'000}) {
    for (int64_t frameworks : {1, 10, 100}) b->Args({agents, frameworks});
  }
  b->Unit(benchmark::kMillisecond);
}

void QuotaShapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"small", "large"});
  // Mesos's QuotaParam(25, 5), (250, 50), (2500, 500): 30, 300 and 3,000 agents.
  for (int64_t small : {25, 250, 2'500}) b->Args({small, small / 5});
  b->Unit(benchmark::kMillisecond);
}

[[maybe_unused]] const bool kRegistered = [] {
  if (!plugins::RegisterBuiltinPolicies().ok()) return false;
  for (const std::string& name : plugins::Allocators().Names()) {
    benchmark::RegisterBenchmark(("BM_AllocationCycle/" + name).c_str(), BM_AllocationCycle, name)
        ->Apply(DeclineOffersGrid);
  }
  benchmark::RegisterBenchmark("BM_AllocationCycleOneRole/drf", BM_AllocationCycleOneRole,
                               std::string("drf"))
      ->Apply(DeclineOffersGrid);
  benchmark::RegisterBenchmark("BM_AllocationCycleNoOffers/drf", BM_AllocationCycleNoOffers,
                               std::string("drf"))
      ->Apply(DeclineOffersGrid);
  benchmark::RegisterBenchmark("BM_AllocationCycleFiltered/drf", BM_AllocationCycleFiltered,
                               std::string("drf"))
      ->Apply(FilteredGrid);
  benchmark::RegisterBenchmark("BM_AllocationCycleSuppressed/drf", BM_AllocationCycleSuppressed,
                               std::string("drf"))
      ->Apply(DeclineOffersGrid);
  benchmark::RegisterBenchmark("BM_LargeAndSmallQuota/first_cycle", BM_LargeAndSmallQuota, true)
      ->Apply(QuotaShapes);
  benchmark::RegisterBenchmark("BM_LargeAndSmallQuota/no_offers", BM_LargeAndSmallQuota, false)
      ->Apply(QuotaShapes);
  return true;
}();

}  // namespace
}  // namespace clustersim::apps
