#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "models/task_table.h"
#include "scheduler_plugins/api/placement_policy.h"

namespace clustersim::models {

// A framework's queue of pending tasks, kept in the form a decision round hands to the placement
// policy (TaskView, contiguous), so that a round costs what it places rather than the queue's
// length: a trace replay can queue hundreds of thousands of tasks while each round places a few.
//
// Placed tasks are marked during a round (a per-round stamp, so nothing is reset between rounds)
// and removed afterwards by moving the unplaced ones of the front region [front, last placed]
// towards the back; the queue's tail never moves. The storage keeps a gap at the front for
// retries (PushFront) and is compacted when the gap outgrows the queue.
class PendingQueue {
 public:
  size_t size() const { return slots_.size() - head_; }
  bool empty() const { return size() == 0; }
  TaskSlot slot(size_t i) const { return slots_[head_ + i]; }
  // Entries held, the dead ones before the front included.
  size_t storage() const { return slots_.size(); }
  std::span<const plugins::TaskView> views() const {
    return std::span<const plugins::TaskView>(views_).subspan(head_);
  }

  void SetShape(size_t i, uint32_t shape) { views_[head_ + i].shape = shape; }

  void PushBack(TaskSlot slot, const plugins::TaskView& view) {
    slots_.push_back(slot);
    views_.push_back(view);
    stamps_.push_back(0);
  }
  void PushFront(TaskSlot slot, const plugins::TaskView& view) {
    if (head_ == 0) MakeFrontGap();
    --head_;
    slots_[head_] = slot;
    views_[head_] = view;
    stamps_[head_] = 0;
  }

  // A round's marks: Mark(i, stamp) and Marked(i, stamp) with a stamp fresh for the round.
  uint32_t NewStamp() {
    if (++stamp_ == 0) ++stamp_;  // 0 means unmarked
    return stamp_;
  }
  void Mark(size_t i, uint32_t stamp) { stamps_[head_ + i] = stamp; }
  bool Marked(size_t i, uint32_t stamp) const { return stamps_[head_ + i] == stamp; }

  // Removes the entries marked with `stamp`, all at indices <= last, keeping the others' order.
  // O(last + 1).
  void RemoveMarked(uint32_t stamp, size_t last) {
    size_t write = head_ + last + 1;
    for (size_t read = head_ + last + 1; read-- > head_;) {
      if (stamps_[read] == stamp) continue;
      --write;
      if (write != read) {
        slots_[write] = slots_[read];
        views_[write] = views_[read];
        stamps_[write] = stamps_[read];
      }
    }
    head_ = write;
    if (head_ > 1024 && head_ > size()) Compact(/*gap=*/0);
  }

 private:
  void MakeFrontGap() { Compact(std::max<size_t>(16, size() / 2)); }
  void Compact(size_t gap) {
    std::vector<TaskSlot> slots(gap);
    std::vector<plugins::TaskView> views(gap);
    std::vector<uint32_t> stamps(gap, 0);
    slots.insert(slots.end(), slots_.begin() + static_cast<std::ptrdiff_t>(head_), slots_.end());
    views.insert(views.end(), views_.begin() + static_cast<std::ptrdiff_t>(head_), views_.end());
    stamps.insert(stamps.end(), stamps_.begin() + static_cast<std::ptrdiff_t>(head_),
                  stamps_.end());
    slots_.swap(slots);
    views_.swap(views);
    stamps_.swap(stamps);
    head_ = gap;
  }

  std::vector<TaskSlot> slots_;
  std::vector<plugins::TaskView> views_;
  std::vector<uint32_t> stamps_;
  size_t head_ = 0;
  uint32_t stamp_ = 0;
};

}  // namespace clustersim::models
