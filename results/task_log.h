#pragma once

#include <string>

#include "models/cluster.h"
#include "results/output_file.h"
#include "sim/status.h"

namespace clustersim::results {

// tasks.csv: one row per task, written when the task reaches its final state (so memory follows
// live tasks), and for the tasks still pending or active when the run ends. Written as
// tasks.csv.tmp and renamed when closed (results/output_file.h).
class TaskLog {
 public:
  static sim::Result<std::unique_ptr<TaskLog>> Open(const std::string& path,
                                                    models::Cluster& cluster);
  // Writes the rows of tasks not yet final, in task-id order, closes the file and renames it into
  // place.
  sim::Status Close();

 private:
  TaskLog(OutputFile file, models::Cluster& cluster) : file_(std::move(file)), cluster_(cluster) {}
  void Write(const models::Task& task);

  OutputFile file_;
  models::Cluster& cluster_;
  std::string line_;
};

}  // namespace clustersim::results
