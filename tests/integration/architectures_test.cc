// master.architecture (issue 16): monolithic and shared-state schedulers on hand-computed cases,
// through the real binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"
#include "scheduler_summary.h"

namespace clustersim::test {
namespace {

using json = nlohmann::ordered_json;

json RunYaml(const std::string& name, const std::string& yaml) {
  return RunYamlSummary("architectures", name, yaml);
}
const json& Scheduler(const json& s, const std::string& name) { return SchedulerEntry(s, name); }

// Acceptance 1: a monolithic scheduler is busy sum over workloads of rate x (t_job + t_task x
// E[tasks]) when every job places on its first attempt. Batch: 1 job / 20 s, 4 tasks, 2 s + 4 x
// 0.5 s = 4 s per job -> 0.2; service: 1 job / 100 s, 1 task, 10 s -> 0.1; load 0.3. Over 200,000
// s (~11,000 jobs) the Poisson counts are within ~1% of their means, so 5% is a wide margin.
TEST(ArchitecturesTest, MonolithicBusynessIsTheOfferedDecisionLoad) {
  const json s = RunYaml("mono-load", R"(name: mono-load
duration: 200000s
master: {architecture: monolithic}
cluster:
  groups:
    - {name: a, count: 10, os: linux, resources: {cpus: 8, mem: 32GiB}}
frameworks:
  - name: batch
    decision_time: {per_job: 2s, per_task: 500ms}
    workload: {arrival: poisson, rate: 3/min, tasks_per_job: 4, duration: 10s,
               resources: {cpus: 1, mem: 1GiB}}
  - name: service
    decision_time: {per_job: 10s}
    workload: {arrival: poisson, rate: 36/h, duration: 10s, resources: {cpus: 1, mem: 1GiB}}
)");
  const json& batch = Scheduler(s, "batch");
  const json& service = Scheduler(s, "service");
  EXPECT_NEAR(batch["busyness"].get<double>(), 0.2, 0.2 * 0.05);
  EXPECT_NEAR(service["busyness"].get<double>(), 0.1, 0.1 * 0.05);
  EXPECT_NEAR(batch["busyness"].get<double>() + service["busyness"].get<double>(), 0.3, 0.3 * 0.05);
  // Every attempt placed its whole job: all busy time useful, nothing abandoned or conflicting.
  EXPECT_NEAR(batch["busyness_useful"].get<double>(), batch["busyness"].get<double>(), 1e-12);
  EXPECT_EQ(batch["jobs"]["abandoned"], 0);
  EXPECT_EQ(batch["conflict_fraction"].get<double>(), 0.0);
  EXPECT_LE(batch["jobs"]["not_fully_placed"].get<int>(), 1);
  EXPECT_EQ(s["tasks"]["unschedulable"], 0);
  // One scheduler for both: jobs queue behind each other's decisions, so they wait.
  EXPECT_GT(batch["job_wait_s"]["mean"].get<double>(), 0.5);
  EXPECT_GT(batch["job_wait_s"]["p90"].get<double>(), batch["job_wait_s"]["mean"].get<double>());
}

// Two frameworks, a and b, 10 s per job, each with one job at t = 0 unless `a_jobs`/`b_jobs` say
// otherwise (workload keys), on `agents`.
std::string TwoJobs(const std::string& master, const std::string& agents,
                    const std::string& a_jobs = "initial_jobs: 1",
                    const std::string& b_jobs = "initial_jobs: 1") {
  auto framework = [](const std::string& name, const std::string& jobs) {
    return "  - name: " + name + "\n    decision_time: {per_job: 10s}\n    workload: {" + jobs +
           ", duration: service, resources: {cpus: 1, mem: 1GiB}}\n";
  };
  return "name: two-jobs\nduration: 100s\nmaster: " + master + "\ncluster:\n  groups:\n" + agents +
         "frameworks:\n" + framework("a", a_jobs) + framework("b", b_jobs);
}
const char kOneBigAgent[] =
    "    - {name: big, count: 1, os: linux, resources: {cpus: 2, mem: 8GiB}}\n";
const char kTwoOneSlotAgents[] =
    "    - {name: slot, count: 2, os: linux, resources: {cpus: 1, mem: 8GiB}}\n";

// Monolithic: one scheduler, so b's job waits out a's 10 s decision; shared-state: both decide
// at once.
TEST(ArchitecturesTest, MonolithicSerializesTheFrameworksSharedStateDoesNot) {
  const json mono = RunYaml("mono-two", TwoJobs("{architecture: monolithic}", kOneBigAgent));
  EXPECT_EQ(Scheduler(mono, "a")["job_wait_s"]["mean"].get<double>(), 0.0);
  EXPECT_EQ(Scheduler(mono, "b")["job_wait_s"]["mean"].get<double>(), 10.0);
  EXPECT_EQ(mono["tasks"]["running_at_end"], 2);
  const json shared = RunYaml("shared-two", TwoJobs("{architecture: shared-state}", kOneBigAgent));
  EXPECT_EQ(Scheduler(shared, "a")["job_wait_s"]["mean"].get<double>(), 0.0);
  EXPECT_EQ(Scheduler(shared, "b")["job_wait_s"]["mean"].get<double>(), 0.0);
  EXPECT_EQ(shared["tasks"]["running_at_end"], 2);
  // Fine-grained: both claims fit the 2-cpu agent, no conflict.
  EXPECT_EQ(Scheduler(shared, "b")["transactions"]["conflicted"], 0);
  EXPECT_EQ(Scheduler(shared, "b")["transactions"]["committed"], 1);
}

// Monolithic serves one FIFO of jobs across frameworks (MonolithicSimulation.scala:109-136, one
// pendingQueue): a's two jobs queued at 0 s both go before b's, queued at 1 s — a1 launches at
// 10 s, a2 at 20 s, b1 at 30 s. Handing the turn on before a re-queued its next job made the
// frameworks alternate (b1 at 20 s, a2 at 30 s).
TEST(ArchitecturesTest, MonolithicServesJobsInQueueOrderAcrossFrameworks) {
  const json s =
      RunYaml("mono-fifo", TwoJobs("{architecture: monolithic}",
                                   "    - {name: big, count: 1, os: linux, resources: {cpus: 8, "
                                   "mem: 32GiB}}\n",
                                   "initial_jobs: 2", "initial_jobs: 1, start: 1s"));
  // Waits from queueing to the first attempt: a 0 s and 10 s, b 29 s (queued 1 s, attempted 30 s).
  EXPECT_EQ(Scheduler(s, "a")["job_wait_s"]["mean"].get<double>(), 5.0);
  EXPECT_EQ(Scheduler(s, "b")["job_wait_s"]["mean"].get<double>(), 19.0);
  EXPECT_EQ(s["tasks"]["running_at_end"], 3);
}

// A run that ends while a job is being decided counts it as not fully placed under every
// architecture: shared-state holds its placed tasks as uncommitted claims (they were left out,
// so shared-state alone reported 0), monolithic in the attempt, two-level in the queue.
TEST(ArchitecturesTest, AJobStillBeingDecidedAtTheEndIsNotFullyPlaced) {
  for (const std::string arch : {"two-level", "monolithic", "shared-state"}) {
    SCOPED_TRACE(arch);
    std::string yaml = TwoJobs("{architecture: " + arch + "}", kOneBigAgent);
    yaml.replace(yaml.find("duration: 100s"), 14, "duration: 5s");
    const json s = RunYaml("end-mid-decision-" + arch, yaml);
    EXPECT_EQ(s["tasks"]["running_at_end"], 0);
    EXPECT_EQ(Scheduler(s, "a")["jobs"]["not_fully_placed"], 1);
    EXPECT_EQ(Scheduler(s, "b")["jobs"]["not_fully_placed"], 1);
  }
}

// Acceptance 1: both schedulers claim the first 1-cpu agent (first-fit on copies taken at t = 0);
// a commits at 10 s, b's claim conflicts (no room left), b retries 1 s later, places on the other
// agent and commits at 21 s: exactly one conflict and one retry, b's busy time of the first
// attempt wasted.
TEST(ArchitecturesTest, TwoSharedStateSchedulersClaimingTheLastSlotConflictOnce) {
  const json s = RunYaml("shared-last", TwoJobs("{architecture: shared-state}", kTwoOneSlotAgents));
  const json& a = Scheduler(s, "a");
  const json& b = Scheduler(s, "b");
  EXPECT_EQ(a["transactions"]["committed"], 1);
  EXPECT_EQ(a["transactions"]["conflicted"], 0);
  EXPECT_EQ(b["transactions"]["committed"], 1);
  EXPECT_EQ(b["transactions"]["conflicted"], 1);
  EXPECT_EQ(b["conflict_fraction"].get<double>(), 1.0);
  EXPECT_EQ(a["conflict_fraction"].get<double>(), 0.0);
  EXPECT_NEAR(b["busyness"].get<double>(), 0.2, 1e-12);         // two 10 s attempts of 100 s
  EXPECT_NEAR(b["busyness_wasted"].get<double>(), 0.1, 1e-12);  // the first one
  EXPECT_NEAR(b["busyness_useful"].get<double>(), 0.1, 1e-12);
  EXPECT_EQ(s["tasks"]["running_at_end"], 2);
  EXPECT_EQ(b["jobs_unscheduled_fraction"].get<double>(), 0.0);
  // One claim each took effect; b's first went back to the queue.
  EXPECT_EQ(a["transactions"]["claims_committed"], 1);
  EXPECT_EQ(a["transactions"]["claims_conflicted"], 0);
  EXPECT_EQ(b["transactions"]["claims_committed"], 1);
  EXPECT_EQ(b["transactions"]["claims_conflicted"], 1);
  EXPECT_EQ(b["jobs"]["fully_placed"], 1);
}

// Coarse-grained detection: anything committed to a machine since the copy conflicts, even when
// the claim would still fit (the Omega paper's §5.3): on the 2-cpu agent b now conflicts once.
// All-or-nothing with fine-grained: b's one claim conflicts or not as under incremental.
TEST(ArchitecturesTest, CoarseGrainedConflictsWhereFineGrainedFits) {
  const json coarse = RunYaml(
      "shared-coarse",
      TwoJobs("{architecture: shared-state, shared_state: {conflicts: coarse}}", kOneBigAgent));
  EXPECT_EQ(Scheduler(coarse, "b")["transactions"]["conflicted"], 1);
  EXPECT_EQ(Scheduler(coarse, "b")["transactions"]["committed"], 1);
  EXPECT_EQ(coarse["tasks"]["running_at_end"], 2);
  const json gang = RunYaml(
      "shared-gang", TwoJobs("{architecture: shared-state, shared_state: {commit: all-or-nothing}}",
                             kOneBigAgent));
  EXPECT_EQ(Scheduler(gang, "b")["transactions"]["conflicted"], 0);
}

// All-or-nothing: a job of 2 tasks whose one claim conflicts commits neither; incremental commits
// the one that fits. a takes 1 cpu of the 2-cpu agent; b claims 2 x 1 cpu on it at the same time.
TEST(ArchitecturesTest, AllOrNothingCommitsNothingOfAConflictingJob) {
  auto yaml = [](const std::string& commit) {
    return "name: gang\nduration: 100s\nmaster: {architecture: shared-state, shared_state: "
           "{commit: " +
           commit + "}}\n" + R"(cluster:
  groups:
    - {name: big, count: 1, os: linux, resources: {cpus: 2, mem: 8GiB}}
    - {name: spare, count: 1, os: linux, resources: {cpus: 2, mem: 8GiB}}
frameworks:
  - name: a
    decision_time: {per_job: 10s}
    workload: {initial_jobs: 1, duration: service, resources: {cpus: 1, mem: 1GiB}}
  - name: b
    decision_time: {per_job: 10s}
    workload: {initial_jobs: 1, tasks_per_job: 2, duration: service,
               resources: {cpus: 1, mem: 1GiB}}
)";
  };
  const json incremental = RunYaml("gang-incremental", yaml("incremental"));
  const json gang = RunYaml("gang-all", yaml("all-or-nothing"));
  for (const json* s : {&incremental, &gang}) {
    EXPECT_EQ(Scheduler(*s, "b")["transactions"]["conflicted"], 1);
    EXPECT_EQ((*s)["tasks"]["running_at_end"], 3);  // the retry places what is left
  }
  // Incremental launched one of b's tasks at 10 s; all-or-nothing launched none then.
  EXPECT_EQ(Scheduler(incremental, "b")["busyness"].get<double>(), 0.2);
  EXPECT_EQ(Scheduler(gang, "b")["busyness"].get<double>(), 0.2);
  // Claims (the released simulator's task transactions, OmegaSimulation.scala:224-225): the
  // incremental commit kept the claim that fitted, all-or-nothing sent both back; the retry
  // committed the rest.
  EXPECT_EQ(Scheduler(incremental, "b")["transactions"]["claims_committed"], 2);
  EXPECT_EQ(Scheduler(incremental, "b")["transactions"]["claims_conflicted"], 1);
  EXPECT_EQ(Scheduler(gang, "b")["transactions"]["claims_committed"], 2);
  EXPECT_EQ(Scheduler(gang, "b")["transactions"]["claims_conflicted"], 2);
}

// The time a job waits in the queue, summed over its attempts until its last task is placed
// (the released simulator's timeInQueueTillFullyScheduled, CoreClusterSimulation.scala:1001-1014),
// against the first wait alone. Monolithic, one 2-cpu agent, 10 s per job, no start latency:
// a's job of 3 tasks (15 s each) is attempted at 0 s and places 2 at 10 s; back after the 1 s
// retry delay (11 s), it waits for b's attempt (10-20 s, placing nothing: the agent is full) and
// places its third task at 30 s: 0 + 9 s. b's job, queued at 1 s, waits until 10 s, goes back at
// 21 s, waits until 30 s and places at 40 s: first wait 9 s, till placed 9 + 9 = 18 s.
TEST(ArchitecturesTest, JobWaitTillPlacedSumsTheQueueTimeOfEveryAttempt) {
  const json s = RunYaml("mono-till-placed", R"(name: mono-waits
duration: 100s
master: {architecture: monolithic}
runtime:
  docker: {start_latency: 0}
cluster:
  groups:
    - {name: m, count: 1, os: linux, resources: {cpus: 2, mem: 8GiB}}
frameworks:
  - name: a
    decision_time: {per_job: 10s}
    workload: {initial_jobs: 1, tasks_per_job: 3, duration: 15s, resources: {cpus: 1, mem: 1GiB}}
  - name: b
    decision_time: {per_job: 10s}
    workload: {initial_jobs: 1, start: 1s, duration: 15s, resources: {cpus: 1, mem: 1GiB}}
)");
  const json& a = Scheduler(s, "a");
  const json& b = Scheduler(s, "b");
  EXPECT_EQ(a["job_wait_s"]["mean"].get<double>(), 0.0);
  EXPECT_EQ(a["job_wait_till_placed_s"]["mean"].get<double>(), 9.0);
  EXPECT_EQ(b["job_wait_s"]["mean"].get<double>(), 9.0);
  EXPECT_EQ(b["job_wait_till_placed_s"]["mean"].get<double>(), 18.0);
  EXPECT_EQ(b["job_wait_till_placed_s"]["p90"].get<double>(), 18.0);
  EXPECT_EQ(a["jobs"]["fully_placed"], 1);
  EXPECT_EQ(b["jobs"]["fully_placed"], 1);
  EXPECT_EQ(s["tasks"]["finished"], 4);
}

// A job nothing can place (every agent full of service tasks) is abandoned after 101 attempts
// with nothing placed, its tasks UNSCHEDULABLE job_abandoned.
TEST(ArchitecturesTest, AJobThatNeverPlacesIsAbandoned) {
  const json s = RunYaml("abandon", R"(name: abandon
duration: 1h
master: {architecture: monolithic}
cluster:
  groups:
    - {name: a, count: 1, os: linux, resources: {cpus: 1, mem: 8GiB}}
frameworks:
  - name: hog
    workload: {initial_jobs: 1, duration: service, resources: {cpus: 1, mem: 1GiB}}
  - name: late
    workload: {initial_jobs: 1, start: 1s, resources: {cpus: 1, mem: 1GiB}}
)");
  const json& late = Scheduler(s, "late");
  EXPECT_EQ(late["jobs"]["submitted"], 1);
  EXPECT_EQ(late["jobs"]["abandoned"], 1);
  EXPECT_EQ(late["jobs_unscheduled_fraction"].get<double>(), 1.0);
  EXPECT_EQ(s["tasks"]["by_reason"]["unschedulable"]["job_abandoned"], 1);
}

// offer_granularity: cell offers the whole free cell to one framework, locked in its offers while
// it decides. Two 4-cpu agents; a (first in DRF order: equal shares, fewer allocations, then name)
// takes 50 s per job, b answers at once, each with one 1-cpu task. agent: a is offered one agent
// and b the other at t = 0, so b waits 0 s; the 3 cpus b left are offered to a at the 1 s cycle and
// held until a's round ends at 50 s: a holds 4 x 50 + 3 x 49 = 347 of 800 cpu-seconds. cell: a is
// offered both agents and b waits until a has answered (the cycle at 50 s): 8 x 50 = 400 of 800.
TEST(ArchitecturesTest, CellGranularityLocksTheWholeCellWhileOneFrameworkDecides) {
  auto yaml = [](const std::string& granularity) {
    return "name: cell\nduration: 100s\nmaster: {offer_granularity: " + granularity + "}\n" +
           R"(cluster:
  groups:
    - {name: m, count: 2, os: linux, resources: {cpus: 4, mem: 8GiB}}
frameworks:
  - name: a
    decision_time: {per_job: 50s}
    workload: {initial_jobs: 1, duration: service, resources: {cpus: 1, mem: 1GiB}}
  - name: b
    workload: {initial_jobs: 1, duration: service, resources: {cpus: 1, mem: 1GiB}}
)";
  };
  const json agent = RunYaml("granularity-agent", yaml("agent"));
  EXPECT_EQ(Scheduler(agent, "b")["job_wait_s"]["mean"].get<double>(), 0.0);
  EXPECT_NEAR(Scheduler(agent, "a")["offers_locked"]["cpus"].get<double>(), 347.0 / 800, 1e-9);
  const json cell = RunYaml("granularity-cell", yaml("cell"));
  EXPECT_GE(Scheduler(cell, "b")["job_wait_s"]["mean"].get<double>(), 50.0);
  EXPECT_LE(Scheduler(cell, "b")["job_wait_s"]["mean"].get<double>(), 51.0);
  EXPECT_NEAR(Scheduler(cell, "a")["offers_locked"]["cpus"].get<double>(), 0.5, 1e-9);
  EXPECT_EQ(cell["tasks"]["running_at_end"], 2);
}

// The Omega example (scenarios/omega/example.yaml), its first 20 minutes (5 of warmup) under each
// architecture:
// the prefill fills 60 % of the cpus, the schedulers are named batch and service, only
// shared-state conflicts and only two-level locks offers.
TEST(ArchitecturesTest, OmegaExampleRunsUnderEveryArchitecture) {
  for (const char* arch : {"two-level", "monolithic", "shared-state"}) {
    SCOPED_TRACE(arch);
    const std::string dir = TempDir(std::string("architectures-omega-") + arch);
    const CliResult r = RunCli({"run", SourcePath("scenarios/omega/example.yaml"), "--out", dir,
                                "--quiet", "--set", "duration=20m", "--set", "results.warmup=5m",
                                "--set", std::string("master.architecture=") + arch});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json s = json::parse(ReadFile(dir + "/summary.json"));
    EXPECT_GT(s["utilization"]["cpus"].get<double>(), 0.6);
    const json& batch = Scheduler(s, "batch");
    const json& service = Scheduler(s, "service");
    EXPECT_GT(batch["jobs"]["submitted"].get<int>(), 80);
    EXPECT_GT(service["jobs"]["submitted"].get<int>(), 40);
    EXPECT_NEAR(batch["busyness"].get<double>(), 0.06, 0.02);  // 0.1 s + 5 ms x 100 per 10 s
    const bool shared = std::string(arch) == "shared-state";
    const bool two_level = std::string(arch) == "two-level";
    EXPECT_EQ(batch["transactions"]["committed"].get<int>() > 0, shared);
    EXPECT_EQ(batch["offers_locked"]["cpus"].get<double>() > 0, two_level);
    EXPECT_EQ(batch["jobs"]["abandoned"], 0);
  }
}

// Acceptance 4: the mixed-OS scenarios run under every architecture, Windows tasks start, and
// every task submitted is accounted for once.
TEST(ArchitecturesTest, MixedOsScenariosRunUnderEveryArchitecture) {
  for (const char* scenario : {"default", "policy-study"}) {
    for (const char* arch : {"two-level", "monolithic", "shared-state"}) {
      SCOPED_TRACE(std::string(scenario) + " " + arch);
      const std::string dir = TempDir(std::string("architectures-") + scenario + "-" + arch);
      const CliResult r = RunCli({"run", SourcePath(std::string("scenarios/") + scenario + ".yaml"),
                                  "--out", dir, "--quiet", "--set", "duration=10m", "--set",
                                  std::string("master.architecture=") + arch});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const json s = json::parse(ReadFile(dir + "/summary.json"));
      EXPECT_GT(s["start_latency_s"]["by_os"]["windows"]["count"].get<int>(), 10);
      const json& t = s["tasks"];
      uint64_t accounted = 0;
      for (const char* k : {"finished", "failed", "lost", "unreachable", "killed", "unschedulable",
                            "pending_at_end", "running_at_end"}) {
        accounted += t[k].get<uint64_t>();
      }
      EXPECT_EQ(accounted, t["submitted"].get<uint64_t>());
    }
  }
}

// Acceptance 3: the sweep's runs.csv has the axis columns and the scheduler metric columns
// (the shipped sweep file over a 10-minute day after 1 minute of warmup, one seed).
TEST(ArchitecturesTest, OmegaSweepWritesTheAxisAndSchedulerColumns) {
  const std::string dir = TempDir("architectures-omega-sweep");
  std::string sweep = ReadFile(SourcePath("scenarios/sweeps/omega-tjob.yaml"));
  const std::string base = "base: ../omega/example.yaml";
  ASSERT_NE(sweep.find(base), std::string::npos);
  sweep.replace(sweep.find(base), base.size(),
                "base: " + SourcePath("scenarios/omega/example.yaml") +
                    "\nset: [duration=10m, results.warmup=1m]");
  sweep.replace(sweep.find("seeds: 3"), 8, "seeds: 1");
  WriteFile(dir + "/omega-tjob.yaml", sweep);
  const CliResult r = RunCli({"sweep", dir + "/omega-tjob.yaml", "--out", dir + "/out", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string runs = ReadFile(dir + "/out/runs.csv");
  const std::string header = runs.substr(0, runs.find('\n'));
  for (const char* column :
       {"master.architecture", "frameworks[name=service].decision_time.per_job",
        "schedulers[name=batch].job_wait_s.mean",
        "schedulers[name=batch].jobs_unscheduled_fraction",
        "schedulers[name=service].conflict_fraction", "schedulers[name=service].busyness",
        "schedulers[name=batch].offers_locked.cpus"}) {
    EXPECT_NE(header.find(std::string(",") + column + ","), std::string::npos) << column;
  }
  EXPECT_EQ(std::count(runs.begin(), runs.end(), '\n'), 21);  // header + 4 x 5 runs
}

// validate names the offer-model keys a monolithic or shared-state cell never reads, where they
// are, and master.shared_state under two-level.
TEST(ArchitecturesTest, ValidateWarnsAboutKeysTheArchitectureIgnores) {
  const std::string dir = TempDir("architectures-validate");
  WriteFile(dir + "/s.yaml", R"(name: s
master: {architecture: shared-state, allocator: random}
cluster:
  groups:
    - {name: a, count: 1, os: linux, resources: {cpus: 2, mem: 8GiB}}
frameworks:
  - name: a
    refuse_seconds: 10s
    decision_time: {per_offer: 1ms, per_job: 1s}
    workload: {initial_jobs: 1}
)");
  const CliResult r = RunCli({"validate", dir + "/s.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string all = r.out + r.err;
  EXPECT_NE(all.find("s.yaml:2:49: warning: master.allocator: ignored under architecture "
                     "shared-state: frameworks place on the cell themselves"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("s.yaml:8:21: warning: frameworks[0].refuse_seconds: ignored under "
                     "architecture shared-state (no offers)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("warning: frameworks[0].decision_time.per_offer: ignored under architecture "
                     "shared-state: a job attempt costs per_job"),
            std::string::npos)
      << all;
  WriteFile(dir + "/t.yaml", R"(name: t
master: {shared_state: {conflicts: coarse}}
cluster:
  groups:
    - {name: a, count: 1, os: linux, resources: {cpus: 2, mem: 8GiB}}
frameworks:
  - {name: a, workload: {initial_jobs: 1}}
)");
  const CliResult q = RunCli({"validate", SourcePath("scenarios/allocator-study.yaml"), "--set",
                              "master.offer_granularity=cell"});
  EXPECT_NE((q.out + q.err).find("warning: master.offer_granularity: ignored with master.quotas"),
            std::string::npos)
      << q.out + q.err;
  const CliResult t = RunCli({"validate", dir + "/t.yaml"});
  EXPECT_NE((t.out + t.err)
                .find("warning: master.shared_state: ignored unless "
                      "master.architecture is shared-state"),
            std::string::npos)
      << t.out + t.err;
}

}  // namespace
}  // namespace clustersim::test
