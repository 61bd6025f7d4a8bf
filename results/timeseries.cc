#include "results/timeseries.h"

#include "results/format.h"

namespace clustersim::results {

sim::Result<std::unique_ptr<TimeSeries>> TimeSeries::Open(const std::string& path,
                                                          models::Cluster& cluster,
                                                          const MetricsCollector& metrics) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return sim::Status::Error("cannot write " + path);
  return std::unique_ptr<TimeSeries>(new TimeSeries(f, cluster, metrics));
}

TimeSeries::~TimeSeries() {
  if (file_ != nullptr) std::fclose(file_);
}

void TimeSeries::Start(sim::Time end) {
  end_ = end;
  // The header names the roles, which exist once the cluster has started.
  std::string header =
      "time_s,linux_cpus_alloc,linux_cpus_total,linux_mem_alloc,linux_mem_total,"
      "windows_cpus_alloc,windows_cpus_total,windows_mem_alloc,windows_mem_total,"
      "pending_tasks,active_tasks,outstanding_offers";
  const auto& master = cluster_.master();
  for (size_t r = 0; r < master.role_count(); ++r) {
    header += ",share_" + master.role(plugins::RoleId(static_cast<uint32_t>(r))).name;
  }
  header += '\n';
  std::fputs(header.c_str(), file_);
  cluster_.simulator().Schedule(cluster_.simulator().Now(), [this] {
    Sample();
    ScheduleNext();
  });
}

void TimeSeries::ScheduleNext() {
  sim::Simulator& sim = cluster_.simulator();
  if (sim.Now() >= end_) return;
  const sim::Time next = std::min(end_, sim.Now() + cluster_.spec().results.sample_interval);
  sim.Schedule(next, [this] {
    Sample();
    ScheduleNext();
  });
}

void TimeSeries::Sample() {
  const sim::Time now = cluster_.simulator().Now();
  last_sample_ = now;
  const UsageTracker& u = metrics_.usage();
  size_t pending = 0, active = 0;
  for (const auto& fw : cluster_.frameworks()) {
    pending += fw->pending();
    active += fw->active_tasks();
  }
  const auto& master = cluster_.master();
  line_.clear();
  auto out = std::back_inserter(line_);
  fmt::format_to(out, "{}", FormatSeconds(now));
  for (int os = 0; os < plugins::kOsCount; ++os) {
    fmt::format_to(out, ",{:.3f},{:.3f},{:.3f},{:.3f}", u.allocated[os].cpus(), u.total[os].cpus(),
                   u.allocated[os].mem(), u.total[os].mem());
  }
  fmt::format_to(out, ",{},{},{}", pending, active, master.outstanding_offers());
  for (size_t r = 0; r < master.role_count(); ++r) {
    const plugins::RoleId id(static_cast<uint32_t>(r));
    fmt::format_to(out, ",{:.6f}", master.role_allocated(id).DominantShare(master.cluster_total()));
  }
  line_ += '\n';
  std::fwrite(line_.data(), 1, line_.size(), file_);
}

sim::Status TimeSeries::Close() {
  if (file_ == nullptr) return sim::Status::Ok();
  if (last_sample_ != cluster_.simulator().Now()) Sample();
  const bool ok = std::fflush(file_) == 0 && !std::ferror(file_);
  std::fclose(file_);
  file_ = nullptr;
  return ok ? sim::Status::Ok() : sim::Status::Error("error writing timeseries.csv");
}

}  // namespace clustersim::results
