#pragma once

#include <vector>

#include "models/task.h"
#include "sim/check.h"

namespace clustersim::models {

// Live tasks in a slot pool. Add and Remove are O(1); slots are reused (lowest freed first is not
// needed: reuse order is LIFO and deterministic).
class TaskTable {
 public:
  TaskSlot Add(const Task& task) {
    TaskSlot slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
      tasks_[slot.index()] = task;
    } else {
      slot = TaskSlot(static_cast<uint32_t>(tasks_.size()));
      tasks_.push_back(task);
      live_flags_.push_back(0);
    }
    live_flags_[slot.index()] = 1;
    ++live_;
    return slot;
  }
  void Remove(TaskSlot slot) {
    SIM_CHECK(live_flags_[slot.index()]);
    live_flags_[slot.index()] = 0;
    free_.push_back(slot);
    --live_;
  }
  Task& operator[](TaskSlot slot) { return tasks_[slot.index()]; }
  const Task& operator[](TaskSlot slot) const { return tasks_[slot.index()]; }
  bool IsLive(TaskSlot slot) const {
    return slot.index() < live_flags_.size() && live_flags_[slot.index()];
  }
  size_t live() const { return live_; }

  template <typename Fn>
  void ForEachLive(Fn&& fn) const {
    for (TaskSlot s : plugins::FirstIds<TaskSlot>(tasks_.size())) {
      if (live_flags_[s.index()]) fn(s, tasks_[s.index()]);
    }
  }

 private:
  std::vector<Task> tasks_;
  std::vector<uint8_t> live_flags_;
  std::vector<TaskSlot> free_;
  size_t live_ = 0;
};

}  // namespace clustersim::models
