#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/cluster.h"
#include "results/role_usage.h"
#include "results/scheduler_metrics.h"
#include "sim/histogram.h"
#include "sim/quantiles.h"

namespace clustersim::results {

// Latency samples of one kind, overall and per OS. Only the per-OS series keep samples for exact
// quantiles; the overall ones come from them (sim::UnionQuantile), so no sample is kept twice.
struct LatencyStats {
  sim::LogHistogram all;
  std::array<sim::QuantileSeries, plugins::kOsCount> by_os;
  void Add(plugins::Os os, double seconds) {
    all.Add(seconds);
    by_os[static_cast<int>(os)].Add(seconds);
  }
};

inline constexpr int kOsVersionCount = static_cast<int>(plugins::OsVersion::kLtsc2022) + 1;

// Resources allocated and in total per OS, integrated over time for exact time averages; and per
// host OS version (indexed by plugins::OsVersion; Linux hosts are kNone) at the current time, for
// timeseries.csv.
struct UsageTracker {
  std::array<plugins::Resources, plugins::kOsCount> allocated;
  std::array<plugins::Resources, plugins::kOsCount> total;
  std::array<plugins::Resources, kOsVersionCount> allocated_by_version;
  std::array<plugins::Resources, kOsVersionCount> total_by_version;
  double alloc_cpu_area = 0, total_cpu_area = 0, alloc_mem_area = 0, total_mem_area = 0;
  sim::Time since;

  void Advance(sim::Time now);
  plugins::Resources AllocatedAll() const { return allocated[0] + allocated[1]; }
  plugins::Resources TotalAll() const { return total[0] + total[1]; }
};

// Subscribes to a cluster's signals and keeps what summary.json reports. Memory does not grow
// with the number of tasks beyond a bound: counts, running integrals, log-bucketed histograms and,
// for exact quantiles, up to 2^20 samples per latency series (sim::QuantileSeries).
class MetricsCollector {
 public:
  // `quotas`: the roles' configured quotas (master.quotas), for summary.json's roles[].quota.
  explicit MetricsCollector(models::Cluster& cluster, QuotaConfigs quotas = {});

  // Closes the time integrals at the current simulated time; call once the run is over.
  void Finish();

  // results.warmup: from now on every figure counts afresh. Counts and latency samples start at
  // zero (a sample belongs to the instant of its event: a launch for queue delay, RUNNING for
  // start latency), time integrals restart from the present state, and job completion takes the
  // jobs submitted from now on. Counters kept by the model (a framework's finished tasks, pulled
  // MiB, the master's) are read now and subtracted at the end: `at_start()`.
  void StartMeasuring();
  // The first measured instant: 0, or the warmup once it has passed.
  sim::Time measured_from() const { return measured_from_; }
  // The model's own counters as they were at measured_from(); all zero without a warmup.
  struct Baseline {
    uint64_t tasks_pending = 0, tasks_running = 0;  // the tasks that were live at the start
    std::vector<uint64_t> framework_finished;       // by FrameworkId, one per framework
    std::vector<models::InverseOfferCounts> framework_inverse_offers;
    double downloaded_mib = 0, failed_attempts_mib = 0, discarded_mib = 0;
    uint64_t prepulled_images = 0, reregistration_kills = 0;
    double master_busy_s = 0, allocator_busy_s = 0;
  };
  const Baseline& at_start() const { return at_start_; }

  struct TaskCounts {
    uint64_t submitted = 0, finished = 0, failed = 0, lost = 0, unreachable = 0, killed = 0,
             unschedulable = 0;
    uint64_t retried = 0;  // attempts that failed or were lost and went back to the queue
    // Attempts written off (LOST or UNREACHABLE) and RUNNING again when their agent came back;
    // each was counted in `retried` when it was written off.
    uint64_t recovered = 0;
    // Final tasks by state and reason (models::TaskReason), for summary.json's tasks.by_reason.
    std::array<std::array<uint64_t, models::kTaskReasonCount>, models::kTaskStateCount> by_reason{};
  };
  // Agent faults as the master saw them.
  struct AgentCounts {
    uint64_t faults = 0;        // crashes, partitions and removals (events' AGENT_DOWN)
    uint64_t unreachable = 0;   // marked unreachable after missed pings
    uint64_t reregistered = 0;  // back as themselves after a crash or partition
  };
  struct OfferCounts {
    uint64_t sent = 0, accepted = 0, declined = 0, rescinded = 0;
  };

  const TaskCounts& tasks() const { return tasks_; }
  const OfferCounts& offers() const { return offers_; }
  const AgentCounts& agents() const { return agents_; }
  const LatencyStats& queue_delay() const { return queue_delay_; }
  const LatencyStats& start_latency() const { return start_latency_; }
  const LatencyStats& pull_time() const { return pull_time_; }
  const UsageTracker& usage() const { return usage_; }
  uint64_t allocation_cycles() const { return cycles_; }
  // Submission of a job's first task -> end of its last, for jobs whose tasks all FINISHED.
  const sim::QuantileSeries& job_completion() const { return job_completion_; }
  // Jain's index over the roles' weighted dominant shares of allocated resources, averaged over
  // the time during which anything was allocated. 1 = perfectly even; 1/roles = one role has all.
  double fairness_jain() const { return jain_time_ > 0 ? jain_area_ / jain_time_ : 1.0; }

  // Per framework (by FrameworkId): the same samples as queue_delay() and start_latency().
  // Each series keeps exact samples up to FrameworkExactLimit(frameworks), so that all of them
  // together keep about as many as one overall series (memory flat in tasks and in frameworks).
  struct FrameworkLatency {
    sim::QuantileSeries queue_delay, start_latency;
  };
  const FrameworkLatency& framework_latency(models::FrameworkId id) const {
    return framework_latency_[id.index()];
  }
  static uint64_t FrameworkExactLimit(size_t frameworks);
  // Resources allocated to the framework's tasks (outstanding offers not included).
  const plugins::Resources& framework_allocated(models::FrameworkId id) const {
    return framework_allocated_[id.index()];
  }
  // The offers the framework was sent and how they ended, counted at the same signals as
  // offers(), so the frameworks' counts sum to the global ones; and the same split by the OS of
  // the offered agent (by plugins::Os), so a framework offered agents it cannot use shows it.
  struct FrameworkOfferCounts {
    OfferCounts all;
    std::array<OfferCounts, plugins::kOsCount> by_agent_os{};
  };
  const FrameworkOfferCounts& framework_offers(models::FrameworkId id) const {
    return framework_offers_[id.index()];
  }
  const RoleUsage& roles() const { return roles_; }
  const SchedulerMetrics& schedulers() const { return schedulers_; }

 private:
  void OnAllocationChange(const models::Task& task, bool add);
  // One more of `field` for the offer's framework, overall and under the offered agent's OS.
  void Count(const models::Offer& offer, uint64_t OfferCounts::*field);
  void AdvanceFairness(sim::Time now);
  void OnTaskFinal(const models::Task& task);

  struct JobProgress {
    sim::Time submitted;
    uint32_t ended = 0;
    bool all_finished = true;
  };

  models::Cluster& cluster_;
  sim::Time measured_from_ = sim::Time::Zero();
  Baseline at_start_;
  TaskCounts tasks_;
  OfferCounts offers_;
  AgentCounts agents_;
  LatencyStats queue_delay_;
  LatencyStats start_latency_;
  LatencyStats pull_time_;
  UsageTracker usage_;
  uint64_t cycles_ = 0;
  sim::QuantileSeries job_completion_;
  std::unordered_map<uint64_t, JobProgress> jobs_;  // live jobs only
  std::vector<plugins::Resources> role_allocated_;
  std::vector<FrameworkLatency> framework_latency_;  // by FrameworkId, one per scenario framework
  std::vector<plugins::Resources> framework_allocated_;  // by FrameworkId
  std::vector<FrameworkOfferCounts> framework_offers_;   // by FrameworkId
  std::vector<plugins::Os> agent_os_;                    // by AgentId, as far as offers reached
  RoleUsage roles_;
  SchedulerMetrics schedulers_;
  double jain_area_ = 0, jain_time_ = 0, jain_now_ = 0;
  bool jain_defined_ = false;
  sim::Time jain_since_;
};

}  // namespace clustersim::results
