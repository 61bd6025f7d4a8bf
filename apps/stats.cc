#include "apps/stats.h"

#include <fmt/format.h>

#include <cmath>

namespace clustersim::apps {

double StudentT95(int df) {
  // t_{0.975, df}, from the standard table; beyond 30, the normal approximation with the
  // Cornish-Fisher correction is within 1e-3.
  static constexpr double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                      2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                      2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                      2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
  if (df < 1) return 0;
  if (df <= 30) return kTable[df - 1];
  const double z = 1.959964;
  const double d = static_cast<double>(df);
  return z + (z * z * z + z) / (4 * d) +
         (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * d * d);
}

MeanCi MeanWithCi(std::span<const double> samples) {
  MeanCi r;
  r.n = static_cast<int>(samples.size());
  if (r.n == 0) return r;
  double sum = 0;
  for (double x : samples) sum += x;
  r.mean = sum / r.n;
  if (r.n < 2) return r;
  double ss = 0;
  for (double x : samples) ss += (x - r.mean) * (x - r.mean);
  const double sd = std::sqrt(ss / (r.n - 1));
  r.half_width = StudentT95(r.n - 1) * sd / std::sqrt(static_cast<double>(r.n));
  return r;
}

std::string FormatMeanCi(const MeanCi& ci) {
  const double hw = ci.half_width <= 1e-9 * std::fabs(ci.mean) ? 0.0 : ci.half_width;
  return fmt::format("{:.4g} ± {:.2g}", ci.mean, hw);
}

}  // namespace clustersim::apps
