#include "results/timeseries.h"

#include <algorithm>

#include "results/csv.h"
#include "results/format.h"

namespace clustersim::results {

sim::Result<std::unique_ptr<TimeSeries>> TimeSeries::Open(const std::string& path,
                                                          const std::string& framework_path,
                                                          models::Cluster& cluster,
                                                          const MetricsCollector& metrics) {
  SIM_ASSIGN_OR_RETURN(OutputFile file, OutputFile::Open(path));
  std::unique_ptr<TimeSeries> series(new TimeSeries(std::move(file), cluster, metrics));
  if (!framework_path.empty()) {
    SIM_ASSIGN_OR_RETURN(series->frameworks_,
                         FrameworkTimeSeries::Open(framework_path, cluster, metrics));
  }
  series->versions_ = DeclaredWindowsVersions(cluster.spec());
  return series;
}

std::vector<plugins::OsVersion> TimeSeries::DeclaredWindowsVersions(
    const models::ScenarioSpec& spec) {
  std::vector<plugins::OsVersion> versions;
  for (const auto& group : spec.groups) {
    if (group.os == plugins::Os::kWindows) versions.push_back(group.os_version);
  }
  // A trace's machines are Windows only with trace.os.windows_machines > 0 (TraceOsMapper).
  if (spec.trace.enabled && spec.trace.os.windows_machines > 0) {
    for (const auto& [version, weight] : spec.trace.os.windows_versions)
      versions.push_back(version);
    if (spec.trace.os.windows_versions.empty()) versions.push_back(plugins::OsVersion::kLtsc2019);
  }
  std::erase(versions, plugins::OsVersion::kNone);
  std::sort(versions.begin(), versions.end());
  versions.erase(std::unique(versions.begin(), versions.end()), versions.end());
  return versions;
}

void TimeSeries::Start(sim::Time end) {
  end_ = end;
  // The header names the roles, which exist once the cluster has started.
  std::string header =
      "time_s,linux_cpus_alloc,linux_cpus_total,linux_mem_alloc,linux_mem_total,"
      "windows_cpus_alloc,windows_cpus_total,windows_mem_alloc,windows_mem_total,"
      "pending_tasks,active_tasks,outstanding_offers";
  for (plugins::OsVersion v : versions_) {
    const std::string_view name = plugins::OsVersionName(v);
    header += fmt::format(
        ",windows_{0}_cpus_alloc,windows_{0}_cpus_total,windows_{0}_mem_alloc,"
        "windows_{0}_mem_total",
        name);
  }
  const auto& master = cluster_.master();
  for (size_t r = 0; r < master.role_count(); ++r) {
    // Quoted as any CSV field: a role name may hold a comma or a quote (RFC 4180).
    header +=
        "," + CsvField("share_" + master.role(plugins::RoleId(static_cast<uint32_t>(r))).name);
  }
  header += '\n';
  file_.Write(header);
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
  for (plugins::OsVersion v : versions_) {
    const int i = static_cast<int>(v);
    fmt::format_to(out, ",{:.3f},{:.3f},{:.3f},{:.3f}", u.allocated_by_version[i].cpus(),
                   u.total_by_version[i].cpus(), u.allocated_by_version[i].mem(),
                   u.total_by_version[i].mem());
  }
  for (size_t r = 0; r < master.role_count(); ++r) {
    const plugins::RoleId id(static_cast<uint32_t>(r));
    fmt::format_to(out, ",{:.6f}",
                   master.RoleAllocatedInCell(id).DominantShare(master.cell().total()));
  }
  line_ += '\n';
  file_.Write(line_);
  if (frameworks_) frameworks_->Sample(now);
}

sim::Status TimeSeries::Close() {
  if (file_.get() == nullptr) return sim::Status::Ok();
  if (last_sample_ != cluster_.simulator().Now()) Sample();
  if (frameworks_) SIM_RETURN_IF_ERROR(frameworks_->Close());
  return file_.Commit();
}

}  // namespace clustersim::results
