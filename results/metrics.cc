#include "results/metrics.h"

namespace clustersim::results {

void UsageTracker::Advance(sim::Time now) {
  const double dt = (now - since).seconds();
  if (dt > 0) {
    const plugins::Resources alloc = AllocatedAll();
    const plugins::Resources tot = TotalAll();
    alloc_cpu_area += alloc.cpus() * dt;
    total_cpu_area += tot.cpus() * dt;
    alloc_mem_area += alloc.mem() * dt;
    total_mem_area += tot.mem() * dt;
  }
  since = now;
}

MetricsCollector::MetricsCollector(models::Cluster& cluster) : cluster_(cluster) {
  auto& s = cluster.signals();
  sim::Simulator& sim = cluster.simulator();
  s.task_submitted.Connect([this](const models::Task& t) {
    ++tasks_.submitted;
    if (t.job_tasks > 0) jobs_.try_emplace(t.job, JobProgress{t.submitted});
  });
  s.task_launched.Connect([this](const models::Task& t) {
    if (t.attempts == 1 && t.submit_known) {
      queue_delay_.Add(t.os, (t.first_launch - t.submitted).seconds());
    }
    OnAllocationChange(t, true);
  });
  s.task_starting.Connect([this](const models::Task& t) { pull_time_.Add(t.os, t.pull_seconds); });
  s.task_running.Connect([this](const models::Task& t) {
    start_latency_.Add(t.os, (t.running - t.launched).seconds());
  });
  s.task_ended.Connect([this](const models::Task& t, bool final) {
    if (t.state != models::TaskState::kUnschedulable) OnAllocationChange(t, false);
    if (!final) {
      ++tasks_.retried;
      return;
    }
    OnTaskFinal(t);
    ++tasks_.by_reason[static_cast<int>(t.state)][static_cast<int>(t.reason)];
    switch (t.state) {
      case models::TaskState::kFinished:
        ++tasks_.finished;
        break;
      case models::TaskState::kFailed:
        ++tasks_.failed;
        break;
      case models::TaskState::kLost:
        ++tasks_.lost;
        break;
      case models::TaskState::kKilled:
        ++tasks_.killed;
        break;
      case models::TaskState::kUnschedulable:
        ++tasks_.unschedulable;
        break;
      default:
        break;
    }
  });
  s.offer_sent.Connect([this](const models::Offer&) { ++offers_.sent; });
  s.offer_accepted.Connect([this](const models::Offer&, int) { ++offers_.accepted; });
  s.offer_declined.Connect([this](const models::Offer&) { ++offers_.declined; });
  s.offer_rescinded.Connect([this](const models::Offer&) { ++offers_.rescinded; });
  s.allocation_cycle.Connect([this](sim::Time, int) { ++cycles_; });
  auto agent_total = [this, &sim](models::AgentId id, bool up) {
    usage_.Advance(sim.Now());
    const plugins::AgentInfo& info = cluster_.master().agent(id);
    auto& total = usage_.total[static_cast<int>(info.os)];
    if (up) {
      total += info.capacity;
    } else {
      total -= info.capacity;
    }
  };
  s.agent_resized.Connect([this, &sim](models::AgentId id, const plugins::Resources& old) {
    usage_.Advance(sim.Now());
    const plugins::AgentInfo& info = cluster_.master().agent(id);
    auto& total = usage_.total[static_cast<int>(info.os)];
    total -= old;
    total += info.capacity;
  });
  s.agent_up.Connect([agent_total](models::AgentId id) { agent_total(id, true); });
  s.agent_down.Connect([agent_total](models::AgentId id) { agent_total(id, false); });
}

void MetricsCollector::OnTaskFinal(const models::Task& t) {
  if (t.job_tasks == 0) return;
  auto it = jobs_.find(t.job);
  if (it == jobs_.end()) return;
  JobProgress& job = it->second;
  job.all_finished &= t.state == models::TaskState::kFinished;
  if (++job.ended < t.job_tasks) return;
  if (job.all_finished) job_completion_.Add((t.ended - job.submitted).seconds());
  jobs_.erase(it);
}

void MetricsCollector::AdvanceFairness(sim::Time now) {
  const double dt = (now - jain_since_).seconds();
  if (dt > 0 && jain_defined_) {
    jain_area_ += jain_now_ * dt;
    jain_time_ += dt;
  }
  jain_since_ = now;
}

void MetricsCollector::OnAllocationChange(const models::Task& task, bool add) {
  usage_.Advance(cluster_.simulator().Now());
  AdvanceFairness(cluster_.simulator().Now());
  const models::Master& master = cluster_.master();
  const plugins::RoleId role = master.framework(task.framework).role;
  if (role_allocated_.size() < master.role_count()) role_allocated_.resize(master.role_count());
  if (add) {
    role_allocated_[role.index()] += task.allocated;
  } else {
    role_allocated_[role.index()] -= task.allocated;
  }
  double sum = 0, sum_sq = 0;
  for (size_t r = 0; r < role_allocated_.size(); ++r) {
    const double x = role_allocated_[r].DominantShare(master.cluster_total()) /
                     master.role(plugins::RoleId(static_cast<uint32_t>(r))).weight;
    sum += x;
    sum_sq += x * x;
  }
  jain_defined_ = sum_sq > 0;
  jain_now_ =
      jain_defined_ ? sum * sum / (static_cast<double>(role_allocated_.size()) * sum_sq) : 0;

  auto& alloc = usage_.allocated[static_cast<int>(cluster_.master().agent(task.agent).os)];
  if (add) {
    alloc += task.allocated;
  } else {
    alloc -= task.allocated;
  }
}

void MetricsCollector::Finish() {
  usage_.Advance(cluster_.simulator().Now());
  AdvanceFairness(cluster_.simulator().Now());
}

}  // namespace clustersim::results
