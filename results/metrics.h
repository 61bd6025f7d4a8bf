#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/cluster.h"
#include "results/histogram.h"

namespace clustersim::results {

// Latency samples of one kind, overall and per OS.
struct LatencyStats {
  LogHistogram all;
  std::array<LogHistogram, plugins::kOsCount> by_os;
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

 private:
  void OnAllocationChange(const models::Task& task, bool add);

  models::Cluster& cluster_;
  TaskCounts tasks_;
  OfferCounts offers_;
  LatencyStats queue_delay_;
  LatencyStats start_latency_;
  LatencyStats pull_time_;
  UsageTracker usage_;
  uint64_t cycles_ = 0;
};

}  // namespace clustersim::results
