// SWF: how fast the streaming reader ingests Parallel Workloads Archive logs, and how fast the
// whole replay (trace source -> batch framework -> offers -> gang launches) runs.
//
//   BM_SwfIngest/0..2   the shared logs (KTH-SP2, NASA-iPSC, HPC2N first 60,000 jobs) through
//                       SwfReader: split, parse and check all 18 fields of every row
//   BM_SwfIngest/3      a generated log of 1M jobs (about 90 MB) shaped like KTH-SP2's rows
//   BM_SwfReplay/q/log  the in-process pipeline (Cluster, DRF, first-fit, container runtime, one
//                       batch framework, allocation_interval 0) over a shared log, q = 0 FCFS,
//                       1 EASY; no result files are written
//
// Files are read from the page cache (the first iteration warms it). The samples are found at
// CLUSTERSIM_SOURCE_DIR/../shared/traces; a benchmark whose file is missing is skipped.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "models/cluster.h"
#include "models/workload/swf/swf_format.h"
#include "models/workload/swf/swf_reader.h"
#include "models/workload/trace_factory.h"
#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/placements/first_fit.h"
#include "sim/random.h"
#include "sim/simulator.h"

namespace clustersim {
namespace {

namespace fs = std::filesystem;

const char* const kLogs[] = {"KTH-SP2-1996-2.1-cln.swf", "NASA-iPSC-1993-3.1-cln.swf",
                             "HPC2N-2002-2.1-cln.first60029lines.swf"};

std::string SharedLog(int index) {
  const fs::path p =
      fs::path(CLUSTERSIM_SOURCE_DIR) / ".." / "shared" / "traces" / "swf" / kLogs[index];
  return fs::exists(p) ? p.string() : std::string();
}

// One million jobs in KTH-SP2's column layout, submit times increasing. Written once per process.
const std::string& GeneratedLog() {
  static const std::string path = [] {
    const std::string p =
        (fs::temp_directory_path() / ("swf_bench_" + std::to_string(::getpid()) + ".swf")).string();
    std::FILE* f = std::fopen(p.c_str(), "w");
    std::fputs("; Version: 2.2\n; MaxNodes: 100\n; MaxProcs: 100\n", f);
    sim::Rng rng(7);
    int64_t submit = 0;
    for (int i = 1; i <= 1'000'000; ++i) {
      submit += static_cast<int64_t>(rng.UniformInt(1200));
      const int procs = 1 + static_cast<int>(rng.UniformInt(64));
      const int run = static_cast<int>(rng.UniformInt(200'000));
      std::fprintf(f,
                   "%7d %10lld %6d %6d %4d %6d %5d %4d %6d %5d %2d %4d %3d %3d %2d %2d %2d %2d\n",
                   i, static_cast<long long>(submit), static_cast<int>(rng.UniformInt(50'000)), run,
                   procs, -1, -1, procs, run + static_cast<int>(rng.UniformInt(3600)), -1, 1,
                   static_cast<int>(rng.UniformInt(200)), 12, -1, -1, -1, -1, -1);
    }
    std::fclose(f);
    std::atexit([] { std::remove(GeneratedLog().c_str()); });
    return p;
  }();
  return path;
}

void BM_SwfIngest(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0));
  const std::string path = which < 3 ? SharedLog(which) : GeneratedLog();
  if (path.empty()) {
    state.SkipWithError("shared SWF log not found (CLUSTERSIM_SOURCE_DIR/../shared/traces)");
    return;
  }
  const auto bytes = static_cast<int64_t>(fs::file_size(path));
  uint64_t jobs = 0;
  for (auto _ : state) {
    auto reader = models::SwfReader::Open(path);
    if (!reader.ok()) {
      state.SkipWithError("cannot open the log");
      return;
    }
    models::SwfJob job;
    jobs = 0;
    models::SwfReader::Row row;
    while ((row = (*reader)->Next(job)) != models::SwfReader::Row::kEnd &&
           row != models::SwfReader::Row::kError) {
      if (row == models::SwfReader::Row::kJob) ++jobs;
    }
    benchmark::DoNotOptimize(jobs);
  }
  state.SetBytesProcessed(bytes * static_cast<int64_t>(state.iterations()));
  state.SetItemsProcessed(static_cast<int64_t>(jobs) * static_cast<int64_t>(state.iterations()));
  state.counters["jobs"] = static_cast<double>(jobs);
}
BENCHMARK(BM_SwfIngest)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

void BM_SwfReplay(benchmark::State& state) {
  const std::string path = SharedLog(static_cast<int>(state.range(1)));
  if (path.empty()) {
    state.SkipWithError("shared SWF log not found (CLUSTERSIM_SOURCE_DIR/../shared/traces)");
    return;
  }
  models::ScenarioSpec spec;
  spec.name = "swf-bench";
  spec.duration = sim::Time::Seconds(int64_t{700} * 86400);
  spec.master.allocation_interval = sim::Time::Zero();
  spec.runtime.docker.start_latency_s = sim::Distribution::Constant(0);
  models::FrameworkSpec fw;
  fw.name = "batch";
  fw.role = "batch";
  spec.frameworks.push_back(fw);
  spec.trace.enabled = true;
  spec.trace.format = "swf";
  spec.trace.paths = {{"jobs", {path}}};
  auto options = std::make_shared<models::SwfOptions>();
  options->queue = state.range(0) == 0 ? models::BatchPolicy::kFcfs : models::BatchPolicy::kEasy;
  spec.trace.options = options;
  uint64_t events = 0;
  double jobs = 0;
  for (auto _ : state) {
    auto source = models::MakeTraceSource(spec);
    if (!source.ok()) {
      state.SkipWithError(source.error().c_str());
      return;
    }
    sim::Simulator sim(spec.seed);
    std::vector<std::unique_ptr<plugins::PlacementPolicy>> placements;
    placements.push_back(std::make_unique<plugins::FirstFitPlacement>());
    models::Cluster cluster(sim, spec, std::make_unique<plugins::DrfAllocator>(),
                            std::move(placements), std::move(*source));
    cluster.Start();
    sim.RunUntil(spec.duration);
    events = sim.events_executed();
    for (const auto& section : cluster.trace()->Sections()) {
      for (const auto& [key, value] : section.values) {
        if (key == "jobs") jobs = value;
      }
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(jobs) * static_cast<int64_t>(state.iterations()));
  state.counters["events"] = static_cast<double>(events);
  state.counters["jobs"] = jobs;
}
BENCHMARK(BM_SwfReplay)
    ->ArgNames({"easy", "log"})
    ->ArgsProduct({{0, 1}, {0, 1, 2}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace clustersim
