// `trace-info --format google2011`: machine_events, job_events and task_events, each streamed once
// with the replay's row readers (google2011_reader.h).
#include "models/workload/google2011/google2011_info.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "models/workload/google2011/google2011_reader.h"
#include "models/workload/trace_io/line_reader.h"

namespace clustersim::models {
namespace trace_info {
namespace {

namespace g = google2011;

// The default machine size of a replay (TraceSpec::machine_size): 64 cpus, 256 GiB.
constexpr double kMachineCpus = 64;
constexpr double kMachineMemGiB = 256;

// Times of the rows inside the window (0 < t < 2^63 - 1), and the rows outside it (the reader
// counts those after it: it does not return them).
struct Span {
  uint64_t before = 0, after = 0, inside = 0;
  int64_t first = 0, last = 0;
  void Add(int64_t t) {
    if (t == g::kBeforeWindow) {
      ++before;
    } else {
      if (inside++ == 0) first = t;
      last = t;
    }
  }
  std::string Format() const {
    std::string out;
    if (inside > 0) {
      out = fmt::format("  time span        {:.2f} s .. {:.2f} s ({})\n", first * 1e-6, last * 1e-6,
                        Duration((last - first) * 1e-6));
    }
    out += fmt::format("  rows at t = 0 (before the window): {}; at 2^63-1 (after it): {}\n",
                       before, after);
    return out;
  }
};

template <typename Reader>
std::string ReaderLine(const Reader& r) {
  return RowsLine(r.rows(), r.bytes_consumed(), r.skipped(), r.first_error());
}

// machine_events as a replay sees them: machines up, their capacity, and its changes.
struct MachineEventStats {
  struct State {
    bool up = false;
    double cpus = 0, mem = 0;
  };
  std::unordered_map<uint64_t, State> machines;
  std::array<uint64_t, g::kMachineEventTypes> by_type{};
  trace_info::Shapes first_capacity;  // (cpus, mem) at first ADD
  uint64_t missing_capacity = 0;
  Span span;
  trace_info::CapacityOverTime capacity;

  explicit MachineEventStats(std::vector<int64_t> points) : capacity(std::move(points)) {}

  void Add(const g::MachineEvent& row) {
    capacity.Until(row.time);
    span.Add(row.time);
    ++by_type[static_cast<int>(row.type)];
    auto [it, inserted] = machines.try_emplace(row.machine);
    State& m = it->second;
    const double c = std::isnan(row.cpus) ? m.cpus : row.cpus;
    const double r = std::isnan(row.mem) ? m.mem : row.mem;
    if (std::isnan(row.cpus) || std::isnan(row.mem)) ++missing_capacity;
    double& cpus = capacity.cpus;
    double& mem = capacity.mem;
    switch (row.type) {
      case g::MachineEventType::kAdd:
        if (inserted) ++first_capacity[{c, r}];
        if (m.up) {
          cpus -= m.cpus;
          mem -= m.mem;
        } else {
          ++capacity.up;
        }
        m = State{true, c, r};
        cpus += c;
        mem += r;
        break;
      case g::MachineEventType::kRemove:
        if (m.up) {
          --capacity.up;
          cpus -= m.cpus;
          mem -= m.mem;
        }
        m.up = false;
        break;
      case g::MachineEventType::kUpdate:
        if (m.up) {
          cpus += c - m.cpus;
          mem += r - m.mem;
        }
        m.cpus = c;
        m.mem = r;
        break;
    }
  }

  std::string FormatShapes() const {
    const auto shapes = trace_info::MostCommonFirst(first_capacity);
    std::string out = fmt::format(
        "  capacities when first added (normalised cpus, mem -> cores, GiB at {:.0f} cpus / "
        "{:.0f} GiB):\n",
        kMachineCpus, kMachineMemGiB);
    for (size_t i = 0; i < shapes.size() && i < 8; ++i) {
      const auto& [n, shape] = shapes[i];
      if (std::isnan(shape.first) || std::isnan(shape.second) || shape.first == 0) {
        out += fmt::format("    {:>7} machines  (missing)\n", n);
        continue;
      }
      out += fmt::format("    {:>7} machines  {:.4g}, {:.4g} -> {:.4g} cores, {:.4g} GiB\n", n,
                         shape.first, shape.second, shape.first * kMachineCpus,
                         shape.second * kMachineMemGiB);
    }
    if (shapes.size() > 8) out += fmt::format("    ... {} shapes in all\n", shapes.size());
    return out;
  }
};

sim::Result<std::string> MachineEvents(const std::vector<std::string>& files) {
  g::MachineEventReader reader;
  SIM_RETURN_IF_ERROR(reader.Open(files));
  // Capacity over time: the state at t = 0 and at each tenth of the span (known once read, so
  // sampled at fixed points of the last row's time, found first from the file's end).
  int64_t end_time = 0;
  if (auto last = ReadLastLine(files.back()); last.ok()) {
    g::MachineEvent row;
    if (g::ParseRow(*last, row).empty() && row.time != g::kAfterWindow) end_time = row.time;
  }
  std::vector<int64_t> points = {0};
  for (int k = 1; k <= 10; ++k) points.push_back(end_time / 10 * k);
  MachineEventStats stats(std::move(points));
  g::MachineEvent row;
  while (reader.Next(row)) stats.Add(row);
  SIM_RETURN_IF_ERROR(reader.status());
  stats.span.after = reader.after_window();  // the reader counts those rows, not returns them
  stats.capacity.Until(g::kAfterWindow);

  std::string out = "machine_events\n";
  out += ReaderLine(reader);
  out += stats.span.Format();
  out += fmt::format("  events           ADD {}, REMOVE {}, UPDATE {}\n", stats.by_type[0],
                     stats.by_type[1], stats.by_type[2]);
  out += fmt::format("  machines         {} distinct; rows with a missing capacity: {}\n",
                     stats.machines.size(), stats.missing_capacity);
  out += stats.FormatShapes();
  out += "  capacity over time (machines up; total cpus, mem, normalised):\n";
  for (const trace_info::CapacitySample& s : stats.capacity.samples()) {
    out += fmt::format("    t = {:>12.0f} s  {:>7} up  cpus {:>9.1f}  mem {:>9.1f}\n", s.at * 1e-6,
                       s.up, s.cpus, s.mem);
  }
  return out;
}

// The opening lines of an events table: its name, the reader's counts, the time span and the
// events by type (job_events and task_events print them alike).
template <typename Reader>
std::string EventsHeader(std::string_view table, const Reader& reader, const Span& span,
                         const std::array<uint64_t, g::kEventTypes>& by_type) {
  std::string out = fmt::format("{}\n", table);
  out += ReaderLine(reader);
  out += span.Format();
  out += "  events          ";
  for (int t = 0; t < g::kEventTypes; ++t) {
    if (by_type[t] > 0)
      out += fmt::format(" {} {}", g::EventName(static_cast<g::EventType>(t)), by_type[t]);
  }
  return out;
}

sim::Result<std::string> JobEvents(const std::vector<std::string>& files) {
  g::JobEventReader reader;
  SIM_RETURN_IF_ERROR(reader.Open(files));
  std::array<uint64_t, g::kEventTypes> by_type{};
  std::array<uint64_t, 5> by_class{};  // 0..3, missing
  std::unordered_set<uint64_t> jobs;
  std::unordered_set<std::string> users;
  Span span;
  g::JobEvent row;
  while (reader.Next(row)) {
    span.Add(row.time);
    ++by_type[static_cast<int>(row.type)];
    jobs.insert(row.job);
    if (row.type == g::EventType::kSubmit) {
      ++by_class[row.scheduling_class < 0 ? 4 : row.scheduling_class];
      if (!row.user.empty() && users.size() < 10'000'000) users.emplace(row.user);
    }
  }
  SIM_RETURN_IF_ERROR(reader.status());
  span.after = reader.after_window();
  std::string out = EventsHeader("job_events", reader, span, by_type);
  out += fmt::format("\n  jobs             {} distinct; users submitting: {}\n", jobs.size(),
                     users.size());
  out += fmt::format("  scheduling class of SUBMITs: 0: {}, 1: {}, 2: {}, 3: {}, missing: {}\n",
                     by_class[0], by_class[1], by_class[2], by_class[3], by_class[4]);
  return out;
}

sim::Result<std::string> TaskEvents(const std::vector<std::string>& files) {
  g::TaskEventReader reader;
  SIM_RETURN_IF_ERROR(reader.Open(files));
  std::array<uint64_t, g::kEventTypes> by_type{};
  std::array<uint64_t, 13> by_priority{};  // 0..11, missing
  std::array<uint64_t, 5> by_class{};      // 0..3, missing
  std::unordered_set<uint64_t> jobs;
  ValueSketch cpus, mem, disk;
  uint64_t missing_requests = 0, different_machine = 0;
  Span span;
  g::TaskEvent row;
  while (reader.Next(row)) {
    span.Add(row.time);
    ++by_type[static_cast<int>(row.type)];
    jobs.insert(row.job);
    if (row.type != g::EventType::kSubmit) continue;
    ++by_priority[row.priority < 0 ? 12 : row.priority];
    ++by_class[row.scheduling_class < 0 ? 4 : row.scheduling_class];
    if (row.different_machine == 1) ++different_machine;
    if (std::isnan(row.cpus) || std::isnan(row.mem)) ++missing_requests;
    if (!std::isnan(row.cpus)) cpus.Add(row.cpus);
    if (!std::isnan(row.mem)) mem.Add(row.mem);
    if (!std::isnan(row.disk)) disk.Add(row.disk);
  }
  SIM_RETURN_IF_ERROR(reader.status());
  span.after = reader.after_window();
  std::string out = EventsHeader("task_events", reader, span, by_type);
  out += fmt::format("\n  jobs             {} distinct\n", jobs.size());
  out += fmt::format(
      "  SUBMIT requests  (normalised; x {:.0f} cpus / {:.0f} GiB), missing cpu or mem: {}\n",
      kMachineCpus, kMachineMemGiB, missing_requests);
  out += fmt::format("    cpus           {}\n", Quantiles(cpus, 1, ""));
  out += fmt::format("                   {}\n", Quantiles(cpus, kMachineCpus, "cores"));
  out += fmt::format("    mem            {}\n", Quantiles(mem, 1, ""));
  out += fmt::format("                   {}\n", Quantiles(mem, kMachineMemGiB, "GiB"));
  out += fmt::format("    disk           {}\n", Quantiles(disk, 1, ""));
  out += "  SUBMIT priority  ";
  for (int p = 0; p < 12; ++p) {
    if (by_priority[p] > 0) out += fmt::format(" {}: {}", p, by_priority[p]);
  }
  if (by_priority[12] > 0) out += fmt::format(" missing: {}", by_priority[12]);
  out += fmt::format(
      "\n  SUBMIT class      0: {}, 1: {}, 2: {}, 3: {}, missing: {}; different-machine "
      "constraint: {}\n",
      by_class[0], by_class[1], by_class[2], by_class[3], by_class[4], different_machine);
  return out;
}

// The tables of `paths`, each told by its file name, in the order machine, job, task events.
sim::Result<std::string> Tables(const std::vector<std::string>& paths) {
  std::map<g::Table, std::vector<std::string>> tables;
  for (const std::string& p : paths) {
    const auto table = g::TableFromPath(p);
    if (!table) {
      return sim::Status::Error(
          fmt::format("{}: cannot tell the table from the file name (google2011 file names contain "
                      "machine_events, job_events or task_events)",
                      p));
    }
    tables[*table].push_back(p);
  }
  return JoinSections(tables, [](g::Table table, const std::vector<std::string>& files) {
    return table == g::Table::kMachineEvents ? MachineEvents(files)
           : table == g::Table::kJobEvents   ? JobEvents(files)
                                             : TaskEvents(files);
  });
}

}  // namespace
}  // namespace trace_info

sim::Result<std::string> Google2011TraceInfo(const std::vector<std::string>& paths,
                                             const TraceInfoOptions&) {
  return trace_info::Tables(paths);
}

}  // namespace clustersim::models
