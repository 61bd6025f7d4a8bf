#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/action.h"
#include "sim/event_queue.h"
#include "sim/random.h"
#include "sim/time.h"

namespace clustersim::sim {

// The discrete-event kernel: a clock, an event queue ordered by (time, insertion sequence), and
// the run's random streams. Knows nothing of clusters.
class Simulator {
 public:
  explicit Simulator(uint64_t seed);
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  Time Now() const { return now_; }

  // Precondition: at >= Now(). Events at the same time run in the order they were scheduled.
  // O(log n); allocates nothing once the queue has grown to its working size.
  EventId Schedule(Time at, Action action);
  EventId ScheduleAfter(Time delay, Action action) {
    return Schedule(now_ + delay, std::move(action));
  }
  // Runs `action` once all events at the current instant (including those scheduled while it
  // runs) are done, before the clock moves on. Several such actions run in request order.
  void AtEndOfInstant(Action action);
  // Returns false if the event already ran or was cancelled. O(1).
  bool Cancel(EventId id);
  bool IsPending(EventId id) const;

  // Runs events with time <= end, then sets Now() to end (unless stopped early). Returns the number
  // of events executed by this call.
  uint64_t RunUntil(Time end);
  // Runs the next event (and due end-of-instant actions). Returns false if nothing is left.
  bool Step();
  // Asks RunUntil to return after the current event (a model that failed); Now() stays where it is.
  void RequestStop() { stop_requested_ = true; }
  bool stop_requested() const { return stop_requested_; }

  // A stop asked from outside the simulation: `token` is set by a signal handler (Ctrl-C) or
  // another thread. Once it reads true, RunUntil returns after the event or end-of-instant batch
  // it is seen after (or at once, if set before the call) with stop_requested() true, and so does
  // every later RunUntil: an interrupted run does not resume. It is polled after every event (one
  // relaxed load), so a run stops within one event of the request whatever the events cost. The
  // token must outlive the simulator; nullptr removes it.
  void SetStopToken(const std::atomic<bool>* token);
  // True once the stop token is set. An event that may run long (a trace replay reading a big
  // chunk of rows) polls it and returns early; RunUntil then stops after that event.
  bool interrupted() const { return stop_token_->load(std::memory_order_relaxed); }

  // Calls hook after every `every_n_events` events (progress reporting lives outside sim/).
  void SetTickHook(uint64_t every_n_events, std::function<void()> hook);

  // Long work inside one event (a workload submitting a million initial jobs at once) reports how
  // far it got: `done` of `total` units of `what` (a string that outlives the call). Every
  // kWorkReportEvery-th report reaches the work hook, so that a progress display is not silent
  // while the event runs; the tick hook, counting events, cannot see inside one.
  struct Work {
    std::string_view what;
    uint64_t done = 0;
    uint64_t total = 0;
  };
  static constexpr uint64_t kWorkReportEvery = 1024;
  void SetWorkHook(std::function<void(const Work&)> hook) { work_hook_ = std::move(hook); }
  void ReportWork(std::string_view what, uint64_t done, uint64_t total) {
    if (work_hook_ && ++work_reports_ % kWorkReportEvery == 0) work_hook_(Work{what, done, total});
  }

  uint64_t events_executed() const { return events_executed_; }
  size_t pending_events() const { return queue_.size(); }
  const RandomStreams& random() const { return random_; }

 private:
  void RunEndOfInstant();

  Time now_ = Time::Zero();
  EventQueue queue_;
  std::vector<Action> end_of_instant_;
  std::vector<Action> end_of_instant_running_;
  RandomStreams random_;
  uint64_t events_executed_ = 0;
  uint64_t tick_every_ = 0;
  uint64_t next_tick_ = 0;
  std::function<void()> tick_hook_;
  uint64_t work_reports_ = 0;
  std::function<void(const Work&)> work_hook_;
  const std::atomic<bool>* stop_token_;  // never null: a token that stays false when none is set
  bool stop_requested_ = false;
  bool stop_delivered_ = false;  // A RunUntil has already returned because of stop_requested_.
  bool running_ = false;         // Inside RunUntil or Step: they must not nest.
};

}  // namespace clustersim::sim
