// Alibaba 2018 batch_task / batch_instance: task-name DAGs (Boost.Graph), row parsing, and a replay
// through a whole cluster of hand-made files in the documented format (trace_2018.md, schema.txt),
// checking that a task's instances start only after all its parents' instances have ended.
#include "models/workload/alibaba/alibaba_batch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "models/cluster.h"
#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/placements/first_fit.h"
#include "tests/models/csv_table_fake_host.h"
#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using test::TempFiles;

TEST(AlibabaBatchTest, ParsesTaskNames) {
  DagTaskName n = ParseDagTaskName("M1");
  EXPECT_TRUE(n.dag);
  EXPECT_EQ(n.number, 1);
  EXPECT_TRUE(n.parents.empty());
  n = ParseDagTaskName("R2_1");
  EXPECT_TRUE(n.dag);
  EXPECT_EQ(n.number, 2);
  EXPECT_EQ(n.parents, std::vector<int64_t>({1}));
  n = ParseDagTaskName("J3_1_2");
  EXPECT_EQ(n.number, 3);
  EXPECT_EQ(n.parents, std::vector<int64_t>({1, 2}));
  n = ParseDagTaskName("M12_10_11");
  EXPECT_EQ(n.number, 12);
  EXPECT_EQ(n.parents, std::vector<int64_t>({10, 11}));
  // Not DAG names: independent tasks.
  for (std::string_view name :
       {"task_Nzg3ODAwNDgzMTAwNTc2NTQ2Mw==", "MergeTask", "M", "1", "M1_", "M1__2", "M_1", "M1x"}) {
    EXPECT_FALSE(ParseDagTaskName(name).dag) << name;
  }
}

TEST(AlibabaBatchTest, BuildsTheDagOfTheDocumentedExample) {
  // trace_2018.md, Job-A: M1; M2_1; M3_1; R4_2; M5_3_4.
  uint64_t missing = 0;
  auto dag = JobDag::Build({"M5_3_4", "M1", "R4_2", "M2_1", "M3_1"}, missing);
  ASSERT_TRUE(dag.ok()) << dag.error();
  EXPECT_EQ(missing, 0u);
  EXPECT_EQ(dag->tasks(), 5u);
  EXPECT_EQ(dag->edges(), 5u);
  EXPECT_EQ(dag->parents(0), 2u);  // M5 after M3 and R4
  EXPECT_EQ(dag->parents(1), 0u);
  std::vector<size_t> kids = dag->children(1);  // M1 -> M2, M3
  std::sort(kids.begin(), kids.end());
  EXPECT_EQ(kids, std::vector<size_t>({3, 4}));
  // The topological order puts every parent before its children.
  std::vector<size_t> position(5);
  for (size_t i = 0; i < 5; ++i) position[dag->order()[i]] = i;
  for (size_t v = 0; v < 5; ++v) {
    for (size_t c : dag->children(v)) EXPECT_LT(position[v], position[c]);
  }
}

TEST(AlibabaBatchTest, DagErrors) {
  uint64_t missing = 0;
  auto missing_parent = JobDag::Build({"M1", "R2_7", "task_abc"}, missing);
  ASSERT_TRUE(missing_parent.ok());
  EXPECT_EQ(missing, 1u);
  EXPECT_EQ(missing_parent->parents(1), 0u);
  EXPECT_EQ(JobDag::Build({"M1_2", "R2_1"}, missing).error(), "the task dependencies form a cycle");
  EXPECT_EQ(JobDag::Build({"M1", "R1_2", "M2"}, missing).error(),
            "tasks 'M1' and 'R1_2' have the same number 1");
  EXPECT_EQ(JobDag::Build({"M3_3"}, missing).error(), "task 'M3_3' depends on itself");
}

TEST(AlibabaBatchTest, ParsesRows) {
  AlibabaBatchReplay::TaskRow t;
  ASSERT_FALSE(AlibabaBatchReplay::ParseTask("R2_1,3,j_7,1,Terminated,157213,157234,150,0.59", t));
  EXPECT_EQ(t.task_name, "R2_1");
  EXPECT_EQ(t.instances, 3);
  EXPECT_EQ(t.job_name, "j_7");
  EXPECT_EQ(t.start_time, 157213);
  EXPECT_DOUBLE_EQ(t.cpus, 1.5);
  EXPECT_DOUBLE_EQ(t.mem_frac, 0.0059);
  auto task_error = [](std::string_view line) {
    AlibabaBatchReplay::TaskRow r;
    return AlibabaBatchReplay::ParseTask(line, r).value_or("");
  };
  EXPECT_EQ(task_error("M1,1,j_1,1,Terminated,5,6,100"),
            "expected 9 comma-separated fields, found 8");
  EXPECT_EQ(task_error("M1,1,j_1,1,Terminated,5,6,,0.5"),
            "plan_cpu '' is not a non-negative number");
  EXPECT_EQ(task_error("M1,many,j_1,1,Terminated,5,6,100,0.5"),
            "instance_num 'many' is not a non-negative integer");
  EXPECT_EQ(task_error("M1,1,j_1,1,Terminated,9,6,100,0.5"), "end_time 6 is before start_time 9");
  AlibabaBatchReplay::InstanceRow i;
  ASSERT_FALSE(AlibabaBatchReplay::ParseInstance(
      "ins_74901673,R2_1,j_7,1,Terminated,673795,673797,m_2637,1,1,13,16,0.02,0.02", i));
  EXPECT_EQ(i.task_name, "R2_1");
  EXPECT_EQ(i.job_name, "j_7");
  EXPECT_EQ(i.status, "Terminated");
  EXPECT_EQ(i.end_time - i.start_time, 2);
  // Usage columns may be empty; the times may not.
  EXPECT_FALSE(AlibabaBatchReplay::ParseInstance("ins_1,M1,j_1,1,Terminated,5,9,m_1,1,1,,,,", i));
  EXPECT_TRUE(AlibabaBatchReplay::ParseInstance("ins_1,M1,j_1,1,Terminated,5,,m_1,1,1,,,,", i));
}

// A whole cluster (one agent of 16 cpus, DRF, first-fit, 1 s cycles, 1 s container start) fed by
// an AlibabaBatchReplay.
class BatchReplay {
 public:
  struct Run {
    double cpus;  // identifies the trace task (each has its own plan_cpu)
    sim::Time running, ended;
    TaskState state;
  };

  BatchReplay(std::vector<std::string> tasks, std::vector<std::string> instances,
              bool strict = false)
      : spec_(Spec(std::move(tasks), std::move(instances), strict)), sim_(spec_.seed) {
    auto source = std::make_unique<AlibabaBatchReplay>(spec_, *spec_.trace.Paths("batch_task"),
                                                       Files("batch_instance"));
    source_ = source.get();
    std::vector<std::unique_ptr<plugins::PlacementPolicy>> placements;
    placements.push_back(std::make_unique<plugins::FirstFitPlacement>());
    cluster_ = std::make_unique<Cluster>(sim_, spec_, std::make_unique<plugins::DrfAllocator>(),
                                         std::move(placements), std::move(source));
    cluster_->signals().task_running.Connect(
        [this](const Task& t) { running_[t.id] = sim_.Now(); });
    cluster_->signals().task_ended.Connect([this](const Task& t, bool final) {
      if (!final) return;
      auto it = running_.find(t.id);
      runs.push_back(Run{t.resources.cpus(), it == running_.end() ? sim::Time::Max() : it->second,
                         t.ended, t.state});
    });
    cluster_->Start();
    sim_.RunUntil(sim::Time::Seconds(3600));
  }

  std::vector<Run> Of(double cpus) const {
    std::vector<Run> out;
    for (const Run& r : runs) {
      if (r.cpus == cpus) out.push_back(r);
    }
    return out;
  }
  std::map<std::string, double> Report() const {
    std::map<std::string, double> out;
    for (const auto& [k, v] : source_->Report()) out[k] = v;
    return out;
  }
  const sim::Status& error() const { return cluster_->error(); }

  std::vector<Run> runs;

 private:
  static ScenarioSpec Spec(std::vector<std::string> tasks, std::vector<std::string> instances,
                           bool strict) {
    test::ScenarioBuilder b;
    b.LinuxAgents("a", 1, "cpus:16;mem:65536");
    b.Framework("batch");
    ScenarioSpec spec = b.Build();
    spec.trace.enabled = true;
    spec.trace.format = "alibaba2018";
    spec.trace.strict = strict;
    spec.trace.machine_size = Resources::Of(96, 100 * 1024);
    spec.trace.paths.emplace_back("batch_task", std::move(tasks));
    if (!instances.empty()) spec.trace.paths.emplace_back("batch_instance", std::move(instances));
    return spec;
  }
  std::vector<std::string> Files(std::string_view table) const {
    const auto* f = spec_.trace.Paths(table);
    return f ? *f : std::vector<std::string>();
  }

  ScenarioSpec spec_;
  sim::Simulator sim_;
  std::unique_ptr<Cluster> cluster_;
  AlibabaBatchReplay* source_ = nullptr;
  std::map<uint64_t, sim::Time> running_;
};

sim::Time LastEnd(const std::vector<BatchReplay::Run>& runs) {
  sim::Time t = sim::Time::Zero();
  for (const auto& r : runs) t = std::max(t, r.ended);
  return t;
}
sim::Time FirstStart(const std::vector<BatchReplay::Run>& runs) {
  sim::Time t = sim::Time::Max();
  for (const auto& r : runs) t = std::min(t, r.running);
  return t;
}

// Job j_1 is the diamond M1 -> {R2, M3} -> J4 (plan_cpu 100..400: 1..4 cores, which tells the tasks
// apart). Job j_2 comes first in the file but starts later (200 s): its M1 asks for 100 cores, more
// than any agent has, so it is unschedulable and its child R2_1 is abandoned; its third task is
// independent (a non-DAG name) and has no batch_instance rows, so it runs its task's recorded 10 s.
constexpr const char* kTasks =
    "M1,1,j_2,1,Terminated,200,210,10000,0.1\n"
    "R2_1,1,j_2,1,Terminated,210,220,600,0.1\n"
    "task_Nzg3ODAwNDgzMTAw==,1,j_2,12,Terminated,205,215,500,0.1\n"
    "M1,2,j_1,1,Terminated,100,130,100,0.5\n"
    "R2_1,1,j_1,1,Terminated,130,140,200,0.5\n"
    "M3_1,1,j_1,1,Terminated,130,150,300,0.5\n"
    "J4_2_3,1,j_1,1,Terminated,150,155,400,0.5\n";
// Instance rows of j_1 (in no particular order; a failed first attempt of M3's instance is
// ignored).
constexpr const char* kInstances =
    "ins_5,J4_2_3,j_1,1,Terminated,150,155,m_1,1,1,50,80,0.2,0.3\n"
    "ins_1,M1,j_1,1,Terminated,100,110,m_1,1,1,50,80,0.2,0.3\n"
    "ins_2,M1,j_1,1,Terminated,100,130,m_2,1,1,50,80,0.2,0.3\n"
    "ins_3,R2_1,j_1,1,Terminated,130,140,m_1,1,1,50,80,0.2,0.3\n"
    "ins_4,M3_1,j_1,1,Failed,130,135,m_3,1,2,50,80,0.2,0.3\n"
    "ins_4,M3_1,j_1,1,Terminated,135,150,m_4,2,2,50,80,0.2,0.3\n"
    "ins_9,M1,j_9,1,Terminated,10,20,m_4,1,1,50,80,0.2,0.3\n";

TEST(AlibabaBatchTest, InstancesStartOnlyAfterAllParentInstancesEnd) {
  TempFiles tmp;
  BatchReplay r({tmp.Write("batch_task.csv", kTasks)},
                {tmp.Write("batch_instance.csv", kInstances)});
  ASSERT_TRUE(r.error().ok()) << r.error().message();
  const auto m1 = r.Of(1), r2 = r.Of(2), m3 = r.Of(3), j4 = r.Of(4);
  ASSERT_EQ(m1.size(), 2u);
  ASSERT_EQ(r2.size(), 1u);
  ASSERT_EQ(m3.size(), 1u);
  ASSERT_EQ(j4.size(), 1u);
  for (const auto* runs : {&m1, &r2, &m3, &j4}) {
    for (const auto& run : *runs) EXPECT_EQ(run.state, TaskState::kFinished);
  }
  // The job arrives at 100 s (its earliest start_time); M1's instances run 10 s and 30 s.
  EXPECT_GE(FirstStart(m1), sim::Time::Seconds(100));
  std::vector<double> m1_runs = {(m1[0].ended - m1[0].running).seconds(),
                                 (m1[1].ended - m1[1].running).seconds()};
  std::sort(m1_runs.begin(), m1_runs.end());
  EXPECT_EQ(m1_runs, std::vector<double>({10, 30}));
  // R2 and M3 wait for both M1 instances, J4 for R2 and M3.
  EXPECT_GE(FirstStart(r2), LastEnd(m1));
  EXPECT_GE(FirstStart(m3), LastEnd(m1));
  EXPECT_GE(FirstStart(j4), std::max(LastEnd(r2), LastEnd(m3)));
  EXPECT_LT(FirstStart(m1) + sim::Time::Seconds(30), FirstStart(r2));
  // Recorded run times: R2 10 s, M3 15 s (its Terminated attempt), J4 5 s.
  EXPECT_EQ((r2[0].ended - r2[0].running).seconds(), 10);
  EXPECT_EQ((m3[0].ended - m3[0].running).seconds(), 15);
  EXPECT_EQ((j4[0].ended - j4[0].running).seconds(), 5);

  // j_2: M1 is unschedulable, R2_1 never runs; the independent task runs its task's 10 s.
  const auto big = r.Of(100), child = r.Of(6), independent = r.Of(5);
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0].state, TaskState::kUnschedulable);
  EXPECT_EQ(big[0].ended, sim::Time::Seconds(200));
  EXPECT_TRUE(child.empty());
  ASSERT_EQ(independent.size(), 1u);
  EXPECT_EQ((independent[0].ended - independent[0].running).seconds(), 10);

  const auto report = r.Report();
  EXPECT_EQ(report.at("task_rows"), 7);
  EXPECT_EQ(report.at("instance_rows"), 7);
  EXPECT_EQ(report.at("skipped_rows"), 0);
  EXPECT_EQ(report.at("jobs"), 2);
  EXPECT_EQ(report.at("tasks"), 6);  // released: 4 of j_1, 2 of j_2
  EXPECT_EQ(report.at("instances"), 7);
  EXPECT_EQ(report.at("dag_edges"), 5);
  EXPECT_EQ(report.at("abandoned_tasks"), 1);
  EXPECT_EQ(report.at("recorded_instance_durations"), 5);
  EXPECT_EQ(report.at("orphan_instance_rows"), 0);
}

TEST(AlibabaBatchTest, WithoutInstancesTasksRunTheirRecordedSpan) {
  TempFiles tmp;
  BatchReplay r({tmp.Write("batch_task.csv", kTasks)}, {});
  ASSERT_TRUE(r.error().ok()) << r.error().message();
  const auto m1 = r.Of(1), r2 = r.Of(2);
  ASSERT_EQ(m1.size(), 2u);
  EXPECT_EQ((m1[0].ended - m1[0].running).seconds(), 30);
  EXPECT_EQ((m1[1].ended - m1[1].running).seconds(), 30);
  ASSERT_EQ(r2.size(), 1u);
  EXPECT_GE(r2[0].running, LastEnd(m1));
}

// start_time 0 means "not started" (as recorded mode and trace-info read it): j_3's M2 did not
// start, so the job comes at 7,000 s, its M1's start, not at 0 s. M2 has no run time (end 0): it
// runs until the replay ends (not 1 µs, FINISHED), and its child J3_2 waits. j_4 never started at
// all: counted, not submitted.
TEST(AlibabaBatchTest, UnstartedTasksNeitherMoveTheirJobToZeroNorFinishAtOnce) {
  TempFiles tmp;
  BatchReplay r({tmp.Write("batch_task.csv",
                           "M1,1,j_3,1,Terminated,700,800,100,0.5\n"
                           "M2,1,j_3,1,Waiting,0,0,200,0.5\n"
                           "J3_2,1,j_3,1,Waiting,0,0,300,0.5\n"
                           "M1,1,j_4,1,Waiting,0,0,400,0.5\n")},
                {});
  ASSERT_TRUE(r.error().ok()) << r.error().message();
  const auto m1 = r.Of(1), m2 = r.Of(2);
  ASSERT_EQ(m1.size(), 1u);
  EXPECT_GE(m1[0].running, sim::Time::Seconds(700));
  EXPECT_LT(m1[0].running, sim::Time::Seconds(710));
  EXPECT_EQ((m1[0].ended - m1[0].running).seconds(), 100);
  EXPECT_TRUE(m2.empty());  // still running at the end: no final state
  EXPECT_TRUE(r.Of(3).empty());
  EXPECT_TRUE(r.Of(4).empty());
  const auto report = r.Report();
  EXPECT_EQ(report.at("jobs"), 1);
  EXPECT_EQ(report.at("jobs_never_started"), 1);
  EXPECT_EQ(report.at("tasks_without_duration"), 2);  // M2, and J3_2 (never released)
  EXPECT_EQ(report.at("tasks"), 2);                   // M1 and M2 released
}

TEST(AlibabaBatchTest, BadRowsAndCyclicJobsAreSkippedAndCounted) {
  TempFiles tmp;
  const std::string tasks = tmp.Write("batch_task.csv",
                                      "M1,1,j_1,1,Terminated,100,110,100,0.5\n"
                                      "R2_1,1,j_1,1,Terminated,110,oops,200,0.5\n"  // line 2
                                      "M1_2,1,j_3,1,Terminated,50,60,100,0.5\n"     // j_3: a cycle
                                      "M2_1,1,j_3,1,Terminated,50,60,100,0.5\n"
                                      "M5_4,1,j_4,1,Terminated,70,80,300,0.5\n");  // missing parent
  {
    BatchReplay r({tasks}, {});
    ASSERT_TRUE(r.error().ok()) << r.error().message();
    const auto report = r.Report();
    EXPECT_EQ(report.at("skipped_rows"), 1);
    EXPECT_EQ(report.at("skipped_jobs"), 1);
    EXPECT_EQ(report.at("jobs"), 2);
    EXPECT_EQ(report.at("missing_parents"), 1);
    EXPECT_EQ(r.Of(1).size(), 1u);
    EXPECT_EQ(r.Of(2).size(), 0u);
    EXPECT_EQ(r.Of(3).size(), 1u);  // M5_4 runs as a root
  }
  {
    BatchReplay r({tasks}, {}, /*strict=*/true);
    EXPECT_EQ(r.error().message(), tasks + ":2: end_time 'oops' is not a non-negative integer");
  }
  {
    const std::string cyclic = tmp.Write("cyclic.csv",
                                         "M1_2,1,j_3,1,Terminated,50,60,100,0.5\n"
                                         "M2_1,1,j_3,1,Terminated,50,60,100,0.5\n");
    BatchReplay r({cyclic}, {}, /*strict=*/true);
    EXPECT_EQ(r.error().message(), cyclic + ":1: job 'j_3': the task dependencies form a cycle");
  }
}

}  // namespace
}  // namespace clustersim::models
