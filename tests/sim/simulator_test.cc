#include "sim/simulator.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "tests/sim/alloc_counter.h"

namespace clustersim::sim {
namespace {

// Records "name@micros" for each action that runs, to check order and the clock at once.
class Trace {
 public:
  explicit Trace(Simulator& sim) : sim_(sim) {}
  void Mark(const std::string& name) {
    entries_.push_back(name + "@" + std::to_string(sim_.Now().micros()));
  }
  Action Marker(std::string name) {
    // One pointer plus a string: fits the inline buffer (8 + 32 bytes).
    return [this, name = std::move(name)] { Mark(name); };
  }
  const std::vector<std::string>& entries() const { return entries_; }

 private:
  Simulator& sim_;
  std::vector<std::string> entries_;
};

using Entries = std::vector<std::string>;

TEST(SimulatorTest, EmptyRunMovesTheClockToTheEnd) {
  Simulator sim(1);
  EXPECT_EQ(sim.Now(), Time::Zero());
  EXPECT_EQ(sim.RunUntil(Time::Seconds(10)), 0u);
  EXPECT_EQ(sim.Now(), Time::Seconds(10));
  EXPECT_EQ(sim.events_executed(), 0u);
}

TEST(SimulatorTest, RunUntilIncludesEventsExactlyAtEnd) {
  Simulator sim(1);
  Trace trace(sim);
  sim.Schedule(Time::Micros(5), trace.Marker("a"));
  sim.Schedule(Time::Micros(10), trace.Marker("b"));
  sim.Schedule(Time::Micros(10), trace.Marker("c"));
  sim.Schedule(Time::Micros(11), trace.Marker("d"));
  EXPECT_EQ(sim.RunUntil(Time::Micros(10)), 3u);
  EXPECT_EQ(sim.Now(), Time::Micros(10));
  EXPECT_EQ(trace.entries(), (Entries{"a@5", "b@10", "c@10"}));
  EXPECT_EQ(sim.pending_events(), 1u);

  EXPECT_EQ(sim.RunUntil(Time::Micros(10)), 0u);  // Same end again: nothing more is due.
  EXPECT_EQ(sim.RunUntil(Time::Micros(20)), 1u);
  EXPECT_EQ(sim.Now(), Time::Micros(20));
  EXPECT_EQ(sim.events_executed(), 4u);
  EXPECT_EQ(trace.entries().back(), "d@11");
}

TEST(SimulatorTest, EventsScheduledForNowRunInTheSameRunAfterThoseAlreadyQueued) {
  Simulator sim(1);
  Trace trace(sim);
  sim.Schedule(Time::Micros(3), [&] {
    trace.Mark("a");
    sim.Schedule(sim.Now(), trace.Marker("a-child"));
  });
  sim.Schedule(Time::Micros(3), trace.Marker("b"));
  sim.RunUntil(Time::Micros(3));
  EXPECT_EQ(trace.entries(), (Entries{"a@3", "b@3", "a-child@3"}));
}

TEST(SimulatorTest, SameTimeEventsRunInScheduleOrderOverThousands) {
  Simulator sim(1);
  std::vector<int> order;
  for (int i = 0; i < 4000; ++i) {
    sim.Schedule(Time::Millis(1 + (i * 7) % 2), [&order, i] { order.push_back(i); });
  }
  EXPECT_EQ(sim.RunUntil(Time::Seconds(1)), 4000u);
  std::vector<int> expected;
  for (int i = 0; i < 4000; ++i) {
    if ((i * 7) % 2 == 0) expected.push_back(i);
  }
  for (int i = 0; i < 4000; ++i) {
    if ((i * 7) % 2 == 1) expected.push_back(i);
  }
  EXPECT_EQ(order, expected);
}

TEST(SimulatorTest, ScheduleAfterIsRelativeToNow) {
  Simulator sim(1);
  Trace trace(sim);
  sim.Schedule(Time::Millis(2), [&] { sim.ScheduleAfter(Time::Millis(3), trace.Marker("x")); });
  sim.RunUntil(Time::Seconds(1));
  EXPECT_EQ(trace.entries(), (Entries{"x@5000"}));
}

TEST(SimulatorTest, CancelThroughTheSimulator) {
  Simulator sim(1);
  Trace trace(sim);
  const EventId a = sim.Schedule(Time::Micros(1), trace.Marker("a"));
  const EventId b = sim.Schedule(Time::Micros(2), trace.Marker("b"));
  EXPECT_EQ(sim.pending_events(), 2u);
  EXPECT_TRUE(sim.IsPending(b));
  EXPECT_TRUE(sim.Cancel(b));
  EXPECT_FALSE(sim.Cancel(b));
  EXPECT_EQ(sim.pending_events(), 1u);
  sim.RunUntil(Time::Micros(10));
  EXPECT_FALSE(sim.IsPending(a));
  EXPECT_FALSE(sim.Cancel(a));  // Already ran.
  EXPECT_EQ(trace.entries(), (Entries{"a@1"}));
}

TEST(SimulatorTest, AnEventCanCancelALaterEventAtTheSameInstant) {
  Simulator sim(1);
  Trace trace(sim);
  EventId victim;
  sim.Schedule(Time::Micros(4), [&] {
    trace.Mark("killer");
    EXPECT_TRUE(sim.Cancel(victim));
  });
  victim = sim.Schedule(Time::Micros(4), trace.Marker("victim"));
  sim.RunUntil(Time::Micros(4));
  EXPECT_EQ(trace.entries(), (Entries{"killer@4"}));
}

TEST(SimulatorTest, EndOfInstantRunsAfterEveryEventAtTheInstant) {
  Simulator sim(1);
  Trace trace(sim);
  sim.Schedule(Time::Micros(1), [&] {
    trace.Mark("A");
    sim.Schedule(sim.Now(), trace.Marker("C"));  // Scheduled during the instant: runs before E1.
    sim.AtEndOfInstant(trace.Marker("E1"));
  });
  sim.Schedule(Time::Micros(1), [&] {
    trace.Mark("B");
    sim.AtEndOfInstant(trace.Marker("E2"));
  });
  sim.Schedule(Time::Micros(2), trace.Marker("D"));
  EXPECT_EQ(sim.RunUntil(Time::Micros(2)), 4u);  // End-of-instant actions are not events.
  EXPECT_EQ(trace.entries(), (Entries{"A@1", "B@1", "C@1", "E1@1", "E2@1", "D@2"}));
}

TEST(SimulatorTest, EndOfInstantThatSchedulesAtNowIsCheckedAgain) {
  Simulator sim(1);
  Trace trace(sim);
  sim.Schedule(Time::Micros(1), [&] {
    trace.Mark("A");
    sim.AtEndOfInstant([&] {
      trace.Mark("E1");
      // Same instant: F runs next, then the end-of-instant check runs again (E3), all before D.
      sim.Schedule(sim.Now(), [&] {
        trace.Mark("F");
        sim.AtEndOfInstant(trace.Marker("E3"));
      });
      sim.AtEndOfInstant(trace.Marker("E2"));
    });
  });
  sim.Schedule(Time::Micros(2), trace.Marker("D"));
  sim.RunUntil(Time::Micros(10));
  // E2 was requested by an end-of-instant action, so it belongs to the next batch, which runs only
  // once the instant's events (F) are done; E3, requested by F, joins that batch after E2.
  EXPECT_EQ(trace.entries(), (Entries{"A@1", "E1@1", "F@1", "E2@1", "E3@1", "D@2"}));
  EXPECT_EQ(sim.Now(), Time::Micros(10));
}

TEST(SimulatorTest, EndOfInstantRequestedBeforeRunningRunsAtTheStartInstant) {
  Simulator sim(1);
  Trace trace(sim);
  sim.Schedule(Time::Zero(), trace.Marker("zero"));
  sim.Schedule(Time::Micros(5), trace.Marker("five"));
  sim.AtEndOfInstant(trace.Marker("setup-done"));
  sim.RunUntil(Time::Micros(5));
  EXPECT_EQ(trace.entries(), (Entries{"zero@0", "setup-done@0", "five@5"}));
}

TEST(SimulatorTest, EndOfInstantWithNoEventsRunsBeforeTheClockMoves) {
  Simulator sim(1);
  Trace trace(sim);
  sim.AtEndOfInstant(trace.Marker("e"));
  EXPECT_EQ(sim.RunUntil(Time::Micros(7)), 0u);
  EXPECT_EQ(trace.entries(), (Entries{"e@0"}));
  EXPECT_EQ(sim.Now(), Time::Micros(7));
}

TEST(SimulatorTest, RequestStopReturnsAfterTheCurrentEventAndCanResume) {
  Simulator sim(1);
  std::vector<int64_t> ran;
  for (int t = 1; t <= 10; ++t) {
    sim.Schedule(Time::Micros(t), [&sim, &ran, t] {
      ran.push_back(t);
      if (t == 3) sim.RequestStop();
    });
  }
  EXPECT_EQ(sim.RunUntil(Time::Micros(100)), 3u);
  EXPECT_TRUE(sim.stop_requested());
  EXPECT_EQ(sim.Now(), Time::Micros(3));  // Not moved to the end.
  EXPECT_EQ(sim.pending_events(), 7u);
  EXPECT_EQ(sim.RunUntil(Time::Micros(100)), 7u);
  EXPECT_FALSE(sim.stop_requested());
  EXPECT_EQ(sim.Now(), Time::Micros(100));
  EXPECT_EQ(ran, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

TEST(SimulatorTest, RequestStopBeforeRunningIsHonouredOnce) {
  // E.g. a model that fails while the cluster is being set up.
  Simulator sim(1);
  Trace trace(sim);
  sim.Schedule(Time::Micros(1), trace.Marker("a"));
  sim.RequestStop();
  EXPECT_EQ(sim.RunUntil(Time::Micros(10)), 0u);
  EXPECT_TRUE(sim.stop_requested());
  EXPECT_EQ(sim.Now(), Time::Zero());
  EXPECT_TRUE(trace.entries().empty());
  EXPECT_EQ(sim.RunUntil(Time::Micros(10)), 1u);  // Called again: resumes.
  EXPECT_FALSE(sim.stop_requested());
  EXPECT_EQ(sim.Now(), Time::Micros(10));
}

TEST(SimulatorTest, StopFromAnEndOfInstantAction) {
  Simulator sim(1);
  Trace trace(sim);
  sim.Schedule(Time::Micros(1), [&] { sim.AtEndOfInstant([&] { sim.RequestStop(); }); });
  sim.Schedule(Time::Micros(2), trace.Marker("b"));
  EXPECT_EQ(sim.RunUntil(Time::Micros(10)), 1u);
  EXPECT_EQ(sim.Now(), Time::Micros(1));
  EXPECT_TRUE(trace.entries().empty());
  EXPECT_EQ(sim.RunUntil(Time::Micros(10)), 1u);
  EXPECT_EQ(trace.entries(), (Entries{"b@2"}));
}

TEST(SimulatorTest, StopMidInstantFinishesTheInstantOnResume) {
  Simulator sim(1);
  Trace trace(sim);
  sim.Schedule(Time::Micros(2), [&] {
    trace.Mark("a");
    sim.AtEndOfInstant(trace.Marker("eoi"));
    sim.RequestStop();
  });
  sim.Schedule(Time::Micros(2), trace.Marker("b"));
  sim.Schedule(Time::Micros(3), trace.Marker("c"));
  EXPECT_EQ(sim.RunUntil(Time::Micros(10)), 1u);
  EXPECT_EQ(trace.entries(), (Entries{"a@2"}));
  sim.RunUntil(Time::Micros(10));
  EXPECT_EQ(trace.entries(), (Entries{"a@2", "b@2", "eoi@2", "c@3"}));
}

TEST(SimulatorTest, StepRunsOneEventAtATime) {
  Simulator sim(1);
  Trace trace(sim);
  EXPECT_FALSE(sim.Step());
  sim.Schedule(Time::Micros(4), [&] {
    trace.Mark("a");
    sim.AtEndOfInstant(trace.Marker("eoi"));
  });
  sim.Schedule(Time::Micros(4), trace.Marker("b"));
  sim.Schedule(Time::Micros(9), trace.Marker("c"));
  ASSERT_TRUE(sim.Step());
  EXPECT_EQ(sim.Now(), Time::Micros(4));
  EXPECT_EQ(trace.entries(), (Entries{"a@4"}));  // b is still due at this instant: no eoi yet.
  ASSERT_TRUE(sim.Step());
  EXPECT_EQ(trace.entries(), (Entries{"a@4", "b@4", "eoi@4"}));  // Last of the instant.
  ASSERT_TRUE(sim.Step());
  EXPECT_EQ(sim.Now(), Time::Micros(9));
  EXPECT_FALSE(sim.Step());
  EXPECT_EQ(sim.Now(), Time::Micros(9));
  EXPECT_EQ(sim.events_executed(), 3u);
}

TEST(SimulatorTest, TickHookFiresEveryNEvents) {
  Simulator sim(1);
  std::vector<uint64_t> ticks;
  sim.SetTickHook(3, [&] { ticks.push_back(sim.events_executed()); });
  for (int t = 1; t <= 10; ++t) sim.Schedule(Time::Micros(t), [] {});
  sim.RunUntil(Time::Micros(5));
  sim.RunUntil(Time::Micros(100));
  EXPECT_EQ(ticks, (std::vector<uint64_t>{3, 6, 9}));

  sim.SetTickHook(0, nullptr);  // Disabled.
  for (int t = 101; t <= 110; ++t) sim.Schedule(Time::Micros(t), [] {});
  sim.RunUntil(Time::Micros(200));
  EXPECT_EQ(ticks.size(), 3u);
}

TEST(SimulatorTest, WorkHookSeesEveryNthReportFromInsideAnEvent) {
  Simulator sim(1);
  std::vector<Simulator::Work> seen;
  sim.ReportWork("ignored: no hook", 1, 1);
  sim.SetWorkHook([&](const Simulator::Work& w) { seen.push_back(w); });
  sim.Schedule(Time::Micros(1), [&] {
    for (uint64_t i = 1; i <= 3000; ++i) sim.ReportWork("jobs", i, 3000);
  });
  sim.RunUntil(Time::Micros(10));
  ASSERT_EQ(seen.size(), 2u);  // the 1,024th and 2,048th reports since the hook was set
  EXPECT_EQ(seen[0].what, "jobs");
  EXPECT_EQ(seen[0].done, Simulator::kWorkReportEvery);
  EXPECT_EQ(seen[1].done, 2 * Simulator::kWorkReportEvery);
  EXPECT_EQ(seen[1].total, 3000u);
  sim.SetWorkHook(nullptr);
  sim.ReportWork("jobs", 1, 1);
  EXPECT_EQ(seen.size(), 2u);
}

TEST(SimulatorTest, TickHookMayRequestStop) {
  Simulator sim(1);
  sim.SetTickHook(4, [&] { sim.RequestStop(); });
  for (int t = 1; t <= 10; ++t) sim.Schedule(Time::Micros(t), [] {});
  EXPECT_EQ(sim.RunUntil(Time::Micros(100)), 4u);
  EXPECT_EQ(sim.Now(), Time::Micros(4));
}

// The stop token (Ctrl-C) is seen after the very event that set it, not at the next tick.
TEST(SimulatorTest, StopTokenStopsAfterTheEventThatSetIt) {
  Simulator sim(1);
  std::atomic<bool> token{false};
  sim.SetStopToken(&token);
  sim.SetTickHook(1 << 14, [] {});  // the runner's progress hook must not delay the stop
  std::vector<int64_t> ran;
  for (int t = 1; t <= 10; ++t) {
    sim.Schedule(Time::Micros(t), [&, t] {
      ran.push_back(t);
      if (t == 4) token.store(true);
    });
  }
  EXPECT_EQ(sim.RunUntil(Time::Micros(100)), 4u);
  EXPECT_TRUE(sim.stop_requested());
  EXPECT_TRUE(sim.interrupted());
  EXPECT_EQ(sim.Now(), Time::Micros(4));
  // An interrupted run does not resume.
  EXPECT_EQ(sim.RunUntil(Time::Micros(100)), 0u);
  EXPECT_EQ(ran, (std::vector<int64_t>{1, 2, 3, 4}));
  sim.SetStopToken(nullptr);
  EXPECT_FALSE(sim.interrupted());
}

TEST(SimulatorTest, StopTokenSeenAfterAnEndOfInstantBatch) {
  Simulator sim(1);
  Trace trace(sim);
  std::atomic<bool> token{false};
  sim.SetStopToken(&token);
  sim.Schedule(Time::Micros(1), [&] { sim.AtEndOfInstant([&] { token.store(true); }); });
  sim.Schedule(Time::Micros(2), trace.Marker("b"));
  EXPECT_EQ(sim.RunUntil(Time::Micros(10)), 1u);
  EXPECT_EQ(sim.Now(), Time::Micros(1));
  EXPECT_TRUE(trace.entries().empty());
}

TEST(SimulatorTest, StopTokenSetBeforeTheRunRunsNothing) {
  Simulator sim(1);
  Trace trace(sim);
  const std::atomic<bool> token{true};
  sim.SetStopToken(&token);
  sim.Schedule(Time::Micros(1), trace.Marker("a"));
  EXPECT_EQ(sim.RunUntil(Time::Micros(10)), 0u);
  EXPECT_TRUE(sim.stop_requested());
  EXPECT_EQ(sim.Now(), Time::Zero());
  EXPECT_TRUE(trace.entries().empty());
}

TEST(SimulatorTest, RandomStreamsComeFromTheSeed) {
  Simulator a(42);
  Simulator b(42);
  Simulator c(43);
  EXPECT_EQ(a.random().root_seed(), 42u);
  Rng ra = a.random().Stream("arrivals");
  Rng rb = b.random().Stream("arrivals");
  Rng rc = c.random().Stream("arrivals");
  const uint64_t x = ra.Next();
  EXPECT_EQ(x, rb.Next());
  EXPECT_NE(x, rc.Next());
}

// A small self-scheduling model: the same seed must give the same trace, event for event.
std::vector<int64_t> RunToyModel(uint64_t seed) {
  Simulator sim(seed);
  Rng rng = sim.random().Stream("toy");
  std::vector<int64_t> trace;
  struct Ctx {
    Simulator* sim;
    Rng* rng;
    std::vector<int64_t>* trace;
    int remaining = 2000;
  } ctx{&sim, &rng, &trace};
  struct Fire {
    Ctx* ctx;
    int id;
    void operator()() const {
      ctx->trace->push_back(ctx->sim->Now().micros() * 100 + id);
      if (--ctx->remaining > 0) {
        ctx->sim->ScheduleAfter(Time::Micros(static_cast<int64_t>(ctx->rng->UniformInt(20))),
                                Fire{ctx, static_cast<int>(ctx->rng->UniformInt(100))});
      }
    }
  };
  for (int i = 0; i < 10; ++i) sim.Schedule(Time::Zero(), Fire{&ctx, i});
  sim.RunUntil(Time::Seconds(1));
  return trace;
}

TEST(SimulatorTest, SameSeedSameTrace) {
  const std::vector<int64_t> first = RunToyModel(5);
  EXPECT_GE(first.size(), 2000u);
  EXPECT_EQ(first, RunToyModel(5));
  EXPECT_NE(first, RunToyModel(6));
}

TEST(SimulatorTest, HoldModelAllocatesNothingOnceWarm) {
  Simulator sim(1);
  Rng rng = sim.random().Stream("hold");
  struct Hold {
    Simulator* sim;
    Rng* rng;
    void operator()() const {
      sim->ScheduleAfter(Time::Micros(1 + static_cast<int64_t>(rng->UniformInt(1000))), *this);
      if (rng->UniformInt(16) == 0) sim->AtEndOfInstant([] {});
    }
  };
  for (int i = 0; i < 5000; ++i) sim.Schedule(Time::Micros(i), Hold{&sim, &rng});
  sim.RunUntil(Time::Seconds(1));  // Warm.
  const uint64_t before = test::AllocationCount();
  const uint64_t executed = sim.RunUntil(Time::Millis(1100));  // About a million events.
  const uint64_t after = test::AllocationCount();
  EXPECT_GT(executed, 500'000u);
  EXPECT_EQ(after - before, 0u);
  EXPECT_EQ(sim.pending_events(), 5000u);
}

TEST(SimulatorDeathTest, RunningFromInsideAnEventAborts) {
  Simulator sim(1);
  sim.Schedule(Time::Micros(1), [&sim] { sim.RunUntil(Time::Micros(5)); });
  EXPECT_DEATH(sim.RunUntil(Time::Micros(10)), "inside an event");
  Simulator sim2(1);
  sim2.Schedule(Time::Micros(1), [&sim2] { sim2.Step(); });
  EXPECT_DEATH(sim2.Step(), "inside an event");
}

TEST(SimulatorDeathTest, SchedulingInThePastAborts) {
  Simulator sim(1);
  sim.RunUntil(Time::Micros(10));
  EXPECT_DEATH(sim.Schedule(Time::Micros(9), [] {}), "before Now");
  EXPECT_DEATH(sim.RunUntil(Time::Micros(9)), "before Now");
}

}  // namespace
}  // namespace clustersim::sim
