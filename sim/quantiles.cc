#include "sim/quantiles.h"

#include <algorithm>
#include <cmath>

#include "sim/check.h"

namespace clustersim::sim {

void QuantileSeries::Add(double value) {
  sketch_.Add(value);  // checks the value
  if (sketch_.count() <= exact_limit_) {
    // Zeros (no pull, no wait) are often most of a series: the sketch counts them exactly, so
    // only the others are kept.
    if (value == 0) return;
    samples_.push_back(value);
    sorted_ = false;
  } else if (!samples_.empty()) {
    std::vector<double>().swap(samples_);  // past the limit: give the memory back
    sorted_ = true;
  }
}

std::span<const double> QuantileSeries::SortedSamples() const {
  if (!sorted_) {
    std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
  }
  return samples_;
}

double QuantileSeries::Quantile(double q) const {
  const QuantileSeries* self = this;
  return UnionQuantile(std::span(&self, 1), sketch_, q);
}

double UnionQuantile(std::span<const QuantileSeries* const> parts, const LogHistogram& union_sketch,
                     double q) {
  SIM_CHECK_MSG(q >= 0 && q <= 1, "UnionQuantile: q must be in [0, 1]");
  const uint64_t n = union_sketch.count();
  bool exact = n <= QuantileSeries::kExactLimit;
  for (const QuantileSeries* p : parts) exact &= p->exact();
  if (!exact) return union_sketch.Quantile(q);
  if (n == 0) return 0;
  if (q == 0) return union_sketch.Min();
  if (q == 1) return union_sketch.Max();
  // The same rank as LogHistogram::Quantile, so that the two methods answer the same question.
  uint64_t rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(n))));
  // The parts keep their positive samples; the zeros, which sort first, are only counted.
  std::vector<std::span<const double>> heads;
  uint64_t count = 0, kept = 0;
  for (const QuantileSeries* p : parts) {
    heads.push_back(p->SortedSamples());
    count += p->count();
    kept += heads.back().size();
  }
  SIM_CHECK_MSG(count == n, "UnionQuantile: the parts' samples are not the union sketch's");
  const uint64_t zeros = n - kept;
  if (rank <= zeros) return 0;
  rank -= zeros;
  if (heads.size() == 1) return heads[0][rank - 1];
  // Walk the parts' sorted samples in merged order up to `rank`.
  double value = 0;
  for (uint64_t taken = 0; taken < rank; ++taken) {
    std::span<const double>* next = nullptr;
    for (auto& h : heads) {
      if (!h.empty() && (next == nullptr || h.front() < next->front())) next = &h;
    }
    value = next->front();
    *next = next->subspan(1);
  }
  return value;
}

std::string_view QuantileMethod(uint64_t count) {
  return count <= QuantileSeries::kExactLimit ? "exact" : "ddsketch";
}

}  // namespace clustersim::sim
