#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/status.h"

namespace clustersim::apps {

// `clustersim trace-info PATH... --format F`: a quick human-readable look at trace files before a
// replay — rows and malformed rows, counts by event type, time span, machines and capacities over
// time, request distributions. Streams every file once; memory grows only with distinct machines
// and jobs. Each file's table is told by its name (google2011: "machine_events", "job_events",
// "task_events"; alibaba2018: "machine_meta", "batch_task", "batch_instance"; alibaba2017:
// "server_event"); an SWF log or a csv task table is one table. Formats: google2011, swf,
// alibaba2018, alibaba2017, csv.
struct TraceInfoOptions {
  // csv: the column roles, as in a scenario's trace.columns ("submit_time=1,duration=2,...");
  // without them only the columns' own statistics are shown.
  std::vector<std::pair<std::string, int>> csv_columns;
  bool csv_header = true;  // csv: the first line of each file is a header
};
sim::Result<std::string> TraceInfo(const std::vector<std::string>& paths, std::string_view format,
                                   const TraceInfoOptions& options = {});
// Parses --columns "role=index,role=index" (roles of a csv trace's columns).
sim::Result<std::vector<std::pair<std::string, int>>> ParseCsvColumns(std::string_view text);

}  // namespace clustersim::apps
