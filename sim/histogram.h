#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace clustersim::sim {

// A streaming summary of non-negative, latency-like values (wait times, durations, sizes) whose
// memory does not depend on the number of samples: a DDSketch (Masson et al., VLDB 2019). Count,
// sum, mean, min and max are exact; quantiles come from logarithmic buckets: bucket i holds values
// in (gamma^(i-1), gamma^i], i = ceil(log_gamma(value)), gamma = (1 + a) / (1 - a), a = 0.5%, and
// stands for 2 gamma^i / (gamma + 1), which is within a relative 0.5% of everything in it. Zero
// has its own exact count.
//
// Accuracy: Quantile(q) is within 0.5% (relative) of the exact nearest-rank quantile as long as
// the values seen span at most kMaxBuckets buckets (about 17.8 decades, e.g. 1 ns to 1e9 s). A
// wider span folds the lowest buckets into one, so only the smallest values lose the guarantee
// (Min and Max stay exact). Memory: one 8-byte counter per bucket between the smallest and largest
// value seen: about 230 buckets per decade, at most kMaxBuckets (32 KiB).
//
// Deterministic: the same Add/Merge sequence gives the same results. Not thread-safe.
class LogHistogram {
 public:
  static constexpr double kRelativeAccuracy = 0.005;
  static constexpr int kMaxBuckets = 4096;

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
  // Makes room for bucket `index` and returns the bucket that counts it: `index` itself, or the
  // lowest bucket when `index` lies more than kMaxBuckets below the highest.
  int Place(int index);
  // Folds every bucket below `index` into bucket `index`, which becomes the lowest.
  void CollapseBelow(int index);
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
