#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "sim/time.h"

namespace clustersim::models {

// The master's own processing time, for simulated offer throughput (scenario key
// master.cost_model; off by default, when the master answers in zero simulated time).
//
// In Mesos the master and its allocator are two libprocess actors, each handling one message at a
// time: the allocator runs allocation cycles and recovers resources, then hands each framework's
// offers to the master (`offerCallback`, deferred onto the master actor, master.cpp
// `Master::offer`), which builds and sends them; accepts, declines and status updates reach the
// master first and the allocator after (`allocator->recoverResources`). Modelled as two busy-until
// clocks:
//
//   allocator: a cycle costs per_cycle + per_agent x agents visited + per_sorted_framework x
//     frameworks x agents visited + per_framework x framework visits + per_offer x offers; it
//     starts when the allocator is free (due requests coalesce) and the periodic timer restarts an
//     allocation interval after it ends (Mesos: allocate().onAny(delay(interval, batch))).
//     Recovering the resources of a decline, of an accept's unused part or of a finished task
//     costs per_recover, after the master has handled the message.
//   master: builds and sends a cycle's offers framework by framework once the cycle ends
//     (per_offer each; a framework's batch reaches it when the master is done with that batch),
//     and handles accepts (+ one status update per launched task), declines and terminal status
//     updates.
// A message's own effect is applied when it arrives (a simplification: Mesos would queue it).
// With the model on the master visits every offerable agent each cycle, as Mesos does, instead of
// skipping agents no framework can take.
//
// Calibration (microseconds). Published Apache Mesos allocator benchmarks
// (src/tests/hierarchical_allocator_benchmarks.cpp / hierarchical_allocator_tests.cpp; see
// docs/mesos-allocator-facts.md §5.10). Their offer callback only stores the offer, so they time
// the allocator actor alone; they come from two Mesos builds, before the 1.9 quota rewrite:
//   DeclineOffers/21, 10,000 agents x 1,000 frameworks, one offer per agent: 1.06 s a cycle after
//     commit 6ef0df93f "Avoided dirtying the DRF sorter" (first in 1.7.1): 106 us per agent.
//   DeclineOffers/22, 10,000 agents x 3,000 frameworks: median 2.60 s a cycle after commit
//     6abe32f08 "Updated the sorters to track the root node allocation" (first in 1.8.0; 2.47 s
//     before it): 260 us per agent.
// The allocator sorts the role's frameworks for every agent it visits (hierarchical.cpp: the
// `frameworkSorter->sort()` loop sits inside the agent loop, and returns every client), so the
// difference is a cost per framework sorted per agent: (260 - 106) / 2,000 = 0.077 us
// (per_sorted_framework_us). The rest of the 106 us at 1,000 frameworks, 106 - 77 = 29 us, is
// per_agent_us 4.5 + one framework visit 1.5 + per_offer_us 23 (the split between the three is
// assumed). per_framework_us 1.5: LargeAndSmallQuota/2 (Mesos 1.7) walked 3,000 roles for each of
// 3,000 agents in 13.7 s with no offers: 13.7 s / 9M ~= 1.5 us per (agent, framework) visit.
// Cross-check: that cycle comes out at 9M x 1.5 + 3,000 x (4.5 + 3,000 x 0.077) = 14.2 s, its
// first cycle (3,500 offers) at 14.3 s, against 13.7 s and 15.4 s measured.
// Extrapolating to a few frameworks is the model's guess: at 4 frameworks an offered agent costs
// the allocator ~29 us. Not published, assumed: per_recover_us 20 (one allocator update);
// master per_offer_us 10 (build and send one offer), per_accept_us 100 (validate, launch, update
// the allocator), per_decline_us 10 and per_status_update_us 20 (bookkeeping and a forward).
struct MasterCostSpec {
  struct Allocator {
    double per_cycle_us = 0;
    double per_agent_us = 4.5;
    double per_sorted_framework_us = 0.077;
    double per_framework_us = 1.5;
    double per_offer_us = 23;
    double per_recover_us = 20;
  };
  struct MasterActor {
    double per_offer_us = 10;
    double per_accept_us = 100;
    double per_decline_us = 10;
    double per_status_update_us = 20;
  };
  bool enabled = false;
  Allocator allocator;
  MasterActor master;
};

// One actor's busy-until clock. Work accumulates in nanoseconds so that sub-microsecond terms add
// up; times handed to the simulator are rounded up to microseconds.
class ActorClock {
 public:
  // When the actor is free again (Zero() when it never was busy).
  sim::Time busy_until() const { return sim::Time::Micros((busy_until_ns_ + 999) / 1000); }
  // Occupies the actor for `us` microseconds of work arriving at `at`; returns when it ends.
  sim::Time Occupy(sim::Time at, double us) {
    const int64_t at_ns = at.micros() * 1000;
    const int64_t work_ns = static_cast<int64_t>(std::llround(us * 1000));
    busy_until_ns_ = std::max(busy_until_ns_, at_ns) + work_ns;
    busy_ns_ += work_ns;
    return busy_until();
  }
  // Busy time up to `now` (work booked beyond it not counted).
  double busy_seconds(sim::Time now) const {
    const int64_t ahead = std::max<int64_t>(0, busy_until_ns_ - now.micros() * 1000);
    return static_cast<double>(std::max<int64_t>(0, busy_ns_ - ahead)) * 1e-9;
  }

 private:
  int64_t busy_until_ns_ = 0;
  int64_t busy_ns_ = 0;
};

// What an allocation cycle did, for the cost model.
struct CycleWork {
  int64_t agents_visited = 0;
  int64_t framework_visits = 0;
  int64_t frameworks_sorted = 0;  // active frameworks, sorted for every agent visited
  int offers = 0;
  sim::Time policy_charge;  // what the allocator policy charged (AllocatorPolicy::PlanCycle)
};

// The two actors and the statistics of one master.
class MasterCostModel {
 public:
  explicit MasterCostModel(const MasterCostSpec& spec) : spec_(spec) {}

  bool enabled() const { return spec_.enabled; }
  const ActorClock& allocator() const { return allocator_; }
  const ActorClock& master() const { return master_; }

  // The allocator starts a cycle at `now`; returns when it ends.
  sim::Time RunCycle(sim::Time now, const CycleWork& work) {
    if (!enabled()) return now;
    return allocator_.Occupy(now, CycleUs(work) + static_cast<double>(work.policy_charge.micros()));
  }
  // The master builds and sends `offers` offers of one framework, handed over at `at`; returns
  // when they reach the framework.
  sim::Time SendOffers(sim::Time at, int64_t offers) {
    if (!enabled()) return at;
    return master_.Occupy(at, spec_.master.per_offer_us * static_cast<double>(offers));
  }
  // An accept launching `tasks` tasks, arriving at `now`; `leftover`: part of the offer goes back
  // to the allocator.
  void Accept(sim::Time now, int64_t tasks, bool leftover) {
    if (!enabled()) return;
    const sim::Time done =
        master_.Occupy(now, spec_.master.per_accept_us +
                                spec_.master.per_status_update_us * static_cast<double>(tasks));
    if (leftover) allocator_.Occupy(done, spec_.allocator.per_recover_us);
  }
  void Decline(sim::Time now) { MasterThenRecover(now, spec_.master.per_decline_us); }
  // A task's terminal status update: the master forwards it, the allocator recovers its resources.
  void TaskEnded(sim::Time now) { MasterThenRecover(now, spec_.master.per_status_update_us); }

  // An allocation cycle's cost on the allocator, by the formula above.
  double CycleUs(const CycleWork& w) const {
    const MasterCostSpec::Allocator& a = spec_.allocator;
    const double agents = static_cast<double>(w.agents_visited);
    return a.per_cycle_us + a.per_agent_us * agents +
           a.per_sorted_framework_us * static_cast<double>(w.frameworks_sorted) * agents +
           a.per_framework_us * static_cast<double>(w.framework_visits) +
           a.per_offer_us * static_cast<double>(w.offers);
  }

  // Statistics. A cycle that fell due at `due` ended; `offers` of it reach a framework at
  // `delivered`.
  void RecordCycle(sim::Time due, sim::Time ended) {
    ++cycles_;
    cycle_delay_sum_s_ += (ended - due).seconds();
  }
  void RecordDelivery(sim::Time due, sim::Time delivered, int64_t offers) {
    const double delay_s = (delivered - due).seconds();
    offers_delivered_ += offers;
    offer_delay_sum_s_ += delay_s * static_cast<double>(offers);
    max_offer_delay_s_ = std::max(max_offer_delay_s_, delay_s);
  }
  uint64_t cycles() const { return cycles_; }
  uint64_t offers_delivered() const { return offers_delivered_; }
  // Mean over offers of (delivered - cycle due): how long resources wait on the two actors.
  double mean_offer_delay_s() const {
    return offers_delivered_ ? offer_delay_sum_s_ / static_cast<double>(offers_delivered_) : 0;
  }
  // Mean over cycles of (cycle ended - cycle due): how long a cycle waits for and runs on the
  // allocator.
  double mean_cycle_delay_s() const {
    return cycles_ ? cycle_delay_sum_s_ / static_cast<double>(cycles_) : 0;
  }
  double max_offer_delay_s() const { return max_offer_delay_s_; }
  // The statistics above start again from zero (results.warmup); the actors' clocks go on.
  void RestartStatistics() {
    cycles_ = 0;
    offers_delivered_ = 0;
    offer_delay_sum_s_ = cycle_delay_sum_s_ = max_offer_delay_s_ = 0;
  }

 private:
  void MasterThenRecover(sim::Time now, double master_us) {
    if (!enabled()) return;
    const sim::Time done = master_.Occupy(now, master_us);
    allocator_.Occupy(done, spec_.allocator.per_recover_us);
  }

  MasterCostSpec spec_;
  ActorClock allocator_;
  ActorClock master_;
  uint64_t cycles_ = 0;
  uint64_t offers_delivered_ = 0;
  double offer_delay_sum_s_ = 0;
  double cycle_delay_sum_s_ = 0;
  double max_offer_delay_s_ = 0;
};

}  // namespace clustersim::models
