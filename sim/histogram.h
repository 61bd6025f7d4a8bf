#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace clustersim::sim {

// A streaming summary of non-negative, latency-like values (wait times, durations, sizes) whose
// memory does not depend on the number of samples. Count, sum, mean, min and max are exact;
// quantiles come from logarithmic buckets in the manner of DDSketch (Masson et al., VLDB 2019):
// bucket i holds values in (gamma^(i-1), gamma^i] with gamma = (1 + a) / (1 - a), a = 1%, and
// stands for 2 gamma^i / (gamma + 1), which is within a relative 1% of everything in it. Zero has
// its own exact bucket.
//
// Accuracy: Quantile(q) is within 1% (relative) of the exact nearest-rank quantile for values in
// [kMinTracked, kMaxTracked]; smaller positive values share the lowest bucket and larger ones the
// highest, so there the guarantee is lost (Min and Max stay exact). Memory: one 8-byte counter per
// bucket between the smallest and largest value seen: about 116 buckets per decade of values, and
// at most 3,455 buckets (27 KiB) over the whole tracked range.
//
// Deterministic: the same Add/Merge sequence gives the same results. Not thread-safe.
class LogHistogram {
 public:
  static constexpr double kRelativeAccuracy = 0.01;
  static constexpr double kMinTracked = 1e-12;
  static constexpr double kMaxTracked = 1e18;

  LogHistogram() = default;

  // Records `value` `count` times. Precondition (checked): value is finite and >= 0.
  // O(1), except when the value falls outside the buckets so far: O(bucket_count()).
  void Add(double value, uint64_t count = 1);
  // Adds all of `other`'s samples, as if they had been added here. O(buckets of both).
  void Merge(const LogHistogram& other);
  void Clear();

  uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Exact (compensated summation). 0 when empty.
  double Sum() const { return sum_ + sum_compensation_; }
  double Mean() const;
  // Exact smallest and largest values added; 0 when empty.
  double Min() const { return count_ == 0 ? 0 : min_; }
  double Max() const { return count_ == 0 ? 0 : max_; }
  // The nearest-rank q-quantile: the value of rank ceil(q * count()) (at least 1) in sorted
  // order, within kRelativeAccuracy, clamped to [Min(), Max()]. Quantile(0) is Min(),
  // Quantile(1) is Max(). 0 when empty. Precondition (checked): 0 <= q <= 1. O(bucket_count()).
  double Quantile(double q) const;

  // Number of allocated buckets (memory is 8 bytes each), for tests and capacity planning.
  size_t bucket_count() const { return counts_.size(); }

 private:
  void EnsureBucket(int index);
  void AddToSum(double x);

  uint64_t count_ = 0;
  uint64_t zero_count_ = 0;
  double sum_ = 0;
  double sum_compensation_ = 0;  // Neumaier's running correction
  double min_ = 0;
  double max_ = 0;
  int first_index_ = 0;           // bucket index of counts_[0]
  std::vector<uint64_t> counts_;  // dense, from first_index_ upwards
};

}  // namespace clustersim::sim
