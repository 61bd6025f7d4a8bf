// End-to-end benchmarks: whole scenarios through the runner (apps::RunScenario, no files written),
// reporting the simulator's events per wall second, simulated seconds per wall second and offers
// per wall second. One iteration is one whole run, from building the cluster to the summary.
//
//   BM_EndToEnd/default/minutes:M — the embedded default scenario (1,000 agents, three
//     frameworks, 1 s cycles) cut to M simulated minutes (60 is the scenario as shipped).
//   BM_EndToEnd/google_scale/minutes:M — a synthetic cluster of Google 2011's size: 12,500 agents,
//     1 s cycles, default filters, about a million tasks a day (12 tasks/s) of Google-like sizes,
//     for M simulated minutes.
//
// And the engine's hold model with handlers shaped like the models' (BM_SimulatorHoldRealistic):
// each event is a task's next phase, a lambda capturing (model, slot, generation) like the
// master's offer timeouts, which checks the generation, updates the task record and a per-state
// counter, draws its next delay with Rng::Exponential and schedules the next phase.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "apps/config/overrides.h"
#include "apps/config/yaml_value.h"
#include "apps/embedded_scenarios.h"
#include "apps/runner.h"
#include "apps/scenario.h"
#include "scheduler_plugins/builtin.h"
#include "sim/random.h"
#include "sim/simulator.h"
#include "sim/time.h"

namespace clustersim::apps {
namespace {

constexpr char kGoogleScale[] = R"(
name: google-scale-synthetic
seed: 7
duration: 1h
master:
  allocation_interval: 1s
  allocator: drf
images:
  - {name: app, os: linux, layers: [{digest: app, download: 200MB, disk: 500MB}]}
cluster:
  groups:
    - name: machines
      count: 12500
      os: linux
      resources: {cpus: 16, mem: 64GiB, disk: 400GiB}
      racks: 250
      preloaded_images: [app]
frameworks:
  - name: prod
    role: prod
    weight: 2
    workload:
      initial_jobs: 2000
      tasks_per_job: 5
      duration: service
      resources: {cpus: 2, mem: 8GiB}
      images: [app]
  - name: batch
    role: batch
    workload:
      arrival: poisson
      rate: 2/s
      tasks_per_job: {dist: uniform, min: 1, max: 11}
      duration: {dist: lognormal, median: 5m, p99: 2h}
      resources:
        cpus: {dist: uniform, min: 0.25, max: 4}
        mem: {dist: lognormal, median: 2GiB, p99: 32GiB}
      images: [app]
  - name: best-effort
    role: free
    workload:
      arrival: poisson
      rate: 0.2/s
      tasks_per_job: 10
      duration: {dist: lognormal, median: 2m, p99: 30m}
      resources: {cpus: 1, mem: 1GiB}
      images: [app]
)";

void RunWhole(benchmark::State& state, std::string_view text, std::string_view name) {
  if (!plugins::RegisterBuiltinPolicies().ok()) {
    state.SkipWithError("policies");
    return;
  }
  auto doc = LoadYamlString(text, name);
  if (!doc.ok()) {
    state.SkipWithError(doc.status().message().c_str());
    return;
  }
  const std::vector<std::string> sets = {"duration=" + std::to_string(state.range(0)) + "m"};
  if (auto s = ApplyOverrides(*doc, sets); !s.ok()) {
    state.SkipWithError(s.message().c_str());
    return;
  }
  auto scenario = LoadScenario(*doc);
  if (!scenario.ok()) {
    state.SkipWithError(scenario.status().message().c_str());
    return;
  }
  RunOptions options;
  options.write_files = false;
  options.progress.enabled = false;
  double events = 0, sim_seconds = 0, offers = 0;
  for (auto _ : state) {
    auto summary = RunScenario(*scenario, options);
    if (!summary.ok()) {
      state.SkipWithError(summary.status().message().c_str());
      return;
    }
    events += (*summary)["events"].get<double>();
    sim_seconds += (*summary)["sim_seconds"].get<double>();
    offers += (*summary)["offers"]["sent"].get<double>();
  }
  state.counters["events/s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
  state.counters["sim_s/wall_s"] = benchmark::Counter(sim_seconds, benchmark::Counter::kIsRate);
  state.counters["events/run"] = events / static_cast<double>(state.iterations());
  // Offers made, delivered, answered and removed: most of a Mesos-style run's work is here.
  state.counters["offers/s"] = benchmark::Counter(offers, benchmark::Counter::kIsRate);
}

void BM_EndToEndDefault(benchmark::State& state) {
  RunWhole(state, EmbeddedDefaultScenario(), "default.yaml (embedded)");
}
void BM_EndToEndGoogleScale(benchmark::State& state) {
  RunWhole(state, kGoogleScale, "google-scale-synthetic");
}

BENCHMARK(BM_EndToEndDefault)
    ->Name("BM_EndToEnd/default")
    ->ArgName("minutes")
    ->Arg(5)
    ->Arg(60)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_EndToEndGoogleScale)
    ->Name("BM_EndToEnd/google_scale")
    ->ArgName("minutes")
    ->Arg(1)
    ->Arg(10)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---- Hold model with model-shaped handlers ----------------------------------------------------

struct FakeTask {  // about the size of models::Task's hot part
  uint64_t id = 0;
  uint32_t generation = 0;
  uint8_t phase = 0;
  int64_t phase_started_us = 0;
  std::array<int64_t, 8> resources{};
  double accumulated_s = 0;
};

class FakeModel {
 public:
  FakeModel(sim::Simulator& sim, size_t tasks)
      : sim_(sim), rng_(sim.random().Stream("bench/realistic")), tasks_(tasks) {
    for (size_t i = 0; i < tasks; ++i) tasks_[i].id = i;
  }
  void Start() {
    for (uint32_t i = 0; i < tasks_.size(); ++i) Next(i);
  }

 private:
  void Next(uint32_t slot) {
    FakeTask& t = tasks_[slot];
    const uint32_t generation = ++t.generation;
    // Phase lengths like a task's: pull, start, run (Exp means 2 s, 1 s, 60 s).
    static constexpr double kMean[] = {2.0, 1.0, 60.0};
    const sim::Time delay = sim::Time::FromSeconds(rng_.Exponential(kMean[t.phase % 3]));
    sim_.ScheduleAfter(delay, [this, slot, generation] {
      FakeTask& task = tasks_[slot];
      if (task.generation != generation) return;  // a stale timer, as for offers
      const int64_t now = sim_.Now().micros();
      task.accumulated_s += static_cast<double>(now - task.phase_started_us) * 1e-6;
      task.phase_started_us = now;
      task.resources[task.phase & 7] += 1;
      ++per_phase_[task.phase % 3];
      task.phase = static_cast<uint8_t>((task.phase + 1) % 3);
      Next(slot);
    });
  }

  sim::Simulator& sim_;
  sim::Rng rng_;
  std::vector<FakeTask> tasks_;
  std::array<uint64_t, 3> per_phase_{};
};

void BM_SimulatorHoldRealistic(benchmark::State& state) {
  const auto pending = static_cast<size_t>(state.range(0));
  sim::Simulator sim(1);
  FakeModel model(sim, pending);
  model.Start();
  // The population drains at about pending / 21 s (mean phase length); run ~1024 events a step.
  const sim::Time span = sim::Time::Micros(
      std::max<int64_t>(1, static_cast<int64_t>(21e6 * 1024 / static_cast<double>(pending))));
  sim.RunUntil(sim.Now() + sim::Time::FromSeconds(21));  // warm-up: about one event per task
  uint64_t events = 0;
  for (auto _ : state) events += sim.RunUntil(sim.Now() + span);
  state.SetItemsProcessed(static_cast<int64_t>(events));
}

BENCHMARK(BM_SimulatorHoldRealistic)->ArgName("pending")->Arg(1'000)->Arg(100'000)->Arg(1'000'000);

}  // namespace
}  // namespace clustersim::apps
