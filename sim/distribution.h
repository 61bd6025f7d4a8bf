#pragma once

#include <string>
#include <vector>

#include "sim/random.h"
#include "sim/status.h"

namespace clustersim::sim {

// A univariate distribution of doubles in whatever unit the caller uses (seconds, MiB, cpus).
// Value type; sampling is O(1) except Empirical, which is O(log n).
class Distribution {
 public:
  enum class Kind { kConstant, kExponential, kLogNormal, kUniform, kEmpirical };

  Distribution() : Distribution(Kind::kConstant) {}
  static Distribution Constant(double value);
  // Precondition: mean > 0.
  static Distribution Exponential(double mean);
  // Lognormal given its median and 99th percentile (how latency figures are usually published).
  // Precondition: 0 < median <= p99.
  static Distribution LogNormal(double median, double p99);
  // Precondition: lo <= hi.
  static Distribution Uniform(double lo, double hi);
  // Discrete: returns values[i] with probability weights[i] / sum(weights). Empty weights means
  // equal weights. Fails on empty values, size mismatch, negative or all-zero weights.
  static Result<Distribution> Empirical(std::vector<double> values, std::vector<double> weights);
  // Zipf over ranks 0..n-1: P(k) ∝ 1 / (k+1)^s. Returns an Empirical over rank indices.
  static Result<Distribution> Zipf(int n, double s);

  double Sample(Rng& rng) const;
  double Mean() const;
  // Smallest and largest values it can return (+inf for unbounded tails).
  double Min() const;
  double Max() const;
  Kind kind() const { return kind_; }
  std::string Describe() const;

 private:
  explicit Distribution(Kind kind) : kind_(kind) {}
  Kind kind_;
  double a_ = 0;  // constant value | mean | mu | lo
  double b_ = 0;  // sigma | hi
  std::vector<double> values_;
  std::vector<double> cumulative_;  // normalised to end at 1
};

}  // namespace clustersim::sim
