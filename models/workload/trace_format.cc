#include "models/workload/trace_format.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace clustersim::models {

sim::Status CheckTables(const TraceFormatEntry& entry, const TraceSpec& t) {
  const std::vector<std::string>& tables = entry.tables;
  for (const auto& [table, files] : t.paths) {
    if (std::find(tables.begin(), tables.end(), table) == tables.end()) {
      return sim::Status::Error(
          fmt::format("trace format {} reads the tables {}; '{}' is not one of them", t.format,
                      fmt::join(tables, ", "), table));
    }
  }
  if (entry.check_tables) return entry.check_tables(t);
  for (const auto& [table, files] : t.paths) {
    if (!files.empty()) return sim::Status::Ok();
  }
  return sim::Status::Error(fmt::format("trace format {}: no file to replay (its tables: {})",
                                        t.format, fmt::join(tables, ", ")));
}

sim::Status TraceFormats::Register(std::string name, TraceFormatEntry entry) {
  if (name.empty()) return sim::Status::Error("a trace format name must not be empty");
  if (!entry.open || !entry.check_mapping || !entry.info || entry.tables.empty()) {
    return sim::Status::Error(
        fmt::format("trace format '{}' needs tables, check_mapping, open and info", name));
  }
  if (!entries_.try_emplace(name, std::move(entry)).second) {
    return sim::Status::Error(fmt::format("trace format '{}' is already registered", name));
  }
  return sim::Status::Ok();
}

sim::Result<const TraceFormatEntry*> TraceFormats::Find(std::string_view name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) {
    return sim::Status::Error(
        fmt::format("unknown trace format '{}' (valid: {})", name, NamesJoined()));
  }
  return &it->second;
}

std::string TraceFormats::NamesJoined() const {
  std::string out;
  for (const auto& [name, entry] : entries_) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace clustersim::models
