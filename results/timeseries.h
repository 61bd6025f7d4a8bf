#pragma once

#include <memory>
#include <string>

#include "models/cluster.h"
#include "results/metrics.h"
#include "results/output_file.h"
#include "sim/status.h"

namespace clustersim::results {

// timeseries.csv: every `sample_interval` of simulated time, allocated and total cpus/mem per
// OS, pending and running tasks, outstanding offers and each role's dominant share. Written as
// timeseries.csv.tmp and renamed when closed (results/output_file.h).
class TimeSeries {
 public:
  static sim::Result<std::unique_ptr<TimeSeries>> Open(const std::string& path,
                                                       models::Cluster& cluster,
                                                       const MetricsCollector& metrics);
  // Schedules the samples up to `end` (the first at time 0, the last at `end`).
  void Start(sim::Time end);
  // Writes a final sample at the current time if the run stopped early, closes the file and
  // renames it into place.
  sim::Status Close();

 private:
  TimeSeries(OutputFile f, models::Cluster& c, const MetricsCollector& m)
      : file_(std::move(f)), cluster_(c), metrics_(m) {}
  void Sample();
  void ScheduleNext();

  OutputFile file_;
  models::Cluster& cluster_;
  const MetricsCollector& metrics_;
  sim::Time end_;
  sim::Time last_sample_ = sim::Time::Max();
  std::string line_;
};

}  // namespace clustersim::results
