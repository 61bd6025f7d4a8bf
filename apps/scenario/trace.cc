#include "apps/scenario/trace.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <span>

#include "apps/config/ranges.h"
#include "models/workload/framework_mapping.h"
#include "models/workload/trace_format.h"
#include "models/workload/trace_io/csv_table_io.h"

namespace clustersim::apps {
namespace {

using plugins::Resources;
using sim::Status;

// A trace file as written: its resolved path and where the scenario names it.
using TraceFile = std::pair<std::string, YamlValue>;

Status ParsePaths(const YamlValue& value, const std::string& base_dir,
                  const std::vector<std::string>& tables, models::TraceSpec& t,
                  std::vector<TraceFile>& named) {
  auto resolve = [&](const std::string& p) {
    const std::filesystem::path path(p);
    return path.is_absolute() || base_dir.empty()
               ? p
               : (std::filesystem::path(base_dir) / path).string();
  };
  auto read_path = [&](const YamlValue& v, std::vector<std::string>& out) -> Status {
    SIM_ASSIGN_OR_RETURN(std::string p, v.AsString());
    out.push_back(resolve(p));
    named.emplace_back(out.back(), v);
    return Status::Ok();
  };
  auto read_list = [&](const YamlValue& v, std::vector<std::string>& out) -> Status {
    if (v.IsScalar()) return read_path(v, out);
    SIM_ASSIGN_OR_RETURN(auto items, v.Elements());
    for (const YamlValue& item : items) SIM_RETURN_IF_ERROR(read_path(item, out));
    return Status::Ok();
  };
  if (!value.IsMap()) {
    // A plain list: each file's table is told by its name (the format's table names).
    std::vector<std::string> files;
    SIM_RETURN_IF_ERROR(read_list(value, files));
    for (const std::string& f : files) {
      const std::string name = std::filesystem::path(f).filename().string();
      std::string table = tables.front();  // a one-table format's (SWF logs, CSV task tables)
      for (const std::string& k : tables) {
        if (name.find(k) != std::string::npos) table = k;
      }
      auto it = std::find_if(t.paths.begin(), t.paths.end(),
                             [&](const auto& e) { return e.first == table; });
      if (it == t.paths.end()) {
        t.paths.emplace_back(table, std::vector<std::string>{f});
      } else {
        it->second.push_back(f);
      }
    }
    return Status::Ok();
  }
  SIM_ASSIGN_OR_RETURN(auto entries, value.Entries());
  for (auto& [table, v] : entries) {
    if (std::find(tables.begin(), tables.end(), table) == tables.end()) {
      const auto near = ClosestMatch(table, tables);
      return v.Fail(fmt::format("unknown table '{}' ({}this format reads: {})", table,
                                near ? fmt::format("did you mean '{}'? ", *near) : "",
                                fmt::join(tables, ", ")));
    }
    std::vector<std::string> files;
    SIM_RETURN_IF_ERROR(read_list(v, files));
    t.paths.emplace_back(table, std::move(files));
  }
  return Status::Ok();
}

// Every trace file can be opened (not read: `validate` stays quick on a day of trace) and, for a
// format that reads by offset, is not compressed; reported at its entry. Last, so that the trace
// block's other mistakes are found without the files.
Status CheckFilesOpen(const std::vector<TraceFile>& named, const models::TraceFormatEntry& format) {
  for (const auto& [path, where] : named) {
    if (Status readable = models::CheckReadable({path}); !readable.ok()) {
      // Say how a relative path was read: from the scenario file's folder, not the shell's.
      const auto written = where.AsString();
      if (written.ok() && *written != path) {
        return where.Fail(
            fmt::format("{} (written '{}': a relative path is from the scenario file's folder)",
                        readable.message(), *written));
      }
      return where.Fail(readable.message());
    }
    if (format.reads_gzip) continue;
    if (Status plain = models::CheckNotCompressed({path}); !plain.ok()) {
      return where.Fail(plain.message());
    }
  }
  return Status::Ok();
}

Status ParseOsMapping(const YamlValue& value, const models::ScenarioSpec& spec,
                      models::TraceOsMapping& os) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  if (auto v = m.Optional("windows_machines")) {
    SIM_ASSIGN_OR_RETURN(os.windows_machines, v->AsDouble(0, 1));
  }
  if (auto v = m.Optional("windows_tasks")) {
    SIM_ASSIGN_OR_RETURN(os.windows_tasks, v->AsDouble(0, 1));
  }
  if (auto v = m.Optional("windows_versions")) {
    SIM_ASSIGN_OR_RETURN(auto entries, v->Entries());
    os.windows_versions.clear();
    for (auto& [name, w] : entries) {
      const auto version = plugins::ParseOsVersion(name);
      if (!version)
        return w.Fail(
            fmt::format("unknown Windows version '{}' (ltsc2016, ltsc2019, ltsc2022)", name));
      SIM_ASSIGN_OR_RETURN(double weight, w.AsDouble(0));
      os.windows_versions.emplace_back(*version, weight);
    }
    if (os.windows_versions.empty()) return v->Error("at least one version with a weight");
  }
  if (auto v = m.Optional("windows_isolation")) {
    SIM_ASSIGN_OR_RETURN(os.windows_isolation,
                         v->AsEnum<plugins::Isolation>({{"process", plugins::Isolation::kProcess},
                                                        {"hyperv", plugins::Isolation::kHyperV}}));
  }
  auto images = [&](std::string_view key, plugins::Os want, std::vector<uint32_t>& out) -> Status {
    auto v = m.Optional(key);
    if (!v) return Status::Ok();
    SIM_ASSIGN_OR_RETURN(auto refs, v->Elements());
    for (const YamlValue& ref : refs) {
      SIM_ASSIGN_OR_RETURN(std::string name, ref.AsString());
      const auto index = spec.images.FindImage(name);
      if (!index) return ref.Error("an image of the catalog");
      if (spec.images.images[*index].os != want) {
        return ref.Fail(fmt::format("image '{}' is not a {} image", name, plugins::OsName(want)));
      }
      out.push_back(*index);
    }
    return Status::Ok();
  };
  SIM_RETURN_IF_ERROR(images("linux_images", plugins::Os::kLinux, os.linux_images));
  SIM_RETURN_IF_ERROR(images("windows_images", plugins::Os::kWindows, os.windows_images));
  if (auto v = m.Optional("image_zipf")) {
    SIM_ASSIGN_OR_RETURN(os.image_zipf_s, v->AsDouble(0, 10));
  }
  return m.Finish();
}

Status ParseMapping(const YamlValue& value, size_t frameworks, models::FrameworkMapping& map) {
  if (value.IsScalar()) {
    SIM_ASSIGN_OR_RETURN(
        map.by, value.AsEnum<models::FrameworkMapping::By>(
                    {{"all", models::FrameworkMapping::By::kAll},
                     {"user", models::FrameworkMapping::By::kUser},
                     {"scheduling_class", models::FrameworkMapping::By::kSchedulingClass}}));
    return Status::Ok();
  }
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_ASSIGN_OR_RETURN(YamlValue by, m.Required("by"));
  SIM_ASSIGN_OR_RETURN(map.by,
                       by.AsEnum<models::FrameworkMapping::By>(
                           {{"all", models::FrameworkMapping::By::kAll},
                            {"user", models::FrameworkMapping::By::kUser},
                            {"scheduling_class", models::FrameworkMapping::By::kSchedulingClass},
                            {"priority_band", models::FrameworkMapping::By::kPriorityBand}}));
  if (auto v = m.Optional("priority_edges")) {
    SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
    for (const YamlValue& item : items) {
      SIM_ASSIGN_OR_RETURN(int64_t edge, item.AsInt(0, 1000));
      if (!map.priority_edges.empty() && edge <= map.priority_edges.back()) {
        return item.Error("increasing priority edges");
      }
      map.priority_edges.push_back(static_cast<int>(edge));
    }
  }
  if (map.by == models::FrameworkMapping::By::kPriorityBand) {
    if (map.priority_edges.empty()) return value.Fail("priority_band needs 'priority_edges'");
    if (map.priority_edges.size() + 1 != frameworks) {
      return value.Fail(
          fmt::format("{} priority edges make {} bands, but the scenario has {} frameworks",
                      map.priority_edges.size(), map.priority_edges.size() + 1, frameworks));
    }
  }
  return m.Finish();
}

Status ParseMachineSize(const YamlValue& value, Resources& size) {
  SIM_ASSIGN_OR_RETURN(YamlMap ms, value.AsMap());
  if (auto c = ms.Optional("cpus")) {
    SIM_ASSIGN_OR_RETURN(double cpus, c->AsDouble());
    if (!(cpus >= 1e-3 && cpus <= kMaxResourceAmount)) {
      return c->Error(fmt::format("a number in [0.001, {}]", kMaxResourceAmount));
    }
    size.Set(plugins::kCpus, cpus);
  }
  if (auto c = ms.Optional("mem")) {
    SIM_ASSIGN_OR_RETURN(double mem, ReadBoundedSize(*c));
    size.Set(plugins::kMem, mem);
  }
  if (auto c = ms.Optional("disk")) {
    SIM_ASSIGN_OR_RETURN(double disk, ReadBoundedSize(*c));
    size.Set(plugins::kDisk, disk);
  }
  return ms.Finish();
}

// The keys every format shares: mode, strict, map_to_frameworks, machine_size, os, duration.
Status ParseCommonKeys(YamlMap& m, const models::TraceFormatEntry& entry,
                       models::ScenarioSpec& spec) {
  models::TraceSpec& t = spec.trace;
  if (auto v = m.Optional("mode")) {
    SIM_ASSIGN_OR_RETURN(
        t.mode, v->AsEnum<models::ReplayMode>({{"demand", models::ReplayMode::kDemand},
                                               {"recorded", models::ReplayMode::kRecorded}}));
    // Only some formats record where and when tasks ran.
    if (t.mode == models::ReplayMode::kRecorded && !entry.recorded) {
      return v->Fail(
          "mode 'recorded' needs recorded placements: formats google2011 (task_events) and "
          "alibaba2018 (batch_instance); this format replays in mode 'demand'");
    }
  }
  if (auto v = m.Optional("strict")) {
    SIM_ASSIGN_OR_RETURN(t.strict, v->AsBool());
  }
  if (auto v = m.Optional("map_to_frameworks")) {
    SIM_RETURN_IF_ERROR(ParseMapping(*v, spec.frameworks.size(), t.map));
  }
  if (auto v = m.Optional("machine_size"))
    SIM_RETURN_IF_ERROR(ParseMachineSize(*v, t.machine_size));
  t.machine_remove = entry.machine_removal;
  if (entry.removes_machines) {
    if (auto v = m.Optional("machine_remove")) {
      SIM_ASSIGN_OR_RETURN(t.machine_remove, v->AsEnum<models::MachineRemoval>(
                                                 {{"removed", models::MachineRemoval::kRemoved},
                                                  {"crash", models::MachineRemoval::kCrash}}));
    }
  }
  if (auto v = m.Optional("os")) SIM_RETURN_IF_ERROR(ParseOsMapping(*v, spec, t.os));
  if (auto v = m.Optional("duration")) {
    // Where the replay (and the run) ends: finite, or a run with endless arrivals never ends.
    SIM_ASSIGN_OR_RETURN(sim::Time d, ReadDurationIn(*v, {.min = sim::Time::Micros(1)}));
    t.duration = d;
  }
  return Status::Ok();
}

// A format's keys of the trace block, read from its YAML mapping (errors at file:line:col).
class YamlTraceParams final : public models::TraceParams {
 public:
  YamlTraceParams(YamlMap& map, const YamlValue& block) : map_(map), block_(block) {}

  Status Bool(std::string_view key, bool& out) override {
    if (auto v = map_.Optional(key)) {
      SIM_ASSIGN_OR_RETURN(out, v->AsBool());
    }
    return Status::Ok();
  }
  Status Int(std::string_view key, int64_t min, int64_t max, int64_t& out) override {
    if (auto v = map_.Optional(key)) {
      SIM_ASSIGN_OR_RETURN(out, v->AsInt(min, max));
    }
    return Status::Ok();
  }
  Status Duration(std::string_view key, sim::Time& out) override {
    if (auto v = map_.Optional(key)) {
      SIM_ASSIGN_OR_RETURN(out, v->AsDuration());
    }
    return Status::Ok();
  }
  Status Choice(std::string_view key, std::initializer_list<std::string_view> allowed,
                std::string& out) override {
    if (auto v = map_.Optional(key)) {
      SIM_ASSIGN_OR_RETURN(out, v->AsEnum(allowed));
    }
    return Status::Ok();
  }
  Status Choices(std::string_view key, std::initializer_list<std::string_view> allowed,
                 std::vector<std::string>& out) override;
  Status NamedInts(std::string_view key, std::span<const std::string_view> names,
                   std::string_view what, int64_t max,
                   std::vector<std::pair<std::string, int>>& out) override;
  Status Fail(std::string_view message) const override { return block_.Fail(message); }

 private:
  YamlMap& map_;
  const YamlValue& block_;
};

Status YamlTraceParams::Choices(std::string_view key,
                                std::initializer_list<std::string_view> allowed,
                                std::vector<std::string>& out) {
  auto v = map_.Optional(key);
  if (!v) return Status::Ok();
  SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(std::string choice, item.AsEnum(allowed));
    out.push_back(std::move(choice));
  }
  return Status::Ok();
}

Status YamlTraceParams::NamedInts(std::string_view key, std::span<const std::string_view> names,
                                  std::string_view what, int64_t max,
                                  std::vector<std::pair<std::string, int>>& out) {
  auto v = map_.Optional(key);
  if (!v) return Status::Ok();
  SIM_ASSIGN_OR_RETURN(auto entries, v->Entries());
  for (auto& [name, c] : entries) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      std::string list;
      for (std::string_view n : names) list += (list.empty() ? "" : ", ") + std::string(n);
      return c.Fail(fmt::format("unknown {} '{}' ({})", what, name, list));
    }
    SIM_ASSIGN_OR_RETURN(int64_t index, c.AsInt(0, max));
    out.emplace_back(name, static_cast<int>(index));
  }
  return Status::Ok();
}

}  // namespace

Status ParseTrace(const YamlValue& value, const std::string& base_dir, models::ScenarioSpec& spec) {
  models::TraceSpec& t = spec.trace;
  t.enabled = true;
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_ASSIGN_OR_RETURN(YamlValue format, m.Required("format"));
  SIM_ASSIGN_OR_RETURN(t.format, format.AsString());
  auto entry = models::BuiltinTraceFormats().Find(t.format);
  if (!entry.ok()) return format.Fail(entry.status().message());
  SIM_ASSIGN_OR_RETURN(YamlValue paths, m.Required("paths"));
  std::vector<TraceFile> files;
  SIM_RETURN_IF_ERROR(ParsePaths(paths, base_dir, (*entry)->tables, t, files));
  SIM_RETURN_IF_ERROR(ParseCommonKeys(m, **entry, spec));
  // After the mode: a recorded replay needs more tables than a demand one.
  if (Status tables = models::CheckTables(**entry, t); !tables.ok()) {
    return paths.Fail(tables.message());
  }
  YamlTraceParams params(m, value);
  if ((*entry)->parse_options) {
    SIM_ASSIGN_OR_RETURN(t.options, (*entry)->parse_options(params, t));
  }
  if (spec.frameworks.empty())
    return value.Fail("a trace needs at least one framework to map jobs onto");
  // After the format's keys: a csv table has the fields its columns name.
  if (auto mapping = m.Optional("map_to_frameworks")) {
    if (sim::Status fits = (*entry)->check_mapping(t); !fits.ok()) {
      return mapping->Fail(fits.message());
    }
  }
  SIM_RETURN_IF_ERROR(m.Finish());
  return CheckFilesOpen(files, **entry);
}

}  // namespace clustersim::apps
