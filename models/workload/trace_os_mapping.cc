#include "models/workload/trace_os_mapping.h"

#include <algorithm>

namespace clustersim::models {

TraceOsMapper::TraceOsMapper(const TraceOsMapping& mapping, const ImageCatalog& catalog,
                             const sim::RandomStreams& streams)
    : mapping_(mapping),
      catalog_(catalog),
      machine_draws_(streams, "trace.os.machines"),
      job_draws_(streams, "trace.os.jobs") {
  for (const auto& [version, weight] : mapping.windows_versions) version_weight_total_ += weight;
  const std::vector<uint32_t>* lists[plugins::kOsCount] = {};
  lists[static_cast<int>(plugins::Os::kLinux)] = &mapping.linux_images;
  lists[static_cast<int>(plugins::Os::kWindows)] = &mapping.windows_images;
  for (int os = 0; os < plugins::kOsCount; ++os) {
    if (lists[os] == nullptr || lists[os]->empty()) continue;
    auto zipf = sim::Distribution::Zipf(static_cast<int>(lists[os]->size()), mapping.image_zipf_s);
    if (zipf.ok()) image_rank_[os] = *zipf;
  }
}

void TraceOsMapper::AssignMachine(plugins::AgentInfo& info, sim::Rng& rng) const {
  const bool windows = mapping_.windows_machines > 0 && rng.Uniform01() < mapping_.windows_machines;
  if (!windows) {
    info.os = plugins::Os::kLinux;
    info.os_version = plugins::OsVersion::kNone;
    info.isolation = plugins::Isolation::kDocker;
    return;
  }
  info.os = plugins::Os::kWindows;
  info.isolation = mapping_.windows_isolation;
  info.os_version = mapping_.windows_versions.empty() ? plugins::OsVersion::kLtsc2019
                                                      : mapping_.windows_versions.back().first;
  if (mapping_.windows_versions.size() > 1 && version_weight_total_ > 0) {
    double u = rng.Uniform01() * version_weight_total_;
    for (const auto& [version, weight] : mapping_.windows_versions) {
      if (u < weight) {
        info.os_version = version;
        break;
      }
      u -= weight;
    }
  }
}

TraceOsMapper::JobOs TraceOsMapper::DrawJob(sim::Rng& rng) const {
  JobOs job;
  const bool windows = mapping_.windows_tasks > 0 && rng.Uniform01() < mapping_.windows_tasks;
  job.os = windows ? plugins::Os::kWindows : plugins::Os::kLinux;
  const std::vector<uint32_t>& images = windows ? mapping_.windows_images : mapping_.linux_images;
  if (!images.empty()) {
    const auto rank = static_cast<size_t>(image_rank_[static_cast<int>(job.os)].Sample(rng));
    const uint32_t image = images[std::min(rank, images.size() - 1)];
    job.has_image = true;
    job.image = plugins::ImageId(image);
    job.image_version = catalog_.images[image].version;
  }
  return job;
}

}  // namespace clustersim::models
