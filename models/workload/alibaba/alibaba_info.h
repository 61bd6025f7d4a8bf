#pragma once

#include <string>
#include <vector>

#include "models/workload/trace_io/trace_info.h"
#include "sim/status.h"

namespace clustersim::models {

// `trace-info --format alibaba2018 | alibaba2017`: each file's table is told by its name (2018:
// "machine_meta", "batch_task", "batch_instance"; 2017: "server_event"). Machine tables are read
// in time order as the replay reads them (machines in service and capacity over time); the 2018
// batch tables are streamed (status, jobs, DAG names, requests, run times).
sim::Result<std::string> Alibaba2018TraceInfo(const std::vector<std::string>& paths,
                                              const TraceInfoOptions& options);
sim::Result<std::string> Alibaba2017TraceInfo(const std::vector<std::string>& paths,
                                              const TraceInfoOptions& options);

}  // namespace clustersim::models
