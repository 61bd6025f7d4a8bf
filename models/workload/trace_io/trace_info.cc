#include "models/workload/trace_io/trace_info.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace clustersim::models {
namespace trace_info {

std::string Duration(double s) {
  if (s < 120) return fmt::format("{:.2f} s", s);
  if (s < 3 * 3600) return fmt::format("{:.1f} min", s / 60);
  if (s < 3 * 86400) return fmt::format("{:.1f} h", s / 3600);
  return fmt::format("{:.2f} days", s / 86400);
}

void ValueSketch::Add(double value) {
  histogram_.Add(value);
  whole_ = whole_ && value == std::floor(value);
  if (!exact_ok_) return;
  ++exact_counts_[value];
  if (exact_counts_.size() > kMaxExactValues) {
    exact_ok_ = false;
    exact_counts_ = {};  // frees the table
  }
}

double ValueSketch::Quantile(double q) const {
  if (empty()) return 0;
  if (!exact_ok_) {
    const double estimate = histogram_.Quantile(q);
    return whole_ ? std::round(estimate) : estimate;
  }
  std::vector<std::pair<double, uint64_t>> sorted(exact_counts_.begin(), exact_counts_.end());
  std::sort(sorted.begin(), sorted.end());
  const auto rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(histogram_.count()))));
  uint64_t seen = 0;
  for (const auto& [value, n] : sorted) {
    seen += n;
    if (seen >= rank) return value;
  }
  return sorted.back().first;
}

std::string Quantiles(const ValueSketch& values, double scale, const char* unit) {
  if (values.empty()) return "-";
  const char* mark = values.exact() ? "" : "~";
  auto v = [&](double x) { return fmt::format("{:.4g}", x * scale); };
  auto q = [&](double p) { return fmt::format("{}{}", mark, v(values.Quantile(p))); };
  return fmt::format("p50 {}  p90 {}  p99 {}  max {}{}{}", q(0.5), q(0.9), q(0.99), v(values.Max()),
                     *unit != '\0' ? " " : "", unit);
}

std::string Counts(const std::map<std::string, uint64_t>& counts, size_t shown) {
  if (counts.empty()) return "-";
  std::vector<std::pair<uint64_t, std::string>> sorted;
  for (const auto& [name, n] : counts) sorted.emplace_back(n, name);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out;
  for (size_t i = 0; i < sorted.size() && i < shown; ++i) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", sorted[i].second.empty() ? "(empty)" : sorted[i].second,
                       sorted[i].first);
  }
  if (sorted.size() > shown) out += fmt::format(", ... ({} kinds)", sorted.size());
  return out;
}

std::string RowsLine(uint64_t rows, uint64_t bytes, uint64_t malformed,
                     const std::string& first_malformed) {
  std::string out = fmt::format("  rows             {} ({:.1f} MB), malformed rows skipped: {}\n",
                                rows, bytes / 1e6, malformed);
  if (malformed > 0) out += fmt::format("  first malformed  {}\n", first_malformed);
  return out;
}

std::vector<std::pair<uint64_t, std::pair<double, double>>> MostCommonFirst(const Shapes& shapes) {
  std::vector<std::pair<uint64_t, std::pair<double, double>>> sorted;
  for (const auto& [shape, n] : shapes) sorted.emplace_back(n, shape);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  return sorted;
}

std::vector<int64_t> TenthsOf(int64_t first, int64_t last) {
  std::vector<int64_t> points = {first};
  for (int k = 1; k <= 10; ++k) points.push_back(first + (last - first) / 10 * k);
  points.back() = last;
  return points;
}

void AppendSection(std::string& out, const std::string& section) {
  if (!out.empty()) out += "\n";
  out += section;
}

}  // namespace trace_info
}  // namespace clustersim::models
