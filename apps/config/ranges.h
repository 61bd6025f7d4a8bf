#pragma once

// The documented ranges of scenario numbers (scenarios/README.md, "Ranges"), and readers that
// check a value against them after its unit is applied. A value out of range is an input error
// located at the value, stating the range:
//   x.yaml:11:20: cluster.groups[0].resources.cpus: expected a number in [0, 4294967296], got
//   '1e16'
// The ranges keep every sum the simulator forms from input inside int64 (resources are fixed
// point with three decimals, times are microseconds) and refuse work that cannot finish (a
// periodic event every microsecond, 10^9 tasks in one job). Change them only with a reason in
// scenarios/README.md.

#include <cstdint>

#include "apps/config/yaml_value.h"
#include "sim/input_limits.h"
#include "sim/status.h"
#include "sim/time.h"

namespace clustersim::apps {

// Agents over all groups of a scenario (the limits shared with trace rows are in
// sim/input_limits.h).
inline constexpr int64_t kMaxAgents = sim::kMaxInputAgents;
// One resource amount of one kind (cpus, gpus, a named scalar, or MiB of mem/disk; so 4PiB), on
// an agent, a task, a quota or a reservation: 2^32 units, 2^42 fixed-point milli-units, so the
// sum over kMaxAgents agents stays below 2^62.
inline constexpr double kMaxResourceAmount = sim::kMaxInputResourceAmount;
// Tasks in one job, and the largest value a tasks_per_job distribution may draw.
inline constexpr int64_t kMaxTasksPerJob = sim::kMaxInputTasksPerJob;
// Tasks a run may expect to hold at once: initial jobs × mean tasks per job.
inline constexpr int64_t kMaxLiveTasks = sim::kMaxInputLiveTasks;
// Jobs a workload may expect to submit: min(max_jobs, initial_jobs + rate × arrival window).
inline constexpr int64_t kMaxSubmittedJobs = int64_t{1} << 26;
// Arrival rates, per second.
inline constexpr double kMaxRatePerSecond = 1e6;
// Bandwidths and extraction rates, MiB/s: from 1KiB/s to 2^32 MiB/s.
inline constexpr double kMinBandwidthMiBps = 1.0 / 1024;
inline constexpr double kMaxBandwidthMiBps = 4294967296.0;
// Periodic intervals (allocation, sampling) and timeouts: 0 where 0 means "off", else >= 1ms.
inline constexpr sim::Time kMinInterval = sim::Time::Millis(1);
// Rows of timeseries.csv a run may write: duration / sample_interval.
inline constexpr int64_t kMaxSamples = 10'000'000;
// Mean time to failure and to repair of an agent failure process (0 or tiny ones livelock).
inline constexpr sim::Time kMinFailureMean = sim::Time::Seconds(1);
// Weights of an empirical distribution (so that their sum stays finite).
inline constexpr double kMaxWeight = 1e12;

// Which durations a key accepts besides finite ones >= its minimum.
struct DurationRange {
  sim::Time min = sim::Time::Zero();  // smallest positive value accepted
  bool zero_ok = false;               // also 0 (where 0 means "off" or "event driven")
  bool infinite_ok = false;           // also "inf"
};

// A duration within `range` (and at most sim::Time::MaxInput(), as every parsed duration).
sim::Result<sim::Time> ReadDurationIn(const YamlValue& v, DurationRange range);
// A resource amount in [0, kMaxResourceAmount]: a size (MiB) if `is_size`, else a number.
sim::Result<double> ReadResourceAmount(const YamlValue& v, bool is_size);
// A size in [0, kMaxResourceAmount] MiB (image layers, image stores, memory overheads).
sim::Result<double> ReadBoundedSize(const YamlValue& v);
// A bandwidth in [kMinBandwidthMiBps, kMaxBandwidthMiBps].
sim::Result<double> ReadBandwidthIn(const YamlValue& v);
// A rate in (0, kMaxRatePerSecond].
sim::Result<double> ReadRateIn(const YamlValue& v);
// Error unless x <= max: "expected <what> of at most <max_text>, got ..." at `v`.
sim::Status CheckAtMost(const YamlValue& v, double x, double max, std::string_view what,
                        std::string_view max_text);

}  // namespace clustersim::apps
