#include "models/workload/trace_factory.h"

#include <fmt/format.h>

#include "models/workload/alibaba/alibaba_format.h"
#include "models/workload/csv/csv_format.h"
#include "models/workload/framework_mapping.h"
#include "models/workload/google2011/google2011_format.h"
#include "models/workload/swf/swf_format.h"
#include "models/workload/trace_format.h"
#include "models/workload/trace_io/trace_info.h"
#include "sim/check.h"

namespace clustersim::models {
namespace {

// The built-in formats: one line each. A new format is a folder beside these with a Register
// function, and its line here.
TraceFormats MakeBuiltinTraceFormats() {
  TraceFormats formats;
  SIM_CHECK(RegisterGoogle2011(formats).ok());
  SIM_CHECK(RegisterAlibaba2018(formats).ok());
  SIM_CHECK(RegisterAlibaba2017(formats).ok());
  SIM_CHECK(RegisterSwf(formats).ok());
  SIM_CHECK(RegisterCsv(formats).ok());
  return formats;
}

}  // namespace

const TraceFormats& BuiltinTraceFormats() {
  static const TraceFormats formats = MakeBuiltinTraceFormats();
  return formats;
}

sim::Result<std::unique_ptr<TraceSource>> MakeTraceSource(const ScenarioSpec& spec) {
  SIM_ASSIGN_OR_RETURN(const TraceFormatEntry* entry,
                       BuiltinTraceFormats().Find(spec.trace.format));
  if (spec.trace.mode == ReplayMode::kRecorded && !entry->recorded) {
    return sim::Status::Error(
        fmt::format("trace format {} replays in demand mode only", spec.trace.format));
  }
  SIM_RETURN_IF_ERROR(CheckTables(*entry, spec.trace));
  SIM_RETURN_IF_ERROR(entry->check_mapping(spec.trace));
  return entry->open(spec);
}

sim::Result<std::string> TraceInfo(const std::vector<std::string>& paths, std::string_view format,
                                   const TraceInfoOptions& options) {
  if (paths.empty()) return sim::Status::Error("trace-info needs at least one file");
  const auto entry = BuiltinTraceFormats().Find(format);
  const bool takes_columns = entry.ok() && (*entry)->info_takes_columns;
  if (!takes_columns && (!options.csv_columns.empty() || !options.csv_header)) {
    return sim::Status::Error("trace-info: --columns and --no-header are for --format csv");
  }
  if (!entry.ok()) {
    return sim::Status::Error(fmt::format("trace-info: unknown format '{}' (supported: {})", format,
                                          BuiltinTraceFormats().NamesJoined()));
  }
  SIM_ASSIGN_OR_RETURN(std::string text, (*entry)->info(paths, options));
  if (text.find(" p50 ") != std::string::npos) text += trace_info::kQuantilesNote;
  return text;
}

sim::Status CheckMappingFits(const TraceSpec& trace) {
  SIM_ASSIGN_OR_RETURN(const TraceFormatEntry* entry, BuiltinTraceFormats().Find(trace.format));
  return entry->check_mapping(trace);
}

}  // namespace clustersim::models
