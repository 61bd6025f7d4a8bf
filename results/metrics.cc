#include "results/metrics.h"

#include <algorithm>

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

uint64_t MetricsCollector::FrameworkExactLimit(size_t frameworks) {
  // One overall series' budget shared out, but never below 1024 samples: a small framework keeps
  // exact quantiles however many frameworks there are.
  const uint64_t share = sim::QuantileSeries::kExactLimit / std::max<size_t>(1, frameworks);
  return std::max<uint64_t>(1024, share);
}

MetricsCollector::MetricsCollector(models::Cluster& cluster, QuotaConfigs quotas)
    : cluster_(cluster),
      roles_(cluster, std::move(quotas)),
      schedulers_(cluster.signals(), cluster.simulator(), cluster.spec().frameworks.size()) {
  const size_t frameworks = cluster.spec().frameworks.size();
  const uint64_t limit = FrameworkExactLimit(frameworks);
  framework_latency_.assign(frameworks, {sim::QuantileSeries(limit), sim::QuantileSeries(limit)});
  framework_allocated_.resize(frameworks);
  framework_offers_.resize(frameworks);
  at_start_.framework_finished.resize(frameworks);  // zeros until a warmup ends
  at_start_.framework_inverse_offers.resize(frameworks);
  auto& s = cluster.signals();
  sim::Simulator& sim = cluster.simulator();
  s.task_submitted.Connect([this](const models::Task& t) {
    ++tasks_.submitted;
    if (t.job_tasks > 0) jobs_.try_emplace(t.job, JobProgress{t.submitted});
  });
  s.task_launched.Connect([this](const models::Task& t) {
    if (t.attempts == 1 && t.submit_known) {
      const double seconds = (t.first_launch - t.submitted).seconds();
      queue_delay_.Add(t.os, seconds);
      framework_latency_[t.framework.index()].queue_delay.Add(seconds);
    }
    OnAllocationChange(t, true);
  });
  s.task_starting.Connect([this](const models::Task& t) { pull_time_.Add(t.os, t.pull_seconds); });
  s.task_running.Connect([this](const models::Task& t) {
    const double seconds = (t.running - t.launched).seconds();
    start_latency_.Add(t.os, seconds);
    framework_latency_[t.framework.index()].start_latency.Add(seconds);
  });
  s.task_ended.Connect([this](const models::Task& t, bool final) {
    if (models::AttemptHeldResources(t.state, t.reason)) OnAllocationChange(t, false);
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
      case models::TaskState::kUnreachable:
        ++tasks_.unreachable;
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
  s.offer_sent.Connect([this](const models::Offer& o) {
    ++offers_.sent;
    Count(o, &OfferCounts::sent);
  });
  s.offer_accepted.Connect([this, &sim](const models::Offer& o, int) {
    schedulers_.OfferEnded(o, sim.Now());
    ++offers_.accepted;
    Count(o, &OfferCounts::accepted);
  });
  s.offer_declined.Connect([this, &sim](const models::Offer& o) {
    schedulers_.OfferEnded(o, sim.Now());
    ++offers_.declined;
    Count(o, &OfferCounts::declined);
  });
  s.offer_rescinded.Connect([this, &sim](const models::Offer& o) {
    schedulers_.OfferEnded(o, sim.Now());
    ++offers_.rescinded;
    Count(o, &OfferCounts::rescinded);
  });
  s.allocation_cycle.Connect([this](sim::Time, int) { ++cycles_; });
  auto agent_total = [this, &sim](models::AgentId id, bool up) {
    usage_.Advance(sim.Now());
    const plugins::AgentInfo& info = cluster_.master().agent(id);
    auto& total = usage_.total[static_cast<int>(info.os)];
    auto& by_version = usage_.total_by_version[static_cast<int>(info.os_version)];
    if (up) {
      total += info.capacity;
      by_version += info.capacity;
    } else {
      total -= info.capacity;
      by_version -= info.capacity;
    }
    roles_.OnAgent(info, up, sim.Now());
  };
  s.agent_resized.Connect([this, &sim](models::AgentId id, const plugins::Resources& old) {
    usage_.Advance(sim.Now());
    const plugins::AgentInfo& info = cluster_.master().agent(id);
    for (plugins::Resources* total :
         {&usage_.total[static_cast<int>(info.os)],
          &usage_.total_by_version[static_cast<int>(info.os_version)]}) {
      *total -= old;
      *total += info.capacity;
    }
  });
  s.agent_up.Connect([agent_total](models::AgentId id) { agent_total(id, true); });
  // Capacity leaves with the removal (a crash or partition is noticed later), not at the fault.
  s.agent_removed.Connect([agent_total](models::AgentId id) { agent_total(id, false); });
  s.agent_down.Connect([this](models::AgentId) { ++agents_.faults; });
  s.agent_unreachable.Connect([this](models::AgentId) { ++agents_.unreachable; });
  s.agent_reregistered.Connect([this](models::AgentId) { ++agents_.reregistered; });
  s.task_recovered.Connect([this](const models::Task& t) {
    ++tasks_.recovered;
    OnAllocationChange(t, true);
  });
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
  const plugins::RoleId role = master.framework(task.subscription).role;
  if (role_allocated_.size() < master.role_count()) role_allocated_.resize(master.role_count());
  if (add) {
    role_allocated_[role.index()] += task.allocated;
  } else {
    role_allocated_[role.index()] -= task.allocated;
  }
  double sum = 0, sum_sq = 0;
  for (size_t r = 0; r < role_allocated_.size(); ++r) {
    const double x = role_allocated_[r].DominantShare(master.cell().total()) /
                     master.role(plugins::RoleId(static_cast<uint32_t>(r))).weight;
    sum += x;
    sum_sq += x * x;
  }
  jain_defined_ = sum_sq > 0;
  jain_now_ =
      jain_defined_ ? sum * sum / (static_cast<double>(role_allocated_.size()) * sum_sq) : 0;

  const plugins::AgentInfo& agent = master.agent(task.agent);
  for (plugins::Resources* alloc :
       {&usage_.allocated[static_cast<int>(agent.os)],
        &usage_.allocated_by_version[static_cast<int>(agent.os_version)],
        &framework_allocated_[task.framework.index()]}) {
    if (add) {
      *alloc += task.allocated;
    } else {
      *alloc -= task.allocated;
    }
  }
  roles_.OnAllocation(task, add, cluster_.simulator().Now());
}

void MetricsCollector::Count(const models::Offer& offer, uint64_t OfferCounts::*field) {
  FrameworkOfferCounts& counts = framework_offers_[offer.framework.index()];
  ++(counts.all.*field);
  // Every offer event lands here (tens of millions in a day at scale): the OS comes from a byte
  // per agent, not from the agent's record (hundreds of bytes apart, a cache miss each).
  const size_t agent = offer.agent.index();
  if (agent >= agent_os_.size()) {
    const models::Master& master = cluster_.master();
    for (size_t a = agent_os_.size(); a <= agent; ++a) {
      agent_os_.push_back(master.agent(models::AgentId(static_cast<uint32_t>(a))).os);
    }
  }
  ++(counts.by_agent_os[static_cast<int>(agent_os_[agent])].*field);
}

void MetricsCollector::StartMeasuring() {
  const sim::Time now = cluster_.simulator().Now();
  measured_from_ = now;
  usage_.Advance(now);
  usage_.alloc_cpu_area = usage_.total_cpu_area = usage_.alloc_mem_area = usage_.total_mem_area = 0;
  AdvanceFairness(now);
  jain_area_ = jain_time_ = 0;
  roles_.Restart(now);
  schedulers_.Restart(now);

  tasks_ = {};
  offers_ = {};
  agents_ = {};
  cycles_ = 0;
  queue_delay_ = LatencyStats();
  start_latency_ = LatencyStats();
  pull_time_ = LatencyStats();
  job_completion_ = sim::QuantileSeries();
  jobs_.clear();  // a job submitted before the start is not timed
  const uint64_t limit = FrameworkExactLimit(framework_latency_.size());
  for (FrameworkLatency& f : framework_latency_) {
    f = {sim::QuantileSeries(limit), sim::QuantileSeries(limit)};
  }
  for (FrameworkOfferCounts& f : framework_offers_) f = {};

  Baseline& b = at_start_;
  b.tasks_pending = b.tasks_running = 0;
  const models::Master& master = cluster_.master();
  for (const auto& fw : cluster_.frameworks()) {
    b.tasks_pending += fw->pending();
    b.tasks_running += fw->active_tasks();
    b.framework_finished[fw->id().index()] = fw->tasks_finished();
    b.framework_inverse_offers[fw->id().index()] = master.inverse_offer_counts(fw->id());
  }
  const models::ContainerRuntime& runtime = cluster_.runtime();
  b.downloaded_mib = runtime.puller().downloaded_mib();
  b.failed_attempts_mib = runtime.failed_attempts_pull_mib();
  b.discarded_mib = runtime.puller().discarded_mib();
  b.prepulled_images = runtime.prepulled_images();
  b.reregistration_kills = master.reregistration_kills();
  b.master_busy_s = master.cost_model().master().busy_seconds(now);
  b.allocator_busy_s = master.cost_model().allocator().busy_seconds(now);
  cluster_.master().cost_model().RestartStatistics();
}

void MetricsCollector::Finish() {
  usage_.Advance(cluster_.simulator().Now());
  AdvanceFairness(cluster_.simulator().Now());
  roles_.Finish(cluster_.simulator().Now());
  schedulers_.Finish(cluster_.simulator().Now(), cluster_.master());
}

}  // namespace clustersim::results
