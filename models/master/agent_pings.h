#pragma once

#include "sim/check.h"
#include "sim/time.h"

namespace clustersim::models {

// When the Mesos master notices that an agent stopped answering pings (SlaveObserver,
// master.cpp:163-315; docs/mesos-agent-lifecycle-facts.md §1.2). Pings go out at
// `admitted + T·n` (n = 0, 1, ...; the first at once, M:201-204), where `admitted` is the agent's
// latest admission (registration, reregistration after being unreachable, or after a master
// failover) and T = agent_ping_timeout. Each ping's timeout fires T later and counts a miss when
// the ping went unanswered; the N-th consecutive miss (N = max_agent_ping_timeouts) marks the
// agent unreachable (M:229-244).
//
// An agent that stops answering at `silent_from` (a crash or a partition) answered every ping
// sent before that instant, and a ping sent at that very instant too (the reply is in flight
// first). With k = ⌊(silent_from − admitted) / T⌋ the first missed ping is sent at
// admitted + T(k+1) and the N-th miss is counted at admitted + T(k + 1 + N): with the defaults,
// reg + 15(k+6), 75-90 s after the agent went silent.
struct AgentPings {
  sim::Time interval = sim::Time::Seconds(15);  // agent_ping_timeout
  int max_misses = 5;                           // max_agent_ping_timeouts

  // When the agent is marked unreachable. Precondition: silent_from >= admitted.
  sim::Time UnreachableAt(sim::Time admitted, sim::Time silent_from) const {
    SIM_CHECK(silent_from >= admitted && interval > sim::Time::Zero() && max_misses >= 1);
    const int64_t answered = (silent_from - admitted).micros() / interval.micros();
    return admitted + sim::Time::Micros(interval.micros() * (answered + 1 + max_misses));
  }
  // The last ping the agent answered before going silent at `silent_from`.
  sim::Time LastAnsweredPing(sim::Time admitted, sim::Time silent_from) const {
    const int64_t answered = (silent_from - admitted).micros() / interval.micros();
    return admitted + sim::Time::Micros(interval.micros() * answered);
  }
};

}  // namespace clustersim::models
