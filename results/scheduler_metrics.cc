#include "results/scheduler_metrics.h"

namespace clustersim::results {

SchedulerMetrics::SchedulerMetrics(models::ClusterSignals& signals, const sim::Simulator& sim,
                                   size_t frameworks)
    : sim_(sim), schedulers_(frameworks) {
  signals.decision_started.Connect([this](models::FrameworkId f, sim::Time busy, size_t placed) {
    Scheduler& s = schedulers_[f.index()];
    s.busy += busy;
    s.last_round_useful = placed > 0;
    if (s.last_round_useful) s.useful += busy;
    s.busy_until = sim_.Now() + busy;
    s.round_started = sim_.Now();
  });
  signals.decision_lost.Connect([this](models::FrameworkId f, sim::Time round) {
    Scheduler& s = schedulers_[f.index()];
    const sim::Time busy = Measured(s, round);
    s.useful -= busy;
    s.wasted += busy;
  });
  signals.decision_fruitless.Connect([this](models::FrameworkId f, sim::Time round) {
    Scheduler& s = schedulers_[f.index()];
    s.useful -= Measured(s, round);
    s.last_round_useful = false;
  });
  signals.job_submitted.Connect(
      [this](models::FrameworkId f) { ++schedulers_[f.index()].jobs_submitted; });
  signals.job_first_attempt.Connect([this](models::FrameworkId f, sim::Time wait) {
    // A job submitted before the measurement started is not one of its jobs.
    if (sim_.Now() - wait < measured_from_) return;
    Scheduler& s = schedulers_[f.index()];
    ++s.jobs_attempted;
    s.job_wait_sum_s += wait.seconds();
    s.job_wait_s.Add(wait.seconds());
  });
  signals.job_abandoned.Connect([this](models::FrameworkId f, sim::Time submitted) {
    if (submitted >= measured_from_) ++schedulers_[f.index()].jobs_abandoned;
  });
  signals.job_fully_placed.Connect(
      [this](models::FrameworkId f, uint64_t /*job*/, sim::Time submitted, sim::Time queued) {
        if (submitted < measured_from_) return;
        Scheduler& s = schedulers_[f.index()];
        ++s.jobs_fully_placed;
        s.job_placed_wait_sum_s += queued.seconds();
        s.job_placed_wait_s.Add(queued.seconds());
      });
  signals.transaction.Connect(
      [this](models::FrameworkId f, uint32_t committed, uint32_t conflicted) {
        Scheduler& s = schedulers_[f.index()];
        ++s.transactions;
        if (conflicted > 0) ++s.conflicted_transactions;
        s.claims_committed += committed;
        s.claims_conflicted += conflicted;
      });
}

void SchedulerMetrics::Restart(sim::Time now) {
  measured_from_ = now;
  for (Scheduler& s : schedulers_) {
    // What is left of the round in progress is measured; so is its outcome.
    const sim::Time left = s.busy_until > now ? s.busy_until - now : sim::Time::Zero();
    Scheduler fresh;
    fresh.busy = left;
    fresh.useful = s.last_round_useful ? left : sim::Time::Zero();
    fresh.busy_until = s.busy_until;
    fresh.round_started = s.round_started;
    fresh.last_round_useful = s.last_round_useful;
    s = std::move(fresh);
  }
}

void SchedulerMetrics::Finish(sim::Time now, const models::Master& master) {
  master.ForEachOffer([&](const models::Offer& o) { OfferEnded(o, now); });
  for (Scheduler& s : schedulers_) {
    if (s.busy_until > now) {
      const sim::Time overhang = s.busy_until - now;
      s.busy -= overhang;
      if (s.last_round_useful) s.useful -= overhang;
      s.busy_until = now;
    }
  }
}

}  // namespace clustersim::results
