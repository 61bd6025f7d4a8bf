#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/cluster.h"
#include "results/output_file.h"
#include "sim/status.h"

namespace clustersim::results {

// tasks.csv: one row per task, written when the task reaches its final state (so memory follows
// live tasks), and for the tasks still pending or active when the run ends. Written as
// tasks.csv.tmp and renamed when closed (results/output_file.h). Columns (identity, request,
// placement, times, outcome) are documented in results/README.md; a value not known (yet) is an
// empty field.
class TaskLog {
 public:
  // The header, as written; tests compare it with results/README.md.
  static const char* Header();

  static sim::Result<std::unique_ptr<TaskLog>> Open(const std::string& path,
                                                    models::Cluster& cluster);
  // Called every kProgressEvery rows while Close writes them: a run ending with millions of
  // pending tasks spends seconds here.
  using CloseProgress = std::function<void(uint64_t written, uint64_t total)>;
  static constexpr uint64_t kProgressEvery = 1 << 16;
  // Writes the rows of tasks not yet final, in task-id order, closes the file and renames it into
  // place.
  sim::Status Close(const CloseProgress& progress = nullptr);

 private:
  TaskLog(OutputFile file, models::Cluster& cluster);
  void Write(const models::Task& task);
  // The agent's name as a CSV field, quoted once and kept (agents are few next to tasks).
  const std::string& AgentField(models::AgentId agent);

  OutputFile file_;
  models::Cluster& cluster_;
  std::string line_;
  // Names as CSV fields, by index: quoted once, not once per row.
  // The CSV field of a subscription's role (the role the task was allocated to), made on first use.
  const std::string& RoleField(plugins::FrameworkId subscription);
  std::vector<std::string> framework_fields_, role_fields_, image_fields_, group_fields_;
  std::vector<std::string> agent_fields_;  // grows as agents are first seen; "" until then
};

}  // namespace clustersim::results
