// Maintenance and draining on hand-computed timelines (issue 15 item 4): the machine modes
// UP -> DRAINING -> DOWN -> UP, inverse offers and their 5 s filter, DRAIN_AGENT's kill grace
// periods and the DRAINED moment. docs/mesos-agent-lifecycle-facts.md §3 has the Mesos facts.
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using plugins::AgentId;
using plugins::FrameworkId;
using test::MasterHarness;
using test::ScenarioBuilder;
using test::Sec;

MasterHarness::Ended EndOf(const MasterHarness& h, TaskSlot task) {
  for (const auto& e : h.ended) {
    if (e.task == task) return e;
  }
  ADD_FAILURE() << "task never ended";
  return {};
}

// Scheduling at t = 10 rescinds the agent's outstanding offer and offers it again at once,
// carrying the window (M:8046-8109, H:1491); the framework holding it gets an inverse offer in
// that same cycle although the window is 90 s away (no time condition: H:2560-2620 never reads
// the clock; T:1106-1114 sees one for a window 60 s away).
TEST(Maintenance, ScheduleRescindsAndReoffersWithTheUnavailability) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const AgentId agent = h.AddAgent("agent1", "cpus:4;mem:4096");
  const FrameworkId fw = h.AddFramework("fw", "*");
  h.RunUntil(Sec(10));
  ASSERT_EQ(h.received.size(), 1u);  // held since t = 0, never answered
  EXPECT_FALSE(h.master().offer(h.received[0].slot).unavailability.scheduled());
  EXPECT_EQ(h.master().machine_mode(agent), MachineMode::kUp);

  const Unavailability window{Sec(100), Sec(50)};
  h.master().ScheduleMaintenance(agent, window);
  h.Settle();
  EXPECT_EQ(h.master().machine_mode(agent), MachineMode::kDraining);
  ASSERT_EQ(h.rescinded.size(), 1u);
  EXPECT_EQ(h.rescinded[0].at, Sec(10));
  ASSERT_EQ(h.received.size(), 2u);
  EXPECT_EQ(h.received[1].at, Sec(10));
  EXPECT_EQ(h.master().offer(h.received[1].slot).unavailability, window);
  ASSERT_EQ(h.inverse_offers.size(), 1u);
  EXPECT_EQ(h.inverse_offers[0].at, Sec(10));
  EXPECT_EQ(h.inverse_offers[0].framework, fw);
  EXPECT_EQ(h.inverse_offers[0].unavailability, window);
}

// One agent where a suppressed framework runs a task (resources allocated there, no offer out):
// the holder every inverse-offer test below asks.
struct HolderOnOneAgent {
  explicit HolderOnOneAgent(sim::Time allocation_interval)
      : h(ScenarioBuilder().AllocationInterval(allocation_interval).Build()),
        agent(h.AddAgent("agent1", "cpus:4;mem:4096")),
        fw(h.AddFramework("fw", "*")) {
    h.Suppress(fw);
    h.Use(fw, agent, "cpus:1;mem:128");  // a running task: allocated resources there
  }
  // A window from 1 h on, every inverse offer answered at once with the default 5 s filter.
  void WindowAnsweredAlways(bool accept) {
    h.master().ScheduleMaintenance(agent, Unavailability{Sec(3600), sim::Time::Max()});
    h.on_inverse_offer = [this, accept](const MasterHarness::InverseReceived& io) {
      h.master().AnswerInverseOffer(io.framework, io.agent, accept);
    };
  }
  MasterHarness h;
  AgentId agent;
  FrameworkId fw;
};

// A framework that declines with the default filter (5 s, H:1543-1590) is asked again in the
// first cycle after it lapses, for as long as it holds resources there: t = 0, 5, 10. Accepting
// changes nothing in the master (MD:344-349): same rhythm.
TEST(Maintenance, InverseOffersComeBackAfterTheFiveSecondFilter) {
  for (const bool accept : {false, true}) {
    HolderOnOneAgent holder(Sec(1));
    MasterHarness& h = holder.h;
    const FrameworkId fw = holder.fw;
    holder.WindowAnsweredAlways(accept);
    h.RunUntil(Sec(12));
    ASSERT_EQ(h.inverse_offers.size(), 3u) << accept;
    EXPECT_EQ(h.inverse_offers[0].at, Sec(0));
    EXPECT_EQ(h.inverse_offers[1].at, Sec(5));
    EXPECT_EQ(h.inverse_offers[2].at, Sec(10));
    const InverseOfferCounts& counts = h.master().inverse_offer_counts(fw);
    EXPECT_EQ(counts.received, 3u);
    EXPECT_EQ(counts.accepted, accept ? 3u : 0u);
    EXPECT_EQ(counts.declined, accept ? 0u : 3u);
    EXPECT_TRUE(h.ended.empty());  // the task keeps running
  }
}

// REVIVE clears every inverse-offer filter of the framework (H:1802) and its cycle over all agents
// asks again at once; so does a reactivation after a deactivation, which clears them too
// (H:899-900). The filters would otherwise hold until 5 s.
TEST(Maintenance, ReviveAndDeactivationClearTheInverseOfferFilters) {
  for (const bool revive : {true, false}) {
    HolderOnOneAgent holder(Sec(1));
    MasterHarness& h = holder.h;
    const FrameworkId fw = holder.fw;
    holder.WindowAnsweredAlways(/*accept=*/false);
    h.RunUntil(Sec(2));
    ASSERT_EQ(h.inverse_offers.size(), 1u) << revive;  // at 0 s; filtered until 5 s
    h.sim().Schedule(Sec(2.5), [&] {
      if (revive) {
        h.Revive(fw);
        h.Suppress(fw);  // back to suppressed: only the inverse offers matter here
      } else {
        h.DeactivateFramework(fw);
        h.ActivateFramework(fw);
      }
    });
    h.RunUntil(Sec(4));
    ASSERT_EQ(h.inverse_offers.size(), 2u) << revive;
    EXPECT_EQ(h.inverse_offers[1].at, Sec(2.5)) << revive;
  }
}

// New attributes on the agent drop its inverse-offer filters with its offer filters (Mesos's
// removeFilters, H:1134-1137, 1217-1233), and the cycle that follows asks again at once; the
// filter would otherwise hold until 5 s.
TEST(Maintenance, AnAttributeChangeClearsTheInverseOfferFilters) {
  HolderOnOneAgent holder(Sec(1));
  MasterHarness& h = holder.h;
  holder.WindowAnsweredAlways(/*accept=*/false);
  h.RunUntil(Sec(2));
  ASSERT_EQ(h.inverse_offers.size(), 1u);  // at 0 s; filtered until 5 s
  h.sim().Schedule(Sec(2.5), [&] { h.UpdateAgentAttributes(holder.agent, {{"rack", "r2"}}); });
  h.RunUntil(Sec(4));
  ASSERT_EQ(h.inverse_offers.size(), 2u);
  EXPECT_EQ(h.inverse_offers[1].at, Sec(2.5));
}

// An answer with refuse 0 installs no filter: the next cycle (1 s later) asks again; a new
// schedule erases a live filter (H:1478-1480) and asks at once.
TEST(Maintenance, ZeroRefuseAndRescheduleClearTheFilter) {
  HolderOnOneAgent holder(Sec(1));
  MasterHarness& h = holder.h;
  const AgentId agent = holder.agent;
  const FrameworkId fw = holder.fw;
  h.master().ScheduleMaintenance(agent, Unavailability{Sec(3600), sim::Time::Max()});
  h.Settle();
  ASSERT_EQ(h.inverse_offers.size(), 1u);
  h.master().AnswerInverseOffer(fw, agent, false, sim::Time::Zero());
  h.RunUntil(Sec(1));
  ASSERT_EQ(h.inverse_offers.size(), 2u);
  EXPECT_EQ(h.inverse_offers[1].at, Sec(1));
  h.master().AnswerInverseOffer(fw, agent, false, Sec(100));
  h.RunUntil(Sec(2.5));
  EXPECT_EQ(h.inverse_offers.size(), 2u);  // filtered until t = 101
  h.master().ScheduleMaintenance(agent, Unavailability{Sec(1800), sim::Time::Max()});
  h.Settle();
  ASSERT_EQ(h.inverse_offers.size(), 3u);
  EXPECT_EQ(h.inverse_offers[2].at, Sec(2.5));
  EXPECT_EQ(h.inverse_offers[2].unavailability.start, Sec(1800));
}

// An inverse offer's filter lasts exactly its refuse time (H:1543-1590), with no
// allocation-interval minimum as a decline's has (H:1740): refused for 2 s under a 10 s interval,
// the agent is asked again by a cycle at 5 s that another framework's registration triggers
// (H:792; a revive would clear the filter, H:1802).
TEST(Maintenance, InverseOfferFilterIsNotRoundedUpToTheInterval) {
  HolderOnOneAgent holder(Sec(10));
  MasterHarness& h = holder.h;
  const AgentId agent = holder.agent;
  const FrameworkId fw = holder.fw;
  h.master().ScheduleMaintenance(agent, Unavailability{Sec(3600), sim::Time::Max()});
  h.Settle();
  ASSERT_EQ(h.inverse_offers.size(), 1u);
  h.master().AnswerInverseOffer(fw, agent, false, Sec(2));
  const auto to_fw = [&] {
    std::vector<sim::Time> at;
    for (const auto& io : h.inverse_offers) {
      if (io.framework == fw) at.push_back(io.at);
    }
    return at;
  };
  h.RunUntil(Sec(1));
  h.Suppress(h.AddFramework("g1", "*"));  // registered (a cycle), then suppressed
  h.Settle();
  EXPECT_EQ(to_fw().size(), 1u);  // filtered until t = 2
  h.RunUntil(Sec(5));
  h.Suppress(h.AddFramework("g2", "*"));
  h.Settle();
  EXPECT_EQ(to_fw(), (std::vector<sim::Time>{Sec(0), Sec(5)}));
}

// A fault outlives a maintenance window: /machine/up only lets the agent register
// (MHTTP:3484-3560), so a host crashed at 10 and a host cut off at 20, both still down at the
// window's UP (90), stay unregistered until their faults end (120 and 150). A host that crashes
// while DOWN (at 40) and is back before UP (60) registers at UP.
TEST(Maintenance, AFaultOutlivesTheWindowAndTheAgentRegistersWhenItEnds) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const AgentId crashed = h.AddAgent("crashed", "cpus:4;mem:4096");
  const AgentId cut_off = h.AddAgent("cut-off", "cpus:4;mem:4096");
  const AgentId back = h.AddAgent("back", "cpus:4;mem:4096");
  h.AddFramework("fw", "*");
  Master& m = h.master();
  for (AgentId a : {crashed, cut_off, back}) {
    m.ScheduleMaintenance(a, Unavailability{Sec(30), Sec(60)});
    h.sim().Schedule(Sec(30), [&m, a] { m.MachineDown(a); });
    h.sim().Schedule(Sec(90), [&m, a] { m.MachineUp(a); });
  }
  h.sim().Schedule(Sec(10), [&] { m.CrashAgent(crashed); });
  h.sim().Schedule(Sec(20), [&] { m.PartitionAgent(cut_off); });
  h.sim().Schedule(Sec(40), [&] { m.CrashAgent(back); });
  h.sim().Schedule(Sec(60), [&] { m.RestartAgent(back); });
  h.sim().Schedule(Sec(120), [&] { m.RestartAgent(crashed); });
  h.sim().Schedule(Sec(150), [&] { m.HealPartition(cut_off); });
  h.RunUntil(Sec(89));
  for (AgentId a : {crashed, cut_off, back}) EXPECT_FALSE(m.agent_active(a));
  h.RunUntil(Sec(90));
  EXPECT_FALSE(m.agent_active(crashed));
  EXPECT_FALSE(m.agent_active(cut_off));
  EXPECT_TRUE(m.agent_active(back));
  h.RunUntil(Sec(120));
  EXPECT_TRUE(m.agent_active(crashed));
  EXPECT_EQ(m.agent_health(crashed), Master::AgentHealth::kHealthy);
  EXPECT_FALSE(m.agent_active(cut_off));
  h.RunUntil(Sec(150));
  EXPECT_TRUE(m.agent_active(cut_off));
  m.CheckInvariants();
}

// Only the repair of the fault in progress brings a host back: a crash's repair (at 20) on a host
// cut off since 10 changes nothing, so at the window's UP (90) it is still cut off; the heal at
// 120 registers it.
TEST(Maintenance, ARepairOfAnotherFaultDoesNotBringBackAHostCutOff) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const AgentId agent = h.AddAgent("agent1", "cpus:4;mem:4096");
  h.AddFramework("fw", "*");
  Master& m = h.master();
  m.ScheduleMaintenance(agent, Unavailability{Sec(30), Sec(60)});
  h.sim().Schedule(Sec(10), [&] { m.PartitionAgent(agent); });
  h.sim().Schedule(Sec(20), [&] { m.RestartAgent(agent); });
  h.sim().Schedule(Sec(30), [&] { m.MachineDown(agent); });
  h.sim().Schedule(Sec(90), [&] { m.MachineUp(agent); });
  h.sim().Schedule(Sec(120), [&] { m.HealPartition(agent); });
  h.RunUntil(Sec(119));
  EXPECT_FALSE(m.agent_active(agent));
  h.RunUntil(Sec(120));
  EXPECT_TRUE(m.agent_active(agent));
}

// Window [30 s, 90 s): at 30 the operator's DOWN makes every task LOST slave_removed, the
// partition-aware framework's too (M:10837-10865), and removes the agent; it may not register
// (a trace's AgentUp at 40 is refused) until UP at 90, a fresh registration offered at once and
// carrying no window.
TEST(Maintenance, DownLosesEveryTaskAndUpRegistersAfresh) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const AgentId agent = h.AddAgent("agent1", "cpus:4;mem:4096");
  const FrameworkId aware = h.master().AddFramework(FrameworkRegistration{
      .name = "aware", .roles = {"aware"}, .partition_aware = true, .checkpoint = true});
  const FrameworkId plain = h.AddFramework("plain", "plain");
  h.Suppress(aware);
  h.Suppress(plain);
  const TaskSlot t1 = h.NewTask(aware, "cpus:1;mem:128", 1e6, true);
  h.master().LaunchRecorded(t1, agent);
  const TaskSlot t2 = h.NewTask(plain, "cpus:1;mem:128", 1e6, true);
  h.master().LaunchRecorded(t2, agent);
  h.master().ScheduleMaintenance(agent, Unavailability{Sec(30), Sec(60)});
  h.sim().Schedule(Sec(30), [&] { h.master().MachineDown(agent); });
  h.sim().Schedule(Sec(40), [&] { h.master().AgentUp(agent); });
  h.sim().Schedule(Sec(90), [&] { h.master().MachineUp(agent); });
  h.RunUntil(Sec(29));
  EXPECT_TRUE(h.master().agent_active(agent));
  h.RunUntil(Sec(30));
  for (TaskSlot t : {t1, t2}) {
    const MasterHarness::Ended e = EndOf(h, t);
    EXPECT_EQ(e.at, Sec(30));
    EXPECT_EQ(e.state, TaskState::kLost);
    EXPECT_EQ(h.tasks()[t].reason, TaskReason::kSlaveRemoved);
  }
  EXPECT_FALSE(h.master().agent_active(agent));
  EXPECT_EQ(h.master().machine_mode(agent), MachineMode::kDown);
  h.RunUntil(Sec(89));
  EXPECT_FALSE(h.master().agent_active(agent));  // the AgentUp at 40 was refused
  h.Revive(plain);
  h.RunUntil(Sec(90));
  EXPECT_TRUE(h.master().agent_active(agent));
  EXPECT_EQ(h.master().machine_mode(agent), MachineMode::kUp);
  EXPECT_EQ(h.master().agent_admitted(agent), Sec(90));
  ASSERT_FALSE(h.received.empty());
  const MasterHarness::Received& last = h.received.back();
  EXPECT_EQ(last.at, Sec(90));
  EXPECT_EQ(last.resources, test::Res("cpus:4;mem:4096"));  // nothing left of the old agent
  EXPECT_FALSE(h.master().offer(last.slot).unavailability.scheduled());
  h.master().CheckInvariants();
}

// DRAIN_AGENT at t = 10: the agent is deactivated (its offer rescinded), a command task (no
// image: 3 s grace, CE:821-825) ends KILLED slave_draining at 13, the agent DRAINED at 13;
// REACTIVATE_AGENT is refused before, accepted after, and the agent is offered again.
TEST(Maintenance, DrainKillsWithTheGracePeriodAndDrains) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const AgentId agent = h.AddAgent("agent1", "cpus:4;mem:4096");
  const FrameworkId fw = h.AddFramework("fw", "*");
  const TaskSlot t = h.NewTask(fw, "cpus:1;mem:128", 1e6, true);
  h.master().LaunchRecorded(t, agent);
  h.RunUntil(Sec(10));
  ASSERT_FALSE(h.received.empty());
  const size_t offers_before = h.received.size();
  h.master().DrainAgent(agent, std::nullopt, /*mark_gone=*/false);
  EXPECT_EQ(h.master().drain_state(agent), DrainState::kDraining);
  EXPECT_TRUE(h.master().agent_deactivated(agent, Master::Deactivation::kDraining));
  ASSERT_EQ(h.rescinded.size(), 1u);
  EXPECT_EQ(h.rescinded[0].at, Sec(10));
  h.RunUntil(Sec(12.999));
  EXPECT_TRUE(h.ended.empty());
  EXPECT_FALSE(h.master().ReactivateDrainedAgent(agent));  // MHTTP:3953-4004
  h.RunUntil(Sec(13));
  const MasterHarness::Ended e = EndOf(h, t);
  EXPECT_EQ(e.at, Sec(13));
  EXPECT_EQ(e.state, TaskState::kKilled);
  EXPECT_EQ(h.tasks()[t].reason, TaskReason::kSlaveDraining);
  EXPECT_EQ(h.master().drain_state(agent), DrainState::kDrained);
  EXPECT_EQ(h.received.size(), offers_before);  // still deactivated: no offer
  h.RunUntil(Sec(20));
  EXPECT_EQ(h.received.size(), offers_before);
  EXPECT_TRUE(h.master().ReactivateDrainedAgent(agent));
  // REACTIVATE_AGENT is the allocator's activateSlave, which triggers no cycle (H:1236-1245):
  // the agent is offered at the next periodic one.
  h.Settle();
  EXPECT_EQ(h.received.size(), offers_before);
  h.RunUntil(Sec(21));
  ASSERT_EQ(h.received.size(), offers_before + 1);
  EXPECT_EQ(h.received.back().at, Sec(21));
  EXPECT_EQ(h.master().drain_state(agent), DrainState::kNone);
}

// The grace period bounds how long a killed task takes; a framework whose tasks exit at SIGTERM
// sooner (sigterm_exit) sees them end then: 1 s of a 3 s grace, KILLED and DRAINED at 11; one
// whose tasks would take 10 s is cut at the grace, 13.
TEST(Maintenance, ATaskQuickToExitEndsBeforeItsGracePeriod) {
  for (const double exit : {1.0, 10.0}) {
    MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
    const AgentId agent = h.AddAgent("agent1", "cpus:4;mem:4096");
    const FrameworkId fw = h.master().AddFramework(
        models::FrameworkRegistration{.name = "fw", .roles = {"*"}, .sigterm_exit = Sec(exit)});
    const TaskSlot t = h.NewTask(fw, "cpus:1;mem:128", 1e6, true);  // no image: 3 s grace
    h.master().LaunchRecorded(t, agent);
    h.RunUntil(Sec(10));
    h.master().DrainAgent(agent, std::nullopt, /*mark_gone=*/false);
    h.RunUntil(Sec(20));
    const MasterHarness::Ended e = EndOf(h, t);
    EXPECT_EQ(e.at, Sec(10 + std::min(exit, 3.0))) << exit;
    EXPECT_EQ(e.state, TaskState::kKilled);
    EXPECT_EQ(h.master().drain_state(agent), DrainState::kDrained);
  }
}

// max_grace_period replaces the default grace (0.5 s, not 3 s): KILLED and DRAINED at 10.5. With
// mark_gone the drained agent is removed and never registers again.
TEST(Maintenance, DrainMaxGracePeriodAndMarkGone) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const AgentId agent = h.AddAgent("agent1", "cpus:4;mem:4096");
  const FrameworkId fw = h.AddFramework("fw", "*");
  h.Suppress(fw);
  const TaskSlot t = h.NewTask(fw, "cpus:1;mem:128", 1e6, true);
  h.master().LaunchRecorded(t, agent);
  h.RunUntil(Sec(10));
  h.master().DrainAgent(agent, Sec(0.5), /*mark_gone=*/true);
  h.master().DrainAgent(agent, Sec(60), /*mark_gone=*/false);  // cannot be changed (MD:55-56)
  h.RunUntil(Sec(10.5));
  EXPECT_EQ(EndOf(h, t).at, Sec(10.5));
  EXPECT_EQ(h.master().drain_state(agent), DrainState::kDrained);
  EXPECT_FALSE(h.master().agent_active(agent));  // gone
  h.master().AgentUp(agent);
  EXPECT_FALSE(h.master().agent_active(agent));
}

// A removed agent (a trace's REMOVE: removeSlave) loses its drain and deactivation with it
// (M:10932-10937); its machine's next registration is a new agent, offered as any. A drain of
// the removed agent is "Unknown agent" (MHTTP:3746-3751). Found by a review: the drain stayed
// DRAINING across the removal, and the agent registered again was never offered.
TEST(Maintenance, ARemovedAgentForgetsItsDrain) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const AgentId agent = h.AddAgent("agent1", "cpus:4;mem:4096");
  const FrameworkId fw = h.AddFramework("fw", "*");
  const TaskSlot t = h.NewTask(fw, "cpus:1;mem:128", 1e6, true);
  h.master().LaunchRecorded(t, agent);
  h.RunUntil(Sec(10));
  h.master().DrainAgent(agent, Sec(60), /*mark_gone=*/false);
  EXPECT_EQ(h.master().drain_state(agent), DrainState::kDraining);
  h.master().AgentDown(agent, TaskReason::kAgentRemoved);
  EXPECT_EQ(h.master().drain_state(agent), DrainState::kNone);
  h.master().DrainAgent(agent, Sec(60), /*mark_gone=*/false);  // unknown: refused
  EXPECT_EQ(h.master().drain_state(agent), DrainState::kNone);
  const size_t offers_before = h.received.size();
  h.RunUntil(Sec(20));
  h.master().AgentUp(agent);
  EXPECT_FALSE(h.master().agent_deactivated(agent));
  h.RunUntil(Sec(22));
  EXPECT_GT(h.received.size(), offers_before);
  EXPECT_EQ(h.received.back().agent, agent);
}

// A max_grace_period longer than the executor's default is the grace, not a cap: Mesos's agent
// gives a task without a KillPolicy exactly max_grace_period (S:1141-1159) and the command
// executor takes it over its 3 s default (CE:821-828). Killed at 10 + 30 s, not at 10 + 3 s.
TEST(Maintenance, DrainMaxGracePeriodLongerThanTheDefaultIsUsedWhole) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(1)).Build());
  const AgentId agent = h.AddAgent("agent1", "cpus:4;mem:4096");
  const FrameworkId fw = h.AddFramework("fw", "*");
  h.Suppress(fw);
  const TaskSlot t = h.NewTask(fw, "cpus:1;mem:128", 1e6, true);
  h.master().LaunchRecorded(t, agent);
  h.RunUntil(Sec(10));
  h.master().DrainAgent(agent, Sec(30), /*mark_gone=*/false);
  h.RunUntil(Sec(39));
  EXPECT_TRUE(h.ended.empty());
  EXPECT_EQ(h.master().drain_state(agent), DrainState::kDraining);
  h.RunUntil(Sec(40));
  EXPECT_EQ(EndOf(h, t).at, Sec(40));
  EXPECT_EQ(EndOf(h, t).state, TaskState::kKilled);
  EXPECT_EQ(h.master().drain_state(agent), DrainState::kDrained);
}

// Default kill grace periods without a KillPolicy: 5 s for a task with an image (Docker
// executor, DE:420-427, SC:49), 3 s for one without (command executor, CE:821-825).
TEST(Maintenance, DefaultKillGracePeriods) {
  Task docker;
  docker.has_image = true;
  Task command;
  EXPECT_EQ(Master::DefaultKillGrace(docker), Sec(5));
  EXPECT_EQ(Master::DefaultKillGrace(command), Sec(3));
}

// A deactivated agent gets no inverse offers: the allocator still makes them and marks them
// outstanding (generateInverseOffers walks every candidate, H:2559-2616; only offers skip
// deactivated agents, H:1980-1988), and the master drops them (M:9622-9630). The mark stays, so
// none come after a reactivation either, until the agent's unavailability changes (H:1482-1487)
// and the cycle over it that the change triggers (H:1490) sends one.
TEST(Maintenance, DeactivatedAgentGetsNoInverseOffers) {
  HolderOnOneAgent holder(Sec(1));
  MasterHarness& h = holder.h;
  const AgentId agent = holder.agent;
  const FrameworkId fw = holder.fw;
  h.master().DeactivateAgent(agent, Master::Deactivation::kOperator);
  h.master().ScheduleMaintenance(agent, Unavailability{Sec(3600), sim::Time::Max()});
  h.RunUntil(Sec(5));
  EXPECT_TRUE(h.inverse_offers.empty());
  h.master().ReactivateAgent(agent, Master::Deactivation::kOperator);
  h.RunUntil(Sec(20));
  EXPECT_TRUE(h.inverse_offers.empty());
  h.master().ScheduleMaintenance(agent, Unavailability{Sec(7200), sim::Time::Max()});
  h.Settle();
  ASSERT_EQ(h.inverse_offers.size(), 1u);
  EXPECT_EQ(h.inverse_offers[0].at, Sec(20));
  EXPECT_EQ(h.inverse_offers[0].framework, fw);
}

// A whole cluster with the invariant sweep after every event: 3 agents of 4 cpus, a declining
// and an accepting framework with 4 one-cpu services each. agent-0's window is [60, 120) with a
// drain 10 s before; agent-1's [200, 260). The accepting framework moves its tasks off 30 s ahead
// (KILLED moved_for_maintenance after the 3 s grace of a task without image) and never places on
// an agent whose window starts within 30 s; the declining one keeps its tasks until the drain
// (KILLED slave_draining at 50 + 3) or the DOWN (LOST slave_removed at 200). Every killed or lost
// task is relaunched; no attempt overlaps its agent's window.
TEST(Maintenance, ClusterRunKeepsWindowsEmptyWithInvariantSweeps) {
  ScenarioBuilder b;
  b.AllocationInterval(Sec(1));
  b.LinuxAgents("agent", 3, "cpus:4;mem:8192");
  for (const bool accept : {false, true}) {
    FrameworkSpec& f = b.Framework(accept ? "move" : "keep");
    f.maintenance_accept = accept;
    f.maintenance_ahead = Sec(30);
    f.workload.initial_jobs = 4;
    f.workload.service = true;
  }
  MaintenanceWindowSpec w0;
  w0.machines = {"agent-0"};
  w0.start = Sec(60);
  w0.duration = Sec(60);
  w0.drain = true;
  w0.drain_before = Sec(10);
  MaintenanceWindowSpec w1;
  w1.machines = {"agent-1"};
  w1.start = Sec(200);
  w1.duration = Sec(60);
  b.spec().maintenance = {w0, w1};
  test::ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.RunUntil(Sec(400));
  EXPECT_GT(h.invariant_sweeps(), 100u);
  const std::pair<sim::Time, sim::Time> windows[] = {{Sec(60), Sec(120)}, {Sec(200), Sec(260)}};
  // Attempts from the signal log: a launch opens one on its agent, the next end closes it.
  std::map<uint64_t, std::pair<uint32_t, sim::Time>> open;
  int checked = 0;
  for (const auto& e : h.log().tasks) {
    if (e.kind == test::TaskEvent::kLaunched) open[e.task] = {e.agent, e.at};
    if (e.kind != test::TaskEvent::kEnded) continue;
    auto it = open.find(e.task);
    if (it == open.end()) continue;
    ++checked;
    if (it->second.first < 2) {
      const auto& [start, end] = windows[it->second.first];
      EXPECT_FALSE(it->second.second < end && e.at > start)
          << "task " << e.task << " on agent " << it->second.first;
    }
    open.erase(it);
  }
  for (const auto& [task, placed] : open) {
    if (placed.first < 2) {
      EXPECT_GE(placed.second, windows[placed.first].second) << task;
    }
  }
  EXPECT_GT(checked, 0);
  // Some tasks were moved or drained (KILLED), all relaunched (not final).
  EXPECT_GT(h.log().Ended(TaskState::kKilled, /*final=*/false), 0u);
  EXPECT_EQ(h.log().Ended(TaskState::kKilled, /*final=*/true), 0u);
  // The declining framework's kills are the drain's: at 50 plus the 3 s grace. The accepting
  // framework's are all moves: 30 s ahead of a window, plus the 3 s grace.
  for (const auto& e : h.log().tasks) {
    if (e.kind == test::TaskEvent::kEnded && e.framework == 0 && e.state == TaskState::kKilled) {
      EXPECT_EQ(e.at, Sec(53));
    }
    if (e.kind == test::TaskEvent::kEnded && e.framework == 1 && e.state == TaskState::kKilled) {
      EXPECT_TRUE(e.at == Sec(33) || e.at == Sec(173)) << e.at.seconds();
    }
    if (e.kind == test::TaskEvent::kEnded && e.framework == 1) {
      EXPECT_NE(e.state, TaskState::kLost) << "moved tasks are gone before DOWN";
    }
  }
  EXPECT_EQ(h.master().machine_mode(AgentId(0)), MachineMode::kUp);
  EXPECT_EQ(h.master().drain_state(AgentId(0)), DrainState::kNone);  // UP: a fresh agent
  EXPECT_GT(h.master().inverse_offer_counts(FrameworkId(0)).declined, 0u);
  EXPECT_GT(h.master().inverse_offer_counts(FrameworkId(1)).accepted, 0u);
  EXPECT_EQ(h.framework(0).active_tasks() + h.framework(0).pending(), 4u);
  EXPECT_EQ(h.framework(1).active_tasks() + h.framework(1).pending(), 4u);
}

// A move planned for 70 s (30 s ahead of the agent's window at 100 s) falls in a master election
// (65-75 s): the driver drops a kill while no master leads (sched.cpp:1255-1260) and the framework
// retries, so the kill takes effect at the election, reaches the agent with its reregistration
// (held kills, as a drain's) and ends the task after its 3 s grace, before the window; it runs
// again after the window (one agent: nowhere else).
TEST(Maintenance, AMoveDuringAnElectionKillsOnceTheAgentIsBack) {
  ScenarioBuilder b;
  b.AllocationInterval(Sec(1));
  b.LinuxAgents("agent", 1, "cpus:4;mem:8192");
  FrameworkSpec& f = b.Framework("move");
  f.maintenance_accept = true;
  f.maintenance_ahead = Sec(30);
  f.workload.initial_jobs = 1;
  f.workload.service = true;
  MaintenanceWindowSpec w;
  w.machines = {"agent"};  // a group of one names its agent after the group
  w.start = Sec(100);
  w.duration = Sec(60);
  b.spec().maintenance = {w};
  test::ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.sim().Schedule(Sec(65), [&] { h.master().FailOver(Sec(10), Sec(1)); });
  h.RunUntil(Sec(400));
  std::optional<sim::Time> back;
  for (const auto& [at, agent] : h.log().agents_reregistered) {
    if (agent == 0) back = at;
  }
  ASSERT_TRUE(back.has_value());
  EXPECT_GE(*back, Sec(75));
  EXPECT_LT(*back, Sec(76));
  std::vector<sim::Time> kills;
  for (const auto& e : h.log().tasks) {
    if (e.kind == test::TaskEvent::kEnded) {
      EXPECT_EQ(e.state, TaskState::kKilled);
      kills.push_back(e.at);
    }
  }
  ASSERT_EQ(kills.size(), 1u);
  EXPECT_EQ(kills[0], *back + Sec(3));
  EXPECT_EQ(h.framework(0).active_tasks() + h.framework(0).pending(), 1u);
}

}  // namespace
}  // namespace clustersim::models
