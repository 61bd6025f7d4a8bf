#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/cluster.h"
#include "sim/histogram.h"

namespace clustersim::results {

// Latency samples of one kind, overall and per OS.
struct LatencyStats {
  sim::LogHistogram all;
  std::array<sim::LogHistogram, plugins::kOsCount> by_os;
  void Add(plugins::Os os, double seconds) {
    all.Add(seconds);
    by_os[static_cast<int>(os)].Add(seconds);
  }
};

// Resources allocated and in total per OS, integrated over time for exact time averages.
struct UsageTracker {
  std::array<plugins::Resources, plugins::kOsCount> allocated;
  std::array<plugins::Resources, plugins::kOsCount> total;
  double alloc_cpu_area = 0, total_cpu_area = 0, alloc_mem_area = 0, total_mem_area = 0;
  sim::Time since;

  void Advance(sim::Time now);
  plugins::Resources AllocatedAll() const { return allocated[0] + allocated[1]; }
  plugins::Resources TotalAll() const { return total[0] + total[1]; }
};

// Subscribes to a cluster's signals and keeps what summary.json reports. Memory does not grow
// with the number of tasks: counts, log-bucketed histograms and running integrals only.
class MetricsCollector {
 public:
  explicit MetricsCollector(models::Cluster& cluster);

  // Closes the time integrals at the current simulated time; call once the run is over.
  void Finish();

  struct TaskCounts {
    uint64_t submitted = 0, finished = 0, failed = 0, lost = 0, killed = 0, unschedulable = 0;
    uint64_t retried = 0;  // attempts that failed or were lost and went back to the queue
    // Final tasks by state and reason (models::TaskReason), for summary.json's tasks.by_reason.
    std::array<std::array<uint64_t, models::kTaskReasonCount>, models::kTaskStateCount> by_reason{};
  };
  struct OfferCounts {
    uint64_t sent = 0, accepted = 0, declined = 0, rescinded = 0;
  };

  const TaskCounts& tasks() const { return tasks_; }
  const OfferCounts& offers() const { return offers_; }
  const LatencyStats& queue_delay() const { return queue_delay_; }
  const LatencyStats& start_latency() const { return start_latency_; }
  const LatencyStats& pull_time() const { return pull_time_; }
  const UsageTracker& usage() const { return usage_; }
  uint64_t allocation_cycles() const { return cycles_; }
  // Submission of a job's first task -> end of its last, for jobs whose tasks all FINISHED.
  const sim::LogHistogram& job_completion() const { return job_completion_; }
  // Jain's index over the roles' weighted dominant shares of allocated resources, averaged over
  // the time during which anything was allocated. 1 = perfectly even; 1/roles = one role has all.
  double fairness_jain() const { return jain_time_ > 0 ? jain_area_ / jain_time_ : 1.0; }

 private:
  void OnAllocationChange(const models::Task& task, bool add);
  void AdvanceFairness(sim::Time now);
  void OnTaskFinal(const models::Task& task);

  struct JobProgress {
    sim::Time submitted;
    uint32_t ended = 0;
    bool all_finished = true;
  };

  models::Cluster& cluster_;
  TaskCounts tasks_;
  OfferCounts offers_;
  LatencyStats queue_delay_;
  LatencyStats start_latency_;
  LatencyStats pull_time_;
  UsageTracker usage_;
  uint64_t cycles_ = 0;
  sim::LogHistogram job_completion_;
  std::unordered_map<uint64_t, JobProgress> jobs_;  // live jobs only
  std::vector<plugins::Resources> role_allocated_;
  double jain_area_ = 0, jain_time_ = 0, jain_now_ = 0;
  bool jain_defined_ = false;
  sim::Time jain_since_;
};

}  // namespace clustersim::results
