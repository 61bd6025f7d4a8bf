#pragma once

#include <functional>
#include <string>
#include <vector>

#include "models/spec.h"
#include "models/task.h"
#include "sim/random.h"
#include "sim/simulator.h"

namespace clustersim::models {

// Jobs of identical-shape tasks arriving as a Poisson process or at a fixed interval (plus an
// initial batch at time zero). A framework's workload is the same whatever the policies do with it
// (common random numbers), and a change to one attribute's distribution moves only that attribute:
// the gaps come from their own stream ("workload.<framework>.arrivals"), and each attribute of the
// n-th arrival (task count, cpus, mem, disk, gpus, OS, image, duration) from a generator keyed on
// (n, attribute) ("workload.<framework>.jobs"; the n-th initial job's from
// "workload.<framework>.initial_jobs"). So `cpus: 0.1` and `cpus: uniform 0.1..0.1` give the same
// jobs, a sweep over windows_fraction sees the same arrivals, sizes and durations, and one over
// initial_jobs the same arrivals.
class SyntheticWorkload {
 public:
  using Submit = std::function<void(Task)>;

  SyntheticWorkload(sim::Simulator& sim, const WorkloadSpec& spec, const ImageCatalog& catalog,
                    const std::string& framework_name, uint64_t* next_task_id,
                    uint64_t* next_job_id, Submit submit);

  void Start();
  int64_t jobs_submitted() const { return jobs_; }

 private:
  // What a job's keyed draw is for; the values are part of the streams' definition: changing one
  // changes every result.
  enum class JobDraw : uint64_t { kTaskCount, kCpus, kMem, kDisk, kGpus, kOs, kImage, kDuration };

  // Whose draws a job takes: the n-th initial job's or the n-th arrival's. `task_keys`: its
  // tasks' Task::draw_key are this combined with their index in the job.
  struct JobKey {
    const sim::KeyedStreams& draws;
    uint64_t index;
    uint64_t task_keys;
  };

  void SubmitJob(const sim::KeyedStreams& draws, uint64_t source_key, uint64_t index);
  void ScheduleNextArrival();
  Task DrawTaskTemplate(const JobKey& job) const;
  static double Draw(const JobKey& job, JobDraw what, const sim::Distribution& distribution);

  sim::Simulator& sim_;
  const WorkloadSpec& spec_;
  const ImageCatalog& catalog_;
  uint64_t* next_task_id_;
  uint64_t* next_job_id_;
  Submit submit_;
  sim::Rng arrivals_;
  sim::KeyedStreams arrival_job_draws_;  // keyed on the arrival's number
  sim::KeyedStreams initial_job_draws_;  // keyed on the initial job's number
  uint64_t arrival_tasks_key_;           // TaskSourceKey(framework, kArrivals)
  uint64_t initial_tasks_key_;           // TaskSourceKey(framework, kInitialJobs)
  std::string initial_jobs_label_;       // what the progress display says while they are submitted
  std::vector<uint32_t> images_by_os_[plugins::kOsCount];
  sim::Distribution image_rank_[plugins::kOsCount];
  int64_t jobs_ = 0;  // initial jobs and arrivals, for max_jobs
  uint64_t arrivals_submitted_ = 0;
};

}  // namespace clustersim::models
