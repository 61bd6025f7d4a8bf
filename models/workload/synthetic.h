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
// initial batch at time zero). Draws come from the stream "workload.<framework>", so a framework's
// workload is the same whatever the policies do with it (common random numbers).
class SyntheticWorkload {
 public:
  using Submit = std::function<void(Task)>;

  SyntheticWorkload(sim::Simulator& sim, const WorkloadSpec& spec, const ImageCatalog& catalog,
                    const std::string& framework_name, uint64_t* next_task_id,
                    uint64_t* next_job_id, Submit submit);

  void Start();
  int64_t jobs_submitted() const { return jobs_; }

 private:
  void SubmitJob();
  void ScheduleNextArrival();
  Task DrawTaskTemplate();

  sim::Simulator& sim_;
  const WorkloadSpec& spec_;
  const ImageCatalog& catalog_;
  uint64_t* next_task_id_;
  uint64_t* next_job_id_;
  Submit submit_;
  sim::Rng rng_;
  std::string initial_jobs_label_;  // what the progress display says while they are submitted
  std::vector<uint32_t> images_by_os_[plugins::kOsCount];
  sim::Distribution image_rank_[plugins::kOsCount];
  int64_t jobs_ = 0;
};

}  // namespace clustersim::models
