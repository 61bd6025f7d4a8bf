#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/spec.h"
#include "models/workload/trace_io/trace_info.h"
#include "models/workload/trace_source.h"
#include "sim/status.h"
#include "sim/time.h"

namespace clustersim::models {

// The keys of a scenario's `trace:` block that belong to its format, read by the format itself
// without depending on the YAML library. Each reader leaves `out` unchanged when the key is absent
// and reports a bad value at its file:line:col. Afterwards the runner rejects every key of the
// block that neither it nor the format read, listing the valid ones.
class TraceParams {
 public:
  virtual ~TraceParams() = default;
  virtual sim::Status Bool(std::string_view key, bool& out) = 0;
  virtual sim::Status Int(std::string_view key, int64_t min, int64_t max, int64_t& out) = 0;
  virtual sim::Status Duration(std::string_view key, sim::Time& out) = 0;
  virtual sim::Status Choice(std::string_view key, std::initializer_list<std::string_view> allowed,
                             std::string& out) = 0;
  // A sequence of choices.
  virtual sim::Status Choices(std::string_view key, std::initializer_list<std::string_view> allowed,
                              std::vector<std::string>& out) = 0;
  // A mapping name -> integer in [0, max], in source order; a name not among `names` is an error
  // "unknown <what> 'name' (names...)" at that entry.
  virtual sim::Status NamedInts(std::string_view key, std::span<const std::string_view> names,
                                std::string_view what, int64_t max,
                                std::vector<std::pair<std::string, int>>& out) = 0;
  // An error at the trace block itself.
  virtual sim::Status Fail(std::string_view message) const = 0;
};

// One trace format: how to read its options, check a scenario against it, and open its replay.
struct TraceFormatEntry {
  std::string description;  // one line, for `clustersim --help` and errors
  // Whether it records placements (trace.mode: recorded), and which tables it reads (a plain list
  // of paths is sorted into them by file name; a format of one table calls it "jobs").
  bool recorded = false;
  std::vector<std::string> tables;
  // Whether its machines can be removed (trace.machine_remove applies), and what a removal is
  // by default.
  bool removes_machines = false;
  // Whether its files may be gzip-compressed: a format that streams its rows reads them as they
  // are downloaded; one that re-reads rows by their offsets (TimeOrderedTable) needs them plain,
  // which `validate` checks at each file's entry.
  bool reads_gzip = false;
  MachineRemoval machine_removal = MachineRemoval::kRemoved;
  // Reads the format's keys (the common ones of `trace` are parsed first); null: it has none.
  std::function<sim::Result<std::shared_ptr<const TraceFormatOptions>>(TraceParams&,
                                                                       const TraceSpec&)>
      parse_options;
  // Which tables trace.paths must name in the scenario's trace.mode (e.g. a recorded replay needs
  // the placements' table). Checked when the scenario is read, so that `validate` reports it at
  // trace.paths, and again by `open`. Null: at least one of `tables`.
  std::function<sim::Status(const TraceSpec&)> check_tables;
  // The map_to_frameworks rules its jobs carry the fields for (framework_mapping.h).
  std::function<sim::Status(const TraceSpec&)> check_mapping;
  // The replay of spec.trace; opens (and checks) the files now, so that a missing or unreadable
  // file is reported before the run starts.
  std::function<sim::Result<std::unique_ptr<TraceSource>>(const ScenarioSpec&)> open;
  // `clustersim trace-info` on the format's files (in its folder, *_info.cc: it links only
  // clustersim_trace_io), and whether it reads trace-info's --columns and --no-header.
  TraceInfoFunction info = nullptr;
  bool info_takes_columns = false;
};

// A parse_options that makes the format's `Options` and has `read(params, spec.trace, options)`
// fill them in.
template <typename Options, typename Read>
auto ParseOptionsWith(Read read) {
  return [read](TraceParams& params,
                const TraceSpec& trace) -> sim::Result<std::shared_ptr<const TraceFormatOptions>> {
    auto options = std::make_shared<Options>();
    SIM_RETURN_IF_ERROR(read(params, trace, *options));
    return std::shared_ptr<const TraceFormatOptions>(std::move(options));
  };
}

// Every table trace.paths names is one of entry.tables, and the ones its mode needs are there
// (entry.check_tables, else at least one table).
sim::Status CheckTables(const TraceFormatEntry& entry, const TraceSpec& t);

// Trace formats by name. A duplicate name is an error; an unknown name is answered with the
// valid ones.
class TraceFormats {
 public:
  sim::Status Register(std::string name, TraceFormatEntry entry);
  sim::Result<const TraceFormatEntry*> Find(std::string_view name) const;
  std::string NamesJoined() const;  // "a, b, c", sorted

 private:
  std::map<std::string, TraceFormatEntry, std::less<>> entries_;
};

// The process-wide registry of the built-in formats (trace_factory.cc: one line per format).
const TraceFormats& BuiltinTraceFormats();

}  // namespace clustersim::models
