// Engine benchmarks: the "hold" model of ns-3's utils/bench-scheduler.cc. A constant population of
// pending events; each event, when it runs, schedules one more at now + Exp(1 s) (integer
// microseconds). Run through the Simulator, through the EventQueue directly, and through a plain
// std::priority_queue of (time, sequence) pairs as the baseline, in one binary so the ratio comes
// from one run on one machine.
//
// The exponential increments are drawn once, up front, into a table of 64Ki values that every
// variant walks in the same order: all variants see the same increments, and the figure measures
// the queue rather than std::log (the inline-draw variants, /rng:1, show the cost with the draw).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "sim/event_queue.h"
#include "sim/random.h"
#include "sim/simulator.h"
#include "sim/time.h"

namespace clustersim::sim {
namespace {

constexpr int kBatch = 1024;  // events per benchmark iteration
constexpr uint32_t kIncrementMask = (1u << 16) - 1;

// Exp(1 s) increments in integer microseconds, deterministic.
const std::vector<int64_t>& Increments() {
  static const std::vector<int64_t> table = [] {
    Rng rng = RandomStreams(1).Stream("bench/hold");
    std::vector<int64_t> t(kIncrementMask + 1);
    for (int64_t& x : t) x = Time::FromSeconds(rng.Exponential(1.0)).micros();
    return t;
  }();
  return table;
}

// Where the next increment comes from: the shared table, or a fresh draw.
class IncrementSource {
 public:
  explicit IncrementSource(bool inline_rng)
      : inline_rng_(inline_rng), table_(Increments().data()), rng_(RandomStreams(1).Stream("x")) {}
  int64_t Next() {
    if (inline_rng_) return Time::FromSeconds(rng_.Exponential(1.0)).micros();
    return table_[i_++ & kIncrementMask];
  }

 private:
  bool inline_rng_;
  const int64_t* table_;
  uint32_t i_ = 0;
  Rng rng_;
};

// ---- Through the Simulator ------------------------------------------------------------------

struct SimHold {
  Simulator* sim;
  IncrementSource* increments;
  void operator()() const { sim->ScheduleAfter(Time::Micros(increments->Next()), *this); }
};

void BM_SimulatorHold(benchmark::State& state) {
  const auto pending = static_cast<int64_t>(state.range(0));
  IncrementSource increments(state.range(1) != 0);
  Simulator sim(1);
  for (int64_t i = 0; i < pending; ++i) {
    sim.Schedule(Time::Micros(increments.Next()), SimHold{&sim, &increments});
  }
  // Each RunUntil advances the clock by the span that holds kBatch events on average (the
  // population drains at pending / 1 s).
  const Time span = Time::Micros(1'000'000 * kBatch / pending);
  sim.RunUntil(sim.Now() + span * (pending / kBatch + 1));  // Warm-up: about `pending` events.
  uint64_t events = 0;
  for (auto _ : state) events += sim.RunUntil(sim.Now() + span);
  if (sim.pending_events() != static_cast<size_t>(pending)) state.SkipWithError("population");
  state.SetItemsProcessed(static_cast<int64_t>(events));
}

// ---- Through the EventQueue directly --------------------------------------------------------

struct QueueHoldCtx {
  EventQueue* queue;
  IncrementSource* increments;
  Time now;
};

struct QueueHold {
  QueueHoldCtx* ctx;
  void operator()() const {
    ctx->queue->Insert(ctx->now + Time::Micros(ctx->increments->Next()), *this);
  }
};

void BM_EventQueueHold(benchmark::State& state) {
  const auto pending = static_cast<int64_t>(state.range(0));
  IncrementSource increments(state.range(1) != 0);
  EventQueue queue;
  QueueHoldCtx ctx{&queue, &increments, Time::Zero()};
  for (int64_t i = 0; i < pending; ++i) {
    queue.Insert(Time::Micros(increments.Next()), QueueHold{&ctx});
  }
  auto step = [&] {
    TimedAction next = queue.RemoveNext();
    ctx.now = next.time;
    next.action();
  };
  for (int64_t i = 0; i < pending; ++i) step();  // Warm-up.
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) step();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kBatch);
}

// ---- Baseline: std::priority_queue of (time, sequence) --------------------------------------

void BM_PriorityQueueHold(benchmark::State& state) {
  const auto pending = static_cast<int64_t>(state.range(0));
  IncrementSource increments(state.range(1) != 0);
  using Entry = std::pair<int64_t, uint64_t>;  // (time, insertion sequence)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
  uint64_t sequence = 0;
  for (int64_t i = 0; i < pending; ++i) queue.push({increments.Next(), sequence++});
  auto step = [&] {
    const int64_t now = queue.top().first;
    queue.pop();
    queue.push({now + increments.Next(), sequence++});
  };
  for (int64_t i = 0; i < pending; ++i) step();  // Warm-up.
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) step();
  }
  benchmark::DoNotOptimize(queue.top());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kBatch);
}

void HoldArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"pending", "rng"});
  for (int64_t rng : {0, 1}) {
    for (int64_t pending : {1'000, 100'000, 1'000'000}) b->Args({pending, rng});
  }
}

// One uniform draw for item i: from a generator keyed on (i, purpose) (KeyedStreams, how a task
// attempt's start latency and a synthetic job's attributes are drawn) against the next draw of one
// sequential stream. The difference is the price of common random numbers per draw.
void BM_KeyedDraw(benchmark::State& state) {
  const KeyedStreams keyed(RandomStreams(1), "bench");
  uint64_t item = 0;
  double sum = 0;
  for (auto _ : state) {
    Rng rng = keyed.For(item++, 3);
    sum += rng.Uniform01();
  }
  benchmark::DoNotOptimize(sum);
}

void BM_SequentialDraw(benchmark::State& state) {
  Rng rng = RandomStreams(1).Stream("bench");
  double sum = 0;
  for (auto _ : state) sum += rng.Uniform01();
  benchmark::DoNotOptimize(sum);
}

BENCHMARK(BM_KeyedDraw);
BENCHMARK(BM_SequentialDraw);
BENCHMARK(BM_PriorityQueueHold)->Apply(HoldArgs);
BENCHMARK(BM_EventQueueHold)->Apply(HoldArgs);
BENCHMARK(BM_SimulatorHold)->Apply(HoldArgs);

}  // namespace
}  // namespace clustersim::sim
