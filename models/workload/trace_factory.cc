#include "models/workload/trace_factory.h"

#include "models/workload/alibaba_trace.h"
#include "models/workload/csv_table_source.h"
#include "models/workload/google2011_replay.h"
#include "models/workload/swf_source.h"

namespace clustersim::models {

sim::Result<std::unique_ptr<TraceSource>> MakeTraceSource(const ScenarioSpec& spec) {
  switch (spec.trace.format) {
    case TraceFormat::kGoogle2011:
      return Google2011Replay::Open(spec);
    case TraceFormat::kAlibaba2018:
    case TraceFormat::kAlibaba2017:
      return OpenAlibabaTrace(spec);
    case TraceFormat::kCsv:
      return CsvTableSource::Open(spec);
    case TraceFormat::kSwf:
      return SwfTraceSource::Open(spec);
  }
  return sim::Status::Error("trace replay of this format is not available in this build");
}

}  // namespace clustersim::models
