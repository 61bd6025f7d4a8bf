#include "models/workload/alibaba/alibaba_format.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/workload/alibaba/alibaba_batch.h"
#include "models/workload/alibaba/alibaba_info.h"
#include "models/workload/alibaba/alibaba_machines.h"
#include "models/workload/alibaba/alibaba_recorded.h"
#include "models/workload/framework_mapping.h"
#include "models/workload/trace_io/csv_table_io.h"
#include "models/workload/trace_join.h"

namespace clustersim::models {
namespace {

using Parts = std::vector<std::unique_ptr<TraceSource>>;

std::vector<std::string> Files(const TraceSpec& t, std::string_view table) {
  const std::vector<std::string>* f = t.Paths(table);
  return f != nullptr ? *f : std::vector<std::string>();
}

// Checks now that every file can be opened; rows are read when the run starts.
sim::Status CheckFiles(const TraceSpec& t) {
  for (const auto& [table, files] : t.paths) SIM_RETURN_IF_ERROR(CheckReadable(files));
  return sim::Status::Ok();
}

// A recorded replay places the instances on their machines at their times: all three tables. A
// demand replay takes machines, tasks or both; instances only refine their tasks.
sim::Status Check2018Tables(const TraceSpec& t) {
  const bool meta = !Files(t, "machine_meta").empty();
  const bool tasks = !Files(t, "batch_task").empty();
  const bool instances = !Files(t, "batch_instance").empty();
  if (t.mode == ReplayMode::kRecorded) {
    if (meta && tasks && instances) return sim::Status::Ok();
    std::vector<std::string_view> missing;
    if (!meta) missing.push_back("machine_meta");
    if (!tasks) missing.push_back("batch_task");
    if (!instances) missing.push_back("batch_instance");
    return sim::Status::Error(fmt::format(
        "a recorded alibaba2018 replay needs machine_meta, batch_task and batch_instance in "
        "trace.paths (missing: {})",
        fmt::join(missing, ", ")));
  }
  if (instances && !tasks) return sim::Status::Error("batch_instance needs its batch_task table");
  if (!meta && !tasks) {
    return sim::Status::Error(
        "trace format alibaba2018: no table to replay in trace.paths (machine_meta, batch_task)");
  }
  return sim::Status::Ok();
}

sim::Status Check2017Tables(const TraceSpec& t) {
  if (!Files(t, "server_event").empty()) return sim::Status::Ok();
  return sim::Status::Error("trace format alibaba2017: no server_event file in trace.paths");
}

// The instances' own machines and times: machine_meta gives the machines, batch_task the requests.
// Scans batch_instance now, for the replay's end. (MakeTraceSource has checked the tables.)
sim::Result<std::unique_ptr<TraceSource>> OpenRecorded2018(const ScenarioSpec& spec) {
  const TraceSpec& t = spec.trace;
  auto machines = std::make_unique<AlibabaMachineReplay>(
      spec, AlibabaMachineReplay::Table::kMachineMeta2018, Files(t, "machine_meta"));
  SIM_ASSIGN_OR_RETURN(std::unique_ptr<AlibabaRecordedReplay> instances,
                       AlibabaRecordedReplay::Open(spec, machines.get(), Files(t, "batch_task"),
                                                   Files(t, "batch_instance")));
  Parts parts;
  parts.push_back(std::move(machines));
  parts.push_back(std::move(instances));
  return std::unique_ptr<TraceSource>(std::make_unique<JoinedReplay>(std::move(parts)));
}

sim::Result<std::unique_ptr<TraceSource>> Open2018(const ScenarioSpec& spec) {
  const TraceSpec& t = spec.trace;
  SIM_RETURN_IF_ERROR(CheckFiles(t));
  if (t.mode == ReplayMode::kRecorded) return OpenRecorded2018(spec);
  Parts parts;
  if (auto machines = Files(t, "machine_meta"); !machines.empty()) {
    parts.push_back(std::make_unique<AlibabaMachineReplay>(
        spec, AlibabaMachineReplay::Table::kMachineMeta2018, std::move(machines)));
  }
  if (auto tasks = Files(t, "batch_task"); !tasks.empty()) {
    parts.push_back(
        std::make_unique<AlibabaBatchReplay>(spec, std::move(tasks), Files(t, "batch_instance")));
  }
  return JoinedReplay::Of(std::move(parts));
}

sim::Result<std::unique_ptr<TraceSource>> Open2017(const ScenarioSpec& spec) {
  const TraceSpec& t = spec.trace;
  SIM_RETURN_IF_ERROR(CheckFiles(t));
  auto events = Files(t, "server_event");
  return std::unique_ptr<TraceSource>(std::make_unique<AlibabaMachineReplay>(
      spec, AlibabaMachineReplay::Table::kServerEvent2017, std::move(events)));
}

}  // namespace

sim::Status RegisterAlibaba2018(TraceFormats& formats) {
  TraceFormatEntry entry;
  entry.description = "Alibaba cluster-trace-v2018 (machine_meta, batch_task, batch_instance)";
  entry.recorded = true;
  entry.tables = {"machine_meta", "batch_task", "batch_instance"};
  // A machine going down in machine_meta is the machine's own state at that time: the master
  // learns of it as of a crash (its pings), not at once.
  entry.removes_machines = true;
  entry.machine_removal = MachineRemoval::kCrash;
  entry.check_mapping = [](const TraceSpec& t) {
    return CheckMappingRules(t, {FrameworkMapping::By::kAll},
                             "batch_task rows give a job name and a task type but no user, "
                             "scheduling class or priority");
  };
  entry.check_tables = Check2018Tables;
  entry.open = Open2018;
  entry.info = Alibaba2018TraceInfo;
  return formats.Register("alibaba2018", std::move(entry));
}

sim::Status RegisterAlibaba2017(TraceFormats& formats) {
  TraceFormatEntry entry;
  entry.description = "Alibaba cluster-trace-v2017 (server_event)";
  entry.tables = {"server_event"};
  entry.removes_machines = true;  // server_event remove and hard error rows
  entry.machine_removal = MachineRemoval::kCrash;
  entry.parse_options = ParseOptionsWith<Alibaba2017Options>(
      [](TraceParams& params, const TraceSpec&, Alibaba2017Options& options) {
        return params.Duration("soft_error_downtime", options.soft_error_downtime);
      });
  entry.check_mapping = [](const TraceSpec& t) {
    return CheckMappingRules(t, {FrameworkMapping::By::kAll},
                             "server_event rows are machine events, with no jobs");
  };
  entry.check_tables = Check2017Tables;
  entry.open = Open2017;
  entry.info = Alibaba2017TraceInfo;
  return formats.Register("alibaba2017", std::move(entry));
}

}  // namespace clustersim::models
