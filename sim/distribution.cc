#include "sim/distribution.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "sim/check.h"

namespace clustersim::sim {
namespace {

// Φ^-1(0.99): the 99th percentile of the standard normal.
constexpr double kZ99 = 2.3263478740408408;

constexpr double kInf = std::numeric_limits<double>::infinity();

// %g with enough digits to round-trip the parameters people actually write.
std::string Num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

}  // namespace

Distribution Distribution::Constant(double value) {
  SIM_CHECK_MSG(std::isfinite(value), "Distribution::Constant: value must be finite");
  Distribution d(Kind::kConstant);
  d.a_ = value;
  return d;
}

Distribution Distribution::Exponential(double mean) {
  SIM_CHECK_MSG(mean > 0 && std::isfinite(mean), "Distribution::Exponential: mean must be > 0");
  Distribution d(Kind::kExponential);
  d.a_ = mean;
  return d;
}

Distribution Distribution::LogNormal(double median, double p99) {
  SIM_CHECK_MSG(median > 0 && median <= p99 && std::isfinite(p99),
                "Distribution::LogNormal: need 0 < median <= p99");
  Distribution d(Kind::kLogNormal);
  d.a_ = std::log(median);
  d.b_ = (std::log(p99) - d.a_) / kZ99;
  return d;
}

Distribution Distribution::Uniform(double lo, double hi) {
  SIM_CHECK_MSG(lo <= hi && std::isfinite(lo) && std::isfinite(hi),
                "Distribution::Uniform: need finite lo <= hi");
  Distribution d(Kind::kUniform);
  d.a_ = lo;
  d.b_ = hi;
  return d;
}

Result<Distribution> Distribution::Empirical(std::vector<double> values,
                                             std::vector<double> weights) {
  if (values.empty()) return Status::Error("empirical distribution: no values");
  if (weights.empty()) weights.assign(values.size(), 1.0);
  if (weights.size() != values.size()) {
    return Status::Error("empirical distribution: " + std::to_string(values.size()) +
                         " values but " + std::to_string(weights.size()) + " weights");
  }
  double total = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return Status::Error("empirical distribution: value " + std::to_string(i) + " is not finite");
    }
    if (!(weights[i] >= 0) || !std::isfinite(weights[i])) {
      return Status::Error("empirical distribution: weight " + std::to_string(i) + " (" +
                           Num(weights[i]) + ") must be a finite number >= 0");
    }
    total += weights[i];
  }
  if (!(total > 0)) return Status::Error("empirical distribution: all weights are zero");

  Distribution d(Kind::kEmpirical);
  d.cumulative_.resize(weights.size());
  double running = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    running += weights[i];
    d.cumulative_[i] = running / total;
  }
  // Exactly 1 at the end (and at every trailing zero-weight entry), so a uniform draw in [0, 1)
  // always lands inside.
  for (size_t i = weights.size(); i-- > 0;) {
    d.cumulative_[i] = 1.0;
    if (weights[i] > 0) break;
  }
  d.values_ = std::move(values);
  return d;
}

Result<Distribution> Distribution::Zipf(int n, double s) {
  if (n < 1) return Status::Error("zipf distribution: n must be >= 1, got " + std::to_string(n));
  if (!(s >= 0) || !std::isfinite(s)) {
    return Status::Error("zipf distribution: exponent s must be finite and >= 0, got " + Num(s));
  }
  std::vector<double> values(static_cast<size_t>(n));
  std::vector<double> weights(static_cast<size_t>(n));
  for (int k = 0; k < n; ++k) {
    values[static_cast<size_t>(k)] = k;
    weights[static_cast<size_t>(k)] = std::pow(static_cast<double>(k + 1), -s);
  }
  return Empirical(std::move(values), std::move(weights));
}

Distribution Distribution::WithCeiling(double ceiling) const {
  SIM_CHECK_MSG(ceiling >= Min(), "Distribution::WithCeiling: ceiling below every value");
  Distribution d = *this;
  d.ceiling_ = std::min(ceiling_, ceiling);
  return d;
}

double Distribution::Sample(Rng& rng) const {
  const double x = SampleUncapped(rng);
  return x > ceiling_ ? ceiling_ : x;
}

double Distribution::SampleUncapped(Rng& rng) const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kExponential:
      return rng.Exponential(a_);
    case Kind::kLogNormal:
      return std::exp(a_ + b_ * rng.StandardNormal());
    case Kind::kUniform:
      return rng.Uniform(a_, b_);
    case Kind::kEmpirical: {
      // First bucket whose cumulative weight exceeds u: zero-weight buckets are never chosen.
      const double u = rng.Uniform01();
      const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
      const auto i = static_cast<size_t>(it - cumulative_.begin());
      return values_[std::min(i, values_.size() - 1)];
    }
  }
  SIM_CHECK_MSG(false, "Distribution::Sample: unknown kind");
  return 0;
}

double Distribution::Mean() const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kExponential:
      return a_;
    case Kind::kLogNormal:
      return std::exp(a_ + b_ * b_ / 2);
    case Kind::kUniform:
      return (a_ + b_) / 2;
    case Kind::kEmpirical: {
      double mean = 0;
      double previous = 0;
      for (size_t i = 0; i < values_.size(); ++i) {
        mean += (cumulative_[i] - previous) * values_[i];
        previous = cumulative_[i];
      }
      return mean;
    }
  }
  return 0;
}

double Distribution::Min() const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kExponential:
    case Kind::kLogNormal:
      return 0;
    case Kind::kUniform:
      return a_;
    case Kind::kEmpirical: {
      double lo = kInf;
      double previous = 0;
      for (size_t i = 0; i < values_.size(); ++i) {
        if (cumulative_[i] > previous) lo = std::min(lo, values_[i]);
        previous = cumulative_[i];
      }
      return lo;
    }
  }
  return 0;
}

double Distribution::Max() const { return std::min(MaxUncapped(), ceiling_); }

double Distribution::MaxUncapped() const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kExponential:
    case Kind::kLogNormal:
      return kInf;
    case Kind::kUniform:
      return b_;
    case Kind::kEmpirical: {
      double hi = -kInf;
      double previous = 0;
      for (size_t i = 0; i < values_.size(); ++i) {
        if (cumulative_[i] > previous) hi = std::max(hi, values_[i]);
        previous = cumulative_[i];
      }
      return hi;
    }
  }
  return 0;
}

std::string Distribution::Describe() const {
  switch (kind_) {
    case Kind::kConstant:
      return "constant(" + Num(a_) + ")";
    case Kind::kExponential:
      return "exponential(mean=" + Num(a_) + ")";
    case Kind::kLogNormal:
      return "lognormal(median=" + Num(std::exp(a_)) + ", p99=" + Num(std::exp(a_ + kZ99 * b_)) +
             ")";
    case Kind::kUniform:
      return "uniform(" + Num(a_) + ", " + Num(b_) + ")";
    case Kind::kEmpirical:
      return "empirical(" + std::to_string(values_.size()) + " values, mean=" + Num(Mean()) + ")";
  }
  return "unknown";
}

}  // namespace clustersim::sim
