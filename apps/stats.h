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

// "12.3 ± 0.45" (4 and 2 significant digits); an interval lost in rounding noise prints as 0.
std::string FormatMeanCi(const MeanCi& ci);

}  // namespace clustersim::apps
