#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "models/cluster.h"
#include "results/metrics.h"
#include "sim/status.h"

namespace clustersim::results {

// timeseries.csv: every `sample_interval` of simulated time, allocated and total cpus/mem per
// OS, pending and running tasks, outstanding offers and each role's dominant share.
class TimeSeries {
 public:
  static sim::Result<std::unique_ptr<TimeSeries>> Open(const std::string& path,
                                                       models::Cluster& cluster,
                                                       const MetricsCollector& metrics);
  ~TimeSeries();
  // Schedules the samples up to `end` (the first at time 0, the last at `end`).
  void Start(sim::Time end);
  // Writes a final sample at the current time if the run stopped early, and closes.
  sim::Status Close();

 private:
  TimeSeries(std::FILE* f, models::Cluster& c, const MetricsCollector& m)
      : file_(f), cluster_(c), metrics_(m) {}
  void Sample();
  void ScheduleNext();

  std::FILE* file_;
  models::Cluster& cluster_;
  const MetricsCollector& metrics_;
  sim::Time end_;
  sim::Time last_sample_ = sim::Time::Max();
  std::string line_;
};

}  // namespace clustersim::results
