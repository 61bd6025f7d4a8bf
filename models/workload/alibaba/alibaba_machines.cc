#include "models/workload/alibaba/alibaba_machines.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "models/workload/alibaba/alibaba_format.h"
#include "models/workload/trace_io/line_reader.h"

namespace clustersim::models {

AlibabaMachineReplay::AlibabaMachineReplay(const ScenarioSpec& spec, Table table,
                                           std::vector<std::string> files)
    : spec_(spec), table_(table), files_(std::move(files)), errors_(spec.trace.strict) {}

std::optional<std::string> AlibabaMachineReplay::Parse(Table table, std::string_view line,
                                                       Row& row) {
  std::array<std::string_view, 8> f;
  const size_t n = SplitFields(line, ',', f);
  if (n != 7) return fmt::format("expected 7 comma-separated fields, found {}", n);
  auto number = [](std::string_view s, double& out, double lo, double hi) {
    return ParseDouble(s, out) && out >= lo && out <= hi;
  };
  if (table == Table::kMachineMeta2018) {
    // machine_id, time_stamp, failure_domain_1, failure_domain_2, cpu_num, mem_size, status
    row.machine = f[0];
    if (row.machine.empty()) return std::string("empty machine_id");
    if (!ParseInt(f[1], row.time) || row.time < 0) {
      return fmt::format("time_stamp '{}' is not a non-negative integer", f[1]);
    }
    int64_t domain = 0;
    if (!f[2].empty() && !ParseInt(f[2], domain)) {
      return fmt::format("failure_domain_1 '{}' is not an integer", f[2]);
    }
    if (!number(f[4], row.cpus, 1e-3, 1e6)) {
      return fmt::format("cpu_num '{}' is not a positive number", f[4]);
    }
    double mem = 0;
    if (!number(f[5], mem, 0, 100)) {
      return fmt::format("mem_size '{}' is not a number in [0, 100]", f[5]);
    }
    row.mem = mem / 100;
    row.disk = 1;
    if (f[6].empty()) return std::string("empty status");
    row.kind = f[6] == "USING" ? Row::Kind::kUp : Row::Kind::kDown;
    return std::nullopt;
  }
  // timestamp, machine ID, event type, event detail, CPU, memory, disk
  if (!ParseInt(f[0], row.time) || row.time < 0) {
    return fmt::format("timestamp '{}' is not a non-negative integer", f[0]);
  }
  row.machine = f[1];
  if (row.machine.empty()) return std::string("empty machine ID");
  if (f[2] == "add") {
    row.kind = Row::Kind::kUp;
  } else if (f[2] == "softerror") {
    row.kind = Row::Kind::kSoftError;
  } else if (f[2] == "harderror") {
    row.kind = Row::Kind::kHardError;
  } else {
    return fmt::format("unknown event type '{}' (add, softerror, harderror)", f[2]);
  }
  if (!number(f[4], row.cpus, 0, 1e6)) {
    return fmt::format("CPU capacity '{}' is not a non-negative number", f[4]);
  }
  if (!number(f[5], row.mem, 0, 1)) {
    return fmt::format("memory capacity '{}' is not a number in [0, 1]", f[5]);
  }
  if (!number(f[6], row.disk, 0, 1)) {
    return fmt::format("disk capacity '{}' is not a number in [0, 1]", f[6]);
  }
  if (row.kind == Row::Kind::kUp && row.cpus <= 0) return std::string("add with no CPU capacity");
  return std::nullopt;
}

void AlibabaMachineReplay::Start(const TraceHost& host) {
  pump_.Bind(host);
  agents_ = &host.agents;
  os_ = std::make_unique<TraceOsMapper>(spec_.trace.os, spec_.images, pump_.simulator().random());
  const Table table = table_;
  TimeOrderedTable::Options options;
  options.grouped = false;
  const sim::Status scanned = input_.Scan(
      files_, options,
      [table](std::string_view line, std::string_view&, double& time, std::string& error) {
        Row row;
        if (auto e = Parse(table, line, row)) {
          error = std::move(*e);
          return false;
        }
        time = static_cast<double>(row.time);
        return true;
      },
      errors_);
  if (!scanned.ok()) return pump_.Stop(scanned);
  pump_.Run(
      input_,
      {.due = [](const TableUnit& u) { return sim::Time::Seconds(static_cast<int64_t>(u.time)); },
       .handle = [this](const TableUnit& u) { Apply(u); }});
}

void AlibabaMachineReplay::Down(Machine& m) {
  if (!m.up) return;
  m.up = false;
  ++downs_;
  agents_->AgentDown(m.agent);
}

void AlibabaMachineReplay::Up(Machine& m) {
  if (m.up) return;
  m.up = true;
  ++ups_;
  agents_->AgentUp(m.agent);
}

void AlibabaMachineReplay::Apply(const TableUnit& unit) {
  const sim::Status read =
      input_.ForEachRow(unit, [&](uint64_t line_number, std::string_view line) {
        Row row;
        if (Parse(table_, line, row)) return;  // counted by the scan
        const std::string name(row.machine);
        auto it = index_.find(name);
        if (it == index_.end()) {
          if (row.kind == Row::Kind::kSoftError || row.kind == Row::Kind::kHardError) {
            if (!errors_.Add(
                    input_.file(unit.file), line_number,
                    fmt::format("error event for machine '{}', which was never added", name))) {
              pump_.Stop(errors_.fatal());
            }
            return;
          }
          plugins::AgentInfo info;
          info.name = name;
          const Resources& size = spec_.trace.machine_size;
          info.capacity = Resources::Of(row.cpus, row.mem * size.mem(), row.disk * size.disk());
          os_->AssignMachine(info);
          Machine m;
          m.agent = agents_->AddAgent(std::move(info), -1);
          m.up = true;
          index_.emplace(name, static_cast<uint32_t>(machines_.size()));
          machines_.push_back(m);
          if (row.kind == Row::Kind::kDown) Down(machines_.back());
          return;
        }
        Machine& m = machines_[it->second];
        const sim::Time now = pump_.simulator().Now();
        switch (row.kind) {
          case Row::Kind::kUp:
            m.hard_down = false;
            if (now >= m.soft_until) Up(m);
            break;
          case Row::Kind::kDown:
            Down(m);
            break;
          case Row::Kind::kHardError:
            m.hard_down = true;
            Down(m);
            break;
          case Row::Kind::kSoftError: {
            Down(m);
            const sim::Time until =
                now + spec_.trace.Options<Alibaba2017Options>().soft_error_downtime;
            if (until <= m.soft_until) break;
            m.soft_until = until;
            const uint32_t index = it->second;
            pump_.simulator().Schedule(until, [this, index, until] {
              Machine& mm = machines_[index];
              if (mm.soft_until == until && !mm.hard_down) Up(mm);
            });
            break;
          }
        }
      });
  if (!read.ok()) {
    pump_.Stop(read);
  }
}

std::optional<AgentId> AlibabaMachineReplay::UpAgent(const std::string& machine) const {
  auto it = index_.find(machine);
  if (it == index_.end() || !machines_[it->second].up) return std::nullopt;
  return machines_[it->second].agent;
}

std::vector<std::pair<std::string, double>> AlibabaMachineReplay::Report() const {
  return {{"machine_rows", static_cast<double>(input_.rows())},
          {"machines", static_cast<double>(machines_.size())},
          {"machine_down_events", static_cast<double>(downs_)},
          {"machine_up_events", static_cast<double>(ups_)},
          {"skipped_rows", static_cast<double>(errors_.count())}};
}

}  // namespace clustersim::models
