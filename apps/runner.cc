#include "apps/runner.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>

#include "apps/config/ranges.h"
#include "apps/config/units.h"
#include "apps/progress.h"
#include "models/cluster.h"
#include "models/workload/trace_factory.h"
#include "results/event_log.h"
#include "results/metrics.h"
#include "results/output_file.h"
#include "results/summary.h"
#include "results/task_log.h"
#include "results/timeseries.h"
#include "scheduler_plugins/external/external_allocator.h"
#include "scheduler_plugins/external/external_placement.h"
#include "scheduler_plugins/timing.h"
#include "sim/simulator.h"

#ifndef CLUSTERSIM_VERSION
#define CLUSTERSIM_VERSION "dev"
#endif

namespace clustersim::apps {
namespace {

// Set by the first SIGINT or SIGTERM; every simulation polls it (Simulator::SetStopToken).
// Lock-free, so a signal handler may store to it.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// When the first one came (CLOCK_MONOTONIC ns).
std::atomic<int64_t> g_interrupted_at{0};
static_assert(std::atomic<int64_t>::is_always_lock_free);

int64_t MonotonicNanos() {  // clock_gettime is async-signal-safe (POSIX)
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// A second Ctrl-C (or a SIGTERM after it) kills at once, but only a second or more after the
// first: GNU timeout sends its one signal twice (to the child, then to its process group), and a
// repeat within the second is that same request. signal() and raise() are async-signal-safe.
extern "C" void OnInterrupt(int sig) {
  const int64_t now = MonotonicNanos();
  if (!g_interrupted.exchange(true, std::memory_order_relaxed)) {
    g_interrupted_at.store(now, std::memory_order_relaxed);
    return;
  }
  if (now - g_interrupted_at.load(std::memory_order_relaxed) < 1'000'000'000) return;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

void InstallInterruptHandler() {
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
}

bool Interrupted() { return g_interrupted.load(std::memory_order_relaxed); }

std::string Version() { return CLUSTERSIM_VERSION; }

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

namespace {

namespace fs = std::filesystem;

// The scenario's policies, each wrapped to measure its own running time
// (scheduler_plugins/timing.h), with the clocks kept for the summary.
struct TimedPolicies {
  std::unique_ptr<plugins::AllocatorPolicy> allocator;
  std::vector<std::unique_ptr<plugins::PlacementPolicy>> placements;
  const plugins::TimedAllocatorPolicy* allocator_clock = nullptr;
  std::vector<const plugins::TimedPlacementPolicy*> placement_clocks;
  // The placements decided by another process (owned by `placements`), with their framework.
  std::vector<std::pair<plugins::external::ExternalPlacement*, std::string>> externals;
  plugins::external::ExternalAllocator* external_allocator = nullptr;  // owned by `allocator`
};

sim::Result<TimedPolicies> BuildTimedPolicies(const Scenario& scenario,
                                              const sim::RandomStreams& streams) {
  SIM_ASSIGN_OR_RETURN(auto untimed_allocator, BuildAllocator(scenario, streams));
  SIM_ASSIGN_OR_RETURN(auto untimed_placements, BuildPlacements(scenario, streams));
  TimedPolicies p;
  p.external_allocator =
      dynamic_cast<plugins::external::ExternalAllocator*>(untimed_allocator.get());
  auto timed_allocator =
      std::make_unique<plugins::TimedAllocatorPolicy>(std::move(untimed_allocator));
  p.allocator_clock = timed_allocator.get();
  p.allocator = std::move(timed_allocator);
  for (size_t f = 0; f < untimed_placements.size(); ++f) {
    auto& untimed = untimed_placements[f];
    if (auto* e = dynamic_cast<plugins::external::ExternalPlacement*>(untimed.get())) {
      p.externals.emplace_back(e, scenario.spec.frameworks[f].name);
    }
    auto timed = std::make_unique<plugins::TimedPlacementPolicy>(std::move(untimed));
    p.placement_clocks.push_back(timed.get());
    p.placements.push_back(std::move(timed));
  }
  return p;
}

// The per-run files besides summary.json, each subscribed to the cluster's signals. Each is
// written under a temporary name and renamed into place by Close (results/output_file.h).
struct RunFiles {
  std::string dir;
  std::unique_ptr<results::TaskLog> task_log;
  std::unique_ptr<results::TimeSeries> timeseries;
  std::unique_ptr<results::EventLog> event_log;

  // Closes every file; returns their names and sizes for summary.json's "files". `progress` sees
  // tasks.csv's rows of the tasks still live at the end being written.
  sim::Result<results::FileSizes> Close(const results::TaskLog::CloseProgress& progress) {
    results::FileSizes sizes;
    auto closed = [&](const char* name) -> sim::Status {
      std::error_code ec;
      const uintmax_t bytes = fs::file_size(fs::path(dir) / name, ec);
      if (ec)
        return sim::Status::Error(fmt::format("cannot read {}/{}: {}", dir, name, ec.message()));
      sizes.emplace_back(name, static_cast<uint64_t>(bytes));
      return sim::Status::Ok();
    };
    if (task_log) {
      SIM_RETURN_IF_ERROR(task_log->Close(progress));
      SIM_RETURN_IF_ERROR(closed(kTasksCsv));
    }
    if (timeseries) {
      SIM_RETURN_IF_ERROR(timeseries->Close());
      SIM_RETURN_IF_ERROR(closed(kTimeseriesCsv));
      SIM_RETURN_IF_ERROR(closed(kFrameworkTimeseriesCsv));
    }
    if (event_log) {
      SIM_RETURN_IF_ERROR(event_log->Close());
      SIM_RETURN_IF_ERROR(closed(kEventsBinpb));
    }
    return sizes;
  }

  static constexpr const char* kTasksCsv = "tasks.csv";
  static constexpr const char* kTimeseriesCsv = "timeseries.csv";
  static constexpr const char* kFrameworkTimeseriesCsv = "framework_timeseries.csv";
  static constexpr const char* kEventsBinpb = "events.binpb";
};

// Opens the run's files. The summary.json of an earlier run in the same folder goes first: from
// now until this run's summary is written, no summary vouches for the folder's other files. So
// does an earlier `plot`'s report.html, which would describe that run (its figures are left to
// the next `plot`, which removes those it does not draw again).
sim::Result<RunFiles> OpenRunFiles(const Scenario& scenario, const RunOptions& options,
                                   models::Cluster& cluster, results::MetricsCollector& metrics) {
  RunFiles files;
  if (!options.write_files) return files;
  files.dir = options.out_dir;
  auto path = [&](const char* file) { return (fs::path(options.out_dir) / file).string(); };
  for (const char* earlier : {"summary.json", "report.html"})
    SIM_RETURN_IF_ERROR(results::RemoveStale(path(earlier)));
  if (scenario.spec.results.tasks_csv) {
    SIM_ASSIGN_OR_RETURN(files.task_log,
                         results::TaskLog::Open(path(RunFiles::kTasksCsv), cluster));
  }
  SIM_ASSIGN_OR_RETURN(
      files.timeseries,
      results::TimeSeries::Open(path(RunFiles::kTimeseriesCsv),
                                path(RunFiles::kFrameworkTimeseriesCsv), cluster, metrics));
  if (scenario.spec.results.events_binpb || options.events_binpb) {
    SIM_ASSIGN_OR_RETURN(files.event_log,
                         results::EventLog::Open(path(RunFiles::kEventsBinpb), cluster));
  }
  return files;
}

// Runs the simulation to `end` (or until Ctrl-C: the simulator polls the flag after every
// event), reporting progress, and with `checked` sweeping its invariants after every event.
void RunToEnd(sim::Simulator& sim, sim::Time end, SimProgress& progress,
              const models::Cluster* checked) {
  constexpr uint64_t kProgressEvery = 1 << 14;
  if (checked) {
    sim.SetTickHook(1, [&] {
      checked->master().CheckInvariants();
      if (sim.events_executed() % kProgressEvery == 0)
        progress.Update(sim.Now(), sim.events_executed());
    });
  } else {
    sim.SetTickHook(kProgressEvery, [&] { progress.Update(sim.Now(), sim.events_executed()); });
  }
  sim.SetWorkHook([&](const sim::Simulator::Work& work) { progress.UpdateWork(sim.Now(), work); });
  sim.RunUntil(end);
  sim.SetTickHook(0, nullptr);  // both hooks point at `progress`, which ends before `sim`
  sim.SetWorkHook(nullptr);
  if (checked) checked->master().CheckInvariants();
}

// The folder holding the clustersim Python package (python/clustersim with its protocol_pb2),
// beside the binary: <build>/python.
std::string PythonPackageDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : (exe.parent_path() / "python").string();
}

// Tells the placements decided by another process where to log and how to stop the run. Their
// log is external-<framework>.log in the output folder (the simulator's stderr without one); it
// is not one of summary.json's files (a policy's prints need not be deterministic).
void BindExternalPolicies(TimedPolicies& policies, const Scenario& scenario,
                          const RunOptions& options, models::Cluster& cluster) {
  auto run_for = [&](const std::string& log_name) {
    plugins::external::ExternalRun run;
    if (options.write_files) {
      // A framework or shared name may hold '/' (or be ".."): the log stays in the run folder,
      // '/' written %2F and '%' %25, so that two names never share a log.
      std::string file = "external-";
      for (const char c : log_name) {
        file += c == '/' ? std::string("%2F") : c == '%' ? std::string("%25") : std::string(1, c);
      }
      file += ".log";
      run.log_path = (fs::path(options.out_dir) / file).string();
      std::error_code ec;
      fs::remove(run.log_path, ec);  // a log of this run only
    }
    run.scenario = scenario.spec.name;
    run.seed = scenario.spec.seed;
    run.python_path = PythonPackageDir();
    run.fail = [&cluster](sim::Status error) { cluster.Fail(std::move(error)); };
    run.stop = &g_interrupted;
    return run;
  };
  // Keys that name one `shared:` process talk to the first one's (the scenario checked that they
  // start it alike); its log is external-<shared>.log.
  std::map<std::string, std::shared_ptr<plugins::external::PolicyProcess>> shared;
  auto bind = [&](auto& key, const std::string& log_name) {
    if (key.shared().empty()) return key.Bind(run_for(log_name));
    const auto [it, added] = shared.try_emplace(key.shared(), key.process());
    if (added) return key.Bind(run_for(key.shared()));
    key.ShareProcess(it->second);
  };
  if (policies.external_allocator) bind(*policies.external_allocator, "allocator");
  for (auto& [external, framework] : policies.externals) bind(*external, framework);
}

// The policies' own CPU time, into the summary's "run" object (not deterministic).
// `text` with every byte that is not UTF-8 replaced by U+FFFD: an error may quote a trace's bytes,
// and JSON text must be UTF-8 (stderr keeps the bytes as they were).
std::string ValidUtf8(const std::string& text) {
  const std::string quoted =
      nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return nlohmann::json::parse(quoted).get<std::string>();
}

void AddPolicyTimes(const TimedPolicies& policies, nlohmann::ordered_json& summary) {
  double placement_s = 0;
  uint64_t rounds = 0;
  for (const auto* clock : policies.placement_clocks) {
    placement_s += clock->seconds();
    rounds += clock->rounds();
  }
  const plugins::TimedAllocatorPolicy& allocator = *policies.allocator_clock;
  const uint64_t cycles = allocator.cycles();
  nlohmann::ordered_json& r = summary["run"];
  r["policy_cpu_us_per_cycle"] = cycles ? allocator.seconds() * 1e6 / cycles : 0.0;
  r["policy_cpu_us_per_round"] = rounds ? placement_s * 1e6 / rounds : 0.0;
  r["policy_cpu_s_allocator"] = allocator.seconds();
  r["policy_cpu_s_placement"] = placement_s;
}

// External policies with `charge_wall_time` make simulated time depend on the machine: summary.json
// says so (run.nondeterministic), so that nobody compares such runs byte for byte.
void AddNondeterminism(const TimedPolicies& policies, nlohmann::ordered_json& summary) {
  nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
  if (policies.external_allocator && policies.external_allocator->charges_wall_time()) {
    reasons.push_back(
        "master.allocator charge_wall_time: the external allocator's answer times (wall clock) "
        "are the allocator's busy time");
  }
  for (const auto& [external, framework] : policies.externals) {
    if (!external->charges_wall_time()) continue;
    reasons.push_back(fmt::format(
        "frameworks[name={}].placement charge_wall_time: the external placement's answer times "
        "(wall clock) are decision time",
        framework));
  }
  if (!reasons.empty()) summary["run"]["nondeterministic"] = std::move(reasons);
}

// The scenario's duration was checked against the warmup and the sample count when it was read;
// the end a trace decides (trace.duration, or a recorded replay's last event, which only the
// opened trace knows) only now, before any output file is opened.
sim::Status CheckRunEnd(const models::ScenarioSpec& spec, sim::Time end) {
  if (end == spec.duration) return sim::Status::Ok();
  if (spec.results.warmup > sim::Time::Zero() && spec.results.warmup >= end) {
    return sim::Status::Error(
        fmt::format("results.warmup ({}) leaves nothing to measure: the trace ends the run at "
                    "{:.0f} s; expected a warmup shorter than that",
                    FormatDuration(spec.results.warmup), end.seconds()));
  }
  const int64_t samples = end.micros() / spec.results.sample_interval.micros();
  if (samples > kMaxSamples) {
    return sim::Status::Error(fmt::format(
        "the trace ends the run at {:.0f} s ({}), {} samples of results.sample_interval ({}); at "
        "most {} are allowed (set a shorter trace.duration or raise results.sample_interval)",
        end.seconds(), spec.trace.duration ? "its trace.duration" : "its last event", samples,
        FormatDuration(spec.results.sample_interval), kMaxSamples));
  }
  return sim::Status::Ok();
}

}  // namespace

sim::Result<nlohmann::ordered_json> RunScenario(const Scenario& scenario,
                                                const RunOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const models::ScenarioSpec& spec = scenario.spec;
  if (options.write_files) {
    std::error_code ec;
    fs::create_directories(options.out_dir, ec);
    if (ec)
      return sim::Status::Error(fmt::format("cannot create {}: {}", options.out_dir, ec.message()));
  }
  sim::Simulator sim(spec.seed);
  sim.SetStopToken(&g_interrupted);
  SIM_ASSIGN_OR_RETURN(TimedPolicies policies, BuildTimedPolicies(scenario, sim.random()));
  std::unique_ptr<models::TraceSource> trace;
  if (spec.trace.enabled) {
    SIM_ASSIGN_OR_RETURN(trace, models::MakeTraceSource(spec));
  }
  // A replay may decide when the run ends (a recorded replay ends with its trace).
  const sim::Time end = trace && trace->RunEnd() ? *trace->RunEnd() : RunLength(spec);
  models::Cluster cluster(sim, spec, std::move(policies.allocator), std::move(policies.placements),
                          std::move(trace));
  results::QuotaConfigs quota_configs;
  for (const auto& [role, q] : spec.master.quotas) {
    quota_configs[role] = {q.guarantee, q.limit, q.limit_kinds};
  }
  BindExternalPolicies(policies, scenario, options, cluster);
  results::MetricsCollector metrics(cluster, std::move(quota_configs));
  SIM_RETURN_IF_ERROR(CheckRunEnd(spec, end));
  if (spec.results.warmup > sim::Time::Zero()) {
    // Scheduled before the cluster starts: it goes before what the run schedules for that instant.
    sim.Schedule(spec.results.warmup, [&metrics] { metrics.StartMeasuring(); });
  }
  SIM_ASSIGN_OR_RETURN(RunFiles files, OpenRunFiles(scenario, options, cluster, metrics));

  cluster.Start();
  if (files.timeseries) files.timeseries->Start(end);
  SimProgress progress(end, options.progress);
  RunToEnd(sim, end, progress, options.check_invariants ? &cluster : nullptr);
  metrics.Finish();

  results::RunInfo run;
  run.version = Version();
  run.scenario_sha256 = Sha256Hex(scenario.text);
  run.interrupted = sim.stop_requested() && cluster.error().ok();
  if (!cluster.error().ok()) run.error = ValidUtf8(cluster.error().message());
  // A run ending with millions of pending tasks writes their rows for seconds: shown, not silent.
  const auto writing = [&](uint64_t written, uint64_t total) {
    progress.UpdateWork(sim.Now(), {"tasks.csv: rows of unfinished tasks written", written, total});
  };
  const sim::Result<results::FileSizes> closed = files.Close(writing);
  progress.Clear();
  SIM_ASSIGN_OR_RETURN(const results::FileSizes written, closed);
  run.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  nlohmann::ordered_json summary = results::BuildSummary(cluster, metrics, written, run);
  AddPolicyTimes(policies, summary);
  AddNondeterminism(policies, summary);
  const std::string summary_text = summary.dump(2) + "\n";
  if (policies.external_allocator) {
    policies.external_allocator->End(cluster.error().ok() ? summary_text : std::string());
  }
  for (auto& [external, framework] : policies.externals) {
    external->End(cluster.error().ok() ? summary_text : std::string());
  }
  if (options.write_files) {
    // Last, once every file it lists is complete under its final name.
    SIM_RETURN_IF_ERROR(results::WriteFileAtomically(
        (fs::path(options.out_dir) / "summary.json").string(), summary_text));
  }
  // A trace's input error stopped the run: what ran is written, and the error goes to main.
  if (!cluster.error().ok()) return cluster.error();
  return summary;
}

}  // namespace clustersim::apps
