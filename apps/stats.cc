#include "apps/stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace clustersim::apps {
namespace {

// Plain notation is readable between these magnitudes; beyond them a cell switches to scientific
// notation rather than print a row of zeros or a 13-digit integer.
constexpr double kPlainMax = 1e12;
constexpr int kPlainMinExponent = -6;  // decimal exponent of the smallest digit printed plainly

// floor(log10(|x|)) for finite non-zero x, corrected where log10 rounds across a power of ten.
int DecimalExponent(double x) {
  const double a = std::fabs(x);
  int e = static_cast<int>(std::floor(std::log10(a)));
  if (std::pow(10.0, e) > a) --e;
  if (std::pow(10.0, e + 1) <= a) ++e;
  return e;
}

// `x` rounded to a multiple of 10^last; 0 rather than -0.
double RoundAt(double x, int last) {
  const double r = std::round(x / std::pow(10.0, last)) * std::pow(10.0, last);
  return r == 0 ? 0.0 : r;
}

// `x` already rounded at 10^last, with its digits down to 10^last: plainly when it fits the plain
// range, else in scientific notation.
std::string DigitsTo(double x, int last, bool plain) {
  if (plain) return fmt::format("{:.{}f}", x, std::max(0, -last));
  if (x == 0) return "0";
  return fmt::format("{:.{}e}", x, std::max(0, DecimalExponent(x) - last));
}

}  // namespace

// t_{0.975, df}, exactly (Boost.Math's Student's t quantile): summary.csv and cells.json promise
// full precision, which a 3-decimal table was not (12.706 for 12.7062047...).
double StudentT95(int df) {
  if (df < 1) return 0;
  const boost::math::students_t t(static_cast<double>(df));
  return boost::math::quantile(boost::math::complement(t, 0.025));
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

std::string FormatSignificant(double x, int digits) {
  if (std::isnan(x)) return "n/a";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (x == 0) return "0";
  if (std::fabs(x) < kPlainMax && x == std::trunc(x)) return fmt::format("{:.0f}", x);
  const int e = DecimalExponent(x);
  const bool huge = std::fabs(x) >= kPlainMax;
  int last = huge ? e - digits + 1 : std::min(e - digits + 1, 0);
  double r = RoundAt(x, last);
  if (DecimalExponent(r) > e) r = RoundAt(x, ++last);  // 9.9996 -> 10.00, not 10.000
  std::string text = DigitsTo(r, last, std::fabs(r) < kPlainMax && last >= kPlainMinExponent);
  // An exact value (one run, or every seed equal) has no uncertainty for trailing zeros to show.
  const size_t point = text.find('.');
  if (point == std::string::npos) return text;
  const size_t exp = std::min(text.find('e'), text.size());
  size_t end = text.find_last_not_of('0', exp - 1);
  if (end == point) --end;
  return text.substr(0, end + 1) + text.substr(exp);
}

std::string FormatMeanCi(const MeanCi& ci) {
  if (ci.n == 0 || std::isnan(ci.mean)) return "n/a";
  if (ci.n == 1) return FormatSignificant(ci.mean, 4) + " (n=1)";
  if (!std::isfinite(ci.mean) || !std::isfinite(ci.half_width)) {
    return fmt::format("{} ± {}", ci.mean, ci.half_width);
  }
  if (ci.half_width <= 1e-9 * std::fabs(ci.mean) || ci.half_width <= 0) {
    return FormatSignificant(ci.mean, 4) + " ± 0";
  }
  // The half-width's second significant digit is the last one printed, for it and the mean.
  int last = DecimalExponent(ci.half_width) - 1;
  double hw = RoundAt(ci.half_width, last);
  if (DecimalExponent(hw) > last + 1) hw = RoundAt(ci.half_width, ++last);  // 99.7 -> 100
  const double mean = RoundAt(ci.mean, last);
  const bool plain = std::max(std::fabs(mean), hw) < kPlainMax && last >= kPlainMinExponent;
  return DigitsTo(mean, last, plain) + " ± " + DigitsTo(hw, last, plain);
}

std::string FormatMeanCi(const MeanCi& ci, int runs) {
  const std::string text = FormatMeanCi(ci);
  if (ci.n < 2 || ci.n >= runs || std::isnan(ci.mean)) return text;
  return fmt::format("{} (n={})", text, ci.n);
}

}  // namespace clustersim::apps
