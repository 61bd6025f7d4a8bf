// master.architecture (issue 16): monolithic and shared-state schedulers on hand-computed cases,
// through the real binary.
#include <gtest/gtest.h>

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

// Two frameworks, one job each at t = 0, 10 s per job, on one agent with room for both.
std::string TwoJobs(const std::string& master, const std::string& agents) {
  return "name: two-jobs\nduration: 100s\nmaster: " + master + "\ncluster:\n  groups:\n" + agents +
         R"(frameworks:
  - name: a
    decision_time: {per_job: 10s}
    workload: {initial_jobs: 1, duration: service, resources: {cpus: 1, mem: 1GiB}}
  - name: b
    decision_time: {per_job: 10s}
    workload: {initial_jobs: 1, duration: service, resources: {cpus: 1, mem: 1GiB}}
)";
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

// Acceptance 1: both schedulers claim the first 1-cpu agent (first-fit on copies taken at t = 0);
// a commits at 10 s, b's claim conflicts (no room left), b retries 1 s later, places on the other
// agent and commits at 21 s: exactly one conflict and one retry, b's busy time of the first
// attempt wasted.
TEST(ArchitecturesTest, TwoSharedStateSchedulersClaimingTheLastSlotConflictOnce) {
  const json s =
      RunYaml("shared-last", TwoJobs("{architecture: shared-state}", kTwoOneSlotAgents));
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
      "shared-gang",
      TwoJobs("{architecture: shared-state, shared_state: {commit: all-or-nothing}}",
              kOneBigAgent));
  EXPECT_EQ(Scheduler(gang, "b")["transactions"]["conflicted"], 0);
}

// All-or-nothing: a job of 2 tasks whose one claim conflicts commits neither; incremental commits
// the one that fits. a takes 1 cpu of the 2-cpu agent; b claims 2 x 1 cpu on it at the same time.
TEST(ArchitecturesTest, AllOrNothingCommitsNothingOfAConflictingJob) {
  auto yaml = [](const std::string& commit) {
    return "name: gang\nduration: 100s\nmaster: {architecture: shared-state, shared_state: "
           "{commit: " + commit + "}}\n" + R"(cluster:
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
  const CliResult t = RunCli({"validate", dir + "/t.yaml"});
  EXPECT_NE((t.out + t.err).find("warning: master.shared_state: ignored unless "
                                 "master.architecture is shared-state"),
            std::string::npos)
      << t.out + t.err;
}

}  // namespace
}  // namespace clustersim::test
