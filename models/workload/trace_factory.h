#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/spec.h"
#include "models/workload/trace_io/trace_info.h"
#include "models/workload/trace_source.h"
#include "sim/status.h"

namespace clustersim::models {

// The replay for spec.trace: its format looked up by name in BuiltinTraceFormats()
// (trace_format.h), the mode, tables and map_to_frameworks rule checked against the format, then
// the format opens (and checks) the files now, so that a missing or unreadable file is reported
// before the run.
sim::Result<std::unique_ptr<TraceSource>> MakeTraceSource(const ScenarioSpec& spec);

// `clustersim trace-info PATH... --format F`: the trace-info of the format registered as `format`
// (TraceFormatEntry::info). --columns and --no-header only for formats that read them.
sim::Result<std::string> TraceInfo(const std::vector<std::string>& paths, std::string_view format,
                                   const TraceInfoOptions& options = {});

}  // namespace clustersim::models
