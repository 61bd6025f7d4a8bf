#include "apps/trace_config.h"

#include <fmt/format.h>

#include <filesystem>

#include "models/workload/framework_mapping.h"

namespace clustersim::apps {
namespace {

using sim::Status;

Status ParsePaths(const YamlValue& value, const std::string& base_dir, models::TraceSpec& t) {
  auto resolve = [&](const std::string& p) {
    const std::filesystem::path path(p);
    return path.is_absolute() || base_dir.empty()
               ? p
               : (std::filesystem::path(base_dir) / path).string();
  };
  auto read_list = [&](const YamlValue& v, std::vector<std::string>& out) -> Status {
    if (v.IsScalar()) {
      SIM_ASSIGN_OR_RETURN(std::string p, v.AsString());
      out.push_back(resolve(p));
      return Status::Ok();
    }
    SIM_ASSIGN_OR_RETURN(auto items, v.Elements());
    for (const YamlValue& item : items) {
      SIM_ASSIGN_OR_RETURN(std::string p, item.AsString());
      out.push_back(resolve(p));
    }
    return Status::Ok();
  };
  if (!value.IsMap()) {
    // A plain list: each file's table is told by its name (Google's and Alibaba's file names).
    std::vector<std::string> files;
    SIM_RETURN_IF_ERROR(read_list(value, files));
    static constexpr std::string_view kTables[] = {"task_events",   "machine_events", "job_events",
                                                   "machine_meta",  "server_event",   "batch_task",
                                                   "batch_instance"};
    for (const std::string& f : files) {
      const std::string name = std::filesystem::path(f).filename().string();
      std::string table = "jobs";  // SWF logs and CSV task tables are one table
      for (std::string_view k : kTables) {
        if (name.find(k) != std::string::npos) table = std::string(k);
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
    std::vector<std::string> files;
    SIM_RETURN_IF_ERROR(read_list(v, files));
    t.paths.emplace_back(table, std::move(files));
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

}  // namespace

std::string CsvColumnRoleList() {
  std::string out;
  for (std::string_view role : kCsvColumnRoles) {
    if (!out.empty()) out += ", ";
    out += role;
  }
  return out;
}

Status ParseTrace(const YamlValue& value, const std::string& base_dir, models::ScenarioSpec& spec) {
  models::TraceSpec& t = spec.trace;
  t.enabled = true;
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_ASSIGN_OR_RETURN(YamlValue format, m.Required("format"));
  SIM_ASSIGN_OR_RETURN(t.format, format.AsEnum<models::TraceFormat>(
                                     {{"google2011", models::TraceFormat::kGoogle2011},
                                      {"alibaba2018", models::TraceFormat::kAlibaba2018},
                                      {"alibaba2017", models::TraceFormat::kAlibaba2017},
                                      {"swf", models::TraceFormat::kSwf},
                                      {"csv", models::TraceFormat::kCsv}}));
  SIM_ASSIGN_OR_RETURN(YamlValue paths, m.Required("paths"));
  SIM_RETURN_IF_ERROR(ParsePaths(paths, base_dir, t));
  if (auto v = m.Optional("mode")) {
    SIM_ASSIGN_OR_RETURN(
        t.mode, v->AsEnum<models::ReplayMode>({{"demand", models::ReplayMode::kDemand},
                                               {"recorded", models::ReplayMode::kRecorded}}));
    // Only these formats record where and when tasks ran.
    if (t.mode == models::ReplayMode::kRecorded && t.format != models::TraceFormat::kGoogle2011 &&
        t.format != models::TraceFormat::kAlibaba2018) {
      return v->Fail(
          "mode 'recorded' needs recorded placements: formats google2011 (task_events) and "
          "alibaba2018 (batch_instance); this format replays in mode 'demand'");
    }
  }
  if (auto v = m.Optional("strict")) {
    SIM_ASSIGN_OR_RETURN(t.strict, v->AsBool());
  }
  const std::optional<YamlValue> mapping = m.Optional("map_to_frameworks");
  if (mapping) SIM_RETURN_IF_ERROR(ParseMapping(*mapping, spec.frameworks.size(), t.map));
  if (auto v = m.Optional("machine_size")) {
    SIM_ASSIGN_OR_RETURN(YamlMap ms, v->AsMap());
    if (auto c = ms.Optional("cpus")) {
      SIM_ASSIGN_OR_RETURN(double cpus, c->AsDouble(1e-3));
      t.machine_size.Set(plugins::kCpus, cpus);
    }
    if (auto c = ms.Optional("mem")) {
      SIM_ASSIGN_OR_RETURN(double mem, c->AsSizeMiB());
      t.machine_size.Set(plugins::kMem, mem);
    }
    if (auto c = ms.Optional("disk")) {
      SIM_ASSIGN_OR_RETURN(double disk, c->AsSizeMiB());
      t.machine_size.Set(plugins::kDisk, disk);
    }
    SIM_RETURN_IF_ERROR(ms.Finish());
  }
  if (auto v = m.Optional("os")) SIM_RETURN_IF_ERROR(ParseOsMapping(*v, spec, t.os));
  if (auto v = m.Optional("duration")) {
    SIM_ASSIGN_OR_RETURN(sim::Time d, v->AsDuration());
    t.duration = d;
  }
  if (auto v = m.Optional("lookahead")) {
    SIM_ASSIGN_OR_RETURN(t.lookahead, v->AsDuration());
  }
  if (auto v = m.Optional("queue")) {
    SIM_ASSIGN_OR_RETURN(t.swf_queue, v->AsEnum({"fcfs", "easy"}));
  }
  if (auto v = m.Optional("first_jobs")) {
    SIM_ASSIGN_OR_RETURN(t.first_jobs, v->AsInt(1));
  }
  if (auto v = m.Optional("rebase_time")) {
    SIM_ASSIGN_OR_RETURN(t.rebase_time, v->AsBool());
  }
  if (auto v = m.Optional("header")) {
    SIM_ASSIGN_OR_RETURN(t.csv_header, v->AsBool());
  }
  if (auto v = m.Optional("columns")) {
    SIM_ASSIGN_OR_RETURN(auto entries, v->Entries());
    for (auto& [name, c] : entries) {
      if (std::find(std::begin(kCsvColumnRoles), std::end(kCsvColumnRoles), name) ==
          std::end(kCsvColumnRoles)) {
        return c.Fail(fmt::format("unknown column role '{}' ({})", name, CsvColumnRoleList()));
      }
      SIM_ASSIGN_OR_RETURN(int64_t index, c.AsInt(0, 10000));
      t.csv_columns.emplace_back(name, static_cast<int>(index));
    }
  }
  if (auto v = m.Optional("normalised")) {
    SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
    for (const YamlValue& item : items) {
      SIM_ASSIGN_OR_RETURN(std::string role, item.AsEnum({"cpus", "mem", "disk"}));
      t.csv_normalised.push_back(std::move(role));
    }
  }
  if (auto v = m.Optional("soft_error_downtime")) {
    SIM_ASSIGN_OR_RETURN(t.soft_error_downtime, v->AsDuration());
  }
  if (t.format == models::TraceFormat::kCsv) {
    for (std::string_view role : {"submit_time", "duration", "cpus"}) {
      const bool named = std::any_of(t.csv_columns.begin(), t.csv_columns.end(),
                                     [&](const auto& c) { return c.first == role; });
      if (!named) {
        return value.Fail(fmt::format(
            "a csv trace needs 'columns' naming at least submit_time, duration and cpus "
            "(missing '{}')",
            role));
      }
    }
    if (t.Paths("jobs") == nullptr) return value.Fail("a csv trace needs a 'jobs' table in paths");
  }
  if (spec.frameworks.empty())
    return value.Fail("a trace needs at least one framework to map jobs onto");
  // After the columns: a csv table has the fields its columns name.
  if (mapping) {
    if (sim::Status fits = models::CheckMappingFits(t); !fits.ok()) {
      return mapping->Fail(fits.message());
    }
  }
  return m.Finish();
}

}  // namespace clustersim::apps
