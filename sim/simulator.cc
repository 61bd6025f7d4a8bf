#include "sim/simulator.h"

#include <utility>

#include "sim/check.h"

namespace clustersim::sim {

namespace {
// The stop token of a simulator given none: it is never set.
const std::atomic<bool> kNeverStop{false};
}  // namespace

Simulator::Simulator(uint64_t seed) : random_(seed), stop_token_(&kNeverStop) {}

void Simulator::SetStopToken(const std::atomic<bool>* token) {
  stop_token_ = token != nullptr ? token : &kNeverStop;
}

EventId Simulator::Schedule(Time at, Action action) {
  SIM_CHECK_MSG(at >= now_, "Simulator::Schedule: event time is before Now()");
  return queue_.Insert(at, std::move(action));
}

void Simulator::AtEndOfInstant(Action action) {
  SIM_CHECK_MSG(static_cast<bool>(action), "Simulator::AtEndOfInstant: empty action");
  end_of_instant_.push_back(std::move(action));
}

bool Simulator::Cancel(EventId id) { return queue_.Cancel(id); }

bool Simulator::IsPending(EventId id) const { return queue_.IsPending(id); }

void Simulator::SetTickHook(uint64_t every_n_events, std::function<void()> hook) {
  if (every_n_events == 0 || !hook) {
    tick_every_ = 0;
    tick_hook_ = nullptr;
    return;
  }
  tick_every_ = every_n_events;
  next_tick_ = events_executed_ + every_n_events;
  tick_hook_ = std::move(hook);
}

namespace {

// Marks the simulator as running for one RunUntil or Step; an event that calls either again would
// move the clock under the event that is running.
class RunningScope {
 public:
  explicit RunningScope(bool& running) : running_(running) {
    SIM_CHECK_MSG(!running_, "Simulator::RunUntil/Step called from inside an event");
    running_ = true;
  }
  ~RunningScope() { running_ = false; }
  RunningScope(const RunningScope&) = delete;
  RunningScope& operator=(const RunningScope&) = delete;

 private:
  bool& running_;
};

// End-of-instant actions are due when nothing else is left at the current instant.
bool EndOfInstantDue(const std::vector<Action>& pending, const EventQueue& queue, Time now) {
  return !pending.empty() && (queue.IsEmpty() || queue.PeekNextTime() > now);
}

}  // namespace

// Runs one batch: the actions requested so far, in request order. Actions they request go to the
// next batch (the caller loops), after any events they schedule at the current instant.
void Simulator::RunEndOfInstant() {
  end_of_instant_running_.swap(end_of_instant_);
  for (Action& action : end_of_instant_running_) action();
  end_of_instant_running_.clear();  // Keeps the capacity: no allocation once warm.
}

// Stopping: a RunUntil returns after the event (or end-of-instant batch) during which RequestStop
// was called, or at once if it was called before the run (say, by a model failing during set-up).
// stop_requested() stays true after such a return, for the caller to inspect; calling RunUntil
// again then clears it and resumes. When a run stops mid-instant, the instant's remaining events
// and end-of-instant actions run first thing in the next RunUntil or Step. A set stop token
// (SetStopToken) stops every RunUntil the same way, and is never cleared here.
uint64_t Simulator::RunUntil(Time end) {
  SIM_CHECK_MSG(end >= now_, "Simulator::RunUntil: end is before Now()");
  RunningScope running(running_);
  if (interrupted()) {
    stop_requested_ = true;
    stop_delivered_ = true;
    return 0;
  }
  if (stop_requested_) {
    if (!stop_delivered_) {
      stop_delivered_ = true;
      return 0;
    }
    stop_requested_ = false;
    stop_delivered_ = false;
  }
  uint64_t executed = 0;
  for (;;) {
    if (EndOfInstantDue(end_of_instant_, queue_, now_)) {
      RunEndOfInstant();
      if (stop_requested_ || interrupted()) {
        stop_requested_ = true;
        stop_delivered_ = true;
        return executed;
      }
      continue;
    }
    if (queue_.IsEmpty() || queue_.PeekNextTime() > end) break;
    TimedAction event = queue_.RemoveNext();
    now_ = event.time;
    event.action();
    ++executed;
    if (++events_executed_ == next_tick_ && tick_every_ != 0) {
      next_tick_ += tick_every_;
      tick_hook_();
    }
    if (stop_requested_ || interrupted()) {
      stop_requested_ = true;
      stop_delivered_ = true;
      return executed;
    }
  }
  now_ = end;
  return executed;
}

bool Simulator::Step() {
  RunningScope running(running_);
  while (EndOfInstantDue(end_of_instant_, queue_, now_)) RunEndOfInstant();
  if (queue_.IsEmpty()) return false;
  TimedAction event = queue_.RemoveNext();
  now_ = event.time;
  event.action();
  if (++events_executed_ == next_tick_ && tick_every_ != 0) {
    next_tick_ += tick_every_;
    tick_hook_();
  }
  while (EndOfInstantDue(end_of_instant_, queue_, now_)) RunEndOfInstant();
  return true;
}

}  // namespace clustersim::sim
