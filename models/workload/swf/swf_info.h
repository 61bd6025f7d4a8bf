#pragma once

#include <string>
#include <vector>

#include "models/workload/trace_io/trace_info.h"
#include "sim/status.h"

namespace clustersim::models {

// `trace-info --format swf`: each log on its own, read once with the replay's reader: header,
// rows, status, the jobs a replay would skip or kill at their estimate, distributions, and the
// offered load.
sim::Result<std::string> SwfTraceInfo(const std::vector<std::string>& paths,
                                      const TraceInfoOptions& options);

}  // namespace clustersim::models
