#include "sim/histogram.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/check.h"

namespace clustersim::sim {
namespace {

constexpr double kGamma =
    (1 + LogHistogram::kRelativeAccuracy) / (1 - LogHistogram::kRelativeAccuracy);

double LogGamma() {
  static const double log_gamma = std::log(kGamma);
  return log_gamma;
}

// The bucket of a positive, finite value: i with gamma^(i-1) < value <= gamma^i. |i| stays below
// 75,000 for every finite double, denormals included.
int BucketIndex(double value) { return static_cast<int>(std::ceil(std::log(value) / LogGamma())); }

// The value bucket i stands for: within a relative kRelativeAccuracy of all of (gamma^(i-1),
// gamma^i].
double BucketValue(int index) { return 2 * std::exp(index * LogGamma()) / (kGamma + 1); }

}  // namespace

void LogHistogram::AddToSum(double x) {
  const double t = sum_ + x;
  if (std::abs(sum_) >= std::abs(x)) {
    sum_compensation_ += (sum_ - t) + x;
  } else {
    sum_compensation_ += (x - t) + sum_;
  }
  sum_ = t;
}

void LogHistogram::CollapseBelow(int index) {
  if (index <= first_index_) return;
  const auto fold = std::min(counts_.size(), static_cast<size_t>(index - first_index_));
  const uint64_t folded = std::accumulate(counts_.begin(), counts_.begin() + fold, uint64_t{0});
  counts_.erase(counts_.begin(), counts_.begin() + fold);
  if (counts_.empty()) counts_.assign(1, 0);
  counts_[0] += folded;
  first_index_ = index;
}

int LogHistogram::Place(int index) {
  if (counts_.empty()) {
    first_index_ = index;
    counts_.assign(1, 0);
    return index;
  }
  const int last = first_index_ + static_cast<int>(counts_.size()) - 1;
  if (index < first_index_) {
    // Below the lowest bucket: grow downwards only as far as the cap allows.
    const int lowest = std::max(index, last - (kMaxBuckets - 1));
    if (lowest < first_index_) {
      counts_.insert(counts_.begin(), static_cast<size_t>(first_index_ - lowest), 0);
      first_index_ = lowest;
    }
    return first_index_;
  }
  if (index > last) {
    CollapseBelow(index - (kMaxBuckets - 1));
    counts_.resize(static_cast<size_t>(index - first_index_) + 1, 0);
  }
  return index;
}

void LogHistogram::Add(double value, uint64_t count) {
  SIM_CHECK_MSG(std::isfinite(value) && value >= 0,
                "LogHistogram::Add: values must be finite and non-negative");
  if (count == 0) return;
  if (count_ == 0) {
    min_ = value;
    max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  count_ += count;
  AddToSum(value * static_cast<double>(count));
  if (value == 0) {
    zero_count_ += count;
    return;
  }
  const int index = Place(BucketIndex(value));
  counts_[static_cast<size_t>(index - first_index_)] += count;
}

void LogHistogram::Merge(const LogHistogram& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  count_ += other.count_;
  zero_count_ += other.zero_count_;
  const double other_sum = other.sum_;
  const double other_compensation = other.sum_compensation_;
  AddToSum(other_sum);
  sum_compensation_ += other_compensation;
  if (other.counts_.empty()) return;
  // The highest bucket first, so that the cap can only move the lowest bucket once.
  const int other_first = other.first_index_;
  const int other_size = static_cast<int>(other.counts_.size());
  Place(other_first + other_size - 1);
  for (int i = 0; i < other_size; ++i) {
    const uint64_t c = other.counts_[static_cast<size_t>(i)];
    if (c != 0) counts_[static_cast<size_t>(Place(other_first + i) - first_index_)] += c;
  }
}

void LogHistogram::Clear() { *this = LogHistogram(); }

double LogHistogram::Mean() const { return count_ == 0 ? 0 : Sum() / static_cast<double>(count_); }

double LogHistogram::Quantile(double q) const {
  SIM_CHECK_MSG(q >= 0 && q <= 1, "LogHistogram::Quantile: q must be in [0, 1]");
  if (count_ == 0) return 0;
  if (q == 0) return min_;
  if (q == 1) return max_;
  const double n = static_cast<double>(count_);
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * n)));
  uint64_t seen = zero_count_;
  if (seen >= rank) return 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      return std::clamp(BucketValue(first_index_ + static_cast<int>(i)), min_, max_);
    }
  }
  return max_;  // not reached: the counts add up to count_
}

}  // namespace clustersim::sim
