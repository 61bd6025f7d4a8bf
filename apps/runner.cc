#include "apps/runner.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "apps/progress.h"
#include "models/cluster.h"
#include "models/workload/trace_factory.h"
#include "results/event_log.h"
#include "results/metrics.h"
#include "results/summary.h"
#include "results/task_log.h"
#include "results/timeseries.h"
#include "scheduler_plugins/timing.h"
#include "sim/simulator.h"

#ifndef CLUSTERSIM_VERSION
#define CLUSTERSIM_VERSION "dev"
#endif

namespace clustersim::apps {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void OnSigint(int) {
  g_interrupted.store(true);
  // A second Ctrl-C kills at once.
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace

void InstallInterruptHandler() { std::signal(SIGINT, OnSigint); }

std::string Version() { return CLUSTERSIM_VERSION; }

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

sim::Result<nlohmann::ordered_json> RunScenario(const Scenario& scenario,
                                                const RunOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const models::ScenarioSpec& spec = scenario.spec;
  namespace fs = std::filesystem;
  if (options.write_files) {
    std::error_code ec;
    fs::create_directories(options.out_dir, ec);
    if (ec)
      return sim::Status::Error(fmt::format("cannot create {}: {}", options.out_dir, ec.message()));
  }
  auto path = [&](const char* file) { return (fs::path(options.out_dir) / file).string(); };

  sim::Simulator sim(spec.seed);
  SIM_ASSIGN_OR_RETURN(auto untimed_allocator, BuildAllocator(scenario, sim.random()));
  SIM_ASSIGN_OR_RETURN(auto untimed_placements, BuildPlacements(scenario, sim.random()));
  // Each policy's own running time, measured in one place (scheduler_plugins/timing.h).
  auto timed_allocator =
      std::make_unique<plugins::TimedAllocatorPolicy>(std::move(untimed_allocator));
  const plugins::TimedAllocatorPolicy& allocator_clock = *timed_allocator;
  std::unique_ptr<plugins::AllocatorPolicy> allocator = std::move(timed_allocator);
  std::vector<std::unique_ptr<plugins::PlacementPolicy>> placements;
  std::vector<const plugins::TimedPlacementPolicy*> placement_clocks;
  for (auto& p : untimed_placements) {
    auto timed = std::make_unique<plugins::TimedPlacementPolicy>(std::move(p));
    placement_clocks.push_back(timed.get());
    placements.push_back(std::move(timed));
  }
  std::unique_ptr<models::TraceSource> trace;
  if (spec.trace.enabled) {
    SIM_ASSIGN_OR_RETURN(trace, models::MakeTraceSource(spec));
  }
  // A replay may decide when the run ends (a recorded replay ends with its trace).
  const sim::Time end = trace && trace->RunEnd() ? *trace->RunEnd() : spec.duration;
  models::Cluster cluster(sim, spec, std::move(allocator), std::move(placements), std::move(trace));
  results::MetricsCollector metrics(cluster);

  std::unique_ptr<results::TaskLog> task_log;
  std::unique_ptr<results::TimeSeries> timeseries;
  std::unique_ptr<results::EventLog> event_log;
  if (options.write_files) {
    if (spec.results.tasks_csv) {
      SIM_ASSIGN_OR_RETURN(task_log, results::TaskLog::Open(path("tasks.csv"), cluster));
    }
    SIM_ASSIGN_OR_RETURN(timeseries,
                         results::TimeSeries::Open(path("timeseries.csv"), cluster, metrics));
    if (spec.results.events_binpb || options.events_binpb) {
      SIM_ASSIGN_OR_RETURN(event_log, results::EventLog::Open(path("events.binpb"), cluster));
    }
  }

  cluster.Start();
  if (timeseries) timeseries->Start(end);
  ProgressLine progress(end, options.progress);
  sim.SetTickHook(1 << 14, [&] {
    progress.Update(sim.Now(), sim.events_executed());
    if (g_interrupted.load(std::memory_order_relaxed)) sim.RequestStop();
  });
  sim.RunUntil(end);
  progress.Clear();
  metrics.Finish();

  results::RunInfo run;
  run.version = Version();
  run.scenario_sha256 = Sha256Hex(scenario.text);
  run.interrupted = sim.stop_requested() && cluster.error().ok();
  if (task_log) SIM_RETURN_IF_ERROR(task_log->Close());
  if (timeseries) SIM_RETURN_IF_ERROR(timeseries->Close());
  if (event_log) SIM_RETURN_IF_ERROR(event_log->Close());
  run.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  nlohmann::ordered_json summary = results::BuildSummary(cluster, metrics, run);
  {
    // Not deterministic: kept in "run" with the wall time.
    double placement_s = 0;
    uint64_t rounds = 0;
    for (const auto* clock : placement_clocks) {
      placement_s += clock->seconds();
      rounds += clock->rounds();
    }
    const uint64_t cycles = allocator_clock.cycles();
    nlohmann::ordered_json& r = summary["run"];
    r["policy_cpu_us_per_cycle"] = cycles ? allocator_clock.seconds() * 1e6 / cycles : 0.0;
    r["policy_cpu_us_per_round"] = rounds ? placement_s * 1e6 / rounds : 0.0;
    r["policy_cpu_s_allocator"] = allocator_clock.seconds();
    r["policy_cpu_s_placement"] = placement_s;
  }
  if (options.write_files) {
    std::ofstream out(path("summary.json"));
    out << summary.dump(2) << '\n';
    if (!out) return sim::Status::Error("cannot write " + path("summary.json"));
  }
  // A trace's input error stopped the run: what ran is written, and the error goes to main.
  if (!cluster.error().ok()) return cluster.error();
  return summary;
}

}  // namespace clustersim::apps
