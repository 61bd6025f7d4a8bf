#include "models/workload/alibaba/alibaba_machines.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "models/workload/alibaba/alibaba_format.h"
#include "models/workload/trace_io/line_reader.h"
#include "sim/input_limits.h"

namespace clustersim::models {

AlibabaMachineReplay::AlibabaMachineReplay(const ScenarioSpec& spec, Table table,
                                           std::vector<std::string> files)
    : spec_(spec), table_(table), files_(std::move(files)), errors_(spec.trace.strict) {}

void AlibabaMachineReplay::Start(const TraceHost& host) {
  pump_.Bind(host);
  agents_ = &host.agents;
  os_ = std::make_unique<TraceOsMapper>(spec_.trace.os, spec_.images, pump_.simulator().random());
  const Table table = table_;
  TimeOrderedTable::Options options;
  options.grouped = false;
  options.stop = pump_.InterruptPoll();
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
          if (machines_.size() >= static_cast<size_t>(sim::kMaxInputAgents)) {
            // Refused, not skipped: a replay missing machines would be silently wrong.
            return pump_.Stop(sim::Status::Error(
                fmt::format("{}:{}: machine '{}' would be the trace's agent {}; a run has at most "
                            "{} agents",
                            input_.file(unit.file), line_number, name, machines_.size() + 1,
                            sim::kMaxInputAgents)));
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
