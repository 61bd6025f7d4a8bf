#pragma once

#include <chrono>
#include <cstdint>

#include "sim/time.h"

namespace clustersim::apps {

// The progress line on stderr for runs longer than ~2 s of wall time: simulated time reached,
// events per second and an ETA. Silent when stderr is not a terminal. The only wall clock a run
// reads besides the total wall time.
class ProgressLine {
 public:
  ProgressLine(sim::Time horizon, bool enabled);
  ~ProgressLine();
  void Update(sim::Time now, uint64_t events);
  void Clear();

 private:
  using Clock = std::chrono::steady_clock;
  sim::Time horizon_;
  bool enabled_;
  bool shown_ = false;
  Clock::time_point start_;
  Clock::time_point last_print_;
};

}  // namespace clustersim::apps
