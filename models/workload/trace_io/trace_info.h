#pragma once

// `clustersim trace-info PATH... --format F`: a quick human-readable look at trace files before a
// replay — rows and malformed rows, counts by event type, time span, machines and capacities over
// time, request distributions. Each format writes its own (models/workload/<format>/*_info.cc,
// registered with the format: TraceFormatEntry::info); they read the files with the replay's own
// row parsers and link only clustersim_trace_io. This header holds what they share: the options
// and the pieces of the text.

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/histogram.h"
#include "sim/status.h"

namespace clustersim::models {

struct TraceInfoOptions {
  // csv: the column roles, as in a scenario's trace.columns ("submit_time=1,duration=2,...");
  // without them only the columns' own statistics are shown.
  std::vector<std::pair<std::string, int>> csv_columns;
  bool csv_header = true;  // csv: the first line of each file is a header
};

// One format's trace-info: the text for its files, or why they cannot be read.
using TraceInfoFunction = sim::Result<std::string> (*)(const std::vector<std::string>& paths,
                                                       const TraceInfoOptions& options);

namespace trace_info {

// "95.00 s", "12.3 min", "4.2 h", "11.50 days".
std::string Duration(double s);
// A column's values as trace-info summarises them. Count, mean, min and max are exact. Quantiles
// are exact (nearest rank) while the column has at most kMaxExactValues distinct values, which
// covers widths, instance counts, request sizes and most samples; past that they come from a
// LogHistogram (within 0.5 %) and print with a '~' (whole-number columns rounded, so an SWF width
// reads 3, not 2.989).
class ValueSketch {
 public:
  static constexpr size_t kMaxExactValues = 16'384;  // ~0.7 MiB of counts at most

  void Add(double value);
  bool exact() const { return exact_ok_; }
  // The nearest-rank q-quantile: the value of rank ceil(q * count()) (at least 1); exact() says
  // whether it is exact or within the histogram's 0.5 %. 0 when empty.
  double Quantile(double q) const;
  bool empty() const { return histogram_.empty(); }
  uint64_t count() const { return histogram_.count(); }
  double Mean() const { return histogram_.Mean(); }
  double Min() const { return histogram_.Min(); }
  double Max() const { return histogram_.Max(); }

 private:
  sim::LogHistogram histogram_;
  std::unordered_map<double, uint64_t> exact_counts_;
  bool exact_ok_ = true;
  bool whole_ = true;
};

// "p50 a  p90 b  p99 c  max d unit" of the values x scale, or "-" when empty; approximate
// quantiles have a '~'.
std::string Quantiles(const ValueSketch& values, double scale, const char* unit);
// Appended to a trace-info text that has quantiles: what a '~' means.
inline constexpr const char* kQuantilesNote =
    "(p50/p90/p99 are exact nearest-rank values; '~' marks one from a streaming sketch, within "
    "0.5 %, for a column of more than 16,384 distinct values)\n";
// "A 3, B 2, ...": the most frequent first (ties by name), at most `shown`, then "(N kinds)".
std::string Counts(const std::map<std::string, uint64_t>& counts, size_t shown = 12);
// "  rows             N (x MB), malformed rows skipped: M\n" and the first malformed row's
// "file:line: what", if any.
std::string RowsLine(uint64_t rows, uint64_t bytes, uint64_t malformed,
                     const std::string& first_malformed);

// Where the samples of "over time" tables fall: the first time, then each tenth of the span.
std::vector<int64_t> TenthsOf(int64_t first, int64_t last);

// Machines in service and their total capacity, sampled at fixed points of time as rows go by.
struct CapacitySample {
  int64_t at;
  uint64_t up;
  double cpus, mem;
};
class CapacityOverTime {
 public:
  explicit CapacityOverTime(std::vector<int64_t> points) : points_(std::move(points)) {}
  // Records the state at every point before `t`; call before applying a row at `t`.
  void Until(int64_t t) {
    for (; next_ < points_.size() && points_[next_] < t; ++next_) {
      samples_.push_back(CapacitySample{points_[next_], up, cpus, mem});
    }
  }
  const std::vector<CapacitySample>& samples() const { return samples_; }

  uint64_t up = 0;
  double cpus = 0, mem = 0;

 private:
  std::vector<int64_t> points_;
  size_t next_ = 0;
  std::vector<CapacitySample> samples_;
};

// Machine shapes (cpus, mem) with their counts, the most common first (ties by shape).
using Shapes = std::map<std::pair<double, double>, uint64_t>;
std::vector<std::pair<uint64_t, std::pair<double, double>>> MostCommonFirst(const Shapes& shapes);

// Sections of a trace-info, one per table (or log), joined by blank lines.
void AppendSection(std::string& out, const std::string& section);
// The sections `section(table, files)` of each table of `tables` (a map table -> files), in the
// map's order; the first error stops.
template <typename Tables, typename Section>
sim::Result<std::string> JoinSections(const Tables& tables, Section section) {
  std::string out;
  for (const auto& [table, files] : tables) {
    sim::Result<std::string> text = section(table, files);
    if (!text.ok()) return text.status();
    AppendSection(out, *text);
  }
  return out;
}

}  // namespace trace_info
}  // namespace clustersim::models
