#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/simulator.h"
#include "sim/time.h"

namespace clustersim::apps {

// How a command reports progress on stderr: not at all (--quiet, --no-progress), or on a terminal
// as one line rewritten in place, elsewhere (a file, a pipe, a CI log) as a log line every
// `interval_s` seconds of wall time (--progress-interval).
struct ProgressOptions {
  bool enabled = true;
  double interval_s = 10;
};

// The one progress display of the command line, on stderr. On a terminal a single line, rewritten
// in place and blanked when done; otherwise whole lines, each ending in a newline, so that logs
// stay readable. The only wall clock the runner reads besides a run's total wall time (the
// simulation never reads one).
class ProgressLine {
 public:
  enum class Mode { kOff, kTerminal, kLog };
  explicit ProgressLine(const ProgressOptions& options);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  Mode mode() const { return mode_; }
  // Wall seconds since construction.
  double Elapsed() const;
  // Whether a line is due now: on a terminal every 0.25 s after the first 2 s (short runs show
  // nothing), in a log every interval.
  bool Due();
  void Show(std::string_view text);
  void Clear();

 private:
  using Clock = std::chrono::steady_clock;
  Mode mode_;
  double interval_s_;
  double last_shown_ = 0;
  size_t shown_width_ = 0;  // 0: nothing on the line
  Clock::time_point start_;
};

// One run's progress: simulated time reached of the horizon, percent, events per second and an
// ETA.
class SimProgress {
 public:
  SimProgress(sim::Time horizon, const ProgressOptions& options);
  void Update(sim::Time now, uint64_t events);
  // From inside one long event (Simulator::ReportWork): what it is doing, instead of rates.
  void UpdateWork(sim::Time now, const sim::Simulator::Work& work);
  void Clear() { line_.Clear(); }

 private:
  ProgressLine line_;
  sim::Time horizon_;
};

// A batch's progress (compare, sweep): runs finished of the total and an ETA from the runs
// finished in this session (runs `already_done` before it, e.g. on --resume, do not count). On a
// terminal a bar, updated as each run finishes; in a log a line when a run finishes an interval
// or more after the previous line, and when the last one finishes.
class BatchProgress {
 public:
  BatchProgress(size_t total, size_t already_done, const ProgressOptions& options);
  void RunFinished();
  void Clear() { line_.Clear(); }

 private:
  ProgressLine line_;
  size_t total_;
  size_t already_done_;
  size_t finished_;
};

}  // namespace clustersim::apps
