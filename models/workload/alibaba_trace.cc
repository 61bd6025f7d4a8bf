#include "models/workload/alibaba_trace.h"

#include <fmt/format.h>

#include <algorithm>

#include "models/workload/alibaba_batch.h"
#include "models/workload/alibaba_machines.h"
#include "models/workload/alibaba_recorded.h"
#include "models/workload/csv_table_io.h"
#include "models/workload/framework_mapping.h"

namespace clustersim::models {
namespace {

// Several sources replayed side by side; machines first, so that machines present at time 0 are
// registered before the jobs of time 0. Report entries with the same key are added up.
class CompositeSource final : public TraceSource {
 public:
  explicit CompositeSource(std::vector<std::unique_ptr<TraceSource>> parts)
      : parts_(std::move(parts)) {}
  void Start(const TraceHost& host) override {
    for (auto& part : parts_) part->Start(host);
  }
  // The first part's (a recorded replay ends with its table).
  std::optional<sim::Time> RunEnd() const override {
    for (const auto& part : parts_) {
      if (auto end = part->RunEnd()) return end;
    }
    return std::nullopt;
  }
  std::vector<std::pair<std::string, double>> Report() const override {
    std::vector<std::pair<std::string, double>> out;
    for (const auto& part : parts_) {
      for (const auto& [key, value] : part->Report()) {
        auto it =
            std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == key; });
        if (it == out.end()) {
          out.emplace_back(key, value);
        } else {
          it->second += value;
        }
      }
    }
    return out;
  }

 private:
  std::vector<std::unique_ptr<TraceSource>> parts_;
};

}  // namespace

sim::Result<std::unique_ptr<TraceSource>> OpenAlibabaTrace(const ScenarioSpec& spec) {
  const TraceSpec& t = spec.trace;
  const bool v2018 = t.format == TraceFormat::kAlibaba2018;
  const char* format = v2018 ? "alibaba2018" : "alibaba2017";
  const bool recorded = t.mode == ReplayMode::kRecorded;
  if (recorded && !v2018) {
    return sim::Status::Error("trace format alibaba2017 replays in demand mode only");
  }
  SIM_RETURN_IF_ERROR(CheckMappingFits(t));
  for (const auto& [table, files] : t.paths) {
    const bool known =
        v2018 ? (table == "machine_meta" || table == "batch_task" || table == "batch_instance")
              : table == "server_event";
    if (!known) {
      return sim::Status::Error(fmt::format(
          "trace format {} reads the tables {}; '{}' is not one of them", format,
          v2018 ? "machine_meta, batch_task and batch_instance" : "server_event", table));
    }
    SIM_RETURN_IF_ERROR(CheckReadable(files));
  }
  std::vector<std::unique_ptr<TraceSource>> parts;
  auto files = [&](std::string_view table) {
    const std::vector<std::string>* f = t.Paths(table);
    return f != nullptr ? *f : std::vector<std::string>();
  };
  if (v2018) {
    const AlibabaMachineSource* machine_source = nullptr;
    if (auto machines = files("machine_meta"); !machines.empty()) {
      auto source = std::make_unique<AlibabaMachineSource>(
          spec, AlibabaMachineSource::Table::kMachineMeta2018, std::move(machines));
      machine_source = source.get();
      parts.push_back(std::move(source));
    }
    if (recorded) {
      // The instances' own machines and times: machine_meta gives the machines, batch_task the
      // requests.
      if (machine_source == nullptr || files("batch_task").empty() ||
          files("batch_instance").empty()) {
        return sim::Status::Error(
            "a recorded alibaba2018 replay needs machine_meta, batch_task and batch_instance in "
            "trace.paths");
      }
      SIM_ASSIGN_OR_RETURN(std::unique_ptr<AlibabaRecordedSource> instances,
                           AlibabaRecordedSource::Open(spec, machine_source, files("batch_task"),
                                                       files("batch_instance")));
      parts.push_back(std::move(instances));
      return std::unique_ptr<TraceSource>(std::make_unique<CompositeSource>(std::move(parts)));
    }
    if (auto tasks = files("batch_task"); !tasks.empty()) {
      parts.push_back(
          std::make_unique<AlibabaBatchSource>(spec, std::move(tasks), files("batch_instance")));
    } else if (!files("batch_instance").empty()) {
      return sim::Status::Error("batch_instance needs its batch_task table");
    }
  } else if (auto events = files("server_event"); !events.empty()) {
    parts.push_back(std::make_unique<AlibabaMachineSource>(
        spec, AlibabaMachineSource::Table::kServerEvent2017, std::move(events)));
  }
  if (parts.empty()) {
    return sim::Status::Error(
        fmt::format("trace format {}: no table to replay in trace.paths", format));
  }
  if (parts.size() == 1) return std::move(parts.front());
  return std::unique_ptr<TraceSource>(std::make_unique<CompositeSource>(std::move(parts)));
}

}  // namespace clustersim::models
