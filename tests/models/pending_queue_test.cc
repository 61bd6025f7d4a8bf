#include "models/framework/pending_queue.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

namespace clustersim::models {
namespace {

plugins::TaskView ViewOf(uint32_t shape) {
  plugins::TaskView v;
  v.shape = shape;
  return v;
}

// The tests give each task the shape equal to its slot number, to check views and slots move
// together.
void PushBack(PendingQueue& q, uint32_t slot) { q.PushBack(TaskSlot{slot}, ViewOf(slot)); }
void PushFront(PendingQueue& q, uint32_t slot) { q.PushFront(TaskSlot{slot}, ViewOf(slot)); }

std::vector<TaskSlot> Slots(const PendingQueue& q) {
  std::vector<TaskSlot> out;
  for (size_t i = 0; i < q.size(); ++i) {
    out.push_back(q.slot(i));
    EXPECT_EQ(q.views()[i].shape, q.slot(i).value) << "view and slot out of step at " << i;
  }
  return out;
}

std::vector<TaskSlot> SlotsNumbered(std::initializer_list<uint32_t> numbers) {
  std::vector<TaskSlot> out;
  for (uint32_t n : numbers) out.emplace_back(n);
  return out;
}

TEST(PendingQueueTest, RemovesMarkedEntriesAndKeepsTheOrderOfTheRest) {
  PendingQueue q;
  for (uint32_t s = 0; s < 8; ++s) PushBack(q, s);
  const uint32_t stamp = q.NewStamp();
  q.Mark(1, stamp);
  q.Mark(4, stamp);
  q.Mark(5, stamp);
  EXPECT_TRUE(q.Marked(4, stamp));
  EXPECT_FALSE(q.Marked(3, stamp));
  q.RemoveMarked(stamp, 5);
  EXPECT_EQ(Slots(q), SlotsNumbered({0, 2, 3, 6, 7}));
}

TEST(PendingQueueTest, AnOldRoundsMarksDoNotCountInTheNextRound) {
  PendingQueue q;
  for (uint32_t s = 0; s < 4; ++s) PushBack(q, s);
  const uint32_t first = q.NewStamp();
  q.Mark(2, first);  // marked but never removed (e.g. the round was abandoned)
  const uint32_t second = q.NewStamp();
  EXPECT_NE(first, second);
  EXPECT_FALSE(q.Marked(2, second));
  q.Mark(0, second);
  q.RemoveMarked(second, 0);
  EXPECT_EQ(Slots(q), SlotsNumbered({1, 2, 3}));
}

TEST(PendingQueueTest, RetriesGoToTheFrontInTheOrderPushed) {
  PendingQueue q;
  PushBack(q, 10);
  PushBack(q, 11);
  PushFront(q, 9);  // no gap yet: the storage is rebuilt with one
  PushFront(q, 8);
  EXPECT_EQ(Slots(q), SlotsNumbered({8, 9, 10, 11}));
  const uint32_t stamp = q.NewStamp();
  q.Mark(0, stamp);
  q.Mark(2, stamp);
  q.RemoveMarked(stamp, 2);
  PushFront(q, 7);
  EXPECT_EQ(Slots(q), SlotsNumbered({7, 9, 11}));
}

TEST(PendingQueueTest, DrainingFromTheFrontForeverKeepsMemoryBounded) {
  PendingQueue q;
  uint32_t next = 0;
  for (int round = 0; round < 20000; ++round) {
    for (int i = 0; i < 5; ++i, ++next) PushBack(q, next);
    const uint32_t stamp = q.NewStamp();
    for (size_t i = 0; i < 5; ++i) q.Mark(i, stamp);
    q.RemoveMarked(stamp, 4);
    EXPECT_LE(q.storage(), 1100u) << "round " << round;
  }
  // 100,000 tasks went through; the dead front is compacted away once it outgrows the queue.
  EXPECT_TRUE(q.empty());
  PushBack(q, next);
  EXPECT_EQ(Slots(q), SlotsNumbered({next}));
}

}  // namespace
}  // namespace clustersim::models
