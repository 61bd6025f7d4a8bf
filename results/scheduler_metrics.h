#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "models/master/master.h"
#include "models/signals.h"
#include "scheduler_plugins/api/resources.h"
#include "sim/quantiles.h"
#include "sim/simulator.h"

namespace clustersim::results {

// Per scheduler (a framework, under two-level), what summary.json's schedulers[] reports (issue
// 16; the Omega paper's §4 metrics): how long it was deciding, split by what came of it, and the
// share of the cell it held in outstanding offers, integrated over time.
class SchedulerMetrics {
 public:
  struct Scheduler {
    sim::Time busy;    // deciding, over the run
    sim::Time useful;  // ... in rounds that placed tasks (shared-state: and had no conflict)
    // ... in two-level rounds whose every launch was lost (rescinded offers) and shared-state
    // attempts whose transaction had a conflicting claim; attempts placing nothing are in neither.
    sim::Time wasted;
    // Cpus and memory held in the framework's offers, integrated over time (amount x s): each
    // offer adds its resources x (answered - created) when it ends.
    double offered_cpu_area = 0, offered_mem_area = 0;
    // The round in progress at the end counts up to the end only.
    sim::Time busy_until;
    sim::Time round_started;
    bool last_round_useful = false;
    // Jobs: submitted (with a schedulable task), first attempts and their waits, abandoned.
    uint64_t jobs_submitted = 0, jobs_attempted = 0, jobs_abandoned = 0;
    double job_wait_sum_s = 0;
    sim::QuantileSeries job_wait_s{uint64_t{1} << 16};
    // Jobs with every task launched, and their time in the queue over their attempts.
    uint64_t jobs_fully_placed = 0;
    double job_placed_wait_sum_s = 0;
    sim::QuantileSeries job_placed_wait_s{uint64_t{1} << 16};
    // Shared-state transactions, and their claims (one per task).
    uint64_t transactions = 0, conflicted_transactions = 0;
    uint64_t claims_committed = 0, claims_conflicted = 0;
  };

  SchedulerMetrics(models::ClusterSignals& signals, const sim::Simulator& sim, size_t frameworks);

  // An offer was accepted, declined or rescinded at `now`. Called by MetricsCollector from its
  // own handlers (this runs for every offer: no handler of its own, nothing done for an offer
  // answered at the instant it was made).
  void OfferEnded(const models::Offer& offer, sim::Time now) {
    // An offer made before the measurement started counts from its start.
    const sim::Time from = std::max(offer.created, measured_from_);
    if (now <= from) return;
    Scheduler& s = schedulers_[offer.framework.index()];
    const double held = (now - from).seconds();
    s.offered_cpu_area += offer.resources.cpus() * held;
    s.offered_mem_area += offer.resources.mem() * held;
  }
  // Closes the round in progress and the offers still outstanding (`master`'s) at `now`, the end
  // of the run.
  void Finish(sim::Time now, const models::Master& master);
  // Starts every figure again at `now` (results.warmup): a round in progress counts from now on,
  // outstanding offers from now (OfferEnded), jobs and transactions from now on.
  void Restart(sim::Time now);
  const Scheduler& of(models::FrameworkId framework) const {
    return schedulers_[framework.index()];
  }

 private:
  // The part of a round of `busy` started at `s.round_started` that lies after measured_from_.
  sim::Time Measured(const Scheduler& s, sim::Time busy) const {
    const sim::Time before = measured_from_ - s.round_started;
    return before > sim::Time::Zero() ? std::max(sim::Time::Zero(), busy - before) : busy;
  }

  const sim::Simulator& sim_;
  sim::Time measured_from_ = sim::Time::Zero();
  std::vector<Scheduler> schedulers_;  // by FrameworkId
};

}  // namespace clustersim::results
