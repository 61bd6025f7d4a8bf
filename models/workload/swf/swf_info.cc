// `trace-info --format swf`: each log on its own, read once with the replay's reader.
#include "models/workload/swf/swf_info.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <unordered_set>

#include "models/workload/swf/swf_reader.h"

namespace clustersim::models {
namespace trace_info {
namespace {

std::string StatusName(int64_t status) {
  switch (status) {
    case 1:
      return "1 (completed)";
    case 0:
      return "0 (failed)";
    case 5:
      return "5 (cancelled)";
    case -1:
      return "-1 (unknown)";
    default:
      return fmt::format("{}", status);
  }
}

// The jobs a replay skips, by the first reason that applies (SwfSkipped).
struct Skips {
  uint64_t run_negative = 0, width_bad = 0, too_wide = 0, submit_unknown = 0;

  void Add(const SwfJob& job, int64_t width) {
    if (job.run_s < 0) {
      ++run_negative;
    } else if (width <= 0) {
      ++width_bad;
    } else if (job.submit_s < 0) {
      ++submit_unknown;
    } else {
      ++too_wide;
    }
  }
};

sim::Result<std::string> OneLog(const std::string& path) {
  SIM_ASSIGN_OR_RETURN(std::unique_ptr<SwfReader> reader, SwfReader::Open(path));
  const SwfHeader& header = reader->header();
  // The replay's MaxProcs (swf_source.cc): MaxProcs, else MaxNodes; without either nothing is
  // skipped for its width here (a replay would use its cluster's processors).
  const int64_t max_procs = header.max_procs > 0 ? header.max_procs : header.max_nodes;
  std::map<std::string, uint64_t> by_status;
  std::unordered_set<int64_t> users;
  ValueSketch width, run, estimate, wait;
  uint64_t jobs = 0, replayed = 0, killed = 0;
  Skips skips;
  double first_submit = -1, last_submit = -1, demand = 0;  // processor-seconds run
  std::string first_malformed;
  SwfJob job;
  for (;;) {
    const SwfReader::Row r = reader->Next(job);
    if (r == SwfReader::Row::kEnd) break;
    if (r == SwfReader::Row::kError) return reader->error();
    if (r == SwfReader::Row::kMalformed) {
      if (first_malformed.empty()) first_malformed = reader->error().message();
      continue;
    }
    ++jobs;
    ++by_status[StatusName(job.status)];
    if (job.user > 0) users.insert(job.user);
    if (job.submit_s >= 0) {
      if (first_submit < 0) first_submit = job.submit_s;
      last_submit = job.submit_s;
    }
    if (job.wait_s >= 0) wait.Add(job.wait_s);
    const int64_t w = SwfWidth(job);
    if (w > 0) width.Add(static_cast<double>(w));
    if (job.run_s >= 0) run.Add(job.run_s);
    if (job.requested_time_s > 0) estimate.Add(job.requested_time_s);
    if (SwfSkipped(job, max_procs > 0 ? max_procs : w)) {
      skips.Add(job, w);
      continue;
    }
    ++replayed;
    const double est = SwfEstimate(job);
    if (job.run_s > est) ++killed;
    demand += static_cast<double>(w) * std::min(job.run_s, est);
  }

  std::string out = fmt::format("swf {}\n", path);
  // -1 is the reader's "not given" (SWF's own convention for a missing field).
  const auto given = [](int64_t v) {
    return v >= 0 ? fmt::format("{}", v) : std::string("not given");
  };
  out += fmt::format("  header           MaxProcs {}, MaxNodes {}\n", given(header.max_procs),
                     given(header.max_nodes));
  out += RowsLine(reader->rows(), reader->bytes_read(), reader->malformed(), first_malformed);
  if (first_submit >= 0) {
    out += fmt::format("  submit span      {:.0f} s .. {:.0f} s ({})\n", first_submit, last_submit,
                       Duration(last_submit - first_submit));
  }
  out += fmt::format("  status           {}\n", Counts(by_status));
  out += fmt::format(
      "  jobs             {}; replayed {}, skipped {} (run time < 0: {}, width <= 0: {}, width > "
      "MaxProcs: {}, unknown submit: {})\n",
      jobs, replayed, jobs - replayed, skips.run_negative, skips.width_bad, skips.too_wide,
      skips.submit_unknown);
  out += fmt::format("  killed at estimate (run time > requested time): {}\n", killed);
  out += fmt::format("  users            {} distinct\n", users.size());
  out += fmt::format("  width (procs)    {}\n", Quantiles(width, 1, ""));
  out += fmt::format("  run time         {}\n", Quantiles(run, 1, "s"));
  out += fmt::format("  requested time   {}\n", Quantiles(estimate, 1, "s"));
  out += fmt::format("  recorded wait    {}{}\n", Quantiles(wait, 1, "s"),
                     wait.empty() ? "" : fmt::format("; mean {:.2f} s", wait.Mean()));
  if (max_procs > 0 && last_submit > first_submit) {
    // Work the replayed jobs bring, as a share of the machine over the submit span: above 1 the
    // queue can only grow.
    out += fmt::format("  offered load     {:.3f} (processor-seconds run / MaxProcs x span)\n",
                       demand / (static_cast<double>(max_procs) * (last_submit - first_submit)));
  }
  return out;
}

}  // namespace
}  // namespace trace_info

sim::Result<std::string> SwfTraceInfo(const std::vector<std::string>& paths,
                                      const TraceInfoOptions&) {
  std::string out;
  for (const std::string& path : paths) {
    SIM_ASSIGN_OR_RETURN(std::string section, trace_info::OneLog(path));
    trace_info::AppendSection(out, section);
  }
  return out;
}

}  // namespace clustersim::models
