#include "models/framework/two_level_job_waits.h"

#include <algorithm>

namespace clustersim::models {

void TwoLevelJobWaits::Submitted(Task& task, bool new_job, sim::Time busy) {
  // A task of the last job joins it unless that job is already over (placed or given up).
  if (new_job || jobs_.empty() || jobs_.back().unlaunched == 0) {
    if (jobs_.empty()) first_ = next_;
    jobs_.push_back(Job{busy, 0, true});
    ++next_;
  }
  task.job_ordinal = next_ - 1;
  task.has_job_ordinal = true;
  ++jobs_.back().unlaunched;
}

TwoLevelJobWaits::Job* TwoLevelJobWaits::Find(const Task& task) {
  if (!task.has_job_ordinal) return nullptr;
  const uint32_t index = task.job_ordinal - first_;
  if (index < jobs_.size()) return jobs_[index].unlaunched == 0 ? nullptr : &jobs_[index];
  if (stragglers_.empty()) return nullptr;
  const auto it = stragglers_.find(task.job_ordinal);
  return it == stragglers_.end() ? nullptr : &it->second;
}

void TwoLevelJobWaits::Trim() {
  while (!jobs_.empty()) {
    if (jobs_.front().unlaunched > 0) {
      if (jobs_.size() <= kMaxSpan) return;
      stragglers_.emplace(first_, jobs_.front());
    }
    jobs_.pop_front();
    ++first_;
  }
}

void TwoLevelJobWaits::Close(uint32_t ordinal) {
  if (ordinal - first_ < jobs_.size()) {
    Trim();
  } else {
    stragglers_.erase(ordinal);
  }
}

std::optional<sim::Time> TwoLevelJobWaits::Launched(const Task& task, sim::Time round_start,
                                                    sim::Time busy) {
  Job* job = Find(task);
  if (job == nullptr || --job->unlaunched > 0) return std::nullopt;
  std::optional<sim::Time> wait;
  if (job->can_complete) {
    const sim::Time considered = busy - job->busy_at_submission;
    wait = std::max(sim::Time::Zero(), round_start - task.submitted - considered);
  }
  Close(task.job_ordinal);
  return wait;
}

void TwoLevelJobWaits::EndedUnlaunched(const Task& task) {
  Job* job = Find(task);
  if (job == nullptr) return;
  job->can_complete = false;
  if (--job->unlaunched == 0) Close(task.job_ordinal);
}

}  // namespace clustersim::models
