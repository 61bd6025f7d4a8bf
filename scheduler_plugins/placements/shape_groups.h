#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "scheduler_plugins/api/placement_policy.h"

namespace clustersim::plugins {

// A round's tasks grouped by shape (TaskView::shape): groups in the queue order of their first
// task, each group's tasks in queue order. Flat arrays and an open-addressing index, rebuilt in
// place each round: a node-based map and a vector per group cost an allocation per shape, which
// on a long backlog of tasks of sampled sizes (a shape per task or nearly) was a large part of
// every round.
class ShapeGroups {
 public:
  void Build(std::span<const TaskView> tasks) {
    const size_t n = tasks.size();
    size_t capacity = 16;
    while (capacity < 2 * n) capacity *= 2;
    slots_.assign(capacity, kEmpty);
    shift_ = 64 - std::countr_zero(capacity);
    group_of_.resize(n);
    begin_.clear();
    for (size_t t = 0; t < n; ++t) {
      const uint32_t g = GroupFor(tasks[t].shape);
      group_of_[t] = g;
      ++begin_[g + 1];
    }
    for (size_t g = 1; g < begin_.size(); ++g) begin_[g] += begin_[g - 1];
    tasks_.resize(n);
    fill_ = begin_;
    for (size_t t = 0; t < n; ++t) tasks_[fill_[group_of_[t]]++] = static_cast<uint32_t>(t);
  }

  size_t size() const { return begin_.empty() ? 0 : begin_.size() - 1; }
  // Group `g`'s tasks (indexes into the round's tasks), in queue order.
  std::span<const uint32_t> tasks(size_t g) const {
    return std::span<const uint32_t>(tasks_).subspan(begin_[g], begin_[g + 1] - begin_[g]);
  }

 private:
  static constexpr uint64_t kEmpty = UINT64_MAX;

  // The group of `shape`, added (as the next group) on first sight. A slot holds shape << 32 |
  // group; a table of at least twice the tasks keeps probes short.
  uint32_t GroupFor(uint32_t shape) {
    if (begin_.empty()) begin_.push_back(0);
    const uint64_t mask = slots_.size() - 1;
    for (uint64_t i = (shape * 0x9E3779B97F4A7C15ULL) >> shift_;; i = (i + 1) & mask) {
      uint64_t& slot = slots_[i];
      if (slot == kEmpty) {
        const uint32_t g = static_cast<uint32_t>(begin_.size() - 1);
        slot = static_cast<uint64_t>(shape) << 32 | g;
        begin_.push_back(0);
        return g;
      }
      if (static_cast<uint32_t>(slot >> 32) == shape) return static_cast<uint32_t>(slot);
    }
  }

  std::vector<uint64_t> slots_;
  int shift_ = 60;
  std::vector<uint32_t> group_of_;  // per task
  std::vector<uint32_t> begin_;     // per group, its first entry in tasks_; one past the last
  std::vector<uint32_t> fill_;
  std::vector<uint32_t> tasks_;
};

}  // namespace clustersim::plugins
