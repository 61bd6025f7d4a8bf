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
  s.task_submitted.Connect([this](const models::Task&) { ++tasks_.submitted; });
  s.task_launched.Connect([this](const models::Task& t) {
    if (t.attempts == 1) queue_delay_.Add(t.os, (t.first_launch - t.submitted).seconds());
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
  s.agent_up.Connect([agent_total](models::AgentId id) { agent_total(id, true); });
  s.agent_down.Connect([agent_total](models::AgentId id) { agent_total(id, false); });
}

void MetricsCollector::OnAllocationChange(const models::Task& task, bool add) {
  usage_.Advance(cluster_.simulator().Now());
  auto& alloc = usage_.allocated[static_cast<int>(cluster_.master().agent(task.agent).os)];
  if (add) {
    alloc += task.allocated;
  } else {
    alloc -= task.allocated;
  }
}

void MetricsCollector::Finish() { usage_.Advance(cluster_.simulator().Now()); }

}  // namespace clustersim::results
