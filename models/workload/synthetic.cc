#include "models/workload/synthetic.h"

#include <algorithm>
#include <cmath>

#include "sim/random.h"

namespace clustersim::models {

SyntheticWorkload::SyntheticWorkload(sim::Simulator& sim, const WorkloadSpec& spec,
                                     const ImageCatalog& catalog, const std::string& framework_name,
                                     uint64_t* next_task_id, uint64_t* next_job_id, Submit submit)
    : sim_(sim),
      spec_(spec),
      catalog_(catalog),
      next_task_id_(next_task_id),
      next_job_id_(next_job_id),
      submit_(std::move(submit)),
      arrivals_(sim.random().Stream("workload." + framework_name + ".arrivals")),
      arrival_job_draws_(sim.random(), "workload." + framework_name + ".jobs"),
      initial_job_draws_(sim.random(), "workload." + framework_name + ".initial_jobs"),
      arrival_tasks_key_(TaskSourceKey(framework_name, TaskSource::kArrivals)),
      initial_tasks_key_(TaskSourceKey(framework_name, TaskSource::kInitialJobs)),
      initial_jobs_label_(framework_name + ": initial jobs submitted") {
  for (uint32_t image : spec.images) {
    images_by_os_[static_cast<int>(catalog.images[image].os)].push_back(image);
  }
  for (int os = 0; os < plugins::kOsCount; ++os) {
    const int n = static_cast<int>(images_by_os_[os].size());
    if (n > 0) image_rank_[os] = sim::Distribution::Zipf(n, spec.image_zipf_s).value();
  }
}

void SyntheticWorkload::Start() {
  sim_.Schedule(std::max(sim_.Now(), spec_.start), [this] {
    // Millions of initial jobs take a while in this one event: report progress, and stop early
    // on Ctrl-C (the run then stops after this event, marked interrupted).
    const auto total = static_cast<uint64_t>(std::max(spec_.initial_jobs, 0));
    for (uint64_t i = 0; i < total && !sim_.interrupted(); ++i) {
      SubmitJob(initial_job_draws_, initial_tasks_key_, i);
      sim_.ReportWork(initial_jobs_label_, i + 1, total);
    }
    ScheduleNextArrival();
  });
}

void SyntheticWorkload::ScheduleNextArrival() {
  if (spec_.arrival == ArrivalKind::kNone || spec_.rate_per_s <= 0) return;
  if (spec_.max_jobs >= 0 && jobs_ >= spec_.max_jobs) return;
  const double gap = spec_.arrival == ArrivalKind::kPoisson
                         ? arrivals_.Exponential(1.0 / spec_.rate_per_s)
                         : 1.0 / spec_.rate_per_s;
  const sim::Time at = sim_.Now() + sim::Time::FromSeconds(gap);
  if (at >= spec_.stop) return;
  sim_.Schedule(at, [this] {
    SubmitJob(arrival_job_draws_, arrival_tasks_key_, arrivals_submitted_++);
    ScheduleNextArrival();
  });
}

static double NonNegative(double v) { return std::isfinite(v) && v > 0 ? v : 0; }

double SyntheticWorkload::Draw(const JobKey& job, JobDraw what,
                               const sim::Distribution& distribution) {
  sim::Rng rng = job.draws.For(job.index, static_cast<uint64_t>(what));
  return distribution.Sample(rng);
}

Task SyntheticWorkload::DrawTaskTemplate(const JobKey& job) const {
  Task task;
  task.resources = Resources::Of(NonNegative(Draw(job, JobDraw::kCpus, spec_.cpus)),
                                 NonNegative(Draw(job, JobDraw::kMem, spec_.mem_mib)),
                                 NonNegative(Draw(job, JobDraw::kDisk, spec_.disk_mib)),
                                 NonNegative(Draw(job, JobDraw::kGpus, spec_.gpus)));
  sim::Rng os_rng = job.draws.For(job.index, static_cast<uint64_t>(JobDraw::kOs));
  const bool windows = spec_.windows_fraction > 0 && os_rng.Uniform01() < spec_.windows_fraction;
  task.os = windows ? Os::kWindows : Os::kLinux;
  const auto& candidates = images_by_os_[static_cast<int>(task.os)];
  if (!candidates.empty()) {
    const auto rank =
        static_cast<size_t>(Draw(job, JobDraw::kImage, image_rank_[static_cast<int>(task.os)]));
    const uint32_t image = candidates[std::min(rank, candidates.size() - 1)];
    task.image = ImageId(image);
    task.has_image = true;
    task.image_version = catalog_.images[image].version;
  }
  task.service = spec_.service;
  task.duration =
      spec_.service
          ? sim::Time::Max()
          : std::max(sim::Time::Micros(1),
                     sim::Time::FromSeconds(Draw(job, JobDraw::kDuration, spec_.duration_s)));
  return task;
}

void SyntheticWorkload::SubmitJob(const sim::KeyedStreams& draws, uint64_t source_key,
                                  uint64_t index) {
  if (spec_.max_jobs >= 0 && jobs_ >= spec_.max_jobs) return;
  ++jobs_;
  const JobKey key{draws, index, sim::CombineKey(source_key, index)};
  const uint64_t job = (*next_job_id_)++;
  const auto count = static_cast<int64_t>(
      std::max(1.0, std::round(Draw(key, JobDraw::kTaskCount, spec_.tasks_per_job))));
  // One shape per job: the tasks of a job are copies, as in most batch frameworks.
  Task shape = DrawTaskTemplate(key);
  for (int64_t i = 0; i < count; ++i) {
    Task task = shape;
    task.id = (*next_task_id_)++;
    task.draw_key = sim::CombineKey(key.task_keys, static_cast<uint64_t>(i));
    task.job = job;
    task.job_tasks = static_cast<uint32_t>(count);
    submit_(task);
  }
}

}  // namespace clustersim::models
