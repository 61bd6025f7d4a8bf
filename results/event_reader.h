#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/status.h"

namespace clustersim::results {

// One event of an events.binpb, decoded: times absolute, names resolved, an offer's
// ACCEPTED/DECLINED/RESCINDED filled in from its OFFER_SENT (results/proto/events.proto says
// what the file leaves out). The views stay valid as long as the reader.
struct EventRecord {
  // kScheduling: DECISION_STARTED, TRANSACTION, JOB_PLACED (format 3).
  enum class Group { kTask, kOffer, kAgent, kScheduling, kFramework };
  Group group = Group::kTask;
  int64_t time_us = 0;
  std::string_view kind;  // the Event.Kind name: "TASK_LAUNCHED", "OFFER_SENT", ...
  uint64_t task_id = 0;
  uint64_t job_id = 0;    // TASK_SUBMITTED, JOB_PLACED
  uint64_t offer_id = 0;  // OFFER_*; TASK_LAUNCHED (0: a trace's recorded launch)
  // "" where the event has none.
  std::string_view framework, agent, state, reason, os, os_version, image;
  bool final = false;                                    // TASK_ENDED
  uint32_t tasks_launched = 0;                           // OFFER_ACCEPTED
  int64_t busy_us = 0;                                   // DECISION_STARTED
  uint32_t placed = 0;                                   // DECISION_STARTED
  uint32_t claims_committed = 0, claims_conflicted = 0;  // TRANSACTION
  int64_t wait_us = 0;                                   // JOB_PLACED
  // Amount × 1000 per kind, in EventReader::resource_kinds() order; empty when the event has none.
  std::vector<int64_t> resources;
};

// Reads an events.binpb written by results/event_log.h, one event at a time (memory: the names
// and the outstanding offers, not the file).
class EventReader {
 public:
  // Reads the header; an error naming the file if it cannot be read, is no events file, or has
  // a format version other than 2 or 3 (version 1 files, from before issue 13, have no header).
  static sim::Result<std::unique_ptr<EventReader>> Open(const std::string& path);
  ~EventReader();

  const std::vector<std::string>& resource_kinds() const;
  // The next event into `out`: true, or false at the end of the file; an error for a truncated
  // or malformed record.
  sim::Result<bool> Next(EventRecord& out);

 private:
  struct Impl;
  explicit EventReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `raw` (amount × 1000) as the shortest exact decimal: 2048, 0.5, 1.25.
std::string FormatFixed(int64_t raw);
// Microseconds as seconds with six decimals: 1500000 -> "1.500000".
std::string FormatMicros(int64_t us);
// One readable line: "12.000000 TASK_LAUNCHED task_id=7 framework=web ... cpus=1 mem=2048"
// (time in seconds, then the event's non-empty fields, in a fixed order: offer_id (offers),
// task_id, framework, agent, os, state, reason, job_id, image, os_version, offer_id
// (TASK_LAUNCHED), resources (non-zero kinds), tasks_launched, final, busy_s, placed,
// claims_committed, claims_conflicted, wait_s; results/read_events.py prints the same).
std::string FormatEventLine(const EventRecord& e, const std::vector<std::string>& resource_kinds);

}  // namespace clustersim::results
