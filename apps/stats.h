#pragma once

#include <span>
#include <string>

namespace clustersim::apps {

// Two-sided 95% critical value of Student's t with `df` degrees of freedom (df >= 1).
double StudentT95(int df);

struct MeanCi {
  double mean = 0;
  double half_width = 0;  // 95% confidence interval: mean ± half_width (0 with one sample)
  int n = 0;
};

// Mean and 95% Student-t confidence interval of independent samples (one per seed).
MeanCi MeanWithCi(std::span<const double> samples);

// `x` with at most `digits` significant digits but never fewer than its integer digits ("61.13",
// "123457", "0.001234", "3.5"; an integer in full), in plain notation between 1e-6 and 1e12 and
// scientific beyond; "n/a" for NaN. For exact values: trailing zeros are dropped.
std::string FormatSignificant(double x, int digits);

// A table cell: the half-width to 2 significant digits and the mean rounded to the half-width's
// last digit ("61.1 ± 2.7", "10940 ± 270"). Below two samples there is no interval: one sample
// prints "7.25 (n=1)", none "n/a" (as does a NaN mean: a missing value propagated). A half-width
// lost in rounding noise (all samples equal) prints "± 0" after the mean's 4 significant digits.
std::string FormatMeanCi(const MeanCi& ci);
// The same in a table of `runs` runs per cell: an interval over fewer of them (the others had no
// value) says how many, "266 ± 59 (n=3)", so that it is not read as one over all of them.
std::string FormatMeanCi(const MeanCi& ci, int runs);

}  // namespace clustersim::apps
