#pragma once

#include <string>
#include <vector>

#include "models/workload/trace_io/trace_info.h"
#include "sim/status.h"

namespace clustersim::models {

// `trace-info --format google2011`: each file's table is told by its name ("machine_events",
// "job_events", "task_events"); rows, event counts, time span, machines and capacity over time,
// requests of the SUBMIT events.
sim::Result<std::string> Google2011TraceInfo(const std::vector<std::string>& paths,
                                             const TraceInfoOptions& options);

}  // namespace clustersim::models
