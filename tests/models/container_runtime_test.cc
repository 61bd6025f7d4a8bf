#include "models/agent/container_runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using test::Sec;

class ContainerRuntimeTest : public ::testing::Test {
 protected:
  // Builds the runtime over the scenario declared so far, with one agent of `isolation`.
  void Init(Isolation isolation, double budget_mib = 100 * 1024) {
    spec_ = builder_.Build();
    runtime_ = std::make_unique<ContainerRuntime>(
        sim_, tasks_, spec_,
        ContainerRuntime::Callbacks{[this](TaskSlot t) {
                                      starting_.push_back({t, sim_.Now()});
                                    },
                                    [this](TaskSlot t) {
                                      running_.push_back({t, sim_.Now()});
                                    },
                                    [this](TaskSlot t, TaskState s) {
                                      ended_.push_back({t, sim_.Now(), s});
                                      tasks_[t].state =
                                          s;  // the master's job, done here for the assertions
                                    }});
    runtime_->puller().AddAgent(budget_mib, /*bandwidth=*/100, /*concurrent=*/3,
                                spec_.runtime.For(isolation).extract_mib_per_s);
    isolation_ = isolation;
  }
  // Launches a task as the master would: STAGING on agent 0, its resources charged.
  // `held`: how long before now the master sent it (a launch held on its way by a partition).
  TaskSlot Launch(Task task, sim::Time held = sim::Time::Zero()) {
    task.state = TaskState::kStaging;
    task.agent = AgentId(0);
    task.launched = sim_.Now() - held;
    const TaskSlot slot = tasks_.Add(task);
    runtime_->Launch(slot, AgentId(0), isolation_);
    return slot;
  }
  Task WithImage(Task t, uint32_t image) {
    t.image = ImageId(image);
    t.has_image = true;
    t.image_version = spec_.images.images[image].version;
    t.os = spec_.images.images[image].os;
    return t;
  }
  struct At {
    TaskSlot task;
    sim::Time at;
  };
  struct End {
    TaskSlot task;
    sim::Time at;
    TaskState state;
  };
  static sim::Time Find(const std::vector<At>& v, TaskSlot t) {
    for (const At& a : v) {
      if (a.task == t) return a.at;
    }
    return sim::Time::Max();
  }

  test::ScenarioBuilder builder_;
  ScenarioSpec spec_;
  sim::Simulator sim_{1};
  TaskTable tasks_;
  std::unique_ptr<ContainerRuntime> runtime_;
  Isolation isolation_ = Isolation::kDocker;
  std::vector<At> starting_;
  std::vector<At> running_;
  std::vector<End> ended_;
};

TEST_F(ContainerRuntimeTest, WarmLinuxTaskGoesStagingStartingRunningFinished) {
  builder_.StartLatency(Isolation::kDocker, 0.5);
  Init(Isolation::kDocker);
  const TaskSlot t = Launch(test::MakeTask("cpus:1;mem:128", /*duration_s=*/60));
  // No image: STARTING at once (t=0), RUNNING after the 0.5 s start latency, FINISHED 60 s later.
  EXPECT_EQ(tasks_[t].state, TaskState::kStarting);
  sim_.RunUntil(Sec(0.4));
  EXPECT_EQ(tasks_[t].state, TaskState::kStarting);
  sim_.RunUntil(Sec(100));
  EXPECT_EQ(Find(starting_, t), Sec(0));
  EXPECT_EQ(Find(running_, t), Sec(0.5));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].at, Sec(60.5));
  EXPECT_EQ(ended_[0].state, TaskState::kFinished);
  EXPECT_DOUBLE_EQ(tasks_[t].pull_seconds, 0);
  EXPECT_DOUBLE_EQ(tasks_[t].start_seconds, 0.5);
  EXPECT_EQ(tasks_[t].started, Sec(0));
  EXPECT_EQ(tasks_[t].running, Sec(0.5));
}

TEST_F(ContainerRuntimeTest, ColdStartPullsThenExtractsThenStarts) {
  // One layer of 100 MiB compressed / 360 MiB on disk; docker extracts at its default 36 MiB/s.
  // Pull: 100 / 100 MiB/s = 1 s download + 360 / 36 = 10 s extraction = 11 s; start 1 s.
  builder_.Layer("app", 100, 360);
  const uint32_t image = builder_.Image("app", Os::kLinux, OsVersion::kNone, {"app"});
  Init(Isolation::kDocker);
  ASSERT_DOUBLE_EQ(spec_.runtime.docker.extract_mib_per_s, 36);
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  EXPECT_EQ(tasks_[t].state, TaskState::kStaging);
  sim_.RunUntil(Sec(100));
  EXPECT_EQ(Find(starting_, t), Sec(11));
  EXPECT_EQ(Find(running_, t), Sec(12));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].at, Sec(72));
  EXPECT_DOUBLE_EQ(tasks_[t].pull_seconds, 11);
  EXPECT_DOUBLE_EQ(tasks_[t].start_seconds, 1);
  // A second task of the same image starts warm.
  const TaskSlot t2 = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  sim_.RunUntil(Sec(200));
  EXPECT_EQ(Find(starting_, t2), Sec(100));
  EXPECT_DOUBLE_EQ(tasks_[t2].pull_seconds, 0);
}

// pull_s is launch -> image in place for every task, as tasks.csv has it: a launch held 25 s on
// its way (a partition) waited 25 s for its image whether or not it had to pull one (the warm and
// image-less tasks used to report 0, the cold one its hold plus its pull).
TEST_F(ContainerRuntimeTest, AHeldLaunchCountsItsHoldInItsPullTimeWarmOrCold) {
  builder_.Layer("app", 100, 360);
  const uint32_t image = builder_.Image("app", Os::kLinux, OsVersion::kNone, {"app"});
  Init(Isolation::kDocker);
  sim_.RunUntil(Sec(30));
  const TaskSlot cold = Launch(WithImage(test::MakeTask("cpus:1", 60), image), Sec(25));
  const TaskSlot bare = Launch(test::MakeTask("cpus:1", 60), Sec(25));
  sim_.RunUntil(Sec(100));
  const TaskSlot warm = Launch(WithImage(test::MakeTask("cpus:1", 60), image), Sec(25));
  sim_.RunUntil(Sec(200));
  EXPECT_DOUBLE_EQ(tasks_[cold].pull_seconds, 25 + 11);
  EXPECT_DOUBLE_EQ(tasks_[bare].pull_seconds, 25);
  EXPECT_DOUBLE_EQ(tasks_[warm].pull_seconds, 25);
}

TEST_F(ContainerRuntimeTest, FinishedTaskUnpinsItsImage) {
  // Budget 400 MiB holds one 360 MiB image. After the first task finishes, a second image can
  // evict the first; had the first stayed pinned, the second launch would fail for lack of disk.
  builder_.Layer("one", 10, 360);
  builder_.Layer("two", 10, 360);
  const uint32_t one = builder_.Image("one", Os::kLinux, OsVersion::kNone, {"one"});
  const uint32_t two = builder_.Image("two", Os::kLinux, OsVersion::kNone, {"two"});
  Init(Isolation::kDocker, /*budget_mib=*/400);
  Launch(WithImage(test::MakeTask("cpus:1", 10), one));
  sim_.RunUntil(Sec(100));
  ASSERT_EQ(ended_.size(), 1u);
  const TaskSlot t2 = Launch(WithImage(test::MakeTask("cpus:1", 10), two));
  sim_.RunUntil(Sec(200));
  ASSERT_EQ(ended_.size(), 2u);
  EXPECT_EQ(ended_[1].task, t2);
  EXPECT_EQ(ended_[1].state, TaskState::kFinished);
  EXPECT_FALSE(runtime_->puller().HasLayer(AgentId(0), spec_.images.images[one].layers[0]));
}

TEST_F(ContainerRuntimeTest, WindowsStartLatencyDependsOnIsolation) {
  // Builder defaults: process 5 s, hyperv 11 s (constants).
  Init(Isolation::kProcess);
  const TaskSlot p = Launch(test::MakeTask("cpus:1", 60, Os::kWindows));
  sim_.RunUntil(Sec(1));
  // Same runtime, task launched on a Hyper-V agent (isolation is per launch).
  isolation_ = Isolation::kHyperV;
  const TaskSlot h = Launch(test::MakeTask("cpus:1", 60, Os::kWindows));
  sim_.RunUntil(Sec(100));
  EXPECT_EQ(Find(running_, p), Sec(5));
  EXPECT_EQ(Find(running_, h), Sec(1 + 11));
  EXPECT_EQ(tasks_[h].isolation, Isolation::kHyperV);
}

// The start latencies of one run: tasks with ids `ids` launched in that order, one per second,
// each on a fresh agent of the isolation its id's parity picks (even: process, odd: Hyper-V),
// the attempt number given; returns id -> start seconds.
std::map<uint64_t, double> StartLatencies(const ScenarioSpec& spec,
                                          const std::vector<uint64_t>& ids, uint8_t attempt) {
  sim::Simulator sim(9);
  TaskTable tasks;
  ContainerRuntime runtime(sim, tasks, spec,
                           {[](TaskSlot) {}, [](TaskSlot) {}, [](TaskSlot, TaskState) {}});
  std::map<uint64_t, TaskSlot> slots;
  for (const uint64_t id : ids) {
    sim.RunUntil(sim.Now() + Sec(1));
    Task task = test::MakeTask("cpus:1", 10, Os::kWindows);
    task.id = id;
    task.draw_key = id;
    task.attempts = attempt;
    task.state = TaskState::kStaging;
    const AgentId agent(static_cast<uint32_t>(slots.size()));
    task.agent = agent;
    task.launched = sim.Now();
    runtime.puller().AddAgent(1024, 100, 3, 100);
    slots[id] = tasks.Add(task);
    runtime.Launch(slots[id], agent, id % 2 == 0 ? Isolation::kProcess : Isolation::kHyperV);
  }
  sim.RunUntil(sim.Now() + Sec(1000));
  std::map<uint64_t, double> out;
  for (const auto& [id, slot] : slots) out[id] = tasks[slot].start_seconds;
  return out;
}

TEST(ContainerRuntimeDrawsTest, AnAttemptStartsAsFastWhateverStartedBeforeIt) {
  // Common random numbers: a task attempt's start latency is drawn for (task id, attempt), not
  // from one stream in start order. Before, reversing the launch order, or changing the Hyper-V
  // latency, changed every later task's draw.
  ScenarioSpec spec = test::ScenarioBuilder().Build();
  spec.runtime.process.start_latency_s = sim::Distribution::LogNormal(5, 20);
  spec.runtime.hyperv.start_latency_s = sim::Distribution::Uniform(8, 20);
  std::vector<uint64_t> ids;
  for (uint64_t id = 1; id <= 40; ++id) ids.push_back(id);
  const std::map<uint64_t, double> forward = StartLatencies(spec, ids, 1);
  std::vector<uint64_t> backward(ids.rbegin(), ids.rend());
  EXPECT_EQ(StartLatencies(spec, backward, 1), forward);

  ScenarioSpec slower_hyperv = spec;
  slower_hyperv.runtime.hyperv.start_latency_s = sim::Distribution::Uniform(16, 40);
  const std::map<uint64_t, double> slower = StartLatencies(slower_hyperv, ids, 1);
  std::set<double> distinct;
  for (const uint64_t id : ids) {
    distinct.insert(forward.at(id));
    if (id % 2 == 0) {
      EXPECT_EQ(slower.at(id), forward.at(id)) << "process-isolated task " << id;
    } else {
      // The same uniform through the scaled range: exactly twice as long (up to rounding to µs).
      EXPECT_NEAR(slower.at(id), 2 * forward.at(id), 2e-6) << "Hyper-V task " << id;
    }
  }
  EXPECT_EQ(distinct.size(), ids.size());  // still random: every attempt draws its own

  const std::map<uint64_t, double> retried = StartLatencies(spec, ids, 2);
  int same = 0;
  for (const uint64_t id : ids) same += retried.at(id) == forward.at(id) ? 1 : 0;
  EXPECT_EQ(same, 0);  // a retry draws afresh
}

TEST_F(ContainerRuntimeTest, PullLongerThanTheTimeoutFailsTheTask) {
  // 1000 MiB at 100 MiB/s = 10 s of download alone; the timeout is 5 s.
  builder_.PullTimeout(Sec(5));
  builder_.Layer("big", 1000, 1000);
  const uint32_t image = builder_.Image("big", Os::kLinux, OsVersion::kNone, {"big"});
  Init(Isolation::kDocker);
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  sim_.RunUntil(Sec(1000));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].task, t);
  // Fails once the pull is longer than the timeout: 1 µs after it.
  EXPECT_EQ(ended_[0].at, Sec(5) + sim::Time::Micros(1));
  EXPECT_EQ(ended_[0].state, TaskState::kFailed);
  EXPECT_TRUE(starting_.empty());
  EXPECT_FALSE(tasks_[t].image_pinned);
  EXPECT_EQ(runtime_->puller().active_pulls(), 0u);
  // The client gave up: the daemon cancelled the transfer nobody else waited for, with the 500 MiB
  // it had downloaded (it used to go on downloading and extracting for no one).
  EXPECT_DOUBLE_EQ(runtime_->puller().MissingMiB(AgentId(0), ImageId(image)), 1000);
  EXPECT_FALSE(runtime_->puller().HasLayer(AgentId(0), spec_.images.images[image].layers[0]));
  EXPECT_NEAR(runtime_->puller().discarded_mib(), 500, 1e-3);
}

TEST_F(ContainerRuntimeTest, PullJustWithinTheTimeoutSucceeds) {
  builder_.PullTimeout(Sec(20));
  // 10 s download + 359.964 / 36 = 9.999 s extraction = 19.999 s.
  builder_.Layer("big", 1000, 359.964);
  const uint32_t image = builder_.Image("big", Os::kLinux, OsVersion::kNone, {"big"});
  Init(Isolation::kDocker);
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  sim_.RunUntil(Sec(1000));
  EXPECT_EQ(Find(starting_, t), Sec(19.999));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].state, TaskState::kFinished);
}

TEST_F(ContainerRuntimeTest, PullTakingExactlyTheTimeoutSucceeds) {
  // 10 s download + 10 s extraction = exactly the 20 s timeout: only a pull *longer* than the
  // timeout fails, so the task starts at 20 s.
  builder_.PullTimeout(Sec(20));
  builder_.Layer("big", 1000, 360);
  const uint32_t image = builder_.Image("big", Os::kLinux, OsVersion::kNone, {"big"});
  Init(Isolation::kDocker);
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  sim_.RunUntil(Sec(1000));
  EXPECT_EQ(Find(starting_, t), Sec(20));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].state, TaskState::kFinished);
}

TEST_F(ContainerRuntimeTest, RegistrationTimeoutDuringTheDownloadLosesIt) {
  // 5000 MiB at 100 MiB/s: 50 s of download alone; the registration timeout is 30 s. At 30 s the
  // attempt FAILS, 3000 MiB downloaded and thrown away with the destroyed container's pull.
  builder_.RegistrationTimeout(Sec(30));
  builder_.Layer("big", 5000, 5000);
  const uint32_t image = builder_.Image("big", Os::kLinux, OsVersion::kNone, {"big"});
  Init(Isolation::kDocker);
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  EXPECT_DOUBLE_EQ(tasks_[t].pull_missing_mib, 5000);
  sim_.RunUntil(Sec(1000));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].at, Sec(30));
  EXPECT_EQ(ended_[0].state, TaskState::kFailed);
  EXPECT_EQ(tasks_[t].reason, TaskReason::kExecutorRegistrationTimeout);
  EXPECT_TRUE(starting_.empty());
  EXPECT_FALSE(tasks_[t].image_pinned);
  EXPECT_EQ(runtime_->puller().active_pulls(), 0u);
  EXPECT_DOUBLE_EQ(runtime_->puller().MissingMiB(AgentId(0), ImageId(image)), 5000);
  EXPECT_DOUBLE_EQ(runtime_->puller().UsedMiB(AgentId(0)), 0);
  EXPECT_DOUBLE_EQ(runtime_->puller().discarded_mib(), 3000);
  EXPECT_DOUBLE_EQ(runtime_->failed_attempts_pull_mib(), 3000);
}

TEST_F(ContainerRuntimeTest, RegistrationTimeoutDuringExtractionKeepsTheLayersInPlace) {
  // base 100/360 MiB and app 100/1800 MiB download side by side at 50 MiB/s: both at 2 s. base
  // extracts 360 / 36 = 10 s -> 12 s; app would extract 1800 / 36 = 50 s -> 62 s. At the 30 s
  // deadline base stays in the store and app, extracting, is lost with its 100 MiB download.
  builder_.RegistrationTimeout(Sec(30));
  builder_.Layer("base", 100, 360);
  builder_.Layer("app", 100, 1800);
  const uint32_t image = builder_.Image("app", Os::kLinux, OsVersion::kNone, {"base", "app"});
  Init(Isolation::kDocker);
  const auto& layers = spec_.images.images[image].layers;
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  sim_.RunUntil(Sec(1000));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].at, Sec(30));
  EXPECT_EQ(tasks_[t].reason, TaskReason::kExecutorRegistrationTimeout);
  EXPECT_TRUE(runtime_->puller().HasLayer(AgentId(0), layers[0]));
  EXPECT_FALSE(runtime_->puller().HasLayer(AgentId(0), layers[1]));
  EXPECT_DOUBLE_EQ(runtime_->puller().UsedMiB(AgentId(0)), 360);
  EXPECT_DOUBLE_EQ(runtime_->puller().discarded_mib(), 100);
  // The attempt had brought in both layers' 200 MiB when it failed.
  EXPECT_DOUBLE_EQ(runtime_->failed_attempts_pull_mib(), 200);
  // A retry on this agent has only app to pull.
  const TaskSlot retry = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  EXPECT_DOUBLE_EQ(tasks_[retry].pull_missing_mib, 100);
}

TEST_F(ContainerRuntimeTest, RegistrationTimeoutDuringStartLatency) {
  // No image; Hyper-V start latency 11 s > the 10 s timeout: STARTING at 0, FAILED at 10 s.
  builder_.RegistrationTimeout(Sec(10));
  Init(Isolation::kHyperV);
  const TaskSlot t = Launch(test::MakeTask("cpus:1", 60, Os::kWindows));
  sim_.RunUntil(Sec(100));
  EXPECT_EQ(Find(starting_, t), Sec(0));
  EXPECT_EQ(Find(running_, t), sim::Time::Max());
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].at, Sec(10));
  EXPECT_EQ(ended_[0].state, TaskState::kFailed);
  EXPECT_EQ(tasks_[t].reason, TaskReason::kExecutorRegistrationTimeout);
  EXPECT_DOUBLE_EQ(runtime_->failed_attempts_pull_mib(), 0);
}

TEST_F(ContainerRuntimeTest, RegistrationTimeoutAfterThePullKeepsTheImage) {
  // Pull 100/360 MiB: 1 s + 10 s = 11 s; Hyper-V start 11 s -> RUNNING at 22 s > 20 s deadline.
  // FAILED at 20 s; the image, in place, stays in the store, unpinned.
  builder_.RegistrationTimeout(Sec(20));
  builder_.Layer("app", 100, 360);
  builder_.ExtractRate(Isolation::kHyperV, 36);
  const uint32_t image = builder_.Image("app", Os::kWindows, OsVersion::kLtsc2022, {"app"});
  Init(Isolation::kHyperV);
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 60, Os::kWindows), image));
  sim_.RunUntil(Sec(100));
  EXPECT_EQ(Find(starting_, t), Sec(11));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].at, Sec(20));
  EXPECT_EQ(tasks_[t].reason, TaskReason::kExecutorRegistrationTimeout);
  EXPECT_FALSE(tasks_[t].image_pinned);
  EXPECT_TRUE(runtime_->puller().HasLayer(AgentId(0), spec_.images.images[image].layers[0]));
  EXPECT_DOUBLE_EQ(runtime_->puller().discarded_mib(), 0);
  EXPECT_DOUBLE_EQ(runtime_->failed_attempts_pull_mib(), 100);
}

TEST_F(ContainerRuntimeTest, RunningExactlyAtTheRegistrationDeadlineSucceeds) {
  builder_.RegistrationTimeout(Sec(11));
  Init(Isolation::kHyperV);
  const TaskSlot t = Launch(test::MakeTask("cpus:1", 60, Os::kWindows));
  sim_.RunUntil(Sec(100));
  EXPECT_EQ(Find(running_, t), Sec(11));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].state, TaskState::kFinished);
}

TEST_F(ContainerRuntimeTest, TheEarlierOfPullAndRegistrationTimeoutsFires) {
  // 5000 MiB: a 50 s download. Registration 30 s vs pull timeout 20 s: the pull timeout, just
  // after 20 s; the client gives up and the daemon drops the transfer no one else waits for.
  builder_.Layer("big", 5000, 5000);
  const uint32_t image = builder_.Image("big", Os::kLinux, OsVersion::kNone, {"big"});
  builder_.RegistrationTimeout(Sec(30)).PullTimeout(Sec(20));
  Init(Isolation::kDocker);
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  sim_.RunUntil(Sec(25));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].at, Sec(20) + sim::Time::Micros(1));
  EXPECT_EQ(tasks_[t].reason, TaskReason::kPullTimeout);
  EXPECT_DOUBLE_EQ(runtime_->puller().MissingMiB(AgentId(0), ImageId(image)), 5000);
  EXPECT_NEAR(runtime_->puller().discarded_mib(), 2000, 1e-3);
}

TEST_F(ContainerRuntimeTest, RegistrationTimeoutFiresBeforeALaterPullTimeout) {
  builder_.Layer("big", 5000, 5000);
  const uint32_t image = builder_.Image("big", Os::kLinux, OsVersion::kNone, {"big"});
  builder_.RegistrationTimeout(Sec(30)).PullTimeout(Sec(40));
  Init(Isolation::kDocker);
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  sim_.RunUntil(Sec(100));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].at, Sec(30));
  EXPECT_EQ(tasks_[t].reason, TaskReason::kExecutorRegistrationTimeout);
}

TEST_F(ContainerRuntimeTest, GroupOverridesTheRegistrationTimeout) {
  builder_.RegistrationTimeout(Sec(60));
  builder_.Layer("big", 5000, 5000);
  const uint32_t image = builder_.Image("big", Os::kLinux, OsVersion::kNone, {"big"});
  // Agent 0 from Init has the runtime's 60 s; agent 1 a group's 10 min.
  Init(Isolation::kDocker);
  AgentGroupSpec patient;
  patient.executor_registration_timeout = sim::Time::Seconds(600);
  runtime_->AddAgent(patient, Isolation::kDocker);
  EXPECT_EQ(runtime_->RegistrationTimeout(AgentId(0)), Sec(60));
  EXPECT_EQ(runtime_->RegistrationTimeout(AgentId(1)), Sec(600));
  Task task = WithImage(test::MakeTask("cpus:1", 60), image);
  task.state = TaskState::kStaging;
  task.agent = AgentId(1);
  task.launched = sim_.Now();
  const TaskSlot t = tasks_.Add(task);
  runtime_->Launch(t, AgentId(1), Isolation::kDocker);
  sim_.RunUntil(Sec(1000));
  // 50 s download + 5000 / 36 s extraction + 1 s start, well within 10 min.
  EXPECT_EQ(Find(running_, t), Sec(50 + 5000.0 / 36 + 1));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].state, TaskState::kFinished);
}

TEST(ImageCatalogTest, CurrentFollowsTheUpdatesPublishedByThen) {
  test::ScenarioBuilder b;
  b.Layer("core", 1000, 2000);
  const uint32_t kb1 = b.Layer("kb1", 230, 500);
  const uint32_t kb2 = b.Layer("kb2", 240, 500);
  const uint32_t w19 = b.Image("w19", Os::kWindows, OsVersion::kLtsc2019, {"core"});
  const uint32_t w22 = b.Image("w22", Os::kWindows, OsVersion::kLtsc2022, {"core"});
  const uint32_t lin = b.Image("lin", Os::kLinux, OsVersion::kNone, {"core"});
  ImageCatalog& c = b.spec().images;
  // Every Windows image at 10 s; only ltsc2019 at 20 s.
  EXPECT_EQ(c.Publish({Sec(10), Os::kWindows, OsVersion::kNone, kb1}), 2u);
  EXPECT_EQ(c.Publish({Sec(20), Os::kWindows, OsVersion::kLtsc2019, kb2}), 1u);
  ASSERT_EQ(c.images.size(), 6u);
  const uint32_t w19_kb1 = *c.FindImage("w19+kb1");
  const uint32_t w19_kb2 = *c.FindImage("w19+kb1+kb2");
  // kb2 replaces kb1: one cumulative delta on the base.
  EXPECT_EQ(c.images[w19_kb1].layers, (std::vector<uint32_t>{0, kb1}));
  EXPECT_EQ(c.images[w19_kb2].layers, (std::vector<uint32_t>{0, kb2}));
  EXPECT_EQ(c.Current(w19, Sec(9.999999)), w19);
  EXPECT_EQ(c.Current(w19, Sec(10)), w19_kb1);
  EXPECT_EQ(c.Current(w19, Sec(20)), w19_kb2);
  EXPECT_EQ(c.Current(w22, Sec(30)), *c.FindImage("w22+kb1"));
  EXPECT_EQ(c.Current(lin, Sec(30)), lin);
}

// An image built FROM the base is rebuilt on the serviced base: its own layers come again, as new
// layers of the same sizes ("<digest>@<update>"), shared by the images that had them (dotnet here);
// the next update rebuilds the declared image again, on its own delta.
TEST(ImageCatalogTest, AnUpdateRebuildsTheLayersAboveTheBase) {
  test::ScenarioBuilder b;
  const uint32_t core = b.Layer("core", 1000, 2000);
  const uint32_t dotnet = b.Layer("dotnet", 400, 1000);
  b.Layer("app1", 150, 400);
  b.Layer("app2", 80, 200);
  const uint32_t kb1 = b.Layer("kb1", 230, 500);
  const uint32_t kb2 = b.Layer("kb2", 240, 500);
  b.Image("one", Os::kWindows, OsVersion::kLtsc2019, {"core", "dotnet", "app1"});
  b.Image("two", Os::kWindows, OsVersion::kLtsc2019, {"core", "dotnet", "app2"});
  ImageCatalog& c = b.spec().images;
  ASSERT_EQ(c.Publish({Sec(10), Os::kWindows, OsVersion::kNone, kb1}), 2u);
  const ImageSpec& one = c.images[*c.FindImage("one+kb1")];
  const ImageSpec& two = c.images[*c.FindImage("two+kb1")];
  const uint32_t dotnet_kb1 = *c.FindLayer("dotnet@kb1");
  EXPECT_EQ(one.layers, (std::vector<uint32_t>{core, kb1, dotnet_kb1, *c.FindLayer("app1@kb1")}));
  EXPECT_EQ(two.layers, (std::vector<uint32_t>{core, kb1, dotnet_kb1, *c.FindLayer("app2@kb1")}));
  EXPECT_EQ(c.layers[dotnet_kb1].download_mib, c.layers[dotnet].download_mib);
  EXPECT_EQ(c.layers[dotnet_kb1].disk_mib, c.layers[dotnet].disk_mib);
  ASSERT_EQ(c.Publish({Sec(20), Os::kWindows, OsVersion::kNone, kb2}), 2u);
  EXPECT_EQ(
      c.images[*c.FindImage("one+kb1+kb2")].layers,
      (std::vector<uint32_t>{core, kb2, *c.FindLayer("dotnet@kb2"), *c.FindLayer("app1@kb2")}));
  EXPECT_EQ(c.layers.size(), 6u + 3u + 3u);  // dotnet, app1, app2 rebuilt once per update
}

TEST_F(ContainerRuntimeTest, LaunchesAfterAServicingUpdatePullItsLayerAndOlderTasksKeepTheirs) {
  // base 100/360 MiB: 1 s + 10 s pull, 1 s start. The update at 50 s adds kb (230 MiB, 360 MiB
  // on disk): a launch at 100 s pulls only kb, 2.3 s + 10 s -> STARTING at 112.3 s.
  builder_.Layer("base", 100, 360);
  const uint32_t kb = builder_.Layer("kb", 230, 360);
  const uint32_t image = builder_.Image("app", Os::kLinux, OsVersion::kNone, {"base"});
  ASSERT_EQ(builder_.spec().images.Publish({Sec(50), Os::kLinux, OsVersion::kNone, kb}), 1u);
  Init(Isolation::kDocker);
  const ImageId updated(*spec_.images.FindImage("app+kb"));
  const TaskSlot old_task = Launch(WithImage(test::MakeTask("cpus:1", 1000), image));
  EXPECT_EQ(tasks_[old_task].run_image, ImageId(image));
  sim_.RunUntil(Sec(100));
  EXPECT_EQ(Find(running_, old_task), Sec(12));
  // What placement policies see for the image as submitted: the successor's missing layer.
  EXPECT_DOUBLE_EQ(runtime_->puller().MissingMiB(AgentId(0), ImageId(image)), 230);
  const TaskSlot new_task = Launch(WithImage(test::MakeTask("cpus:1", 10), image));
  EXPECT_EQ(tasks_[new_task].image, ImageId(image));  // as submitted
  EXPECT_EQ(tasks_[new_task].run_image, updated);
  EXPECT_DOUBLE_EQ(tasks_[new_task].pull_missing_mib, 230);
  sim_.RunUntil(Sec(2000));
  EXPECT_EQ(Find(starting_, new_task), Sec(112.3));
  ASSERT_EQ(ended_.size(), 2u);
  // Each released the image it pinned (a wrong release would abort on the pin count).
  EXPECT_TRUE(runtime_->puller().HasLayer(AgentId(0), kb));
  EXPECT_DOUBLE_EQ(runtime_->puller().MissingMiB(AgentId(0), updated), 0);
}

TEST_F(ContainerRuntimeTest, PrePullBringsTheCurrentImageWithoutATask) {
  builder_.Layer("base", 100, 360);
  const uint32_t kb = builder_.Layer("kb", 230, 360);
  const uint32_t image = builder_.Image("app", Os::kLinux, OsVersion::kNone, {"base"});
  ASSERT_EQ(builder_.spec().images.Publish({Sec(0), Os::kLinux, OsVersion::kNone, kb}), 1u);
  Init(Isolation::kDocker);
  // base and kb download side by side (50 MiB/s each): base at 2 s, kb at 3.3 s; extracted in
  // order, 10 s each: base at 12 s, kb at 22 s.
  EXPECT_EQ(runtime_->PrePull(AgentId(0), ImageId(image)), ImagePuller::PullResult::kStarted);
  sim_.RunUntil(Sec(21.999999));
  EXPECT_FALSE(runtime_->puller().HasLayer(AgentId(0), kb));
  sim_.RunUntil(Sec(22));
  EXPECT_TRUE(runtime_->puller().HasLayer(AgentId(0), kb));
  EXPECT_EQ(runtime_->puller().active_pulls(), 0u);
  EXPECT_TRUE(starting_.empty());
  EXPECT_EQ(runtime_->PrePull(AgentId(0), ImageId(image)), ImagePuller::PullResult::kReady);
  // A task of the image now starts warm.
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 10), image));
  EXPECT_DOUBLE_EQ(tasks_[t].pull_missing_mib, 0);
  EXPECT_EQ(Find(starting_, t), Sec(22));
}

// drain.prepull: only images the agent holds, only once their update is out, once each. kb
// (230 MiB at 100 MiB/s, 360 MiB extracted at 36 MiB/s) is in place 2.3 s + 10 s after the call.
TEST_F(ContainerRuntimeTest, PrePullUpdatedFetchesTheNewVersionOfHeldImagesOnly) {
  builder_.Layer("base", 100, 360);
  builder_.Layer("other-base", 100, 360);
  const uint32_t kb = builder_.Layer("kb", 230, 360);
  const uint32_t app = builder_.Image("app", Os::kLinux, OsVersion::kNone, {"base"});
  builder_.Image("other", Os::kLinux, OsVersion::kNone, {"other-base"});
  ASSERT_EQ(builder_.spec().images.Publish({Sec(50), Os::kLinux, OsVersion::kNone, kb}), 2u);
  Init(Isolation::kDocker);
  runtime_->puller().Preload(AgentId(0), ImageId(app));
  EXPECT_EQ(runtime_->PrePullUpdated(AgentId(0)), 0u);  // nothing published yet
  sim_.RunUntil(Sec(60));
  EXPECT_EQ(runtime_->PrePullUpdated(AgentId(0)), 1u);  // app+kb; "other" is not held
  EXPECT_EQ(runtime_->PrePullUpdated(AgentId(0)), 0u);  // already on its way
  sim_.RunUntil(Sec(72.299999));
  EXPECT_FALSE(runtime_->puller().HasLayer(AgentId(0), kb));
  sim_.RunUntil(Sec(72.3));
  EXPECT_TRUE(runtime_->puller().HasLayer(AgentId(0), kb));
  EXPECT_FALSE(runtime_->puller().HasLayer(AgentId(0), *spec_.images.FindLayer("other-base")));
  EXPECT_EQ(runtime_->PrePullUpdated(AgentId(0)), 0u);  // in place
  EXPECT_EQ(runtime_->prepulled_images(), 1u);
  // A launch of app now runs app+kb warm.
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 10), app));
  EXPECT_DOUBLE_EQ(tasks_[t].pull_missing_mib, 0);
}

TEST_F(ContainerRuntimeTest, NoDiskFailsTheTaskInItsOwnEvent) {
  builder_.Layer("huge", 10, 5000);
  const uint32_t image = builder_.Image("huge", Os::kLinux, OsVersion::kNone, {"huge"});
  Init(Isolation::kDocker, /*budget_mib=*/1000);
  const TaskSlot t = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  // Not inside Launch: the master must never see a launch fail while it is launching.
  EXPECT_TRUE(ended_.empty());
  sim_.RunUntil(Sec(0));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].task, t);
  EXPECT_EQ(ended_[0].at, Sec(0));
  EXPECT_EQ(ended_[0].state, TaskState::kFailed);
  EXPECT_FALSE(tasks_[t].image_pinned);
}

TEST_F(ContainerRuntimeTest, StopSilencesTheTaskWhereverItIs) {
  builder_.Layer("app", 100, 360);
  const uint32_t image = builder_.Image("app", Os::kLinux, OsVersion::kNone, {"app"});
  Init(Isolation::kDocker);
  const TaskSlot pulling = Launch(WithImage(test::MakeTask("cpus:1", 60), image));
  const TaskSlot running = Launch(test::MakeTask("cpus:1", 60));
  sim_.RunUntil(Sec(5));
  runtime_->Stop(pulling);
  runtime_->Stop(running);
  EXPECT_FALSE(tasks_[pulling].image_pinned);
  EXPECT_EQ(runtime_->puller().active_pulls(), 0u);
  sim_.RunUntil(Sec(1000));
  EXPECT_TRUE(ended_.empty());
  EXPECT_EQ(Find(starting_, pulling), sim::Time::Max());
}

// A service runs until stopped whatever duration it carries; the same task as a batch task ends
// its 60 s after it started running.
TEST_F(ContainerRuntimeTest, ServicesNeverFinish) {
  Init(Isolation::kDocker);
  Task t = test::MakeTask("cpus:1", 60);
  t.service = true;
  const TaskSlot service = Launch(t);
  t.service = false;
  const TaskSlot batch = Launch(t);
  sim_.RunUntil(Sec(1e6));
  EXPECT_EQ(Find(running_, service), Sec(1));
  EXPECT_EQ(Find(running_, batch), Sec(1));
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].task, batch);
  EXPECT_EQ(ended_[0].at, Sec(61));
  EXPECT_EQ(ended_[0].state, TaskState::kFinished);
}

TEST_F(ContainerRuntimeTest, HyperVChargesItsUtilityVmMemory) {
  Init(Isolation::kHyperV);
  // "Server Core: 45 MB process-isolated, 360 MB ... Hyper-V" (Microsoft's system requirements):
  // the 315 MB = 300 MiB difference charged per container.
  EXPECT_DOUBLE_EQ(runtime_->MemOverheadMiB(Isolation::kHyperV), 300);
  EXPECT_DOUBLE_EQ(runtime_->MemOverheadMiB(Isolation::kProcess), 0);
  EXPECT_DOUBLE_EQ(runtime_->MemOverheadMiB(Isolation::kDocker), 0);
}

TEST(ContainerRuntimeDefaultsTest, DefaultsMatchTheCitedReferences) {
  const ContainerRuntimeSpec d = ContainerRuntimeSpec::Defaults();
  EXPECT_DOUBLE_EQ(d.docker.extract_mib_per_s, 36);
  EXPECT_DOUBLE_EQ(d.process.extract_mib_per_s, 13.35);
  EXPECT_DOUBLE_EQ(d.hyperv.extract_mib_per_s, 13.35);
  EXPECT_DOUBLE_EQ(d.hyperv.mem_overhead_mib, 300);
  EXPECT_DOUBLE_EQ(d.process.mem_overhead_mib, 0);
  EXPECT_EQ(d.pull_timeout, sim::Time::Seconds(30 * 60));
  // Mesos's EXECUTOR_REGISTRATION_TIMEOUT (src/slave/constants.hpp:35).
  EXPECT_EQ(d.executor_registration_timeout, sim::Time::Seconds(60));
  // Start latency medians: docker 0.6 s, process 5 s, hyperv 11 s; Windows several times Linux.
  sim::Rng rng(42);
  auto median = [&](const sim::Distribution& dist) {
    std::vector<double> v(20001);
    for (double& x : v) x = dist.Sample(rng);
    std::nth_element(v.begin(), v.begin() + 10000, v.end());
    return v[10000];
  };
  EXPECT_NEAR(median(d.docker.start_latency_s), 0.6, 0.6 * 0.05);
  EXPECT_NEAR(median(d.process.start_latency_s), 5.0, 5.0 * 0.05);
  EXPECT_NEAR(median(d.hyperv.start_latency_s), 11.0, 11.0 * 0.05);
}

}  // namespace
}  // namespace clustersim::models
