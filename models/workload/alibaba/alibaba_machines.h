#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/workload/alibaba/alibaba_reader.h"
#include "models/workload/table_pump.h"
#include "models/workload/trace_io/csv_table_io.h"
#include "models/workload/trace_os_mapping.h"
#include "models/workload/trace_source.h"

namespace clustersim::models {

// Machine availability from Alibaba's machine tables, replayed as agents that join, go down and
// come back. Both files are read through TimeOrderedTable (memory O(runs) plus one entry per
// machine), since neither is sorted by time.
//
// Alibaba 2018 machine_meta.csv (7 columns: machine_id, time_stamp, failure_domain_1,
// failure_domain_2, cpu_num, mem_size, status): each row is a machine's status at a time. A
// machine joins at its first row (time 0 = before the trace); status USING means in service, any
// other status (IMPORT_INSTALLING, ...) takes it out of service until a later USING row.
// Capacity: cpu_num cores (not normalised), mem_size / 100 x machine_size.mem, machine_size.disk.
//
// Alibaba 2017 server_event.csv (7 columns: timestamp, machine ID, event type, event detail, CPU,
// memory, disk): `add` registers the machine (or repairs it after a harderror), `softerror` takes
// it out for soft_error_downtime (the trace records no end), `harderror` until its next `add`.
// Capacity: CPU cores, memory x machine_size.mem, disk x machine_size.disk (both normalised to
// [0, 1]). An error for a machine never added is a malformed row.
//
// Out of service is Mesos's agent loss: offers rescinded, tasks LOST (the trace's own note, that
// running work may survive a softerror, has no Mesos counterpart).
class AlibabaMachineReplay final : public TraceSource {
 public:
  using Table = AlibabaMachineTable;

  AlibabaMachineReplay(const ScenarioSpec& spec, Table table, std::vector<std::string> files);

  void Start(const TraceHost& host) override;
  std::vector<std::pair<std::string, double>> Report() const override;

  using Row = AlibabaMachineRow;
  // Parsing of one row (alibaba_reader.h).
  static constexpr auto Parse = &ParseAlibabaMachineRow;

  // The agent of a machine the replay has added and that is in service now; nullopt otherwise.
  // For replays that place work on the trace's own machines (recorded batch_instance).
  std::optional<AgentId> UpAgent(const std::string& machine) const;

 private:
  struct Machine {
    AgentId agent;
    bool up = false;
    bool hard_down = false;
    sim::Time soft_until = sim::Time::Zero();
  };

  void Apply(const TableUnit& unit);
  void Down(Machine& m);
  void Up(Machine& m);

  const ScenarioSpec& spec_;
  Table table_;
  std::vector<std::string> files_;
  TraceAgents* agents_ = nullptr;
  std::unique_ptr<TraceOsMapper> os_;
  RowErrors errors_;
  TimeOrderedTable input_;
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<Machine> machines_;
  TablePump pump_;
  uint64_t downs_ = 0;
  uint64_t ups_ = 0;
};

}  // namespace clustersim::models
