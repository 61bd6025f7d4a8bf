#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/status.h"

namespace clustersim::apps {

// `clustersim trace-info PATH... --format F`: a quick human-readable look at trace files before a
// replay — rows and malformed rows, counts by event type, time span, machines and capacities over
// time, request distributions. Streams every file once; memory grows only with distinct machines
// and jobs. Each file's table is told by its name (google2011: "machine_events", "job_events",
// "task_events"). Formats: google2011.
sim::Result<std::string> TraceInfo(const std::vector<std::string>& paths, std::string_view format);

}  // namespace clustersim::apps
