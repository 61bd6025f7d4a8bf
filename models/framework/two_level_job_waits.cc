#include "models/framework/two_level_job_waits.h"

#include <algorithm>

namespace clustersim::models {

void TwoLevelJobWaits::Submitted(const Task& task, sim::Time busy) {
  auto [it, added] = open_.try_emplace(KeyOf(task));
  if (added) it->second.busy_at_submission = busy;
  ++it->second.unlaunched;
}

TwoLevelJobWaits::OpenJob* TwoLevelJobWaits::Leave(const Task& task, bool* last) {
  const auto it = open_.find(KeyOf(task));
  if (it == open_.end()) return nullptr;  // a task outside any job (a trace's recorded launch)
  *last = --it->second.unlaunched == 0;
  return &it->second;
}

std::optional<sim::Time> TwoLevelJobWaits::Launched(const Task& task, sim::Time round_start,
                                                    sim::Time busy) {
  bool last = false;
  OpenJob* job = Leave(task, &last);
  if (job == nullptr || !last) return std::nullopt;
  const bool complete = job->can_complete;
  const sim::Time considered = busy - job->busy_at_submission;
  open_.erase(KeyOf(task));
  if (!complete) return std::nullopt;
  return std::max(sim::Time::Zero(), round_start - task.submitted - considered);
}

void TwoLevelJobWaits::EndedUnlaunched(const Task& task) {
  bool last = false;
  OpenJob* job = Leave(task, &last);
  if (job == nullptr) return;
  job->can_complete = false;
  if (last) open_.erase(KeyOf(task));
}

}  // namespace clustersim::models
