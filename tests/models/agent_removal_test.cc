// A machine removed from the cluster (a trace's REMOVE with machine_remove: removed,
// Master::AgentDown) while its agent is not registered: unreachable, or waiting to register.
// Nothing may bring the agent back but the machine's next ADD (Master::AgentUp): not the end of
// the fault it was found unreachable by, nor its try to register after a master election.
// Hand-computed timelines as in agent_health_test.cc: one agent (cpus:4) registered at 0, one
// 10,000 s task running there from about 1 s, pings every 15 s, unreachable at 135 s after a
// fault at 52 s.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "tests/support/harness.h"

namespace clustersim::test {
namespace {

using models::DrainState;
using models::Master;
using models::TaskReason;

constexpr AgentId kAgent(0);

std::unique_ptr<ClusterHarness> OneAgentOneLongTask() {
  ScenarioBuilder b;
  b.LinuxAgents("a", 1, "cpus:4;mem:8192");
  b.Framework("jobs").workload = Backlog(1, "cpus:1;mem:1024", 10'000);
  auto h = std::make_unique<ClusterHarness>(b.Build());
  h->CheckInvariantsAfterEveryEvent();
  return h;
}

// Every time the agent registered (AGENT_UP), a reregistration included.
std::vector<sim::Time> Registrations(const SignalLog& log) {
  std::vector<sim::Time> out;
  for (const auto& [at, agent] : log.agents_up) out.push_back(at);
  return out;
}

// Crashed, found unreachable at 135 s, removed at 200 s: the host's repair at 300 s brings
// nothing back (before, the agent reregistered at 300 s as itself). The machine's ADD at
// 400 s registers a new agent there, and the task, LOST at 135 s, runs again.
TEST(AgentRemovalTest, AnUnreachableCrashedAgentRemovedIsNotBackAtTheRepair) {
  auto h = OneAgentOneLongTask();
  h->sim().Schedule(Sec(52), [&] { h->master().CrashAgent(kAgent); });
  h->sim().Schedule(Sec(200), [&] { h->master().AgentDown(kAgent, TaskReason::kAgentRemoved); });
  h->sim().Schedule(Sec(300), [&] { h->master().RestartAgent(kAgent); });
  h->RunUntil(Sec(399));
  EXPECT_EQ(Registrations(h->log()), std::vector<sim::Time>{Sec(0)});
  EXPECT_FALSE(h->master().cell().active(kAgent));
  EXPECT_EQ(h->master().agent_health(kAgent), Master::AgentHealth::kHealthy);

  h->sim().Schedule(Sec(400), [&] { h->master().AgentUp(kAgent); });
  h->RunUntil(Sec(500));
  EXPECT_EQ(Registrations(h->log()), (std::vector<sim::Time>{Sec(0), Sec(400)}));
  EXPECT_TRUE(h->log().agents_reregistered.empty());  // a new agent, not the old one back
  const std::vector<TaskEvent> ends = h->log().Ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].at, Sec(135));
  std::vector<sim::Time> launched;
  for (const TaskEvent& e : h->log().tasks) {
    if (e.kind == TaskEvent::kLaunched) launched.push_back(e.at);
  }
  ASSERT_EQ(launched.size(), 2u);
  EXPECT_GE(launched[1], Sec(400));
}

// Cut off, found unreachable at 135 s with its container still running behind the partition,
// drained by the operator at 150 s (accepted for an unreachable agent, MHTTP:3746-3751), removed
// at 200 s: the heal at 300 s sends no reregistration (before, the agent came back within 1 s
// with its container recovered), and the machine's ADD at 400 s is a new agent, not draining
// (the removal forgot the drain with the agent, M:10932-10937), with nothing recovered.
TEST(AgentRemovalTest, AnUnreachablePartitionedAgentRemovedIsNotBackAtTheHeal) {
  auto h = OneAgentOneLongTask();
  h->sim().Schedule(Sec(52), [&] { h->master().PartitionAgent(kAgent); });
  h->sim().Schedule(Sec(150),
                    [&] { h->master().DrainAgent(kAgent, std::nullopt, /*mark_gone=*/false); });
  h->sim().Schedule(Sec(200), [&] { h->master().AgentDown(kAgent, TaskReason::kAgentRemoved); });
  h->sim().Schedule(Sec(300), [&] { h->master().HealPartition(kAgent); });
  h->RunUntil(Sec(399));
  EXPECT_EQ(Registrations(h->log()), std::vector<sim::Time>{Sec(0)});
  EXPECT_FALSE(h->master().cell().active(kAgent));
  EXPECT_EQ(h->master().drain_state(kAgent), DrainState::kNone);

  h->sim().Schedule(Sec(400), [&] { h->master().AgentUp(kAgent); });
  h->RunUntil(Sec(500));
  EXPECT_EQ(Registrations(h->log()), (std::vector<sim::Time>{Sec(0), Sec(400)}));
  EXPECT_TRUE(h->log().agents_reregistered.empty());
  EXPECT_EQ(h->master().tasks_recovered(), 0u);
  EXPECT_EQ(h->master().drain_state(kAgent), DrainState::kNone);
  EXPECT_TRUE(h->master().cell().schedulable(kAgent));
}

// Cut off and found unreachable at 135 s; the master fails over at 200 s (election at 210 s);
// the partition heals at 205 s, so the agent waits for the election to reregister
// (slave.cpp:1466-1469). The machine is removed at 208 s: the election registers nothing
// (before, the agent reregistered within 1 s of it).
TEST(AgentRemovalTest, AnAgentRemovedWhileWaitingForTheElectionDoesNotRegisterAtIt) {
  auto h = OneAgentOneLongTask();
  h->sim().Schedule(Sec(52), [&] { h->master().PartitionAgent(kAgent); });
  h->sim().Schedule(Sec(200), [&] { h->master().FailOver(Sec(10), Sec(1)); });
  h->sim().Schedule(Sec(205), [&] { h->master().HealPartition(kAgent); });
  h->sim().Schedule(Sec(208), [&] { h->master().AgentDown(kAgent, TaskReason::kAgentRemoved); });
  h->RunUntil(Sec(400));
  EXPECT_EQ(Registrations(h->log()), std::vector<sim::Time>{Sec(0)});
  EXPECT_TRUE(h->log().agents_reregistered.empty());
  EXPECT_FALSE(h->master().cell().active(kAgent));
  EXPECT_EQ(h->master().tasks_recovered(), 0u);
}

}  // namespace
}  // namespace clustersim::test
