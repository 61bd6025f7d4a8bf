#include "models/framework/batch_queue.h"

#include <algorithm>

#include "sim/check.h"

namespace clustersim::models {

void BatchStats::Merge(const BatchStats& o) {
  submitted += o.submitted;
  started += o.started;
  ended += o.ended;
  sum_wait_s += o.sum_wait_s;
  max_wait_s = std::max(max_wait_s, o.max_wait_s);
  sum_bounded_slowdown += o.sum_bounded_slowdown;
  first_submit = std::min(first_submit, o.first_submit);
  last_end = std::max(last_end, o.last_end);
}

void BatchQueue::Submit(uint64_t job, sim::Time now, sim::Time estimate,
                        std::vector<TaskSlot> tasks) {
  SIM_CHECK_MSG(!tasks.empty(), "a batch job needs at least one task");
  waiting_tasks_ += tasks.size();
  ++stats_.submitted;
  stats_.first_submit = std::min(stats_.first_submit, now);
  waiting_.push_back(Waiting{job, now, estimate, std::move(tasks)});
}

void BatchQueue::Start(Waiting& job, sim::Time now, int64_t& free, std::vector<TaskSlot>& launch) {
  const auto width = static_cast<uint32_t>(job.tasks.size());
  free -= width;
  waiting_tasks_ -= width;
  launch.insert(launch.end(), job.tasks.begin(), job.tasks.end());
  std::vector<TaskSlot>().swap(job.tasks);
  const Running run{job.job, width, width, job.submitted, now, now + job.estimate};
  // After every job with the same estimated end: ties keep start order.
  auto at = std::upper_bound(running_.begin(), running_.end(), run.estimated_end,
                             [](sim::Time t, const Running& r) { return t < r.estimated_end; });
  running_.insert(at, run);
  const double wait = (now - job.submitted).seconds();
  ++stats_.started;
  stats_.sum_wait_s += wait;
  stats_.max_wait_s = std::max(stats_.max_wait_s, wait);
}

void BatchQueue::Pass(sim::Time now, int64_t free, std::vector<TaskSlot>& launch) {
  // FCFS: the head while it fits.
  while (head_ < waiting_.size() && static_cast<int64_t>(waiting_[head_].tasks.size()) <= free) {
    Start(waiting_[head_], now, free, launch);
    ++head_;
  }
  if (policy_ == BatchPolicy::kEasy && head_ < waiting_.size() && free > 0) {
    // The head's reservation: walk the running jobs by estimated end until enough is free.
    const auto need = static_cast<int64_t>(waiting_[head_].tasks.size());
    int64_t at_shadow = free;
    sim::Time shadow = sim::Time::Max();  // stays Max only if the head can never fit
    for (size_t i = 0; i < running_.size();) {
      const sim::Time t = running_[i].estimated_end;
      for (; i < running_.size() && running_[i].estimated_end == t; ++i)
        at_shadow += running_[i].width;
      if (at_shadow >= need) {
        shadow = t;
        break;
      }
    }
    int64_t extra = shadow.IsMax() ? 0 : at_shadow - need;
    // Backfill in queue order; the jobs left behind close up in place.
    size_t kept = head_ + 1;
    for (size_t k = head_ + 1; k < waiting_.size(); ++k) {
      Waiting& job = waiting_[k];
      const auto width = static_cast<int64_t>(job.tasks.size());
      bool start = false;
      if (width <= free) {
        if (now + job.estimate <= shadow) {
          start = true;
        } else if (width <= extra) {
          start = true;
          extra -= width;
        }
      }
      if (start) {
        Start(job, now, free, launch);
      } else {
        if (kept != k) waiting_[kept] = std::move(job);
        ++kept;
      }
    }
    waiting_.resize(kept);
  }
  CompactWaiting();
}

void BatchQueue::CompactWaiting() {
  if (head_ == waiting_.size()) {
    waiting_.clear();
    head_ = 0;
  } else if (head_ >= 1024 && head_ * 2 >= waiting_.size()) {
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

void BatchQueue::TaskEnded(uint64_t job, sim::Time now) {
  auto it = std::find_if(running_.begin(), running_.end(),
                         [job](const Running& r) { return r.job == job; });
  SIM_CHECK_MSG(it != running_.end(), "a task ended for a batch job that is not running");
  SIM_CHECK(it->remaining > 0);
  if (--it->remaining > 0) return;
  const double run = (now - it->started).seconds();
  const double wait = (it->started - it->submitted).seconds();
  ++stats_.ended;
  stats_.sum_bounded_slowdown +=
      std::max(1.0, (wait + run) / std::max(run, BatchStats::kSlowdownTauSeconds));
  stats_.last_end = std::max(stats_.last_end, now);
  running_.erase(it);
}

}  // namespace clustersim::models
