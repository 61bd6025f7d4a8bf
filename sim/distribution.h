#pragma once

#include <limits>
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

  // The same distribution with every sample above `ceiling` returned as `ceiling`: a consumer
  // that can hold values only up to some bound (a task's cpus, a job's task count) never sees a
  // larger one, however long the tail. Samples at or below it are unchanged, and draw the same
  // random numbers. Precondition: ceiling >= Min() (a ceiling below every value is a bug).
  Distribution WithCeiling(double ceiling) const;

  double Sample(Rng& rng) const;
  // The mean of the distribution without its ceiling.
  double Mean() const;
  // Smallest and largest values it can return (+inf for unbounded tails), ceiling included.
  double Min() const;
  double Max() const;
  double ceiling() const { return ceiling_; }
  Kind kind() const { return kind_; }
  std::string Describe() const;

 private:
  explicit Distribution(Kind kind) : kind_(kind) {}
  double SampleUncapped(Rng& rng) const;
  double MaxUncapped() const;
  Kind kind_;
  double a_ = 0;  // constant value | mean | mu | lo
  double b_ = 0;  // sigma | hi
  double ceiling_ = std::numeric_limits<double>::infinity();
  std::vector<double> values_;
  std::vector<double> cumulative_;  // normalised to end at 1
};

}  // namespace clustersim::sim
