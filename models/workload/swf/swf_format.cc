#include "models/workload/swf/swf_format.h"

#include <memory>
#include <string>

#include "models/workload/framework_mapping.h"
#include "models/workload/swf/swf_info.h"
#include "models/workload/swf/swf_replay.h"

namespace clustersim::models {
sim::Status RegisterSwf(TraceFormats& formats) {
  using By = FrameworkMapping::By;
  TraceFormatEntry entry;
  entry.description =
      "Standard Workload Format logs (Parallel Workloads Archive), one table 'jobs'";
  entry.tables = {"jobs"};
  entry.reads_gzip = true;  // streamed (LineReader)
  entry.parse_options = ParseOptionsWith<SwfOptions>(
      [](TraceParams& params, const TraceSpec&, SwfOptions& options) -> sim::Status {
        std::string queue = "fcfs";
        SIM_RETURN_IF_ERROR(params.Choice("queue", {"fcfs", "easy"}, queue));
        options.queue = queue == "easy" ? BatchPolicy::kEasy : BatchPolicy::kFcfs;
        return sim::Status::Ok();
      });
  entry.check_mapping = [](const TraceSpec& t) {
    return CheckMappingRules(t, {By::kAll, By::kUser},
                             "SWF logs have a user id (field 12) but no scheduling class or "
                             "priority");
  };
  entry.check_tables = [](const TraceSpec& t) {
    if (t.paths.size() == 1 && t.paths[0].second.size() == 1) return sim::Status::Ok();
    return sim::Status::Error("an SWF replay reads exactly one log (table 'jobs')");
  };
  entry.open = SwfReplay::Open;
  entry.info = SwfTraceInfo;
  return formats.Register("swf", std::move(entry));
}

}  // namespace clustersim::models
