#include "sim/histogram.h"

#include <algorithm>
#include <cmath>

#include "sim/check.h"

namespace clustersim::sim {
namespace {

constexpr double kGamma =
    (1 + LogHistogram::kRelativeAccuracy) / (1 - LogHistogram::kRelativeAccuracy);

double LogGamma() {
  static const double log_gamma = std::log(kGamma);
  return log_gamma;
}

// The bucket of a positive value: i with gamma^(i-1) < value <= gamma^i, after clamping the value
// to the tracked range.
int BucketIndex(double value) {
  const double v = std::clamp(value, LogHistogram::kMinTracked, LogHistogram::kMaxTracked);
  return static_cast<int>(std::ceil(std::log(v) / LogGamma()));
}

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

void LogHistogram::EnsureBucket(int index) {
  if (counts_.empty()) {
    first_index_ = index;
    counts_.assign(1, 0);
  } else if (index < first_index_) {
    counts_.insert(counts_.begin(), static_cast<size_t>(first_index_ - index), 0);
    first_index_ = index;
  } else if (index >= first_index_ + static_cast<int>(counts_.size())) {
    counts_.resize(static_cast<size_t>(index - first_index_) + 1, 0);
  }
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
  const int index = BucketIndex(value);
  EnsureBucket(index);
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
  const int other_first = other.first_index_;
  const size_t other_size = other.counts_.size();
  EnsureBucket(other_first);
  EnsureBucket(other_first + static_cast<int>(other_size) - 1);
  const size_t offset = static_cast<size_t>(other_first - first_index_);
  for (size_t i = 0; i < other_size; ++i) counts_[offset + i] += other.counts_[i];
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
