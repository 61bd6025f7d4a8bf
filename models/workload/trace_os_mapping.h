#pragma once

#include <vector>

#include "models/spec.h"
#include "models/task.h"
#include "scheduler_plugins/api/cluster_view.h"
#include "sim/distribution.h"
#include "sim/random.h"

namespace clustersim::models {

// Applies a scenario's TraceOsMapping: traces carry no OS, version or image, so machines and jobs
// get them from seeded draws. The n-th machine draws from a generator keyed on n
// ("trace.os.machines"), the n-th job from one keyed on n ("trace.os.jobs"), n counting in the
// trace's order: a run's draws depend only on the seed and that order, and a machine's or job's
// draw never depends on how many values an earlier one took (a version drawn for a Windows host
// only, an image only when the list has some), so a sweep over windows_machines or windows_tasks
// keeps every other machine and job as it was, and a machine Windows at a share stays Windows at
// a larger one. A replay may instead key the draws on its own IDs (Google 2011: one Rng per
// machine and per job ID) with the overloads that take an Rng: the rules are the same for every
// format.
//
// A Windows job with no Windows images listed gets no image and no version (image_version kNone):
// it runs on any Windows host, whatever its version.
class TraceOsMapper {
 public:
  // What a trace job's tasks run: its OS and (when the mapping lists images) its image.
  struct JobOs {
    plugins::Os os = plugins::Os::kLinux;
    bool has_image = false;
    plugins::ImageId image;
    plugins::OsVersion image_version = plugins::OsVersion::kNone;
  };

  TraceOsMapper(const TraceOsMapping& mapping, const ImageCatalog& catalog,
                const sim::RandomStreams& streams);

  // Sets the machine's os, os_version and isolation: Windows with probability windows_machines
  // (version drawn by weight, isolation windows_isolation), otherwise Linux with Docker.
  void AssignMachine(plugins::AgentInfo& info) {
    sim::Rng rng = machine_draws_.For(machines_drawn_++);
    AssignMachine(info, rng);
  }
  // One draw per job: Windows with probability windows_tasks; the image is drawn among the
  // mapping's images of that OS with Zipf(image_zipf) popularity (none if the list is empty).
  JobOs DrawJob() {
    sim::Rng rng = job_draws_.For(jobs_drawn_++);
    return DrawJob(rng);
  }
  // The same draws from the caller's `rng`.
  void AssignMachine(plugins::AgentInfo& info, sim::Rng& rng) const;
  JobOs DrawJob(sim::Rng& rng) const;
  static void Apply(const JobOs& job, Task& task) {
    task.os = job.os;
    task.has_image = job.has_image;
    task.image = job.image;
    task.image_version = job.image_version;
  }

 private:
  const TraceOsMapping& mapping_;
  const ImageCatalog& catalog_;
  sim::KeyedStreams machine_draws_;
  sim::KeyedStreams job_draws_;
  uint64_t machines_drawn_ = 0;
  uint64_t jobs_drawn_ = 0;
  double version_weight_total_ = 0;
  sim::Distribution image_rank_[plugins::kOsCount];
};

}  // namespace clustersim::models
