#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/time.h"

namespace clustersim::apps {

// The one progress display of the command line: a single line on stderr, rewritten in place and
// blanked when done. Silent unless enabled and stderr is a terminal, so that files and pipes never
// see it. The only wall clock the runner reads besides a run's total wall time.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool enabled() const { return enabled_; }
  // Wall seconds since construction.
  double Elapsed() const;
  void Show(std::string_view text);
  void Clear();

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  size_t shown_width_ = 0;  // 0: nothing on the line
  Clock::time_point start_;
};

// One run's progress, for runs longer than ~2 s of wall time: simulated time reached, events per
// second and an ETA, at most four times a second.
class SimProgress {
 public:
  SimProgress(sim::Time horizon, bool enabled);
  void Update(sim::Time now, uint64_t events);
  void Clear() { line_.Clear(); }

 private:
  ProgressLine line_;
  sim::Time horizon_;
  double last_shown_ = 0;
};

// A batch's progress (compare, sweep): runs finished of the total, as a bar, and an ETA from the
// runs finished in this session (runs `already_done` before it, e.g. on --resume, do not count).
class BatchProgress {
 public:
  BatchProgress(size_t total, size_t already_done);
  void RunFinished();
  void Clear() { line_.Clear(); }

 private:
  ProgressLine line_;
  size_t total_;
  size_t already_done_;
  size_t finished_;
};

}  // namespace clustersim::apps
