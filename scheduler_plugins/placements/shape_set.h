#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace clustersim::plugins {

// A set of shape ids (TaskView::shape) for a round's "this shape found no offer" memo: open
// addressing over a flat table, so that the question asked of every task of a long backlog is a
// multiply and a probe or two, not a node-based hash set's division and pointer chase.
class ShapeSet {
 public:
  bool contains(uint32_t shape) const {
    if (size_ == 0) return false;
    for (size_t i = Home(shape);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == kEmpty) return false;
      if (slots_[i] == shape) return true;
    }
  }
  void insert(uint32_t shape) {
    if (2 * (size_ + 1) > slots_.size()) Grow();
    for (size_t i = Home(shape);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == shape) return;
      if (slots_[i] == kEmpty) {
        slots_[i] = shape;
        ++size_;
        return;
      }
    }
  }
  size_t size() const { return size_; }

 private:
  static constexpr uint64_t kEmpty = UINT64_MAX;  // no shape id (ids are 32-bit)

  size_t Home(uint32_t shape) const {
    return static_cast<size_t>((shape * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  // Doubles the table (at least 16 slots) and re-inserts what it held.
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    const size_t capacity = old.empty() ? 16 : 2 * old.size();
    slots_.assign(capacity, kEmpty);
    shift_ = 64 - std::countr_zero(capacity);
    size_ = 0;
    for (const uint64_t s : old) {
      if (s != kEmpty) insert(static_cast<uint32_t>(s));
    }
  }

  std::vector<uint64_t> slots_;
  int shift_ = 64;
  size_t size_ = 0;
};

}  // namespace clustersim::plugins
