// Recorded replay of Alibaba 2018 batch_instance: instances on their recorded machines (from
// machine_meta) at their recorded times with their recorded outcomes, the batch_task plans as
// requests, overcommit reported; small hand-made files in the documented formats.
#include "models/workload/alibaba/alibaba_recorded.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <vector>

#include "models/cluster.h"
#include "models/workload/trace_factory.h"
#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/placements/first_fit.h"
#include "tests/models/csv_table_fake_host.h"
#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using test::TaskEvent;
using test::TempFiles;

// machine_id, time_stamp, failure_domain_1, failure_domain_2, cpu_num, mem_size, status
constexpr const char* kMachines =
    "m_1,0,1,1,96,100,USING\n"
    "m_2,0,1,1,96,100,USING\n"
    "m_2,150,1,1,96,100,IMPORT_INSTALLING\n"  // m_2 out of service at 150 s
    "m_3,500,1,1,96,100,USING\n";             // m_3 joins at 500 s
// task_name, instance_num, job_name, task_type, status, start_time, end_time, plan_cpu, plan_mem
constexpr const char* kTasks =
    "M1,2,j_1,1,Terminated,100,300,6000,50\n"  // 60 cores, half a machine's memory
    "R2_1,1,j_1,1,Failed,300,400,100,1\n"
    "task_a,4,j_2,12,Terminated,100,200,100,1\n";
// instance_name, task_name, job_name, task_type, status, start_time, end_time, machine_id, seq_no,
// total_seq_no, cpu_avg, cpu_max, mem_avg, mem_max
constexpr const char* kInstances =
    "i1,M1,j_1,1,Terminated,100,300,m_1,1,1,,,,\n"
    "i9,task_a,j_2,12,Terminated,100,200,m_2,1,1,,,,\n"   // m_2 goes out at 150: LOST
    "i2,M1,j_1,1,Terminated,200,260,m_1,1,1,,,,\n"        // 120 cores on 96 for 60 s
    "i3,R2_1,j_1,1,Failed,300,400,m_1,1,1,,,,\n"          // ends FAILED
    "i4,task_a,j_2,12,Interrupted,160,200,m_2,1,1,,,,\n"  // m_2 is out: not launched
    "i5,task_a,j_2,12,Running,120,0,m_1,1,1,,,,\n"        // no end: runs to the replay's end
    "i6,task_b,j_2,12,Terminated,130,140,m_1,1,1,,,,\n"   // no such task in batch_task
    "i7,task_a,j_2,12,Cancelled,0,0,m_1,1,1,,,,\n"        // never started
    "i8,task_a,j_2,12,Cancelled,510,520,m_3,1,1,,,,\n";   // on m_3: ends KILLED at 520 s

ScenarioSpec RecordedSpec(TempFiles& tmp, const std::string& instances = kInstances) {
  test::ScenarioBuilder b;
  b.AllocationInterval(sim::Time::Seconds(1));
  b.Framework("alibaba");
  ScenarioSpec spec = b.Build();
  spec.trace.enabled = true;
  spec.trace.format = "alibaba2018";
  spec.trace.mode = ReplayMode::kRecorded;
  spec.trace.paths = {{"machine_meta", {tmp.Write("machine_meta.csv", kMachines)}},
                      {"batch_task", {tmp.Write("batch_task.csv", kTasks)}},
                      {"batch_instance", {tmp.Write("batch_instance.csv", instances)}}};
  return spec;
}

struct RecordedRun {
  std::unique_ptr<sim::Simulator> sim;
  std::unique_ptr<Cluster> cluster;
  test::SignalLog log;
  std::map<std::string, double> report;
  std::optional<sim::Time> end;
};

void RunRecorded(const ScenarioSpec& spec, RecordedRun& run) {
  auto source = MakeTraceSource(spec);
  ASSERT_TRUE(source.ok()) << source.error();
  run.end = (*source)->RunEnd();
  ASSERT_TRUE(run.end.has_value());
  run.sim = std::make_unique<sim::Simulator>(spec.seed);
  std::vector<std::unique_ptr<plugins::PlacementPolicy>> placements;
  placements.push_back(std::make_unique<plugins::FirstFitPlacement>());
  run.cluster = std::make_unique<Cluster>(*run.sim, spec, std::make_unique<plugins::DrfAllocator>(),
                                          std::move(placements), std::move(*source));
  run.log.Connect(run.cluster->signals(), *run.sim);
  run.sim->SetTickHook(1, [&run] { run.cluster->master().CheckInvariants(); });
  run.cluster->Start();
  run.sim->RunUntil(*run.end);
  for (const auto& [k, v] : run.cluster->trace()->Report()) run.report[k] = v;
}

TEST(AlibabaRecordedTest, InstancesRunOnTheirMachinesFromStartToEndInTheirRecordedState) {
  TempFiles tmp;
  const ScenarioSpec spec = RecordedSpec(tmp);
  RecordedRun run;
  RunRecorded(spec, run);
  ASSERT_TRUE(run.cluster->error().ok()) << run.cluster->error().message();
  EXPECT_EQ(*run.end, sim::Time::Seconds(520));  // the table's last time
  // (time, agent) of each launch: agents 0, 1, 2 are m_1, m_2, m_3 (machine_meta's order).
  std::vector<std::pair<double, uint32_t>> launches;
  std::vector<std::pair<double, TaskState>> ends;
  for (const TaskEvent& e : run.log.tasks) {
    if (e.kind == TaskEvent::kLaunched) launches.emplace_back(e.at.seconds(), e.agent);
    if (e.kind == TaskEvent::kEnded) ends.emplace_back(e.at.seconds(), e.state);
  }
  EXPECT_EQ(launches, (std::vector<std::pair<double, uint32_t>>{
                          {100, 0}, {100, 1}, {120, 0}, {200, 0}, {300, 0}, {510, 2}}));
  EXPECT_EQ(ends, (std::vector<std::pair<double, TaskState>>{{150, TaskState::kLost},
                                                             {260, TaskState::kFinished},
                                                             {300, TaskState::kFinished},
                                                             {400, TaskState::kFailed},
                                                             {520, TaskState::kKilled}}));
  // No container latency: every launched instance is RUNNING at once.
  EXPECT_EQ(run.log.Count(TaskEvent::kRunning), 6u);
  EXPECT_EQ(run.report.at("instances_launched"), 6);
  EXPECT_EQ(run.report.at("instances_no_machine"), 1);     // i4
  EXPECT_EQ(run.report.at("instances_without_start"), 1);  // i7
  EXPECT_EQ(run.report.at("instances_without_end"), 1);    // i5
  EXPECT_EQ(run.report.at("orphan_instance_rows"), 1);     // i6
  EXPECT_EQ(run.report.at("jobs"), 2);
  EXPECT_EQ(run.report.at("instance_rows"), 9);
  EXPECT_EQ(run.report.at("skipped_rows"), 0);
  EXPECT_EQ(run.report.at("replay_end_s"), 520);
  // m_1 holds i1 + i2 + i5 = 121 cores (and 1.01 of its memory) from 200 s to 260 s.
  EXPECT_DOUBLE_EQ(run.report.at("overcommit_machine_seconds"), 60);
  // Machines as machine_meta gives them: 96 cores, mem_size 100 = all of machine_size.mem.
  EXPECT_EQ(run.cluster->master().agent(AgentId(0)).capacity,
            Resources::Of(96, 256 * 1024, spec.trace.machine_size.disk()));
}

TEST(AlibabaRecordedTest, DurationOverridesTheTablesEnd) {
  TempFiles tmp;
  ScenarioSpec spec = RecordedSpec(tmp);
  spec.trace.duration = sim::Time::Seconds(250);
  RecordedRun run;
  RunRecorded(spec, run);
  EXPECT_EQ(*run.end, sim::Time::Seconds(250));
  EXPECT_EQ(run.report.at("instances_launched"), 4);           // i1, i9, i5, i2
  EXPECT_EQ(run.report.at("overcommit_machine_seconds"), 50);  // 200 s .. 250 s
}

TEST(AlibabaRecordedTest, MalformedInstanceRowsAreCountedOrFailTheOpenInStrictMode) {
  TempFiles tmp;
  const std::string bad = std::string(kInstances) + "i10,M1,j_1,1,Terminated,ten,300,m_1\n";
  ScenarioSpec spec = RecordedSpec(tmp, bad);
  {
    RecordedRun run;
    RunRecorded(spec, run);
    EXPECT_EQ(run.report.at("skipped_rows"), 1);
    EXPECT_EQ(run.report.at("instances_launched"), 6);
  }
  spec.trace.strict = true;
  const auto source = MakeTraceSource(spec);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error(),
            spec.trace.paths[2].second[0] + ":10: expected 14 comma-separated fields, found 8");
}

TEST(AlibabaRecordedTest, NeedsMachinesTasksAndInstancesAnd2018) {
  TempFiles tmp;
  ScenarioSpec spec = RecordedSpec(tmp);
  spec.trace.paths.erase(spec.trace.paths.begin());  // no machine_meta
  auto source = MakeTraceSource(spec);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error(),
            "a recorded alibaba2018 replay needs machine_meta, batch_task and batch_instance in "
            "trace.paths (missing: machine_meta)");
  spec = RecordedSpec(tmp);
  spec.trace.format = "alibaba2017";
  spec.trace.paths = {{"server_event", {tmp.Write("server_event.csv", "")}}};
  source = MakeTraceSource(spec);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error(), "trace format alibaba2017 replays in demand mode only");
}

TEST(AlibabaRecordedTest, StatusesMapToTerminalStates) {
  EXPECT_EQ(AlibabaRecordedReplay::StateOf("Terminated"), TaskState::kFinished);
  EXPECT_EQ(AlibabaRecordedReplay::StateOf("Failed"), TaskState::kFailed);
  EXPECT_EQ(AlibabaRecordedReplay::StateOf("Cancelled"), TaskState::kKilled);
  EXPECT_EQ(AlibabaRecordedReplay::StateOf("Interrupted"), TaskState::kKilled);
  EXPECT_EQ(AlibabaRecordedReplay::StateOf("Running"), TaskState::kFinished);
}

}  // namespace
}  // namespace clustersim::models
