#include "results/framework_timeseries.h"

#include "results/csv.h"
#include "results/format.h"

namespace clustersim::results {

const char* FrameworkTimeSeries::Header() {
  return "time_s,framework,cpus_alloc,mem_alloc,pending_tasks,active_tasks,dominant_share\n";
}

FrameworkTimeSeries::FrameworkTimeSeries(OutputFile f, models::Cluster& c,
                                         const MetricsCollector& m)
    : file_(std::move(f)), cluster_(c), metrics_(m) {
  for (const auto& fw : c.spec().frameworks) name_fields_.push_back(CsvField(fw.name));
}

sim::Result<std::unique_ptr<FrameworkTimeSeries>> FrameworkTimeSeries::Open(
    const std::string& path, models::Cluster& cluster, const MetricsCollector& metrics) {
  SIM_ASSIGN_OR_RETURN(OutputFile file, OutputFile::Open(path));
  file.Write(Header());
  return std::unique_ptr<FrameworkTimeSeries>(
      new FrameworkTimeSeries(std::move(file), cluster, metrics));
}

void FrameworkTimeSeries::Sample(sim::Time now) {
  const plugins::Resources& total = cluster_.master().cell().total();
  const std::string time = FormatSeconds(now);
  lines_.clear();
  auto out = std::back_inserter(lines_);
  for (const auto& fw : cluster_.frameworks()) {
    const plugins::Resources& alloc = metrics_.framework_allocated(fw->id());
    fmt::format_to(out, "{},{},{:.3f},{:.3f},{},{},{:.6f}\n", time, name_fields_[fw->id().index()],
                   alloc.cpus(), alloc.mem(), fw->pending(), fw->active_tasks(),
                   alloc.DominantShare(total));
  }
  file_.Write(lines_);
}

}  // namespace clustersim::results
