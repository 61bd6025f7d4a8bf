#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/framework/batch_queue.h"
#include "models/spec.h"
#include "models/workload/swf/swf_reader.h"
#include "models/workload/trace_source.h"
#include "sim/status.h"

namespace clustersim::models {

// Demand replay of an SWF log (trace `format: swf`, one file under `paths`) through batch
// frameworks (BatchQueue, policy `trace.queue`). Jobs are read one ahead of the clock, so memory
// follows the live jobs, not the log.
//
// Per job: width = requested processors (field 8) if > 0, else allocated (field 5); estimate =
// requested time (field 9) if > 0, else run time; the job runs min(run, estimate): a job whose
// run time exceeds its estimate is killed there, and its tasks end KILLED (the others FINISHED).
// Jobs with run time < 0, width <= 0, width > MaxProcs (or wider than the scenario's cluster) or
// an unknown submit time are skipped and counted (`swf.skipped`); malformed rows are
// skipped and counted (`trace.skipped_rows`), or stop the run in strict mode. A job is a gang of
// `width` tasks of one cpu each, submitted at its submit time (seconds of the log = simulated
// seconds) to framework 0 (map_to_frameworks: all) or to framework user % frameworks (by user).
//
// With no `cluster` in the scenario, the machine comes from the header: MaxNodes agents of
// MaxProcs / MaxNodes cpus when that divides evenly, else MaxProcs agents of one cpu (MaxNodes
// alone counts as MaxProcs); Linux, docker, no memory, registered at time 0.
class SwfReplay final : public TraceSource {
 public:
  // Opens the log and reads its header; checks the scenario fits an SWF replay.
  static sim::Result<std::unique_ptr<TraceSource>> Open(const ScenarioSpec& spec);

  void Start(const TraceHost& host) override;
  // "rows" (data rows read), "skipped_rows" (malformed).
  std::vector<std::pair<std::string, double>> Report() const override;
  // "swf": jobs, skipped, mean_wait_s, max_wait_s, mean_bounded_slowdown (tau = 10 s),
  // makespan_s (last end - first submit), then unfinished (jobs not ended when the run stopped)
  // and killed_at_estimate (jobs whose run time exceeded their estimate).
  std::vector<Section> Sections() const override;

 private:
  // "warning: FILE:LINE: what (row skipped)" for the first RowErrors::kMaxWarnings malformed rows,
  // then one line saying the rest are only counted.
  void WarnMalformed(const std::string& message);
  uint64_t malformed_warned_ = 0;
  SwfReplay(const ScenarioSpec& spec, std::unique_ptr<SwfReader> reader);
  // Reads up to the next job to replay into next_; false at the end of the log or on a failure.
  bool ReadNext();
  // Submits next_ and every following job of the same instant, then schedules the next arrival.
  void Arrive();
  void Submit(const SwfJob& job);

  const ScenarioSpec& spec_;
  std::unique_ptr<SwfReader> reader_;
  sim::Simulator* sim_ = nullptr;
  TraceErrors* failure_ = nullptr;
  TraceSubmit* submit_ = nullptr;  // job ids
  TraceGangs* gangs_ = nullptr;
  BatchPolicy policy_ = BatchPolicy::kFcfs;
  int64_t max_procs_ = 0;      // the skip rule's MaxProcs
  int64_t cluster_procs_ = 0;  // processors of the cluster the jobs run on
  int64_t nodes_ = 0;          // agents built from the header (0: the scenario's cluster)
  int64_t cpus_per_node_ = 0;
  std::vector<size_t> frameworks_;  // the batch frameworks, by index
  SwfJob next_;
  bool failed_ = false;
  uint64_t skipped_ = 0;
  uint64_t killed_at_estimate_ = 0;
};

}  // namespace clustersim::models
