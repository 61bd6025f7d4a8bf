#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/cluster.h"
#include "results/framework_timeseries.h"
#include "results/metrics.h"
#include "results/output_file.h"
#include "sim/status.h"

namespace clustersim::results {

// timeseries.csv: every `sample_interval` of simulated time, allocated and total cpus/mem per
// OS and per Windows version the scenario declares, pending and active tasks, outstanding offers
// and each role's dominant share; and, at the same times, framework_timeseries.csv (when
// `framework_path` is given). Written as <name>.tmp and renamed when closed
// (results/output_file.h).
class TimeSeries {
 public:
  static sim::Result<std::unique_ptr<TimeSeries>> Open(const std::string& path,
                                                       const std::string& framework_path,
                                                       models::Cluster& cluster,
                                                       const MetricsCollector& metrics);
  // The Windows versions a scenario declares (its Windows groups' and, with a trace that maps
  // machines to Windows, the trace's `os.windows_versions`), oldest first, each once:
  // timeseries.csv's per-version columns.
  static std::vector<plugins::OsVersion> DeclaredWindowsVersions(const models::ScenarioSpec& spec);

  // Schedules the samples up to `end` (the first at time 0, the last at `end`).
  void Start(sim::Time end);
  // Writes a final sample at the current time if the run stopped early, closes the files and
  // renames them into place.
  sim::Status Close();

 private:
  TimeSeries(OutputFile f, models::Cluster& c, const MetricsCollector& m)
      : file_(std::move(f)), cluster_(c), metrics_(m) {}
  void Sample();
  void ScheduleNext();

  OutputFile file_;
  std::unique_ptr<FrameworkTimeSeries> frameworks_;  // null: not written
  models::Cluster& cluster_;
  const MetricsCollector& metrics_;
  std::vector<plugins::OsVersion> versions_;
  sim::Time end_;
  sim::Time last_sample_ = sim::Time::Max();
  std::string line_;
};

}  // namespace clustersim::results
