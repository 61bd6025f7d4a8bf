#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "sim/time.h"

namespace clustersim::models {

// Times at which agents are due a look, popped earliest first. Pushes mostly come in time order
// (a framework's filters all last its refuse_seconds, so each cycle's idle marks lapse later than
// the previous cycle's): those go to a FIFO in O(1), the rest to a heap. The master pushes one
// entry per idle mark, hundreds of millions in a simulated day at cluster scale, where a heap
// alone cost a tenth of the run.
class ExpiryQueue {
 public:
  void Push(sim::Time at, uint32_t agent) {
    if (in_order_.empty() || at >= in_order_.back().first) {
      in_order_.emplace_back(at, agent);
    } else {
      out_of_order_.emplace_back(at, agent);
      std::push_heap(out_of_order_.begin(), out_of_order_.end(), Later);
    }
  }
  // Calls due(agent) for every entry with time <= now, earliest first (ties in push order within
  // each of the two parts).
  template <typename Fn>
  void PopDue(sim::Time now, Fn&& due) {
    while (true) {
      const bool fifo = !in_order_.empty() && in_order_.front().first <= now;
      const bool heap = !out_of_order_.empty() && out_of_order_.front().first <= now;
      if (!fifo && !heap) return;
      if (fifo && (!heap || in_order_.front().first <= out_of_order_.front().first)) {
        due(in_order_.front().second);
        in_order_.pop_front();
      } else {
        std::pop_heap(out_of_order_.begin(), out_of_order_.end(), Later);
        due(out_of_order_.back().second);
        out_of_order_.pop_back();
      }
    }
  }
  size_t size() const { return in_order_.size() + out_of_order_.size(); }

 private:
  static bool Later(const std::pair<sim::Time, uint32_t>& a,
                    const std::pair<sim::Time, uint32_t>& b) {
    return a.first > b.first;
  }
  std::deque<std::pair<sim::Time, uint32_t>> in_order_;
  std::vector<std::pair<sim::Time, uint32_t>> out_of_order_;  // min-heap by time
};

}  // namespace clustersim::models
