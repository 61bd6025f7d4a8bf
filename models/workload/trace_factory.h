#pragma once

#include <memory>

#include "models/spec.h"
#include "models/workload/trace_source.h"
#include "sim/status.h"

namespace clustersim::models {

// The replay for spec.trace: its format looked up by name in BuiltinTraceFormats()
// (trace_format.h), the mode, tables and map_to_frameworks rule checked against the format, then
// the format opens (and checks) the files now, so that a missing or unreadable file is reported
// before the run.
sim::Result<std::unique_ptr<TraceSource>> MakeTraceSource(const ScenarioSpec& spec);

}  // namespace clustersim::models
