// SWF batch scheduling through the whole Mesos offer pipeline (trace source -> batch framework ->
// master offers -> gang launches across agents -> container runtime), checked job by job against an
// independent oracle: a plain event-driven FCFS / EASY simulator over the log's jobs, written from
// the rules of the issue and sharing no code with the models. Also the queue rules on small
// hand-made logs, skipped jobs and malformed rows, strict mode, and the invariants.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/cluster.h"
#include "models/workload/swf/swf_format.h"
#include "models/workload/trace_factory.h"
#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/placements/first_fit.h"
#include "sim/simulator.h"

namespace clustersim::models {
namespace {

// --- The oracle
// -----------------------------------------------------------------------------------

struct OracleJob {
  int64_t submit_us;
  int64_t run_us;  // effective: min(run, estimate)
  int64_t estimate_us;
  int64_t width;
  int64_t full_run_us;  // the log's run time
  int64_t start_us = -1;
};

int64_t Us(double seconds) { return std::llround(seconds * 1e6); }

// Reads an SWF log the simplest way, applying the issue's job rules. Rows that are not 18 numbers
// are ignored (the shared logs have none).
std::vector<OracleJob> OracleJobs(const std::string& path, int64_t* max_procs_out,
                                  int64_t* skipped_out) {
  std::ifstream in(path);
  std::string line;
  int64_t max_procs = -1, skipped = 0;
  std::vector<OracleJob> jobs;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (line[line.find_first_not_of(" \t")] == ';') {
      const auto at = line.find("MaxProcs:");
      if (at != std::string::npos) max_procs = std::stoll(line.substr(at + 9));
      continue;
    }
    std::istringstream fields(line);
    std::vector<double> f;
    double v;
    while (fields >> v) f.push_back(v);
    if (f.size() != 18) continue;
    const double run = f[3];
    const int64_t width = static_cast<int64_t>(f[7] > 0 ? f[7] : f[4]);
    const double estimate = f[8] > 0 ? f[8] : run;
    if (run < 0 || width <= 0 || width > max_procs) {
      ++skipped;
      continue;
    }
    jobs.push_back(
        OracleJob{Us(f[1]), std::min(Us(run), Us(estimate)), Us(estimate), width, Us(run)});
  }
  *max_procs_out = max_procs;
  *skipped_out = skipped;
  return jobs;
}

// Event-driven: at each instant, all completions and arrivals, then one pass. A job that ends at
// the instant it starts (run time 0) makes another instant at the same time, as any event would.
void OracleRun(std::vector<OracleJob>& jobs, int64_t procs, bool easy) {
  int64_t free = procs;
  std::multimap<int64_t, size_t> ends;                   // actual end -> job
  std::multiset<std::pair<int64_t, int64_t>> estimated;  // (start + estimate, width) of running
  std::map<size_t, std::multiset<std::pair<int64_t, int64_t>>::iterator> estimated_of;
  std::deque<size_t> queue;
  size_t next = 0;
  auto start = [&](size_t j, int64_t now) {
    jobs[j].start_us = now;
    free -= jobs[j].width;
    ends.emplace(now + jobs[j].run_us, j);
    estimated_of[j] = estimated.emplace(now + jobs[j].estimate_us, jobs[j].width);
  };
  while (next < jobs.size() || !ends.empty()) {
    int64_t now = INT64_MAX;
    if (next < jobs.size()) now = jobs[next].submit_us;
    if (!ends.empty()) now = std::min(now, ends.begin()->first);
    while (!ends.empty() && ends.begin()->first == now) {
      const size_t j = ends.begin()->second;
      ends.erase(ends.begin());
      free += jobs[j].width;
      estimated.erase(estimated_of[j]);
      estimated_of.erase(j);
    }
    while (next < jobs.size() && jobs[next].submit_us == now) queue.push_back(next++);
    while (!queue.empty() && jobs[queue.front()].width <= free) {
      start(queue.front(), now);
      queue.pop_front();
    }
    if (!easy || queue.empty()) continue;
    const int64_t need = jobs[queue.front()].width;
    int64_t avail = free, shadow = INT64_MAX;
    for (auto it = estimated.begin(); it != estimated.end();) {
      const int64_t t = it->first;
      for (; it != estimated.end() && it->first == t; ++it) avail += it->second;
      if (avail >= need) {
        shadow = t;
        break;
      }
    }
    int64_t extra = avail - need;
    std::deque<size_t> kept = {queue.front()};
    for (size_t k = 1; k < queue.size(); ++k) {
      const OracleJob& job = jobs[queue[k]];
      const bool by_shadow = now + job.estimate_us <= shadow;
      if (job.width <= free && (by_shadow || job.width <= extra)) {
        if (!by_shadow) extra -= job.width;
        start(queue[k], now);
      } else {
        kept.push_back(queue[k]);
      }
    }
    queue.swap(kept);
  }
}

double MeanWaitSeconds(const std::vector<OracleJob>& jobs) {
  double sum = 0;
  for (const OracleJob& j : jobs) sum += static_cast<double>(j.start_us - j.submit_us) * 1e-6;
  return jobs.empty() ? 0 : sum / static_cast<double>(jobs.size());
}

// --- The pipeline
// ---------------------------------------------------------------------------------

ScenarioSpec SwfScenario(const std::string& path, const std::string& queue) {
  ScenarioSpec spec;
  spec.name = "swf-test";
  spec.seed = 7;
  spec.duration = sim::Time::Seconds(int64_t{700} * 86400);
  spec.master.allocation_interval = sim::Time::Zero();
  spec.runtime.docker.start_latency_s = sim::Distribution::Constant(0);
  FrameworkSpec fw;
  fw.name = "batch";
  fw.role = "batch";
  spec.frameworks.push_back(fw);  // refuse_seconds keeps its 5 s default: batch mode ignores it
  spec.trace.enabled = true;
  spec.trace.format = "swf";
  spec.trace.paths = {{"jobs", {path}}};
  auto options = std::make_shared<SwfOptions>();
  options->queue = queue == "easy" ? BatchPolicy::kEasy : BatchPolicy::kFcfs;
  spec.trace.options = options;
  spec.results.tasks_csv = false;
  return spec;
}

struct PipelineRun {
  sim::Status open_error;
  sim::Status run_error;
  std::vector<int64_t> start_us;  // per replayed job, in submission order
  std::vector<int64_t> submit_us;
  std::map<std::string, double> swf;
  std::map<std::string, double> trace;
  uint64_t tasks_submitted = 0;
  uint64_t tasks_final = 0;                    // final task_ended signals
  std::map<TaskState, uint64_t> final_states;  // tasks by the state they ended in
  bool each_task_ended_once = true;
  uint64_t sweeps = 0;
  size_t agents = 0;
};

PipelineRun RunPipeline(const ScenarioSpec& spec, bool sweep_invariants = true) {
  PipelineRun out;
  auto source = MakeTraceSource(spec);
  if (!source.ok()) {
    out.open_error = source.status();
    return out;
  }
  sim::Simulator sim(spec.seed);
  std::vector<std::unique_ptr<plugins::PlacementPolicy>> placements;
  placements.push_back(std::make_unique<plugins::FirstFitPlacement>());
  Cluster cluster(sim, spec, std::make_unique<plugins::DrfAllocator>(), std::move(placements),
                  std::move(*source));
  std::unordered_map<uint64_t, size_t> index_of_job;
  std::unordered_map<uint64_t, uint8_t> ends_of_task;
  auto& signals = cluster.signals();
  signals.task_submitted.Connect([&](const Task& t) {
    ++out.tasks_submitted;
    ends_of_task[t.id] = 0;
    auto [it, inserted] = index_of_job.try_emplace(t.job, out.start_us.size());
    if (inserted) {
      out.start_us.push_back(-1);
      out.submit_us.push_back(t.submitted.micros());
    }
  });
  signals.task_launched.Connect([&](const Task& t) {
    int64_t& start = out.start_us[index_of_job.at(t.job)];
    if (start < 0) start = t.launched.micros();
    // A gang launches at once: every task of the job at the same instant.
    if (start != t.launched.micros()) out.each_task_ended_once = false;
  });
  signals.task_ended.Connect([&](const Task& t, bool final) {
    if (!final) return;
    ++out.tasks_final;
    ++out.final_states[t.state];
    if (++ends_of_task[t.id] != 1 || !IsTerminal(t.state)) out.each_task_ended_once = false;
  });
  if (sweep_invariants) {
    signals.allocation_cycle.Connect([&](sim::Time, int) {
      cluster.master().CheckInvariants();
      ++out.sweeps;
    });
  }
  cluster.Start();
  sim.RunUntil(spec.duration);
  cluster.master().CheckInvariants();
  out.run_error = cluster.error();
  out.agents = cluster.master().agent_count();
  for (const auto& section : cluster.trace()->Sections()) {
    if (section.name == "swf") {
      for (const auto& [k, v] : section.values) out.swf[k] = v;
    }
  }
  for (const auto& [k, v] : cluster.trace()->Report()) out.trace[k] = v;
  return out;
}

std::string SharedTrace(const std::string& file) {
  return std::string(CLUSTERSIM_SOURCE_DIR) + "/../shared/traces/swf/" + file;
}

std::string TempFile(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "clustersim_swf_replay_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// submit, run, allocated procs, requested procs, requested time; the other fields unknown.
std::string Job(int number, int submit, int run, int procs, int req_procs = -1, int req_time = -1,
                int user = 1) {
  std::ostringstream s;
  s << number << " " << submit << " -1 " << run << " " << procs << " -1 -1 " << req_procs << " "
    << req_time << " -1 1 " << user << " 1 -1 -1 -1 -1 -1\n";
  return s.str();
}

// --- Oracle vs pipeline on the shared logs -------------------------------------------------------

struct LogCase {
  const char* file;
  const char* queue;
  size_t jobs;
};

void PrintTo(const LogCase& c, std::ostream* os) { *os << c.file << " " << c.queue; }

class SharedLogTest : public ::testing::TestWithParam<LogCase> {};

TEST_P(SharedLogTest, PipelineMatchesOracleJobByJob) {
  const LogCase& c = GetParam();
  const std::string path = SharedTrace(c.file);
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << path
                 << " is absent (the shared traces live beside the repository, in "
                    "../shared/traces)";
  }
  int64_t procs = 0, skipped = 0;
  std::vector<OracleJob> oracle = OracleJobs(path, &procs, &skipped);
  OracleRun(oracle, procs, std::string(c.queue) == "easy");
  const double oracle_wait = MeanWaitSeconds(oracle);

  const PipelineRun run = RunPipeline(SwfScenario(path, c.queue));
  ASSERT_TRUE(run.open_error.ok()) << run.open_error.message();
  ASSERT_TRUE(run.run_error.ok()) << run.run_error.message();
  EXPECT_EQ(run.agents, static_cast<size_t>(procs));
  EXPECT_EQ(oracle.size(), c.jobs);
  ASSERT_EQ(run.start_us.size(), oracle.size());
  EXPECT_EQ(run.swf.at("jobs"), static_cast<double>(oracle.size()));
  EXPECT_EQ(run.swf.at("skipped"), static_cast<double>(skipped));
  EXPECT_EQ(run.swf.at("unfinished"), 0);
  EXPECT_EQ(run.trace.at("skipped_rows"), 0);
  size_t differ = 0;
  for (size_t j = 0; j < oracle.size(); ++j) {
    EXPECT_EQ(run.submit_us[j], oracle[j].submit_us);
    if (run.start_us[j] != oracle[j].start_us && ++differ <= 5) {
      ADD_FAILURE() << c.file << " " << c.queue << ": job #" << j << " starts at "
                    << run.start_us[j] * 1e-6 << " s, the oracle says "
                    << oracle[j].start_us * 1e-6;
    }
  }
  EXPECT_EQ(differ, 0u);
  EXPECT_NEAR(run.swf.at("mean_wait_s"), oracle_wait, 0.5);
  // Every task ended exactly once, in a terminal state; gangs launched whole.
  EXPECT_TRUE(run.each_task_ended_once);
  EXPECT_EQ(run.tasks_final, run.tasks_submitted);
  // A job killed at its estimate (run > estimate) ends its tasks KILLED, the rest FINISHED.
  uint64_t killed_tasks = 0, killed_jobs = 0;
  for (const OracleJob& j : oracle) {
    if (j.run_us < j.full_run_us) {
      killed_tasks += static_cast<uint64_t>(j.width);
      ++killed_jobs;
    }
  }
  EXPECT_EQ(run.swf.at("killed_at_estimate"), static_cast<double>(killed_jobs));
  auto ended = [&](TaskState state) {
    auto it = run.final_states.find(state);
    return it == run.final_states.end() ? uint64_t{0} : it->second;
  };
  EXPECT_EQ(ended(TaskState::kKilled), killed_tasks);
  EXPECT_EQ(ended(TaskState::kFinished), run.tasks_submitted - killed_tasks);
  if (std::string(c.file).rfind("HPC2N", 0) == 0) {
    EXPECT_EQ(killed_jobs, 6233u);  // trace-info's count (tests/integration/trace_info_test.cc)
  }
  EXPECT_GT(run.sweeps, oracle.size());
  std::printf("[ swf      ] %s %s: %zu jobs, mean wait oracle %.2f s, pipeline %.2f s\n", c.file,
              c.queue, oracle.size(), oracle_wait, run.swf.at("mean_wait_s"));
}

INSTANTIATE_TEST_SUITE_P(
    Logs, SharedLogTest,
    ::testing::Values(LogCase{"KTH-SP2-1996-2.1-cln.swf", "fcfs", 27992},
                      LogCase{"KTH-SP2-1996-2.1-cln.swf", "easy", 27992},
                      LogCase{"NASA-iPSC-1993-3.1-cln.swf", "fcfs", 18239},
                      LogCase{"NASA-iPSC-1993-3.1-cln.swf", "easy", 18239},
                      LogCase{"HPC2N-2002-2.1-cln.first60029lines.swf", "fcfs", 60000},
                      LogCase{"HPC2N-2002-2.1-cln.first60029lines.swf", "easy", 60000}),
    [](const ::testing::TestParamInfo<LogCase>& info) {
      const std::string file = info.param.file;
      return file.substr(0, file.find('-')) + "_" + info.param.queue;
    });

// The issue's reference values for KTH-SP2, from the oracle alone.
TEST(SwfOracleTest, KthReferenceValues) {
  const std::string path = SharedTrace("KTH-SP2-1996-2.1-cln.swf");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent";
  int64_t procs = 0, skipped = 0;
  std::vector<OracleJob> jobs = OracleJobs(path, &procs, &skipped);
  ASSERT_EQ(jobs.size(), 27992u);
  EXPECT_EQ(procs, 100);
  OracleRun(jobs, procs, false);
  EXPECT_NEAR(MeanWaitSeconds(jobs), 218832.06, 0.005);
  OracleRun(jobs, procs, true);
  EXPECT_NEAR(MeanWaitSeconds(jobs), 6351.49, 0.005);
}

// --- The rules on hand-made logs
// ------------------------------------------------------------------

// 4 processors. t=0: A (3 procs, 100 s) starts. t=1: B (4 procs) blocks the head; its shadow is
// A's estimated end, 100, with extra = 4 - 4 = 0. C (1 proc, est 50) ends at 51 <= 100: backfills.
// D (1 proc, est 200) would end after the shadow and extra is 0: waits. FCFS starts nothing behind
// B. At 100 A ends: B starts (D still waits behind it), at 200 B ends and D starts.
TEST(SwfReplayTest, EasyBackfillsOnlyWhatKeepsTheReservation) {
  const std::string log = "; MaxProcs: 4\n; MaxNodes: 4\n" + Job(1, 0, 100, 3, -1, 100) +
                          Job(2, 1, 100, 4, -1, 100) + Job(3, 1, 50, 1, -1, 50) +
                          Job(4, 1, 200, 1, -1, 200);
  const std::string path = TempFile("easy.swf", log);
  const PipelineRun easy = RunPipeline(SwfScenario(path, "easy"));
  ASSERT_TRUE(easy.open_error.ok()) << easy.open_error.message();
  ASSERT_EQ(easy.start_us.size(), 4u);
  EXPECT_EQ(easy.start_us, (std::vector<int64_t>{0, Us(100), Us(1), Us(200)}));
  const PipelineRun fcfs = RunPipeline(SwfScenario(path, "fcfs"));
  EXPECT_EQ(fcfs.start_us, (std::vector<int64_t>{0, Us(100), Us(200), Us(200)}));
  // Waits 0, 99, 0, 199 (EASY): mean 74.5, max 199; makespan 400 - 0.
  EXPECT_DOUBLE_EQ(easy.swf.at("mean_wait_s"), 74.5);
  EXPECT_DOUBLE_EQ(easy.swf.at("max_wait_s"), 199);
  EXPECT_DOUBLE_EQ(easy.swf.at("makespan_s"), 400);
  // Bounded slowdowns: 1, (99+100)/100, (0+50)/50, (199+200)/200.
  EXPECT_NEAR(easy.swf.at("mean_bounded_slowdown"), (1 + 1.99 + 1 + 1.995) / 4, 1e-12);
}

// A job that ends after the shadow time may still backfill into the extra processors, and uses
// them up; estimates (not run times) decide, and a job is killed at its estimate.
TEST(SwfReplayTest, EasyExtraProcessorsAndKillAtEstimate) {
  // 6 procs, all jobs at 0. A: 4 procs, runs 50 but estimates 100. B: 5 procs, blocked behind A:
  // shadow 100, extra = 6 - 5 = 1. C: 1 proc for 500 s ends after the shadow but fits the extra;
  // D: the same, but the extra is gone; E: runs 1000 s but estimates 10, so it ends by the shadow.
  const std::string log = "; MaxProcs: 6\n" + Job(1, 0, 50, 4, -1, 100) + Job(2, 0, 10, 5, -1, 10) +
                          Job(3, 0, 500, 1, -1, 500) + Job(4, 0, 500, 1, -1, 500) +
                          Job(5, 0, 1000, 1, -1, 10);
  const std::string path = TempFile("extra.swf", log);
  const PipelineRun run = RunPipeline(SwfScenario(path, "easy"));
  ASSERT_TRUE(run.open_error.ok()) << run.open_error.message();
  // At 0: A starts (2 free). B blocked: shadow 100, extra 1. C takes the extra (1 free left); D
  // cannot (extra 0, ends after 100); E ends at 10 <= 100: starts. At 10: E is killed; D (1 proc,
  // 1 free now) still would end after the shadow with no extra: waits. At 50 A ends: 5 free, B
  // starts (C holds 1); D waits for B (10 s): starts at 60.
  EXPECT_EQ(run.start_us, (std::vector<int64_t>{0, Us(50), 0, Us(60), 0}));
  EXPECT_EQ(run.swf.at("killed_at_estimate"), 1);
  EXPECT_EQ(run.swf.at("makespan_s"), 560);
  // E's one task ends KILLED at its estimate; A (4), B (5), C and D (1 each) FINISHED.
  EXPECT_EQ(run.final_states,
            (std::map<TaskState, uint64_t>{{TaskState::kFinished, 11}, {TaskState::kKilled, 1}}));
}

TEST(SwfReplayTest, ZeroLengthJobsFreeTheirProcessorsAtTheSameInstant) {
  // 2 procs. A (2 procs, run 0) starts and ends at 5; B (2 procs) arrives at 5 too, behind A: it
  // starts at 5 in the next pass of the same instant (A's end is an event like any other).
  const std::string log =
      "; MaxProcs: 2\n" + Job(1, 5, 0, 2) + Job(2, 5, 30, 2) + Job(3, 6, 0, 1) + Job(4, 6, 0, 2);
  const std::string path = TempFile("zero.swf", log);
  for (const char* queue : {"fcfs", "easy"}) {
    const PipelineRun run = RunPipeline(SwfScenario(path, queue));
    ASSERT_TRUE(run.open_error.ok()) << run.open_error.message();
    EXPECT_EQ(run.start_us, (std::vector<int64_t>{Us(5), Us(5), Us(35), Us(35)})) << queue;
    int64_t procs = 0, skipped = 0;
    std::vector<OracleJob> oracle = OracleJobs(path, &procs, &skipped);
    OracleRun(oracle, procs, std::string(queue) == "easy");
    for (size_t j = 0; j < oracle.size(); ++j) EXPECT_EQ(run.start_us[j], oracle[j].start_us);
  }
}

TEST(SwfReplayTest, SkippedJobsAndMalformedRowsAreCountedApart) {
  const std::string log = "; MaxProcs: 8\n; MaxNodes: 4\n" + Job(1, 0, 10, 2) +
                          Job(2, 1, -1, 2) +      // unknown run time: skipped
                          Job(3, 2, 10, 0) +      // width 0: skipped
                          Job(4, 3, 10, 2, 9) +   // requests 9 > MaxProcs: skipped
                          Job(5, 4, 10, 9, 4) +   // requests 4 (allocated 9 is ignored)
                          "6 5 0 10 2 -1 -1\n" +  // malformed (line 8)
                          "7 6 0 x 2 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n" +  // malformed
                          Job(8, 2, 10, 1) +  // out of order: malformed
                          Job(9, 7, 10, 8);
  const std::string path = TempFile("skips.swf", log);
  const PipelineRun run = RunPipeline(SwfScenario(path, "fcfs"));
  ASSERT_TRUE(run.open_error.ok()) << run.open_error.message();
  ASSERT_TRUE(run.run_error.ok()) << run.run_error.message();
  // MaxNodes 4 of MaxProcs 8: four agents of two cpus.
  EXPECT_EQ(run.agents, 4u);
  EXPECT_EQ(run.swf.at("jobs"), 3);
  EXPECT_EQ(run.swf.at("skipped"), 3);
  EXPECT_EQ(run.trace.at("skipped_rows"), 3);
  EXPECT_EQ(run.trace.at("rows"), 9);
  EXPECT_EQ(run.start_us, (std::vector<int64_t>{0, Us(4), Us(14)}));
  EXPECT_EQ(run.tasks_submitted, 2u + 4u + 8u);
  EXPECT_TRUE(run.each_task_ended_once);
}

TEST(SwfReplayTest, StrictModeStopsAtTheFirstMalformedRow) {
  const std::string log = "; MaxProcs: 4\n" + Job(1, 0, 10, 2) + Job(2, 100, 10, 2) +
                          "3 200 0 10 two -1\n" + Job(4, 300, 10, 2);
  const std::string path = TempFile("strict.swf", log);
  ScenarioSpec spec = SwfScenario(path, "fcfs");
  spec.trace.strict = true;
  const PipelineRun run = RunPipeline(spec);
  ASSERT_TRUE(run.open_error.ok());
  ASSERT_FALSE(run.run_error.ok());
  EXPECT_EQ(run.run_error.message(), path + ":4: expected 18 whitespace-separated fields, found 6");
  // The jobs before the bad row were replayed; the run stopped when the row was read (at the
  // arrival of job 2, which reads one job ahead).
  EXPECT_EQ(run.start_us.size(), 2u);
}

TEST(SwfReplayTest, OpenChecksTheScenario) {
  const std::string path = TempFile("noheader.swf", Job(1, 0, 10, 2));
  auto no_cluster = MakeTraceSource(SwfScenario(path, "fcfs"));
  ASSERT_FALSE(no_cluster.ok());
  EXPECT_NE(no_cluster.error().find("neither '; MaxProcs:' nor '; MaxNodes:'"), std::string::npos)
      << no_cluster.error();

  auto missing = MakeTraceSource(SwfScenario("/nonexistent/x.swf", "fcfs"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("/nonexistent/x.swf"), std::string::npos);

  ScenarioSpec busy = SwfScenario(TempFile("ok.swf", "; MaxProcs: 4\n" + Job(1, 0, 10, 2)), "easy");
  busy.frameworks[0].workload.initial_jobs = 3;
  auto conflict = MakeTraceSource(busy);
  ASSERT_FALSE(conflict.ok());
  EXPECT_NE(conflict.error().find("cannot also have a workload"), std::string::npos);
}

// With the scenario's own cluster (no header needed), jobs wider than it are skipped rather than
// blocking the queue for ever; Windows agents give no processors to Linux batch tasks.
TEST(SwfReplayTest, ScenarioClusterInsteadOfTheHeader) {
  const std::string path =
      TempFile("cluster.swf", Job(1, 0, 10, 3) + Job(2, 0, 10, 5) + Job(3, 1, 10, 2));
  ScenarioSpec spec = SwfScenario(path, "fcfs");
  AgentGroupSpec linux;
  linux.name = "linux";
  linux.count = 2;
  linux.resources = Resources::Of(2, 4096);
  spec.groups.push_back(linux);
  AgentGroupSpec windows;
  windows.name = "win";
  windows.count = 2;
  windows.os = Os::kWindows;
  windows.os_version = OsVersion::kLtsc2019;
  windows.isolation = plugins::Isolation::kProcess;
  windows.resources = Resources::Of(8, 4096);
  spec.groups.push_back(windows);
  const PipelineRun run = RunPipeline(spec);
  ASSERT_TRUE(run.open_error.ok()) << run.open_error.message();
  EXPECT_EQ(run.swf.at("jobs"), 2);
  EXPECT_EQ(run.swf.at("skipped"), 1);  // 5 processors > the 4 Linux cpus
  EXPECT_EQ(run.start_us, (std::vector<int64_t>{0, Us(10)}));
}

// A gang no agent can run (its framework asks for an attribute no agent has): its tasks end
// UNSCHEDULABLE at the submission, each once, and never reach the queue.
TEST(SwfReplayTest, AGangNoAgentCanRunEndsUnschedulableAtItsSubmission) {
  const std::string path =
      TempFile("nowhere.swf", "; MaxProcs: 4\n" + Job(1, 0, 10, 2) + Job(2, 5, 10, 3));
  ScenarioSpec spec = SwfScenario(path, "fcfs");
  spec.frameworks[0].workload.constraints.attributes = {{"rack", "nowhere"}};
  const PipelineRun run = RunPipeline(spec);
  ASSERT_TRUE(run.open_error.ok()) << run.open_error.message();
  ASSERT_TRUE(run.run_error.ok()) << run.run_error.message();
  EXPECT_EQ(run.tasks_submitted, 5u);
  EXPECT_EQ(run.final_states, (std::map<TaskState, uint64_t>{{TaskState::kUnschedulable, 5}}));
  EXPECT_TRUE(run.each_task_ended_once);
  EXPECT_EQ(run.start_us, (std::vector<int64_t>{-1, -1}));
}

}  // namespace
}  // namespace clustersim::models
