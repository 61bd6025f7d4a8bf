#pragma once

#include <functional>

#include "models/workload/trace_io/csv_table_io.h"
#include "models/workload/trace_source.h"
#include "sim/simulator.h"
#include "sim/status.h"
#include "sim/time.h"

namespace clustersim::models {

// The loop that table-driven replays share: a TimeOrderedTable read one unit ahead of simulated
// time, each unit handled at its time (at once if that has passed), then a wake-up for the next.
// A read error, or Stop, ends the replay and fails the run once.
class TablePump {
 public:
  struct Hooks {
    // Asked before each read: false ends the replay (e.g. trace.first_jobs reached).
    std::function<bool()> more = [] { return true; };
    // The simulated time of a unit just read.
    std::function<sim::Time(const TableUnit&)> due;
    // Handles a unit at its time.
    std::function<void(const TableUnit&)> handle;
  };

  // Takes the host's simulator and error sink (before Stop or Run).
  void Bind(const TraceHost& host) {
    sim_ = &host.simulator;
    errors_ = &host.errors;
  }
  // Starts the loop over `table` (which outlives this pump).
  void Run(TimeOrderedTable& table, Hooks hooks) {
    table_ = &table;
    hooks_ = std::move(hooks);
    Pump();
  }
  void Stop(const sim::Status& status) {
    if (stopped_) return;
    stopped_ = true;
    errors_->Fail(status);
  }
  bool stopped() const { return stopped_; }
  // For TimeOrderedTable::Options::stop: true once the run is being interrupted (Ctrl-C).
  std::function<bool()> InterruptPoll() const {
    return [sim = sim_] { return sim->interrupted(); };
  }
  sim::Simulator& simulator() const { return *sim_; }

 private:
  // Ends early, scheduling nothing, when the run is being interrupted (Ctrl-C): the units due at
  // one instant may be many (every machine of a trace at t = 0), and the run ends after this event.
  void Pump() {
    while (!stopped_ && !sim_->interrupted()) {
      if (!have_next_) {
        if (!hooks_.more()) return;
        if (!table_->Next(next_)) {
          if (!table_->status().ok()) Stop(table_->status());
          return;
        }
        have_next_ = true;
      }
      const sim::Time at = hooks_.due(next_);
      if (at > sim_->Now()) {
        sim_->Schedule(at, [this] { Pump(); });
        return;
      }
      have_next_ = false;
      hooks_.handle(next_);
    }
  }

  sim::Simulator* sim_ = nullptr;
  TraceErrors* errors_ = nullptr;
  TimeOrderedTable* table_ = nullptr;
  Hooks hooks_;
  TableUnit next_;
  bool have_next_ = false;
  bool stopped_ = false;
};

}  // namespace clustersim::models
