#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "sim/random.h"
#include "tests/sim/alloc_counter.h"

namespace clustersim::sim {
namespace {

// Each test event records its tag into a log when it runs, so the order of RemoveNext can be
// checked by running the returned actions.
class Recorder {
 public:
  Action Make(int tag) {
    return [this, tag] { log_.push_back(tag); };
  }
  const std::vector<int>& log() const { return log_; }

 private:
  std::vector<int> log_;
};

// Pops everything, running each action; returns the popped times.
std::vector<Time> Drain(EventQueue& q) {
  std::vector<Time> times;
  while (!q.IsEmpty()) {
    const Time peek = q.PeekNextTime();
    TimedAction next = q.RemoveNext();
    EXPECT_EQ(next.time, peek);
    next.action();
    times.push_back(next.time);
  }
  return times;
}

TEST(EventQueueTest, StartsEmpty) {
  EventQueue q;
  EXPECT_TRUE(q.IsEmpty());
  EXPECT_EQ(q.size(), 0u);
}

TEST(EventQueueTest, PopsInTimeOrder) {
  EventQueue q;
  Recorder r;
  q.Insert(Time::Micros(30), r.Make(3));
  q.Insert(Time::Micros(10), r.Make(1));
  q.Insert(Time::Micros(20), r.Make(2));
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.PeekNextTime(), Time::Micros(10));
  const std::vector<Time> times = Drain(q);
  EXPECT_EQ(times, (std::vector<Time>{Time::Micros(10), Time::Micros(20), Time::Micros(30)}));
  EXPECT_EQ(r.log(), (std::vector<int>{1, 2, 3}));
}

TEST(EventQueueTest, SameTimeEventsPopInInsertionOrderOverThousands) {
  EventQueue q;
  Recorder r;
  constexpr int kN = 5000;
  // Interleave three instants so the heap really has to keep ties apart from other keys.
  for (int i = 0; i < kN; ++i) {
    q.Insert(Time::Seconds(1 + i % 3), r.Make(i));
  }
  ASSERT_EQ(q.size(), static_cast<size_t>(kN));
  Drain(q);
  std::vector<int> expected;
  for (int t = 0; t < 3; ++t) {
    for (int i = t; i < kN; i += 3) expected.push_back(i);
  }
  EXPECT_EQ(r.log(), expected);
}

TEST(EventQueueTest, TiesStayFifoWhenInsertedWhilePopping) {
  // The simulator pattern: events at time t schedule more events at t; they must run after every
  // event already queued at t.
  EventQueue q;
  std::vector<int> log;
  for (int i = 0; i < 1000; ++i) {
    q.Insert(Time::Micros(5), [&log, i] { log.push_back(i); });
  }
  int next_tag = 1000;
  for (int popped = 0; popped < 3000; ++popped) {
    TimedAction e = q.RemoveNext();
    ASSERT_EQ(e.time, Time::Micros(5));
    e.action();
    if (next_tag < 3000) {
      const int tag = next_tag++;
      q.Insert(Time::Micros(5), [&log, tag] { log.push_back(tag); });
    }
  }
  EXPECT_TRUE(q.IsEmpty());
  ASSERT_EQ(log.size(), 3000u);
  for (int i = 0; i < 3000; ++i) ASSERT_EQ(log[static_cast<size_t>(i)], i);
}

TEST(EventQueueTest, NegativeAndExtremeTimesOrderCorrectly) {
  EventQueue q;
  Recorder r;
  q.Insert(Time::Max(), r.Make(5));
  q.Insert(Time::Micros(0), r.Make(3));
  q.Insert(Time::Micros(std::numeric_limits<int64_t>::min()), r.Make(1));
  q.Insert(Time::Micros(-1), r.Make(2));
  q.Insert(Time::Micros(1), r.Make(4));
  Drain(q);
  EXPECT_EQ(r.log(), (std::vector<int>{1, 2, 3, 4, 5}));
}

TEST(EventQueueTest, CancelRemovesTheEventOnce) {
  EventQueue q;
  Recorder r;
  q.Insert(Time::Micros(1), r.Make(1));
  const EventId id = q.Insert(Time::Micros(2), r.Make(2));
  q.Insert(Time::Micros(3), r.Make(3));
  EXPECT_TRUE(q.IsPending(id));
  EXPECT_TRUE(q.Cancel(id));
  EXPECT_FALSE(q.IsPending(id));
  EXPECT_EQ(q.size(), 2u);
  EXPECT_FALSE(q.Cancel(id));  // Twice: no effect.
  EXPECT_EQ(q.size(), 2u);
  Drain(q);
  EXPECT_EQ(r.log(), (std::vector<int>{1, 3}));
}

TEST(EventQueueTest, CancellingTheTopExposesTheNext) {
  EventQueue q;
  Recorder r;
  const EventId first = q.Insert(Time::Micros(1), r.Make(1));
  const EventId second = q.Insert(Time::Micros(2), r.Make(2));
  q.Insert(Time::Micros(3), r.Make(3));
  EXPECT_TRUE(q.Cancel(second));  // Buried: lazily dropped later.
  EXPECT_TRUE(q.Cancel(first));   // The top: the next live one surfaces.
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.PeekNextTime(), Time::Micros(3));
  Drain(q);
  EXPECT_EQ(r.log(), (std::vector<int>{3}));
}

TEST(EventQueueTest, CancelEverythingLeavesAnEmptyQueue) {
  EventQueue q;
  Recorder r;
  std::vector<EventId> ids;
  for (int i = 0; i < 100; ++i) ids.push_back(q.Insert(Time::Micros(100 - i), r.Make(i)));
  for (const EventId& id : ids) EXPECT_TRUE(q.Cancel(id));
  EXPECT_TRUE(q.IsEmpty());
  EXPECT_EQ(q.size(), 0u);
  // Still usable.
  q.Insert(Time::Micros(7), r.Make(7));
  Drain(q);
  EXPECT_EQ(r.log(), (std::vector<int>{7}));
}

TEST(EventQueueTest, CancelAfterRunFails) {
  EventQueue q;
  Recorder r;
  const EventId id = q.Insert(Time::Micros(1), r.Make(1));
  q.RemoveNext().action();
  EXPECT_FALSE(q.IsPending(id));
  EXPECT_FALSE(q.Cancel(id));
  EXPECT_EQ(r.log(), (std::vector<int>{1}));
}

TEST(EventQueueTest, StaleIdDoesNotTouchTheEventThatReusedItsSlot) {
  EventQueue q;
  Recorder r;
  const EventId old_id = q.Insert(Time::Micros(1), r.Make(1));
  q.RemoveNext();
  const EventId new_id = q.Insert(Time::Micros(2), r.Make(2));
  ASSERT_EQ(new_id.slot, old_id.slot);              // The free list hands the same slot back...
  EXPECT_NE(new_id.generation, old_id.generation);  // ...under a new generation.
  EXPECT_FALSE(q.IsPending(old_id));
  EXPECT_FALSE(q.Cancel(old_id));
  EXPECT_TRUE(q.IsPending(new_id));
  EXPECT_EQ(q.size(), 1u);

  // Same after a cancellation frees the slot.
  EXPECT_TRUE(q.Cancel(new_id));
  const EventId third = q.Insert(Time::Micros(3), r.Make(3));
  EXPECT_FALSE(q.Cancel(new_id));
  EXPECT_TRUE(q.IsPending(third));
  Drain(q);
  EXPECT_EQ(r.log(), (std::vector<int>{3}));
}

TEST(EventQueueTest, InvalidIdsAreNeverPending) {
  EventQueue q;
  EXPECT_FALSE(EventId{}.valid());
  EXPECT_FALSE(q.IsPending(EventId{}));
  EXPECT_FALSE(q.Cancel(EventId{}));
  EXPECT_FALSE(q.Cancel(EventId{12345, 1}));  // Slot never allocated.
  const EventId id = q.Insert(Time::Zero(), [] {});
  EXPECT_TRUE(id.valid());
  EXPECT_FALSE(q.Cancel(EventId{id.slot, 0}));
  EXPECT_TRUE(q.IsPending(id));
}

TEST(EventQueueTest, CancelDestroysTheCapturesAtOnce) {
  EventQueue q;
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  const EventId id = q.Insert(Time::Micros(10), [t = std::move(token)] {});
  q.Insert(Time::Micros(1), [] {});  // Keeps the cancelled one buried, not at the top.
  EXPECT_FALSE(watch.expired());
  EXPECT_TRUE(q.Cancel(id));
  EXPECT_TRUE(watch.expired());
}

TEST(EventQueueTest, DestructionDestroysPendingActions) {
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  {
    EventQueue q;
    q.Insert(Time::Micros(10), [t = std::move(token)] {});
  }
  EXPECT_TRUE(watch.expired());
}

TEST(EventQueueTest, MoveKeepsTheEvents) {
  EventQueue a;
  Recorder r;
  a.Insert(Time::Micros(2), r.Make(2));
  const EventId id = a.Insert(Time::Micros(1), r.Make(1));
  EventQueue b = std::move(a);
  EXPECT_EQ(b.size(), 2u);
  EXPECT_TRUE(b.IsPending(id));
  EventQueue c;
  c = std::move(b);
  Drain(c);
  EXPECT_EQ(r.log(), (std::vector<int>{1, 2}));
}

TEST(EventQueueTest, MassCancellationCompactsAndKeepsOrder) {
  EventQueue q;
  Rng rng(7);
  std::vector<int> log;
  std::vector<std::pair<EventId, int>> ids;
  std::map<std::pair<int64_t, int>, int> expected;  // (time, insertion index) -> tag
  for (int i = 0; i < 20000; ++i) {
    const int64_t t = static_cast<int64_t>(rng.UniformInt(500));
    ids.emplace_back(q.Insert(Time::Micros(t), [&log, i] { log.push_back(i); }), i);
    expected[{t, i}] = i;
  }
  // Cancel 90%: the cancelled keys outnumber the live ones, which triggers a rebuild.
  rng.Shuffle(ids.begin(), ids.end());
  std::vector<bool> cancelled(20000, false);
  for (size_t k = 0; k < 18000; ++k) {
    ASSERT_TRUE(q.Cancel(ids[k].first));
    cancelled[static_cast<size_t>(ids[k].second)] = true;
  }
  EXPECT_EQ(q.size(), 2000u);
  // Compacted: cancelled keys never outnumber the live ones by more than 64 (20,000 otherwise).
  EXPECT_LE(q.HeapSizeForTesting(), 2 * q.size() + 64);
  for (size_t k = 0; k < ids.size(); ++k) {
    EXPECT_EQ(q.IsPending(ids[k].first), k >= 18000);
  }
  Drain(q);
  std::vector<int> want;
  for (const auto& [key, tag] : expected) {
    if (!cancelled[static_cast<size_t>(tag)]) want.push_back(tag);
  }
  EXPECT_EQ(log, want);
}

// Differential test against a reference ordered map: random inserts (with many ties), cancels and
// pops, checking every pop, size and IsPending answer along the way.
void RunAgainstReference(EventQueue& q, uint64_t seed, int operations, size_t max_pending) {
  Rng rng(seed);
  struct Ref {
    int tag;
    EventId id;
  };
  std::map<std::pair<int64_t, uint64_t>, Ref> ref;  // (time, insertion number) -> event
  std::vector<std::pair<std::pair<int64_t, uint64_t>, EventId>> issued;
  uint64_t inserted = 0;
  int64_t now = 0;
  int last_tag = -1;
  for (int op = 0; op < operations; ++op) {
    const uint64_t dice = rng.UniformInt(10);
    if (ref.empty() || (dice < 5 && ref.size() < max_pending)) {
      const int64_t t = now + static_cast<int64_t>(rng.UniformInt(50));
      const int tag = static_cast<int>(inserted);
      const EventId id = q.Insert(Time::Micros(t), [&last_tag, tag] { last_tag = tag; });
      ref[{t, inserted}] = Ref{tag, id};
      issued.push_back({{t, inserted}, id});
      ++inserted;
    } else if (dice < 8) {
      const auto want = ref.begin();
      ASSERT_EQ(q.PeekNextTime().micros(), want->first.first);
      TimedAction e = q.RemoveNext();
      ASSERT_EQ(e.time.micros(), want->first.first);
      e.action();
      ASSERT_EQ(last_tag, want->second.tag);
      now = e.time.micros();
      ref.erase(want);
    } else {
      // Cancel a random id ever issued: live, already run, or already cancelled.
      const auto& [key, id] = issued[rng.UniformInt(issued.size())];
      const bool live = ref.count(key) > 0;
      ASSERT_EQ(q.IsPending(id), live);
      ASSERT_EQ(q.Cancel(id), live);
      ref.erase(key);
      ASSERT_FALSE(q.IsPending(id));
    }
    ASSERT_EQ(q.size(), ref.size());
    ASSERT_EQ(q.IsEmpty(), ref.empty());
  }
}

TEST(EventQueueTest, MatchesReferenceModel) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    EventQueue q;
    RunAgainstReference(q, seed, 50000, 100000);
  }
}

TEST(EventQueueTest, SequenceRenumberingPreservesOrder) {
  // Force the insertion sequence to wrap every 300 insertions (with at most 200 pending): the
  // queue renumbers its pending keys, and (time, insertion order) must survive it.
  for (uint64_t seed = 11; seed <= 13; ++seed) {
    EventQueue q;
    q.SetSequenceLimitForTesting(300);
    RunAgainstReference(q, seed, 20000, 200);
  }
}

TEST(EventQueueTest, NoAllocationOnceWarm) {
  EventQueue q;
  Rng rng(3);
  int64_t now = 0;
  int sink = 0;
  auto hold = [&](int n) {
    for (int i = 0; i < n; ++i) {
      TimedAction e = q.RemoveNext();
      now = e.time.micros();
      e.action();
      const EventId id = q.Insert(
          Time::Micros(now + 1 + static_cast<int64_t>(rng.UniformInt(1000))), [&sink] { ++sink; });
      if (i % 8 == 0) {  // Some cancellations too, replaced at once.
        q.Cancel(id);
        q.Insert(Time::Micros(now + static_cast<int64_t>(rng.UniformInt(1000))),
                 [&sink] { ++sink; });
      }
    }
  };
  for (int i = 0; i < 10000; ++i)
    q.Insert(Time::Micros(static_cast<int64_t>(i)), [&sink] { ++sink; });
  // Warm up: the pool, the free list and the heap reach their working size (with cancelled keys
  // accumulating up to one rebuild, the heap holds up to twice the live events).
  hold(300000);
  const uint64_t before = test::AllocationCount();
  hold(200000);
  const uint64_t after = test::AllocationCount();
  EXPECT_EQ(after - before, 0u);
  EXPECT_EQ(q.size(), 10000u);
}

TEST(EventQueueDeathTest, PreconditionsAbort) {
  EventQueue q;
  EXPECT_DEATH(q.RemoveNext(), "empty queue");
  EXPECT_DEATH(q.PeekNextTime(), "empty queue");
  EXPECT_DEATH(q.Insert(Time::Zero(), Action()), "empty action");
}

}  // namespace
}  // namespace clustersim::sim
