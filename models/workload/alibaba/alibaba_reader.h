#pragma once

// Row parsers of the Alibaba tables (part of clustersim_trace_io: they depend on sim/ only, for
// the replays, trace-info and fuzz targets). Each returns an error message, or nullopt if the row
// is valid; rows are string_views into the line.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clustersim::models {

// A task name of Alibaba 2018's batch_task: `M1` (task 1, no parents), `R2_1` (task 2 after task
// 1), `J3_1_2` (task 3 after tasks 1 and 2). Only the numbers matter; the leading letters do not.
// Names not of that form (`task_Nzg3ODAw...==`) are independent tasks.
struct DagTaskName {
  bool dag = false;
  int64_t number = 0;
  std::vector<int64_t> parents;
};
DagTaskName ParseDagTaskName(std::string_view name);

// batch_task (2018): task_name, instance_num, job_name, task_type, status, start_time, end_time,
// plan_cpu (100 = 1 core), plan_mem (normalised to [0, 100]).
struct AlibabaTaskRow {
  std::string_view task_name;
  int64_t instances = 0;
  std::string_view job_name;
  int64_t start_time = 0;
  int64_t end_time = 0;
  double cpus = 0;      // cores
  double mem_frac = 0;  // fraction of machine_size.mem
};
std::optional<std::string> ParseAlibabaTaskRow(std::string_view line, AlibabaTaskRow& row);

// batch_instance (2018): the 14 documented columns; only these are checked.
struct AlibabaInstanceRow {
  std::string_view task_name;
  std::string_view job_name;
  std::string_view status;
  int64_t start_time = 0;
  int64_t end_time = 0;
};
std::optional<std::string> ParseAlibabaInstanceRow(std::string_view line, AlibabaInstanceRow& row);

// TimeOrderedTable classifiers: a row's job and start time; false, with `error`, if malformed.
bool ClassifyAlibabaTask(std::string_view line, std::string_view& job, double& time,
                         std::string& error);
bool ClassifyAlibabaInstance(std::string_view line, std::string_view& job, double& time,
                             std::string& error);

// The machine tables: 2018 machine_meta, 2017 server_event (alibaba_machines.h).
enum class AlibabaMachineTable { kMachineMeta2018, kServerEvent2017 };
struct AlibabaMachineRow {
  std::string_view machine;
  int64_t time = 0;
  enum class Kind { kUp, kDown, kSoftError, kHardError } kind = Kind::kUp;
  double cpus = 0;
  double mem = 0;   // fraction of machine_size.mem
  double disk = 0;  // fraction of machine_size.disk
};
std::optional<std::string> ParseAlibabaMachineRow(AlibabaMachineTable table, std::string_view line,
                                                  AlibabaMachineRow& row);

}  // namespace clustersim::models
