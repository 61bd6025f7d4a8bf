// `trace-info --format alibaba2018 | alibaba2017`: machine tables (2018 machine_meta, 2017
// server_event) read in time order through the replay's TimeOrderedTable and row parser, and the
// 2018 batch_task / batch_instance tables streamed with the replay's row parsers.
#include "models/workload/alibaba/alibaba_info.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "models/workload/alibaba/alibaba_reader.h"
#include "models/workload/trace_io/csv_table_io.h"
#include "models/workload/trace_io/line_reader.h"

namespace clustersim::models {
namespace trace_info {
namespace {

using Table = AlibabaMachineTable;

uint64_t Bytes(const std::vector<std::string>& files) {
  uint64_t total = 0;
  for (const std::string& f : files) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(f, ec);
    if (!ec) total += size;
  }
  return total;
}

std::string TimeSpan(int64_t first, int64_t last, const char* label = "time span") {
  if (first > last) return "";
  return fmt::format("  {:<16} {} s .. {} s ({})\n", label, first, last,
                     Duration(static_cast<double>(last - first)));
}

// A machine table as the replay sees it: machines in service, their capacity, status kinds.
struct MachineStats {
  struct State {
    bool up = false;
    double cpus = 0, mem = 0;
  };
  bool v2018;
  std::unordered_map<std::string, State> machines;
  std::map<std::string, uint64_t> by_kind;
  Shapes shapes;  // (cpus, mem) at a machine's first row
  std::unordered_set<std::string> domains;
  uint64_t errors_seen = 0;
  CapacityOverTime capacity;

  MachineStats(bool v2018_table, std::vector<int64_t> points)
      : v2018(v2018_table), capacity(std::move(points)) {}

  void Add(const AlibabaMachineRow& row, std::string_view line) {
    std::array<std::string_view, 8> f;
    SplitFields(line, ',', f);
    capacity.Until(row.time);
    ++by_kind[v2018 || f[3].empty() ? std::string(v2018 ? f[6] : f[2])
                                    : fmt::format("{} ({})", f[2], f[3])];
    if (v2018) domains.emplace(f[2]);
    auto [it, inserted] = machines.try_emplace(std::string(row.machine));
    State& m = it->second;
    if (inserted) ++shapes[{row.cpus, row.mem}];
    using Kind = AlibabaMachineRow::Kind;
    const bool goes_up = row.kind == Kind::kUp;
    const bool goes_down = row.kind == Kind::kDown || row.kind == Kind::kHardError;
    if (row.kind == Kind::kSoftError || row.kind == Kind::kHardError) ++errors_seen;
    if (m.up && (goes_down || goes_up)) {
      --capacity.up;
      capacity.cpus -= m.cpus;
      capacity.mem -= m.mem;
      m.up = false;
    }
    if (goes_up) {
      m = State{true, row.cpus, row.mem};
      ++capacity.up;
      capacity.cpus += m.cpus;
      capacity.mem += m.mem;
    }
  }

  std::string Format() const {
    std::string out =
        fmt::format("  {}           {}\n", v2018 ? "status" : "events", Counts(by_kind));
    out += fmt::format("  machines         {} distinct", machines.size());
    if (v2018) out += fmt::format("; failure_domain_1 values: {}", domains.size());
    if (!v2018) out += fmt::format("; error events: {}", errors_seen);
    out += "\n  capacities at first row (cores, memory as a fraction of machine_size):\n";
    const auto sorted = MostCommonFirst(shapes);
    for (size_t i = 0; i < sorted.size() && i < 8; ++i) {
      out += fmt::format("    {:>7} machines  {:.6g} cores, mem {:.6g}\n", sorted[i].first,
                         sorted[i].second.first, sorted[i].second.second);
    }
    if (sorted.size() > 8) out += fmt::format("    ... {} shapes in all\n", sorted.size());
    out +=
        fmt::format("  machines in service over time ({}; total cores, mem):\n",
                    v2018 ? "status USING" : "added and not hard-failed; a softerror has no end");
    for (const CapacitySample& s : capacity.samples()) {
      out += fmt::format("    t = {:>9} s  {:>6} up  cores {:>9.0f}  mem {:>8.1f}\n", s.at, s.up,
                         s.cpus, s.mem);
    }
    return out;
  }
};

sim::Result<std::string> Machines(Table table, const std::vector<std::string>& files) {
  const bool v2018 = table == Table::kMachineMeta2018;
  RowErrors errors(/*strict=*/false, "row", /*warn=*/false);
  TimeOrderedTable input;
  int64_t first = std::numeric_limits<int64_t>::max(), last = -1;
  TimeOrderedTable::Options options;
  SIM_RETURN_IF_ERROR(input.Scan(
      files, options,
      [&](std::string_view line, std::string_view&, double& time, std::string& error) {
        AlibabaMachineRow row;
        if (auto e = ParseAlibabaMachineRow(table, line, row)) {
          error = std::move(*e);
          return false;
        }
        first = std::min(first, row.time);
        last = std::max(last, row.time);
        time = static_cast<double>(row.time);
        return true;
      },
      errors));
  MachineStats stats(v2018, last >= 0 ? TenthsOf(first, last) : std::vector<int64_t>());
  TableUnit unit;
  while (input.Next(unit)) {
    SIM_RETURN_IF_ERROR(input.ForEachRow(unit, [&](uint64_t, std::string_view line) {
      AlibabaMachineRow row;
      if (!ParseAlibabaMachineRow(table, line, row)) stats.Add(row, line);
    }));
  }
  SIM_RETURN_IF_ERROR(input.status());
  stats.capacity.Until(std::numeric_limits<int64_t>::max());
  std::string out = fmt::format("{}\n", v2018 ? "machine_meta" : "server_event");
  out += RowsLine(input.rows(), Bytes(files), errors.count(), errors.first());
  out += TimeSpan(first, last);
  return out + stats.Format();
}

sim::Result<std::string> BatchTasks(const std::vector<std::string>& files) {
  LineReader reader;
  SIM_RETURN_IF_ERROR(reader.Open(files));
  uint64_t rows = 0, malformed = 0, instances = 0, dag_tasks = 0, edges = 0;
  std::string first_malformed;
  std::map<std::string, uint64_t> by_status, by_type;
  std::unordered_set<std::string> jobs;
  ValueSketch cpus, mem, duration, per_task;
  int64_t first = std::numeric_limits<int64_t>::max(), last = -1;
  std::string_view line;
  while (reader.Next(line)) {
    if (line.empty()) continue;
    ++rows;
    AlibabaTaskRow row;
    if (auto e = ParseAlibabaTaskRow(line, row)) {
      if (malformed++ == 0) first_malformed = fmt::format("{}: {}", reader.Where(), *e);
      continue;
    }
    std::array<std::string_view, 10> f;
    SplitFields(line, ',', f);
    ++by_type[std::string(f[3])];
    ++by_status[std::string(f[4])];
    jobs.emplace(row.job_name);
    const DagTaskName name = ParseDagTaskName(row.task_name);
    if (name.dag) {
      ++dag_tasks;
      edges += name.parents.size();
    }
    instances += static_cast<uint64_t>(row.instances);
    per_task.Add(static_cast<double>(row.instances));
    cpus.Add(row.cpus);
    mem.Add(row.mem_frac);
    if (row.start_time > 0) first = std::min(first, row.start_time);
    last = std::max({last, row.start_time, row.end_time});
    if (row.start_time > 0 && row.end_time >= row.start_time) {
      duration.Add(static_cast<double>(row.end_time - row.start_time));
    }
  }
  SIM_RETURN_IF_ERROR(reader.status());
  std::string out = "batch_task\n";
  out += RowsLine(rows, reader.bytes_consumed(), malformed, first_malformed);
  out += TimeSpan(first, last, "start .. end");
  out += fmt::format("  status           {}\n", Counts(by_status));
  out += fmt::format("  task_type        {}\n", Counts(by_type));
  out += fmt::format(
      "  jobs             {} distinct; tasks {} ({} with DAG names, {} parent links); instances "
      "{}\n",
      jobs.size(), rows - malformed, dag_tasks, edges, instances);
  out += fmt::format("  instances/task   {}\n", Quantiles(per_task, 1, ""));
  out += fmt::format("  plan_cpu         {}\n", Quantiles(cpus, 1, "cores"));
  out += fmt::format("  plan_mem         {}\n", Quantiles(mem, 1, "(fraction of a machine)"));
  out += fmt::format("  task run time    {}\n", Quantiles(duration, 1, "s (end - start)"));
  return out;
}

sim::Result<std::string> BatchInstances(const std::vector<std::string>& files) {
  LineReader reader;
  SIM_RETURN_IF_ERROR(reader.Open(files));
  uint64_t rows = 0, malformed = 0;
  std::string first_malformed;
  std::map<std::string, uint64_t> by_status;
  std::unordered_set<std::string> jobs, machines;
  ValueSketch duration;
  int64_t first = std::numeric_limits<int64_t>::max(), last = -1;
  std::string_view line;
  while (reader.Next(line)) {
    if (line.empty()) continue;
    ++rows;
    AlibabaInstanceRow row;
    if (auto e = ParseAlibabaInstanceRow(line, row)) {
      if (malformed++ == 0) first_malformed = fmt::format("{}: {}", reader.Where(), *e);
      continue;
    }
    std::array<std::string_view, 15> f;
    SplitFields(line, ',', f);
    ++by_status[std::string(row.status)];
    jobs.emplace(row.job_name);
    if (!f[7].empty()) machines.emplace(f[7]);
    if (row.start_time > 0) first = std::min(first, row.start_time);
    last = std::max({last, row.start_time, row.end_time});
    // What the replay takes as a recorded run time (alibaba_batch.h).
    if (row.status == "Terminated" && row.start_time > 0 && row.end_time >= row.start_time) {
      duration.Add(static_cast<double>(row.end_time - row.start_time));
    }
  }
  SIM_RETURN_IF_ERROR(reader.status());
  std::string out = "batch_instance\n";
  out += RowsLine(rows, reader.bytes_consumed(), malformed, first_malformed);
  out += TimeSpan(first, last, "start .. end");
  out += fmt::format("  status           {}\n", Counts(by_status));
  out += fmt::format("  jobs             {} distinct; machines {} distinct\n", jobs.size(),
                     machines.size());
  out += fmt::format("  run time         {} (Terminated, {} instances)\n",
                     Quantiles(duration, 1, "s"), duration.count());
  return out;
}

sim::Result<std::string> Alibaba(const std::vector<std::string>& paths, bool v2018) {
  const std::vector<std::string_view> tables =
      v2018 ? std::vector<std::string_view>{"machine_meta", "batch_task", "batch_instance"}
            : std::vector<std::string_view>{"server_event"};
  std::map<size_t, std::vector<std::string>> by_table;  // in the order of `tables`
  for (const std::string& p : paths) {
    const std::string name = std::filesystem::path(p).filename().string();
    size_t found = tables.size();
    for (size_t t = 0; t < tables.size(); ++t) {
      if (name.find(tables[t]) != std::string::npos) found = t;
    }
    if (found == tables.size()) {
      return sim::Status::Error(
          fmt::format("{}: cannot tell the table from the file name ({} file names contain {})", p,
                      v2018 ? "alibaba2018" : "alibaba2017",
                      v2018 ? "machine_meta, batch_task or batch_instance" : "server_event"));
    }
    by_table[found].push_back(p);
  }
  return JoinSections(by_table, [&](size_t t, const std::vector<std::string>& files) {
    return !v2018   ? Machines(Table::kServerEvent2017, files)
           : t == 0 ? Machines(Table::kMachineMeta2018, files)
           : t == 1 ? BatchTasks(files)
                    : BatchInstances(files);
  });
}

}  // namespace
}  // namespace trace_info

sim::Result<std::string> Alibaba2018TraceInfo(const std::vector<std::string>& paths,
                                              const TraceInfoOptions&) {
  return trace_info::Alibaba(paths, /*v2018=*/true);
}

sim::Result<std::string> Alibaba2017TraceInfo(const std::vector<std::string>& paths,
                                              const TraceInfoOptions&) {
  return trace_info::Alibaba(paths, /*v2018=*/false);
}

}  // namespace clustersim::models
