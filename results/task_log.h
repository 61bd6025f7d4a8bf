#pragma once

#include <cstdio>
#include <string>

#include "models/cluster.h"
#include "sim/status.h"

namespace clustersim::results {

// tasks.csv: one row per task, written when the task reaches its final state (so memory follows
// live tasks), and for the tasks still pending or active when the run ends.
class TaskLog {
 public:
  static sim::Result<std::unique_ptr<TaskLog>> Open(const std::string& path,
                                                    models::Cluster& cluster);
  ~TaskLog();
  // Writes the rows of tasks not yet final, in task-id order, and closes the file.
  sim::Status Close();

 private:
  TaskLog(std::FILE* file, models::Cluster& cluster) : file_(file), cluster_(cluster) {}
  void Write(const models::Task& task);

  std::FILE* file_;
  models::Cluster& cluster_;
  std::string line_;
};

}  // namespace clustersim::results
