#include "models/workload/google2011/google2011_format.h"

#include <memory>
#include <string>
#include <vector>

#include "models/workload/framework_mapping.h"
#include "models/workload/google2011/google2011_info.h"
#include "models/workload/google2011/google2011_replay.h"

namespace clustersim::models {
sim::Status RegisterGoogle2011(TraceFormats& formats) {
  using By = FrameworkMapping::By;
  TraceFormatEntry entry;
  entry.description = "Google clusterdata-2011-2 (task_events, machine_events, job_events)";
  entry.recorded = true;
  entry.tables = {"task_events", "machine_events", "job_events"};
  entry.reads_gzip = true;  // streamed (LineReader)
  // A machine REMOVE is Borg's own removal, after its detection: by then a Mesos master would
  // have found the agent out too, so the agent and its tasks go at the recorded time.
  entry.removes_machines = true;
  entry.machine_removal = MachineRemoval::kRemoved;
  entry.parse_options = ParseOptionsWith<Google2011Options>(
      [](TraceParams& params, const TraceSpec&, Google2011Options& options) {
        return params.Duration("lookahead", options.lookahead);
      });
  entry.check_mapping = [](const TraceSpec& t) {
    return CheckMappingRules(t, {By::kAll, By::kUser, By::kSchedulingClass, By::kPriorityBand}, "");
  };
  entry.check_tables = [](const TraceSpec& t) {
    const std::vector<std::string>* tasks = t.Paths("task_events");
    if (tasks != nullptr && !tasks->empty()) return sim::Status::Ok();
    return sim::Status::Error(
        "a google2011 trace needs task_events files (paths: {task_events: [...]}, or file names "
        "containing 'task_events')");
  };
  entry.open = Google2011Replay::Open;
  entry.info = Google2011TraceInfo;
  return formats.Register("google2011", std::move(entry));
}

}  // namespace clustersim::models
