#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/spec.h"
#include "models/workload/csv/csv_reader.h"
#include "models/workload/trace_format.h"
#include "sim/status.h"

namespace clustersim::models {

// The keys of the trace block that only csv has.
struct CsvOptions final : TraceFormatOptions {
  int64_t first_jobs = -1;  // replay only the first N jobs (< 0: all)
  bool rebase_time = true;  // submit times relative to the first job
  // Column role -> index (kCsvColumnRoles; unnamed columns are ignored).
  std::vector<std::pair<std::string, int>> columns;
  bool header = true;
  // Roles among cpus, mem, disk whose values are fractions of machine_size (CloudSimPy's
  // jobs.csv: mem and disk); other values are cores and MiB.
  std::vector<std::string> normalised;

  bool HasColumn(std::string_view role) const;
};

// Registers "csv": a generic task table (csv_table_replay.h).
sim::Status RegisterCsv(TraceFormats& formats);

}  // namespace clustersim::models
