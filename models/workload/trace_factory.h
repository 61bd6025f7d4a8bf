#pragma once

#include <memory>

#include "models/spec.h"
#include "models/workload/trace_source.h"
#include "sim/status.h"

namespace clustersim::models {

// The replay for spec.trace's format and mode. Opens (and checks) the files now, so that a
// missing or unreadable file is reported before the run starts.
sim::Result<std::unique_ptr<TraceSource>> MakeTraceSource(const ScenarioSpec& spec);

}  // namespace clustersim::models
