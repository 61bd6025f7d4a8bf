#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "sim/histogram.h"

namespace clustersim::sim {

// Quantiles of one series of non-negative values (a latency per task, a completion time per job):
// exact nearest-rank quantiles while the series has at most kExactLimit samples, and from a
// LogHistogram (DDSketch, 0.5% relative) beyond. The positive samples are kept as doubles (zeros
// are only counted) up to the limit and released when it is passed, so a series never holds more
// than 8 MiB however many samples it sees; the sketch (at most 32 KiB) is kept throughout and gives
// the exact count, sum, mean, min and max.
//
// Deterministic: the same Add sequence gives the same results. Not thread-safe: the const
// accessors sort the kept samples on first use after an Add.
class QuantileSeries {
 public:
  static constexpr uint64_t kExactLimit = uint64_t{1} << 20;

  // `exact_limit`: the samples kept for exact quantiles (a smaller one for series that come by
  // the hundred, such as one per framework, so that together they stay within a budget).
  explicit QuantileSeries(uint64_t exact_limit = kExactLimit) : exact_limit_(exact_limit) {}

  // Precondition (checked): value is finite and >= 0.
  void Add(double value);

  const LogHistogram& sketch() const { return sketch_; }
  uint64_t count() const { return sketch_.count(); }
  bool exact() const { return sketch_.count() <= exact_limit_; }
  // "exact" or "ddsketch": how Quantile answers now.
  std::string_view method() const { return exact() ? "exact" : "ddsketch"; }
  // The nearest-rank q-quantile: the value of rank ceil(q * count()) (at least 1); exact when
  // exact(), else within 0.5%. 0 when empty. Precondition (checked): 0 <= q <= 1.
  double Quantile(double q) const;
  // The kept samples in ascending order: the positive ones when exact(), none otherwise.
  std::span<const double> SortedSamples() const;

 private:
  uint64_t exact_limit_;
  LogHistogram sketch_;
  mutable std::vector<double> samples_;
  mutable bool sorted_ = true;
};

// The nearest-rank q-quantile of the union of `parts`' samples, whose sketch (every sample of
// every part, and nothing else) is `union_sketch`: exact while the union has at most
// QuantileSeries::kExactLimit samples and every part is exact, from `union_sketch` otherwise.
// This lets an overall series be summarised exactly from its parts without keeping its samples
// twice. O(rank x parts) when exact.
double UnionQuantile(std::span<const QuantileSeries* const> parts, const LogHistogram& union_sketch,
                     double q);

// "exact" or "ddsketch": how quantiles of a series with `count` samples are computed.
std::string_view QuantileMethod(uint64_t count);

}  // namespace clustersim::sim
