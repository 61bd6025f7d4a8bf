#pragma once

#include "models/spec.h"
#include "models/workload/trace_format.h"
#include "sim/status.h"
#include "sim/time.h"

namespace clustersim::models {

// The keys of the trace block that only google2011 has.
struct Google2011Options final : TraceFormatOptions {
  // Demand mode: how far the reader runs ahead of simulated time to learn a task's duration (its
  // SCHEDULE to its end) before its SUBMIT is released to a framework.
  sim::Time lookahead = sim::Time::Seconds(3600);
};

// Registers "google2011": Google clusterdata-2011-2 (google2011_replay.h).
sim::Status RegisterGoogle2011(TraceFormats& formats);

}  // namespace clustersim::models
