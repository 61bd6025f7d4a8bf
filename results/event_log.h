#pragma once

#include <fstream>
#include <memory>
#include <string>

#include "models/cluster.h"
#include "sim/status.h"

namespace clustersim::results {

// events.binpb: every task, offer, agent and scheduling event as a length-delimited protobuf record
// (schema: results/proto/events.proto). Opt-in: it is by far the largest output. Written as
// events.binpb.tmp and renamed when closed (results/output_file.h).
class EventLog {
 public:
  static sim::Result<std::unique_ptr<EventLog>> Open(const std::string& path,
                                                     models::Cluster& cluster);
  sim::Status Close();

 private:
  struct Impl;
  explicit EventLog(std::unique_ptr<Impl> impl);

 public:
  ~EventLog();

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace clustersim::results
