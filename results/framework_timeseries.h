#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/cluster.h"
#include "results/metrics.h"
#include "results/output_file.h"
#include "sim/status.h"

namespace clustersim::results {

// framework_timeseries.csv, long format: at every timeseries.csv sample, one row per framework
// (registration order) with what its tasks hold (allocated only, outstanding offers not
// included), its pending and active tasks and its dominant share of that allocation. Sampled by
// TimeSeries, so both files have the same times. Written as framework_timeseries.csv.tmp and
// renamed when closed (results/output_file.h).
class FrameworkTimeSeries {
 public:
  static const char* Header();

  static sim::Result<std::unique_ptr<FrameworkTimeSeries>> Open(const std::string& path,
                                                                models::Cluster& cluster,
                                                                const MetricsCollector& metrics);
  void Sample(sim::Time now);
  sim::Status Close() { return file_.Commit(); }

 private:
  FrameworkTimeSeries(OutputFile f, models::Cluster& c, const MetricsCollector& m);

  OutputFile file_;
  models::Cluster& cluster_;
  const MetricsCollector& metrics_;
  std::vector<std::string> name_fields_;  // framework names as CSV fields, by FrameworkId
  std::string lines_;
};

}  // namespace clustersim::results
