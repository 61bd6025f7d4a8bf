#pragma once

#include <memory>

#include "models/spec.h"
#include "models/workload/trace_source.h"
#include "sim/status.h"

namespace clustersim::models {

// The replay of an Alibaba trace (spec.trace.format kAlibaba2018 or kAlibaba2017) from the tables
// it names: 2018 machine_meta (machines) and/or batch_task (+ optional batch_instance) (DAG jobs,
// demand mode), or in recorded mode machine_meta + batch_task + batch_instance (instances on their
// recorded machines, alibaba_recorded.h); 2017 server_event (machines). Checks now that every file
// can be opened; rows are read when the run starts (recorded mode scans batch_instance now, for
// the replay's end). Jobs go to the first framework (map_to_frameworks: all).
sim::Result<std::unique_ptr<TraceSource>> OpenAlibabaTrace(const ScenarioSpec& spec);

}  // namespace clustersim::models
