// CellState on its own, without a master: what a monolithic or shared-state scheduler would use.
#include "models/cell/cell_state.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/support/builders.h"

namespace clustersim::models {
namespace {

using clustersim::test::Res;

class CellStateTest : public ::testing::Test {
 protected:
  CellStateTest() : cell_(sim_, tasks_, {Res("cpus:0.01"), Res("mem:32")}) {}

  AgentId AddActive(const char* capacity,
                    std::vector<std::pair<std::string, Resources>> reservations = {}) {
    plugins::AgentInfo info;
    info.name = "a" + std::to_string(cell_.agent_count());
    info.capacity = Res(capacity);
    info.reservations = std::move(reservations);
    const AgentId id = cell_.AddAgent(std::move(info));
    cell_.Activate(id);
    return id;
  }
  TaskSlot NewTask(const char* resources) {
    Task t;
    t.resources = t.allocated = Res(resources);
    t.state = TaskState::kStaging;
    return tasks_.Add(t);
  }
  std::vector<AgentId> Collect(bool full = false) {
    std::vector<AgentId> out;
    cell_.CollectCandidates(sim_.Now(), full, out);
    return out;
  }

  sim::Simulator sim_{1};
  TaskTable tasks_;
  CellState cell_;
};

TEST_F(CellStateTest, AttachAndDetachAreMirrors) {
  const AgentId a = AddActive("cpus:4;mem:8192");
  EXPECT_EQ(cell_.total(), Res("cpus:4;mem:8192"));
  const TaskSlot t1 = NewTask("cpus:1;mem:1024");
  const TaskSlot t2 = NewTask("cpus:2;mem:2048");
  cell_.AttachTask(t1, a);
  cell_.AttachTask(t2, a);
  EXPECT_EQ(cell_.available(a), Res("cpus:1;mem:5120"));
  EXPECT_EQ(cell_.allocated(a), Res("cpus:3;mem:3072"));
  EXPECT_EQ(cell_.tasks(a).size(), 2u);
  EXPECT_EQ(tasks_[t2].agent, a);
  cell_.DetachTask(t1);  // the last task moves into the freed place
  ASSERT_EQ(cell_.tasks(a).size(), 1u);
  EXPECT_EQ(cell_.tasks(a)[0], t2);
  EXPECT_EQ(tasks_[t2].agent_pos, 0u);
  cell_.DetachTask(t2);
  EXPECT_EQ(cell_.available(a), Res("cpus:4;mem:8192"));
  EXPECT_TRUE(cell_.allocated(a).IsZero());
  cell_.CheckInvariants();
}

TEST_F(CellStateTest, AllocationBeyondCapacityIsOvercommitPaidBackFirst) {
  const AgentId a = AddActive("cpus:4;mem:4096");
  cell_.Hold(a, Res("cpus:1;mem:1024"));
  const TaskSlot big = NewTask("cpus:4;mem:4096");
  cell_.AttachTask(big, a);  // 3 cpus, 3072 MiB free: the rest is overcommit
  EXPECT_TRUE(cell_.available(a).IsZero());
  EXPECT_EQ(cell_.overcommitted(a), Res("cpus:1;mem:1024"));
  cell_.CheckInvariants();
  cell_.Release(a, Res("cpus:1;mem:1024"));  // pays the overcommit back: nothing available
  EXPECT_TRUE(cell_.overcommitted(a).IsZero());
  EXPECT_TRUE(cell_.available(a).IsZero());
  cell_.DetachTask(big);
  EXPECT_EQ(cell_.available(a), Res("cpus:4;mem:4096"));
  cell_.CheckInvariants();
}

TEST_F(CellStateTest, ResizeBelowAllocationOvercommitsAndDeactivateEmptiesTheAgent) {
  const AgentId a = AddActive("cpus:4;mem:4096");
  const TaskSlot t = NewTask("cpus:3;mem:1024");
  cell_.AttachTask(t, a);
  cell_.Resize(a, Res("cpus:2;mem:4096"));
  EXPECT_EQ(cell_.available(a), Res("mem:3072"));
  EXPECT_EQ(cell_.overcommitted(a), Res("cpus:1"));
  EXPECT_EQ(cell_.total(), Res("cpus:2;mem:4096"));
  cell_.CheckInvariants();
  cell_.DetachTask(t);
  cell_.Deactivate(a);
  EXPECT_FALSE(cell_.active(a));
  EXPECT_TRUE(cell_.available(a).IsZero());
  EXPECT_TRUE(cell_.total().IsZero());
  cell_.CheckInvariants();
}

TEST_F(CellStateTest, IdleHoldsUntilItsTimeItsResourcesChangeOrMarksAreForgotten) {
  const AgentId a = AddActive("cpus:4;mem:4096");
  const sim::Time until = sim::Time::Seconds(10);
  cell_.MarkIdle(a, until);
  EXPECT_TRUE(cell_.IsIdle(a, sim::Time::Seconds(9)));
  EXPECT_FALSE(cell_.IsIdle(a, until));  // lapsed
  const TaskSlot t = NewTask("cpus:1;mem:1");
  cell_.AttachTask(t, a);
  EXPECT_FALSE(cell_.IsIdle(a, sim::Time::Zero()));  // other resources than it was marked with
  cell_.DetachTask(t);
  EXPECT_TRUE(cell_.IsIdle(a, sim::Time::Zero()));  // the same again
  cell_.ForgetIdleMarks();
  EXPECT_FALSE(cell_.IsIdle(a, sim::Time::Zero()));
  cell_.MarkIdle(a, sim::Time::Max());
  cell_.ClearIdle(a);
  EXPECT_FALSE(cell_.IsIdle(a, sim::Time::Zero()));
}

// What an agent's reservations leave free depends on which roles' tasks run there, so a task
// that comes or goes ends its idle mark even when the available resources come out the same.
TEST_F(CellStateTest, AReservedAgentsIdleMarkLapsesWhenATaskComesOrGoes) {
  const AgentId a = AddActive("cpus:4;mem:4096", {{"prod", Res("cpus:2;mem:2048")}});
  ASSERT_TRUE(cell_.reserved(a));
  cell_.MarkIdle(a, sim::Time::Max());
  EXPECT_TRUE(cell_.IsIdle(a, sim::Time::Zero()));  // reserved agents settle idle too
  const TaskSlot t = NewTask("cpus:1;mem:1");
  cell_.AttachTask(t, a);
  cell_.DetachTask(t);
  EXPECT_EQ(cell_.available(a), Res("cpus:4;mem:4096"));
  EXPECT_FALSE(cell_.IsIdle(a, sim::Time::Zero()));
  cell_.MarkIdle(a, sim::Time::Max());
  const TaskSlot u = NewTask("cpus:1;mem:1");
  cell_.AttachTask(u, a);
  EXPECT_FALSE(cell_.IsIdle(a, sim::Time::Zero()));
}

TEST_F(CellStateTest, CandidatesAreTheChangedAgentsAndThoseWhoseIdleMarkLapsed) {
  cell_.set_cycle_checks(true);
  const AgentId a = AddActive("cpus:4;mem:4096");
  const AgentId b = AddActive("cpus:4;mem:4096");
  const AgentId c = AddActive("cpus:0.001;mem:1");     // never allocatable
  EXPECT_EQ(Collect(), (std::vector<AgentId>{a, b}));  // the first look is a full scan
  cell_.MarkIdle(a, sim::Time::Seconds(5));
  cell_.MarkIdle(b, sim::Time::Max());
  EXPECT_TRUE(Collect().empty());
  cell_.AttachTask(NewTask("cpus:1;mem:1"), b);
  EXPECT_EQ(Collect(), (std::vector<AgentId>{b}));
  cell_.MarkIdle(b, sim::Time::Max());
  sim_.RunUntil(sim::Time::Seconds(5));
  EXPECT_EQ(Collect(), (std::vector<AgentId>{a}));  // a's mark lapsed
  cell_.MarkIdle(a, sim::Time::Max());
  EXPECT_EQ(Collect(/*full=*/true), (std::vector<AgentId>{a, b}));
  cell_.ForgetIdleMarks();
  EXPECT_EQ(Collect(), (std::vector<AgentId>{a, b}));
  (void)c;
}

TEST(CellStateDeathTest, AnAllocatableAgentLeftOutButNotIdleAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        sim::Simulator sim(1);
        TaskTable tasks;
        CellState cell(sim, tasks, {Res("cpus:0.01")});
        plugins::AgentInfo info;
        info.name = "lonely";
        info.capacity = Res("cpus:4;mem:4096");
        const AgentId a = cell.AddAgent(info);
        cell.Activate(a);
        cell.set_cycle_checks(true);
        std::vector<AgentId> out;
        cell.CollectCandidates(sim.Now(), false, out);
        cell.Hold(a, Res("cpus:1"));  // changed, neither dirty nor idle
        cell.CollectCandidates(sim.Now(), false, out);
      },
      "lonely left out of a cycle but not idle");
}

}  // namespace
}  // namespace clustersim::models
