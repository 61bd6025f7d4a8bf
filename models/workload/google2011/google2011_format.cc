#include "models/workload/google2011/google2011_format.h"

#include <memory>

#include "models/workload/framework_mapping.h"
#include "models/workload/google2011/google2011_replay.h"

namespace clustersim::models {
namespace {

sim::Result<std::shared_ptr<const TraceFormatOptions>> ParseOptions(TraceParams& params,
                                                                    const TraceSpec&) {
  auto options = std::make_shared<Google2011Options>();
  SIM_RETURN_IF_ERROR(params.Duration("lookahead", options->lookahead));
  return std::shared_ptr<const TraceFormatOptions>(std::move(options));
}

}  // namespace

sim::Status RegisterGoogle2011(TraceFormats& formats) {
  using By = FrameworkMapping::By;
  TraceFormatEntry entry;
  entry.description = "Google clusterdata-2011-2 (task_events, machine_events, job_events)";
  entry.recorded = true;
  entry.tables = {"task_events", "machine_events", "job_events"};
  entry.parse_options = ParseOptions;
  entry.check_mapping = [](const TraceSpec& t) {
    return CheckMappingRules(t, {By::kAll, By::kUser, By::kSchedulingClass, By::kPriorityBand}, "");
  };
  entry.open = Google2011Replay::Open;
  return formats.Register("google2011", std::move(entry));
}

}  // namespace clustersim::models
