#pragma once

#include "models/framework/batch_queue.h"
#include "models/spec.h"
#include "models/workload/trace_format.h"
#include "sim/status.h"

namespace clustersim::models {

// The keys of the trace block that only swf has.
struct SwfOptions final : TraceFormatOptions {
  BatchPolicy queue = BatchPolicy::kFcfs;  // trace.queue: fcfs | easy
};

// Registers "swf": Parallel Workloads Archive logs through batch frameworks (swf_replay.h).
sim::Status RegisterSwf(TraceFormats& formats);

}  // namespace clustersim::models
