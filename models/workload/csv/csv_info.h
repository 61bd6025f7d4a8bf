#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/workload/trace_io/trace_info.h"
#include "sim/status.h"

namespace clustersim::models {

// `trace-info --format csv`: a task table's columns (numbers, empty fields, text, their
// distribution), and with options.csv_columns what a replay would make of it (jobs, tasks,
// requests). The table is one file or several, each with its header unless !options.csv_header.
sim::Result<std::string> CsvTraceInfo(const std::vector<std::string>& paths,
                                      const TraceInfoOptions& options);

// Parses trace-info's --columns "role=index,role=index" (roles of kCsvColumnRoles).
sim::Result<std::vector<std::pair<std::string, int>>> ParseCsvColumns(std::string_view text);

}  // namespace clustersim::models
