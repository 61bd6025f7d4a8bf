#pragma once

// Distributions in scenario files. A value is either a scalar, meaning a constant:
//   duration: 5s
// or a mapping naming the distribution and its parameters (each form checks its keys strictly):
//   duration: {dist: constant, value: 5s}
//   duration: {dist: exponential, mean: 30s}             # mean > 0
//   duration: {dist: lognormal, median: 20s, p99: 5min}   # 0 < median <= p99
//   duration: {dist: uniform, min: 1s, max: 10s}          # min <= max
//   duration: {dist: empirical, values: [1s, 10s, 1h], weights: [0.7, 0.2, 0.1]}
// `weights` is optional (equal weights); when given there is one non-negative weight per value,
// not all zero. Values and parameters are never negative; only a constant duration may be "inf".

#include "apps/config/yaml_value.h"
#include "sim/distribution.h"
#include "sim/status.h"

namespace clustersim::apps {

// What the numbers of a distribution measure, which decides how they are written and the unit
// of the resulting sim::Distribution.
enum class Quantity {
  kDuration,  // "5s", "250ms"; a plain number is seconds. Distribution values are in seconds.
  kSizeMiB,   // "512MiB", "2GiB"; a plain number is MiB. Distribution values are in MiB.
  kNumber,    // plain non-negative numbers (cpus, counts).
};

// Reads a distribution in the forms above. Errors carry the value's location and key path, e.g.
//   x.yaml:9:30: frameworks[0].tasks.duration.p99: p99 (1s) must be at least the median (5s)
// Every value and parameter must be at most `max` (in the distribution's unit), and when `max`
// is finite the distribution never samples above it (sim::Distribution::WithCeiling), so an
// unbounded tail cannot hand its consumer a value it cannot hold.
sim::Result<sim::Distribution> ParseDistribution(const YamlValue& value, Quantity quantity,
                                                 double max);
// With the quantity's default bound: sizes and numbers at most kMaxResourceAmount (ranges.h);
// durations only as bounded as every duration (sim::Time::MaxInput()), with no ceiling.
sim::Result<sim::Distribution> ParseDistribution(const YamlValue& value, Quantity quantity);

}  // namespace clustersim::apps
