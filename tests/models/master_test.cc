#include "models/master/master.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using test::Backlog;
using test::ClusterHarness;
using test::MakeTask;
using test::MasterHarness;
using test::OfferEvent;
using test::Res;
using test::ScenarioBuilder;
using test::Sec;
using test::TaskEvent;

std::vector<double> Times(const std::vector<MasterHarness::Received>& offers) {
  std::vector<double> t;
  // micros / 1e6 (not micros * 1e-6) rounds to the double nearest the decimal: 2.5 == 2.5.
  for (const auto& o : offers) t.push_back(static_cast<double>(o.at.micros()) / 1e6);
  return t;
}

// --- Acceptance item 2: the DRF paper's example --------------------------------------------------

TEST(MasterDrfTest, ReproducesTheDrfPaperExample) {
  // Ghodsi et al., NSDI'11, section 4: one agent of <9 cpus, 18 GiB>; A's tasks <1 cpu, 4 GiB>
  // (dominant: mem, 2/9 each), B's <3 cpus, 1 GiB> (dominant: cpus, 1/3 each). Endless backlogs of
  // tasks longer than the run, no images, max_tasks_per_offer 1, refuse_seconds 0.
  ScenarioBuilder b;
  b.LinuxAgents("agent", 1, "cpus:9;mem:18432");
  for (const char* name : {"A", "B"}) {
    FrameworkSpec& f = b.Framework(name);
    f.max_tasks_per_offer = 1;
    f.refuse = sim::Time::Zero();
  }
  b.spec().frameworks[0].workload = Backlog(100, "cpus:1;mem:4096", 1e6);
  b.spec().frameworks[1].workload = Backlog(100, "cpus:3;mem:1024", 1e6);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.RunUntil(Sec(60));

  // One offer of the whole available pool per cycle (t = 0 on registration, then every 1 s), to
  // the framework with the lower dominant share; at t=0 neither was offered yet, so the earlier
  // registration wins the tie:
  //   cycle  A share  B share  offer to  launches          A share after  B share after
  //   t=0    0        0        A (tie)   <1 cpu, 4 GiB>    2/9            0
  //   t=1    2/9      0        B         <3 cpus, 1 GiB>   2/9            1/3
  //   t=2    2/9      1/3      A         <1 cpu, 4 GiB>    4/9            1/3
  //   t=3    4/9      1/3      B         <3 cpus, 1 GiB>   4/9            2/3
  //   t=4    4/9      2/3      A         <1 cpu, 4 GiB>    2/3            2/3
  //   t>=5   2/3      2/3      B, A, B…  none: <0 cpus, 4 GiB> left fits neither; declined.
  //                                      The tie goes to the framework offered fewer times
  //                                      (Mesos's DRF sorter, sorter/drf/sorter.hpp:427-429):
  //                                      B (2 offers) at t=5, then A and B in turn.
  std::vector<std::pair<double, uint32_t>> accepted;
  for (const OfferEvent& e : h.log().offers) {
    if (e.kind == OfferEvent::kAccepted) accepted.emplace_back(e.at.seconds(), e.framework);
  }
  EXPECT_EQ(accepted,
            (std::vector<std::pair<double, uint32_t>>{{0, 0}, {1, 1}, {2, 0}, {3, 1}, {4, 0}}));
  EXPECT_EQ(h.framework(0).active_tasks(), 3u);
  EXPECT_EQ(h.framework(1).active_tasks(), 2u);
  EXPECT_NEAR(h.DominantShare(0), 2.0 / 3, 1e-6);
  EXPECT_NEAR(h.DominantShare(1), 2.0 / 3, 1e-6);
  // Used <3 + 6 cpus, 12 + 2 GiB>: <0 cpus, 4 GiB> left, offered every second and declined, in
  // turn (with ties by registration alone, as before issue 14, A declined all 56).
  EXPECT_EQ(h.master().agent_available(AgentId(0)), Res("cpus:0;mem:4096"));
  EXPECT_EQ(h.log().OffersTo(0, OfferEvent::kDeclined), 28u);  // t = 6, 8, ..., 60
  EXPECT_EQ(h.log().OffersTo(1, OfferEvent::kDeclined), 28u);  // t = 5, 7, ..., 59
  EXPECT_GT(h.invariant_sweeps(), 0u);
}

// --- Filters -------------------------------------------------------------------------------------

class MasterFilterTest : public ::testing::Test {
 protected:
  MasterFilterTest() : h_(ScenarioBuilder().Build()) {}
  MasterHarness h_;
};

TEST_F(MasterFilterTest, RefuseZeroInstallsNoFilter) {
  h_.AddAgent("a0", "cpus:4;mem:4096");
  const FrameworkId f = h_.AddFramework("f");
  h_.on_offer = [&](const MasterHarness::Received& o) { h_.Decline(o, sim::Time::Zero()); };
  h_.RunUntil(Sec(3.5));
  // Re-offered at every cycle: t = 0 (registration), 1, 2, 3.
  EXPECT_EQ(Times(h_.OffersTo(f)), (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(h_.log().Count(OfferEvent::kDeclined), 4u);
}

TEST_F(MasterFilterTest, RefusalFilterBlocksUntilItExpires) {
  h_.AddAgent("a0", "cpus:4;mem:4096");
  const FrameworkId f = h_.AddFramework("f");
  h_.on_offer = [&](const MasterHarness::Received& o) { h_.Decline(o, Sec(5)); };
  h_.RunUntil(Sec(16));
  // Declined at t with a 5 s filter: blocked in the cycles t+1 .. t+4, offered again at t+5 (a
  // filter is expired once now >= its expiry).
  EXPECT_EQ(Times(h_.OffersTo(f)), (std::vector<double>{0, 5, 10, 15}));
  EXPECT_EQ(h_.master().cycles(), 17u);  // t = 0 .. 16: cycles ran, the filter skipped f
}

TEST_F(MasterFilterTest, FilterLastsAtLeastTheAllocationInterval) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(Sec(2)).Build());
  h.AddAgent("a0", "cpus:4;mem:4096");
  const FrameworkId first = h.AddFramework("first");
  const FrameworkId second = h.AddFramework("second");
  // `first` declines with refuse 0.5 s: the filter lasts max(2 s interval, 0.5 s) = 2 s.
  // `second` holds whatever it gets.
  h.on_offer = [&](const MasterHarness::Received& o) {
    if (o.framework == first) h.Decline(o, Sec(0.5));
  };
  // A revive of `second` at 1.5 s triggers a cycle between the periodic ones. Both shares are 0,
  // so `first` (registered earlier) would win it — were its filter only 0.5 s long.
  h.sim().Schedule(Sec(1.5), [m = &h.master(), second] { m->Revive(second); });
  h.RunUntil(Sec(1.6));
  EXPECT_EQ(Times(h.OffersTo(first)), (std::vector<double>{0}));
  EXPECT_EQ(Times(h.OffersTo(second)), (std::vector<double>{1.5}));
}

TEST_F(MasterFilterTest, FilterBlocksSubsetsButNotSupersetsOfTheRefusedResources) {
  h_.AddAgent("a0", "cpus:4;mem:4096");
  const FrameworkId f1 = h_.AddFramework("f1");
  const FrameworkId f2 = h_.AddFramework("f2");
  int f1_offers = 0;
  int f2_offers = 0;
  h_.on_offer = [&](const MasterHarness::Received& o) {
    if (o.framework == f1) {
      // t=0: refuse all of <4 cpus, 4 GiB> for 10 s. Later offers: hold nothing, decline.
      h_.Decline(o, f1_offers++ == 0 ? Sec(10) : sim::Time::Zero());
    } else if (f2_offers++ == 0) {
      // t=1: launch <1 cpu, 1 GiB> for 2.5 s (RUNNING at 2 after the 1 s start, ends at 4.5)
      // and refuse the remainder <3 cpus, 3 GiB> for 100 s.
      const TaskSlot t = h_.NewTask(f2, "cpus:1;mem:1024", 2.5);
      h_.Accept(o, {t}, Sec(100));
    } else {
      h_.Decline(o, sim::Time::Zero());  // keeps its 100 s filter on <3 cpus, 3 GiB>
    }
  };
  h_.RunUntil(Sec(10.5));
  //  t     available        f1 filter <4,4096> until 10   f2 filter <3,3072> until 101  offer to
  //  0     <4,4096>         -                              -                             f1 (tie)
  //  1     <4,4096>         blocks (equal)                 -                             f2
  //  2..4  <3,3072>         blocks (subset)                blocks (equal)                nobody
  //  4.5   task ends: <4,4096> available, offered at the next cycle
  //  5..9  <4,4096>         blocks (equal)                 superset: not blocked         f2
  //  10    <4,4096>         expired                        superset                      f1 (tie)
  EXPECT_EQ(Times(h_.OffersTo(f1)), (std::vector<double>{0, 10}));
  EXPECT_EQ(Times(h_.OffersTo(f2)), (std::vector<double>{1, 5, 6, 7, 8, 9}));
  ASSERT_EQ(h_.ended.size(), 1u);
  EXPECT_EQ(h_.ended[0].at, Sec(4.5));
  EXPECT_EQ(h_.ended[0].state, TaskState::kFinished);
}

TEST_F(MasterFilterTest, ReviveClearsFiltersAndTriggersACycle) {
  h_.AddAgent("a0", "cpus:4;mem:4096");
  const FrameworkId f = h_.AddFramework("f");
  h_.on_offer = [&](const MasterHarness::Received& o) { h_.Decline(o, Sec(100)); };
  h_.sim().Schedule(Sec(2.5), [m = &h_.master(), f] { m->Revive(f); });
  h_.RunUntil(Sec(5));
  // Filtered for 100 s at t=0; the revive at 2.5 s clears it and runs a cycle at once.
  EXPECT_EQ(Times(h_.OffersTo(f)), (std::vector<double>{0, 2.5}));
}

TEST_F(MasterFilterTest, SuppressedFrameworksGetNoOffersUntilRevived) {
  h_.AddAgent("a0", "cpus:4;mem:4096");
  const FrameworkId quiet = h_.AddFramework("quiet");
  const FrameworkId other = h_.AddFramework("other");
  h_.master().Suppress(quiet);
  h_.on_offer = [&](const MasterHarness::Received& o) { h_.Decline(o, sim::Time::Zero()); };
  h_.sim().Schedule(Sec(2.5), [m = &h_.master(), quiet] { m->Revive(quiet); });
  h_.RunUntil(Sec(3.5));
  EXPECT_EQ(Times(h_.OffersTo(quiet)), (std::vector<double>{2.5, 3}));
  EXPECT_EQ(Times(h_.OffersTo(other)), (std::vector<double>{0, 1, 2}));
  EXPECT_FALSE(h_.master().suppressed(quiet));
}

// --- Offers --------------------------------------------------------------------------------------

TEST(MasterOfferTest, OfferedResourcesCountAsTheFrameworksUntilAnswered) {
  MasterHarness h;
  const AgentId a = h.AddAgent("a0", "cpus:4;mem:4096");
  const FrameworkId f = h.AddFramework("f");
  h.RunUntil(Sec(0.5));  // f holds the t=0 offer
  ASSERT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.received[0].resources, Res("cpus:4;mem:4096"));
  EXPECT_EQ(h.master().framework_allocated(f), Res("cpus:4;mem:4096"));
  EXPECT_EQ(h.master().agent_offered(a), Res("cpus:4;mem:4096"));
  EXPECT_TRUE(h.master().agent_available(a).IsZero());
  EXPECT_EQ(h.master().outstanding_offers(), 1u);
  h.Decline(h.received[0], sim::Time::Zero());
  EXPECT_TRUE(h.master().framework_allocated(f).IsZero());
  EXPECT_EQ(h.master().agent_available(a), Res("cpus:4;mem:4096"));
  EXPECT_FALSE(h.master().IsOfferValid(h.received[0].slot, h.received[0].id));
  h.master().CheckInvariants();
}

TEST(MasterOfferTest, OfferTimeoutRescinds) {
  MasterHarness h(ScenarioBuilder().OfferTimeout(Sec(2)).Build());
  const AgentId a = h.AddAgent("a0", "cpus:4;mem:4096");
  const FrameworkId f = h.AddFramework("f");
  h.RunUntil(Sec(2.5));
  // Held from t=0, rescinded at t=2; the t=2 cycle (after the timeout: it was scheduled first)
  // offers the resources again, under a new id.
  ASSERT_EQ(h.rescinded.size(), 1u);
  EXPECT_EQ(h.rescinded[0].at, Sec(2));
  EXPECT_EQ(h.rescinded[0].id, h.received[0].id);
  EXPECT_EQ(Times(h.OffersTo(f)), (std::vector<double>{0, 2}));
  EXPECT_NE(h.received[1].id, h.received[0].id);
  EXPECT_FALSE(h.master().IsOfferValid(h.received[0].slot, h.received[0].id));
  EXPECT_EQ(h.log().Count(OfferEvent::kRescinded), 1u);
  EXPECT_EQ(h.master().agent_offered(a), Res("cpus:4;mem:4096"));
  h.master().CheckInvariants();
}

TEST(MasterOfferTest, AnsweredOffersAreNotRescinded) {
  MasterHarness h(ScenarioBuilder().OfferTimeout(Sec(2)).Build());
  h.AddAgent("a0", "cpus:4;mem:4096");
  h.AddFramework("f");
  // Declines the t=0 offer at 1.5 s, holds the next one (t=2) until it times out at 4 s.
  h.sim().Schedule(Sec(1.5), [hp = &h] { hp->Decline(hp->received[0], sim::Time::Zero()); });
  h.RunUntil(Sec(4.5));
  ASSERT_EQ(h.rescinded.size(), 1u);
  EXPECT_EQ(h.rescinded[0].at, Sec(4));
  EXPECT_EQ(h.rescinded[0].id, h.received[1].id);
}

TEST(MasterOfferTest, MinAllocatableNeedsEnoughCpusOrEnoughMemory) {
  MasterHarness h;
  // Mesos's default min_allocatable_resources: cpus:0.01 | mem:32 — either suffices.
  h.AddAgent("tiny", "cpus:0.005;mem:16");        // neither
  h.AddAgent("cpus-only", "cpus:0.01");           // enough cpus
  h.AddAgent("mem-only", "mem:32");               // enough mem
  h.AddAgent("almost", "cpus:0.009;mem:31.999");  // neither
  h.AddFramework("f");
  h.RunUntil(Sec(0.5));
  std::set<uint32_t> offered;
  for (const auto& o : h.received) offered.insert(o.agent.value);
  EXPECT_EQ(offered, (std::set<uint32_t>{1, 2}));
}

TEST(MasterOfferTest, LeftoversBelowMinAllocatableAreNotOffered) {
  MasterHarness h;
  const AgentId a = h.AddAgent("a0", "cpus:1;mem:1024");
  const FrameworkId f = h.AddFramework("f");
  h.on_offer = [&](const MasterHarness::Received& o) {
    // Takes all but <0.005 cpus, 24 MiB>.
    h.Accept(o, {h.NewTask(f, "cpus:0.995;mem:1000", 100)}, sim::Time::Zero());
  };
  h.RunUntil(Sec(5));
  EXPECT_EQ(h.received.size(), 1u);
  EXPECT_EQ(h.master().agent_available(a), Res("cpus:0.005;mem:24"));
}

TEST(MasterOfferTest, RegistrationTriggersACycleFreedResourcesWaitForTheNext) {
  MasterHarness h;
  const FrameworkId f = h.AddFramework("f");
  h.on_offer = [&](const MasterHarness::Received& o) {
    if (o.at == Sec(5.5)) {
      h.Accept(o, {h.NewTask(f, "cpus:4;mem:4096", 1.2)}, sim::Time::Zero());  // ends 7.7
    }
  };
  // An agent registering at 5.5 s is offered at once, not at the next periodic cycle.
  h.sim().Schedule(Sec(5.5), [hp = &h] { hp->AddAgent("late", "cpus:4;mem:4096"); });
  h.RunUntil(Sec(8.5));
  // The task runs 6.5 .. 7.7; its resources wait for the cycle at 8.
  ASSERT_EQ(h.ended.size(), 1u);
  EXPECT_EQ(h.ended[0].at, Sec(7.7));
  EXPECT_EQ(Times(h.OffersTo(f)), (std::vector<double>{5.5, 8}));
}

// --- Agent removal -------------------------------------------------------------------------------

TEST(MasterAgentTest, AgentRemovalRescindsItsOffersAndLosesItsTasks) {
  MasterHarness h;
  const AgentId a = h.AddAgent("a0", "cpus:4;mem:4096");
  const AgentId other = h.AddAgent("a1", "cpus:2;mem:2048");
  const FrameworkId f = h.AddFramework("f");
  std::vector<TaskSlot> launched;
  h.on_offer = [&](const MasterHarness::Received& o) {
    if (o.agent == a && launched.empty()) {
      launched = {h.NewTask(f, "cpus:1;mem:1024", 0, /*service=*/true),
                  h.NewTask(f, "cpus:1;mem:1024", 0, /*service=*/true)};
      h.Accept(o, launched, sim::Time::Zero());
    }
    // Everything else is held.
  };
  h.sim().Schedule(Sec(1.5),
                   [m = &h.master(), a] { m->AgentDown(a, models::TaskReason::kAgentFailed); });
  h.RunUntil(Sec(1.5));
  // Held at the moment of failure: a1's offer from t=0 and a0's remainder from t=1.
  ASSERT_EQ(h.rescinded.size(), 1u);
  EXPECT_EQ(h.rescinded[0].agent, a);
  EXPECT_EQ(h.rescinded[0].at, Sec(1.5));
  EXPECT_EQ(h.rescinded[0].resources, Res("cpus:2;mem:2048"));
  ASSERT_EQ(h.ended.size(), 2u);
  for (const auto& e : h.ended) {
    EXPECT_EQ(e.state, TaskState::kLost);
    EXPECT_EQ(e.at, Sec(1.5));
  }
  EXPECT_FALSE(h.master().agent_active(a));
  EXPECT_TRUE(h.master().agent_allocated(a).IsZero());
  EXPECT_TRUE(h.master().agent_offered(a).IsZero());
  EXPECT_TRUE(h.master().agent_available(a).IsZero());
  EXPECT_EQ(h.master().agent_task_count(a), 0u);
  EXPECT_EQ(h.master().cluster_total(), Res("cpus:2;mem:2048"));
  // Only a1's offer remains charged to f.
  EXPECT_EQ(h.master().framework_allocated(f), Res("cpus:2;mem:2048"));
  EXPECT_EQ(h.master().outstanding_offers(), 1u);
  for (const auto& o : h.received) {
    EXPECT_EQ(h.master().IsOfferValid(o.slot, o.id), o.agent == other) << o.at.seconds();
  }
  h.master().CheckInvariants();

  // Back at 3 s: offered whole again at once (registration triggers a cycle).
  h.sim().Schedule(Sec(3), [m = &h.master(), a] { m->AgentUp(a); });
  h.RunUntil(Sec(3.5));
  EXPECT_EQ(h.received.back().agent, a);
  EXPECT_EQ(h.received.back().at, Sec(3));
  EXPECT_EQ(h.received.back().resources, Res("cpus:4;mem:4096"));
  h.master().CheckInvariants();
}

TEST(MasterAgentTest, LostTasksAreRetriedOnAnotherAgent) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 3, "cpus:2;mem:2048");
  b.Framework("f").workload = Backlog(2, "cpus:2;mem:2048", 100);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  // At 10 s, the agent running the first task fails.
  uint32_t failed_agent = ~0u;
  h.sim().Schedule(Sec(10), [hp = &h, &failed_agent] {
    for (const TaskEvent& e : hp->log().tasks) {
      if (e.kind == TaskEvent::kLaunched && e.task == 1) failed_agent = e.agent;
    }
    hp->master().AgentDown(AgentId(failed_agent), models::TaskReason::kAgentFailed);
  });
  h.RunUntil(Sec(200));
  ASSERT_NE(failed_agent, ~0u);
  const auto events = h.log().Of(1);
  // launched (t=0) -> starting -> running (1 s) -> LOST, not final (t=10) -> re-queued after the
  // default retry backoff of 1 s; the framework had suppressed itself, so the retry revives it
  // and a cycle runs at once -> launched at 11 s on the idle third agent -> running 12 s ->
  // finished 112 s.
  std::vector<TaskEvent::Kind> kinds;
  for (const auto& e : events) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<TaskEvent::Kind>{
                       TaskEvent::kSubmitted, TaskEvent::kLaunched, TaskEvent::kStarting,
                       TaskEvent::kRunning, TaskEvent::kEnded, TaskEvent::kLaunched,
                       TaskEvent::kStarting, TaskEvent::kRunning, TaskEvent::kEnded}));
  ASSERT_EQ(events.size(), 9u);
  EXPECT_EQ(events[4].state, TaskState::kLost);
  EXPECT_FALSE(events[4].final);
  EXPECT_EQ(events[4].at, Sec(10));
  EXPECT_EQ(events[5].at, Sec(11));
  EXPECT_NE(events[5].agent, failed_agent);
  EXPECT_EQ(events[8].state, TaskState::kFinished);
  EXPECT_TRUE(events[8].final);
  EXPECT_EQ(events[8].at, Sec(112));
  EXPECT_EQ(h.framework(0).tasks_finished(), 2u);
}

TEST(MasterAgentTest, LostTasksBeyondTheRetryLimitEndLost) {
  ScenarioBuilder b;
  b.LinuxAgents("a", 2, "cpus:2;mem:2048");
  FrameworkSpec& f = b.Framework("f");
  f.workload = Backlog(1, "cpus:2;mem:2048", 100);
  f.max_retries = 0;
  ClusterHarness h(b.Build());
  h.sim().Schedule(Sec(10), [hp = &h] {
    hp->master().AgentDown(AgentId(hp->log().Of(1)[1].agent), models::TaskReason::kAgentFailed);
  });
  h.RunUntil(Sec(200));
  EXPECT_EQ(h.log().Ended(TaskState::kLost, /*final=*/true), 1u);
  EXPECT_EQ(h.log().Count(TaskEvent::kLaunched), 1u);
  EXPECT_EQ(h.cluster().tasks().live(), 0u);
}

// --- allocation_interval: 0 ----------------------------------------------------------------------

TEST(MasterIntervalZeroTest, FrameworkThatDeclinesEverythingTerminates) {
  // `hog` takes 2 of the agent's 4 cpus for ever at t=0; f's tasks, arriving at 5 s, need 3 cpus
  // (feasible on an empty agent, so they queue) and f declines every offer with refuse 0, so no
  // filter either. A decline never triggers a cycle: after the cycle at 5 s nothing is left to do.
  ScenarioBuilder b;
  b.AllocationInterval(sim::Time::Zero());
  b.LinuxAgents("a", 1, "cpus:4;mem:4096");
  FrameworkSpec& hog = b.Framework("hog");
  hog.workload = Backlog(1, "cpus:2;mem:128", 10);
  hog.workload.service = true;
  FrameworkSpec& f = b.Framework("f");
  f.refuse = sim::Time::Zero();
  f.workload = Backlog(5, "cpus:3;mem:128", 10);
  f.workload.start = Sec(5);  // demand appears at 5 s: one cycle offers f the 2 free cpus
  ClusterHarness h(b.Build());
  const uint64_t events = h.RunUntil(Sec(3600));
  EXPECT_LE(events, 20u);
  EXPECT_LE(h.master().cycles(), 3u);
  EXPECT_GE(h.log().OffersTo(1, OfferEvent::kDeclined), 1u);
  EXPECT_EQ(h.sim().pending_events(), 0u);
  EXPECT_EQ(h.framework(1).pending(), 5u);
  EXPECT_EQ(h.framework(0).active_tasks(), 1u);
}

TEST(MasterIntervalZeroTest, ScriptedDeclinerTerminates) {
  MasterHarness h(ScenarioBuilder().AllocationInterval(sim::Time::Zero()).Build());
  h.AddAgent("a0", "cpus:4;mem:4096");
  h.AddFramework("f");
  h.on_offer = [&](const MasterHarness::Received& o) { h.Decline(o, sim::Time::Zero()); };
  EXPECT_EQ(h.RunUntil(Sec(1e6)), 0u);  // the registration cycle is end-of-instant work
  EXPECT_EQ(h.master().cycles(), 1u);
  EXPECT_EQ(h.received.size(), 1u);
  EXPECT_FALSE(h.sim().Step());
}

TEST(MasterIntervalZeroTest, FreedCapacityRunsACycleAtOnce) {
  ScenarioBuilder b;
  b.AllocationInterval(sim::Time::Zero());
  b.LinuxAgents("a", 1, "cpus:4;mem:4096");
  b.Framework("f").workload = Backlog(3, "cpus:4;mem:4096", 10);
  ClusterHarness h(b.Build());
  h.CheckInvariantsAfterEveryEvent();
  h.RunUntil(Sec(100));
  // Each task occupies the agent: launched, running 1 s later, finished 10 s after that; the next
  // one is launched in the same instant (no periodic cycle to wait for).
  std::vector<double> launches;
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind == TaskEvent::kLaunched) launches.push_back(e.at.seconds());
  }
  EXPECT_EQ(launches, (std::vector<double>{0, 11, 22}));
  EXPECT_EQ(h.framework(0).tasks_finished(), 3u);
}

TEST(MasterIntervalZeroTest, NewDemandRunsACycle) {
  // Agent <4 cpus>. t=0: a 2-cpu service runs. t=5: a 4-cpu task arrives (feasible on an empty
  // agent, not now): the framework had suppressed itself, so it revives, a cycle offers the
  // 2 free cpus, and it declines them (refuse 0: no filter). t=10: a 1-cpu task arrives. The
  // framework is not suppressed (it still has the 4-cpu task), so no revive — but demand
  // appeared, and with allocation_interval 0 that alone must run a cycle.
  ScenarioBuilder b;
  b.AllocationInterval(sim::Time::Zero());
  b.LinuxAgents("a", 1, "cpus:4;mem:4096");
  b.Framework("f").refuse = sim::Time::Zero();
  ClusterHarness h(b.Build());
  h.Start();
  models::Task service = MakeTask("cpus:2;mem:128", 0);
  service.service = true;
  service.duration = sim::Time::Max();
  h.Submit(0, service);
  h.sim().Schedule(Sec(5), [hp = &h] { hp->Submit(0, MakeTask("cpus:4;mem:128", 10)); });
  h.sim().Schedule(Sec(10), [hp = &h] { hp->Submit(0, MakeTask("cpus:1;mem:128", 10)); });
  h.RunUntil(Sec(15));
  std::vector<std::pair<double, uint64_t>> launches;
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind == TaskEvent::kLaunched) launches.emplace_back(e.at.seconds(), e.task);
  }
  ASSERT_EQ(launches.size(), 2u) << "the 1-cpu task submitted at 10 s was never offered";
  EXPECT_EQ(launches[1].first, 10);
  EXPECT_EQ(launches[1].second, 1'000'002u);  // the third hand-submitted task: the 1-cpu one
  EXPECT_EQ(h.framework(0).pending(), 1u);    // the 4-cpu task still waits
}

TEST(MasterIntervalZeroTest, IdleFrameworkDoesNotStarveOthersAtStart) {
  // Frameworks subscribe suppressed and revive when work arrives. An idle framework is never
  // offered anything, so with allocation_interval 0 the cycle at t=0 goes to `busy`, whose
  // demand appeared in that instant; `idle` never declines (and never installs a filter).
  for (const bool periodic : {false, true}) {
    SCOPED_TRACE(periodic ? "allocation_interval 1 s" : "allocation_interval 0");
    ScenarioBuilder b;
    b.AllocationInterval(periodic ? Sec(1) : sim::Time::Zero());
    b.LinuxAgents("a", 1, "cpus:4;mem:4096");
    b.Framework("idle");
    b.Framework("busy").workload = Backlog(2, "cpus:1;mem:128", 10);
    ClusterHarness h(b.Build());
    h.RunUntil(Sec(100));
    EXPECT_EQ(h.log().OffersTo(0, OfferEvent::kDeclined), 0u);
    EXPECT_EQ(h.log().OffersTo(0, OfferEvent::kSent), 0u);
    EXPECT_EQ(h.framework(1).tasks_finished(), 2u);
    EXPECT_EQ(h.framework(1).pending(), 0u);
  }
}

// --- Unschedulable tasks -------------------------------------------------------------------------

TEST(MasterUnschedulableTest, TasksNoAgentCanEverRunAreCountedAndNeverQueued) {
  ScenarioBuilder b;
  b.LinuxAgents("linux", 2, "cpus:4;mem:8192");
  b.WindowsAgents("win19p", 1, OsVersion::kLtsc2019, Isolation::kProcess, "cpus:4;mem:8192");
  b.WindowsAgents("win19h", 1, OsVersion::kLtsc2019, Isolation::kHyperV, "cpus:4;mem:4096");
  b.Layer("w22", 10, 10);
  b.Layer("w16", 10, 10);
  const uint32_t img22 = b.Image("w22", Os::kWindows, OsVersion::kLtsc2022, {"w22"});
  const uint32_t img16 = b.Image("w16", Os::kWindows, OsVersion::kLtsc2016, {"w16"});
  b.Framework("f");
  ClusterHarness h(b.Build());
  h.Start();
  auto windows = [&](const char* res, uint32_t image) {
    models::Task t = MakeTask(res, 10, Os::kWindows);
    t.has_image = true;
    t.image = ImageId(image);
    t.image_version = h.spec().images.images[image].version;
    return t;
  };
  h.Submit(0, MakeTask("cpus:8;mem:128", 10));    // larger than every agent
  h.Submit(0, MakeTask("cpus:1;mem:9000", 10));   // ditto, by memory
  h.Submit(0, windows("cpus:1;mem:128", img22));  // newer than every host
  // A 2016 image runs only under Hyper-V here, where 4000 MiB costs 4000 + 300 > 4096.
  h.Submit(0, windows("cpus:1;mem:4000", img16));  // 2016 needs Hyper-V: too big
  h.Submit(0, windows("cpus:1;mem:128", img16));   // runs under Hyper-V: fine
  h.Submit(0, MakeTask("cpus:4;mem:8192", 10));    // exactly an agent: fine
  h.RunUntil(Sec(100));
  EXPECT_EQ(h.log().Ended(TaskState::kUnschedulable, /*final=*/true), 4u);
  EXPECT_EQ(h.log().Count(TaskEvent::kLaunched), 2u);
  EXPECT_EQ(h.framework(0).tasks_finished(), 2u);
  EXPECT_EQ(h.framework(0).pending(), 0u);
  // Unschedulable tasks end at submission, with no launch.
  for (const TaskEvent& e : h.log().tasks) {
    if (e.kind == TaskEvent::kEnded && e.state == TaskState::kUnschedulable) {
      EXPECT_EQ(e.at, Sec(0));
      for (const TaskEvent& other : h.log().Of(e.task)) {
        EXPECT_NE(other.kind, TaskEvent::kLaunched);
      }
    }
  }
}

TEST(MasterUnschedulableTest, WindowsTaskOnALinuxOnlyCluster) {
  ScenarioBuilder b;
  b.LinuxAgents("linux", 3, "cpus:4;mem:8192");
  FrameworkSpec& f = b.Framework("win");
  f.workload = Backlog(7, "cpus:1;mem:128", 10);
  f.workload.windows_fraction = 1.0;
  ClusterHarness h(b.Build());
  h.RunUntil(Sec(100));
  EXPECT_EQ(h.log().Ended(TaskState::kUnschedulable, true), 7u);
  EXPECT_EQ(h.log().Count(TaskEvent::kLaunched), 0u);
  EXPECT_EQ(h.framework(0).pending(), 0u);
  EXPECT_EQ(h.cluster().tasks().live(), 0u);
}

// --- Whole-run invariants ------------------------------------------------------------------------

// A small mixed cluster: Linux and Windows (process and Hyper-V) agents, images with a shared
// Windows base, two frameworks with Poisson arrivals that stop at `arrivals_stop`.
ScenarioSpec MixedScenario(uint64_t seed, double arrivals_stop_s, bool failures) {
  ScenarioBuilder b;
  b.Seed(seed);
  b.spec().runtime.docker.start_latency_s = sim::Distribution::LogNormal(0.6, 3);
  b.spec().runtime.process.start_latency_s = sim::Distribution::LogNormal(5, 16);
  b.spec().runtime.hyperv.start_latency_s = sim::Distribution::LogNormal(11, 25);
  b.Layer("ubuntu", 30, 80);
  b.Layer("web", 20, 50);
  b.Layer("batch", 40, 120);
  b.Layer("servercore", 1200, 3000);
  b.Layer("iis", 100, 300);
  b.Layer("dotnet", 150, 400);
  const uint32_t web = b.Image("web", Os::kLinux, OsVersion::kNone, {"ubuntu", "web"});
  const uint32_t batch = b.Image("batch", Os::kLinux, OsVersion::kNone, {"ubuntu", "batch"});
  const uint32_t iis = b.Image("iis", Os::kWindows, OsVersion::kLtsc2019, {"servercore", "iis"});
  const uint32_t net = b.Image("net", Os::kWindows, OsVersion::kLtsc2019, {"servercore", "dotnet"});
  FailureSpec fail;
  fail.enabled = failures;
  fail.time_to_failure_s = sim::Distribution::Exponential(400);
  fail.time_to_repair_s = sim::Distribution::Exponential(60);
  AgentGroupSpec& lin = b.LinuxAgents("linux", 6, "cpus:8;mem:16384");
  // 220 MiB: both Linux images (80 shared + 50 + 120 = 250 MiB) do not fit together, so pulls
  // evict, or fail for lack of disk while the other image is in use.
  lin.image_store_mib = 220;
  lin.racks = 2;
  lin.failures = fail;
  AgentGroupSpec& winp =
      b.WindowsAgents("winp", 2, OsVersion::kLtsc2019, Isolation::kProcess, "cpus:8;mem:16384");
  winp.failures = fail;
  winp.pull_bandwidth_mibps = 200;
  AgentGroupSpec& winh =
      b.WindowsAgents("winh", 2, OsVersion::kLtsc2019, Isolation::kHyperV, "cpus:8;mem:16384");
  winh.failures = fail;
  winh.preloaded_images = {iis};
  for (int i = 0; i < 2; ++i) {
    FrameworkSpec& f = b.Framework(i == 0 ? "batch" : "mixed", i == 0 ? "batch" : "mixed");
    f.workload = test::PoissonJobs(i == 0 ? 0.25 : 0.15, 3, "cpus:1;mem:1024", 60);
    f.workload.stop = Sec(arrivals_stop_s);
    f.workload.tasks_per_job = sim::Distribution::Uniform(1, 6);
    f.workload.duration_s = sim::Distribution::Exponential(45);
    f.workload.cpus = sim::Distribution::Uniform(0.2, 3);
    f.workload.mem_mib = sim::Distribution::Uniform(128, 4000);
    f.workload.windows_fraction = i == 0 ? 0.0 : 0.5;
    f.workload.images = {web, batch, iis, net};
    f.max_tasks_per_offer = i == 0 ? 0 : 2;
    f.refuse = i == 0 ? Sec(5) : Sec(1);
    f.decision_per_offer = Sec(0.05);
    f.decision_per_task = Sec(0.01);
    f.max_retries = 2;
  }
  b.spec().frameworks[0].workload.constraints.max_tasks_per_agent = 6;
  return b.Build();
}

// Per task: every launch is followed by exactly one end; exactly one end is final, and it is the
// last event; non-final ends are FAILED or LOST. A launch on an offer rescinded while its framework
// decided ends LOST (invalid_offers) with no launch of its own: it never reached the master's task
// table.
void ExpectEveryTaskEndsOnce(const test::SignalLog& log, size_t* finals, size_t* submitted) {
  std::map<uint64_t, std::vector<TaskEvent>> by_task;
  for (const TaskEvent& e : log.tasks) by_task[e.task].push_back(e);
  *finals = 0;
  *submitted = 0;
  for (const auto& [id, events] : by_task) {
    ASSERT_EQ(events.front().kind, TaskEvent::kSubmitted) << "task " << id;
    ++*submitted;
    int open_launches = 0;
    int final_ends = 0;
    for (size_t i = 1; i < events.size(); ++i) {
      const TaskEvent& e = events[i];
      if (e.kind == TaskEvent::kLaunched) {
        EXPECT_EQ(open_launches, 0) << "task " << id << " launched twice without ending";
        ++open_launches;
      } else if (e.kind == TaskEvent::kEnded) {
        EXPECT_TRUE(IsTerminal(e.state)) << "task " << id;
        if (e.state == TaskState::kUnschedulable) {
          EXPECT_EQ(i, 1u) << "task " << id;
        } else if (e.reason == models::TaskReason::kInvalidOffers) {
          EXPECT_EQ(open_launches, 0) << "task " << id << " dropped while launched";
          EXPECT_EQ(e.state, TaskState::kLost) << "task " << id;
        } else {
          EXPECT_EQ(open_launches, 1) << "task " << id << " ended without a launch";
          --open_launches;
        }
        if (e.final) {
          ++final_ends;
          EXPECT_EQ(i, events.size() - 1) << "task " << id << " has events after its final end";
        } else {
          EXPECT_TRUE(e.state == TaskState::kFailed || e.state == TaskState::kLost)
              << "task " << id << " retried after " << TaskStateName(e.state);
        }
      }
    }
    EXPECT_LE(final_ends, 1) << "task " << id;
    *finals += static_cast<size_t>(final_ends);
  }
}

TEST(MasterInvariantTest, EveryTaskEndsOnceAndResourcesReturnToThePool) {
  ClusterHarness h(MixedScenario(/*seed=*/7, /*arrivals_stop_s=*/600, /*failures=*/false));
  h.CheckInvariantsAfterEveryEvent();
  h.RunUntil(Sec(4000));  // arrivals stop at 600 s; long enough for everything to drain
  size_t finals = 0;
  size_t submitted = 0;
  ExpectEveryTaskEndsOnce(h.log(), &finals, &submitted);
  EXPECT_GT(submitted, 300u);
  EXPECT_EQ(finals, submitted) << "some task never reached a terminal state";
  EXPECT_EQ(h.cluster().tasks().live(), 0u);
  EXPECT_GT(h.log().Ended(TaskState::kFinished, true), submitted / 2);
  for (uint32_t a = 0; a < h.master().agent_count(); ++a) {
    EXPECT_EQ(h.master().agent_available(AgentId(a)), h.master().agent(AgentId(a)).capacity)
        << h.master().agent(AgentId(a)).name;
    EXPECT_TRUE(h.master().agent_allocated(AgentId(a)).IsZero());
  }
  for (uint32_t f = 0; f < h.master().framework_count(); ++f) {
    EXPECT_TRUE(h.master().framework_allocated(FrameworkId(f)).IsZero());
    EXPECT_TRUE(h.master().suppressed(FrameworkId(f)));
  }
  EXPECT_EQ(h.master().outstanding_offers(), 0u);
  EXPECT_EQ(h.invariant_sweeps(), h.sim().events_executed());
}

TEST(MasterInvariantTest, RandomizedRunsWithFailuresKeepEveryInvariant) {
  size_t rescinded = 0;  // over the three runs: one run may rescind nothing
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    ScenarioSpec spec = MixedScenario(seed, /*arrivals_stop_s=*/900, /*failures=*/true);
    spec.master.offer_timeout = Sec(0.6);  // big rounds (0.05 s per offer) outlast it
    spec.runtime.pull_timeout = Sec(120);  // cold Windows pulls (1300+ MiB) sometimes exceed it
    ClusterHarness h(std::move(spec));
    h.CheckInvariantsAfterEveryEvent();
    h.RunUntil(Sec(1500));
    size_t finals = 0;
    size_t submitted = 0;
    ExpectEveryTaskEndsOnce(h.log(), &finals, &submitted);
    // Tasks not yet ended are exactly the live ones.
    EXPECT_EQ(submitted - finals, h.cluster().tasks().live());
    // The run exercised what it is meant to.
    EXPECT_FALSE(h.log().agents_down.empty());
    EXPECT_GT(h.log().Ended(TaskState::kLost, false) + h.log().Ended(TaskState::kLost, true), 0u);
    rescinded += h.log().Count(OfferEvent::kRescinded);
    EXPECT_GT(h.log().Ended(TaskState::kFinished, true), 100u);
    EXPECT_EQ(h.invariant_sweeps(), h.sim().events_executed());
  }
  EXPECT_GT(rescinded, 0u);
}

// --- Cheap checks that stay on in release --------------------------------------------------------

TEST(MasterDeathTest, LaunchingBeyondTheOfferAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        MasterHarness h;
        h.AddAgent("a0", "cpus:4;mem:4096");
        const FrameworkId f = h.AddFramework("f");
        h.RunUntil(Sec(0.5));
        h.Accept(h.received[0], {h.NewTask(f, "cpus:5;mem:128", 10)}, sim::Time::Zero());
      },
      "tasks launched beyond the offered resources");
}

TEST(MasterDeathTest, AnsweringAGoneOfferAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        MasterHarness h;
        h.AddAgent("a0", "cpus:4;mem:4096");
        h.AddFramework("f");
        h.RunUntil(Sec(0.5));
        h.master().Decline(h.received[0].slot, sim::Time::Zero());
        h.master().Decline(h.received[0].slot, sim::Time::Zero());
      },
      "decline of an offer that is gone");
}

}  // namespace
}  // namespace clustersim::models
