#include "models/workload/alibaba/alibaba_reader.h"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "models/workload/trace_io/line_reader.h"
#include "models/workload/trace_io/row_ranges.h"

namespace clustersim::models {

DagTaskName ParseDagTaskName(std::string_view name) {
  DagTaskName out;
  size_t i = 0;
  while (i < name.size() &&
         ((name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= 'a' && name[i] <= 'z')))
    ++i;
  if (i == 0 || i == name.size()) return out;
  std::vector<int64_t> numbers;
  while (i < name.size()) {
    const size_t begin = i;
    while (i < name.size() && name[i] >= '0' && name[i] <= '9') ++i;
    int64_t value = 0;
    if (i == begin || !ParseInt(name.substr(begin, i - begin), value)) return out;
    numbers.push_back(value);
    if (i == name.size()) break;
    if (name[i] != '_' || i + 1 == name.size()) return out;
    ++i;
  }
  out.dag = true;
  out.number = numbers.front();
  out.parents.assign(numbers.begin() + 1, numbers.end());
  return out;
}

namespace {

// A time in whole seconds within the trace range (a time of 1e13 s overflowed sim::Time).
std::optional<std::string> CheckSeconds(int64_t seconds, std::string_view what) {
  return CheckTraceSeconds(static_cast<double>(seconds), what);
}

template <typename Row>
bool ClassifyByJob(std::optional<std::string> (*parse)(std::string_view, Row&),
                   std::string_view line, std::string_view& job, double& time, std::string& error) {
  Row row;
  if (auto e = parse(line, row)) {
    error = std::move(*e);
    return false;
  }
  job = row.job_name;
  time = static_cast<double>(row.start_time);
  return true;
}

}  // namespace

bool ClassifyAlibabaTask(std::string_view line, std::string_view& job, double& time,
                         std::string& error) {
  return ClassifyByJob(&ParseAlibabaTaskRow, line, job, time, error);
}

bool ClassifyAlibabaInstance(std::string_view line, std::string_view& job, double& time,
                             std::string& error) {
  return ClassifyByJob(&ParseAlibabaInstanceRow, line, job, time, error);
}

std::optional<std::string> ParseAlibabaTaskRow(std::string_view line, AlibabaTaskRow& row) {
  // task_name, instance_num, job_name, task_type, status, start_time, end_time, plan_cpu, plan_mem
  std::array<std::string_view, 10> f;
  const size_t n = SplitFields(line, ',', f);
  if (n != 9) return fmt::format("expected 9 comma-separated fields, found {}", n);
  row.task_name = f[0];
  if (row.task_name.empty()) return std::string("empty task_name");
  if (!ParseInt(f[1], row.instances) || row.instances < 0) {
    return fmt::format("instance_num {} is not a non-negative integer", QuotedField(f[1]));
  }
  if (auto e = CheckTraceTasks(row.instances, "instance_num")) return e;
  row.job_name = f[2];
  if (row.job_name.empty()) return std::string("empty job_name");
  if (!ParseInt(f[5], row.start_time) || row.start_time < 0) {
    return fmt::format("start_time {} is not a non-negative integer", QuotedField(f[5]));
  }
  if (!ParseInt(f[6], row.end_time) || row.end_time < 0) {
    return fmt::format("end_time {} is not a non-negative integer", QuotedField(f[6]));
  }
  if (auto e = CheckSeconds(row.start_time, "start_time")) return e;
  if (auto e = CheckSeconds(row.end_time, "end_time")) return e;
  if (row.end_time > 0 && row.start_time > 0 && row.end_time < row.start_time) {
    return fmt::format("end_time {} is before start_time {}", row.end_time, row.start_time);
  }
  double cpu = 0;
  if (!ParseDouble(f[7], cpu) || !(cpu >= 0) || !std::isfinite(cpu)) {
    return fmt::format("plan_cpu {} is not a non-negative number", QuotedField(f[7]));
  }
  if (auto e = CheckTraceAmount(cpu / 100, "plan_cpu / 100")) return e;
  double mem = 0;
  if (!ParseDouble(f[8], mem) || !(mem >= 0 && mem <= 100)) {
    return fmt::format("plan_mem {} is not a number in [0, 100]", QuotedField(f[8]));
  }
  row.cpus = cpu / 100;
  row.mem_frac = mem / 100;
  return std::nullopt;
}

std::optional<std::string> ParseAlibabaInstanceRow(std::string_view line, AlibabaInstanceRow& row) {
  // instance_name, task_name, job_name, task_type, status, start_time, end_time, machine_id,
  // seq_no, total_seq_no, cpu_avg, cpu_max, mem_avg, mem_max (usage columns may be empty)
  std::array<std::string_view, 15> f;
  const size_t n = SplitFields(line, ',', f);
  if (n != 14) return fmt::format("expected 14 comma-separated fields, found {}", n);
  row.task_name = f[1];
  if (row.task_name.empty()) return std::string("empty task_name");
  row.job_name = f[2];
  if (row.job_name.empty()) return std::string("empty job_name");
  row.status = f[4];
  if (!ParseInt(f[5], row.start_time)) {
    return fmt::format("start_time {} is not an integer", QuotedField(f[5]));
  }
  if (!ParseInt(f[6], row.end_time))
    return fmt::format("end_time {} is not an integer", QuotedField(f[6]));
  if (auto e = CheckSeconds(row.start_time, "start_time")) return e;
  return CheckSeconds(row.end_time, "end_time");
}

std::optional<std::string> ParseAlibabaMachineRow(AlibabaMachineTable table, std::string_view line,
                                                  AlibabaMachineRow& row) {
  std::array<std::string_view, 8> f;
  const size_t n = SplitFields(line, ',', f);
  if (n != 7) return fmt::format("expected 7 comma-separated fields, found {}", n);
  auto number = [](std::string_view s, double& out, double lo, double hi) {
    return ParseDouble(s, out) && out >= lo && out <= hi;
  };
  if (table == AlibabaMachineTable::kMachineMeta2018) {
    // machine_id, time_stamp, failure_domain_1, failure_domain_2, cpu_num, mem_size, status
    row.machine = f[0];
    if (row.machine.empty()) return std::string("empty machine_id");
    if (!ParseInt(f[1], row.time) || row.time < 0) {
      return fmt::format("time_stamp {} is not a non-negative integer", QuotedField(f[1]));
    }
    if (auto e = CheckSeconds(row.time, "time_stamp")) return e;
    int64_t domain = 0;
    if (!f[2].empty() && !ParseInt(f[2], domain)) {
      return fmt::format("failure_domain_1 {} is not an integer", QuotedField(f[2]));
    }
    if (!number(f[4], row.cpus, 1e-3, 1e6)) {
      return fmt::format("cpu_num {} is not a positive number", QuotedField(f[4]));
    }
    double mem = 0;
    if (!number(f[5], mem, 0, 100)) {
      return fmt::format("mem_size {} is not a number in [0, 100]", QuotedField(f[5]));
    }
    row.mem = mem / 100;
    row.disk = 1;
    if (f[6].empty()) return std::string("empty status");
    row.kind = f[6] == "USING" ? AlibabaMachineRow::Kind::kUp : AlibabaMachineRow::Kind::kDown;
    return std::nullopt;
  }
  // timestamp, machine ID, event type, event detail, CPU, memory, disk
  if (!ParseInt(f[0], row.time) || row.time < 0) {
    return fmt::format("timestamp {} is not a non-negative integer", QuotedField(f[0]));
  }
  if (auto e = CheckSeconds(row.time, "timestamp")) return e;
  row.machine = f[1];
  if (row.machine.empty()) return std::string("empty machine ID");
  if (f[2] == "add") {
    row.kind = AlibabaMachineRow::Kind::kUp;
  } else if (f[2] == "softerror") {
    row.kind = AlibabaMachineRow::Kind::kSoftError;
  } else if (f[2] == "harderror") {
    row.kind = AlibabaMachineRow::Kind::kHardError;
  } else {
    return fmt::format("unknown event type {} (add, softerror, harderror)", QuotedField(f[2]));
  }
  if (!number(f[4], row.cpus, 0, 1e6)) {
    return fmt::format("CPU capacity {} is not a non-negative number", QuotedField(f[4]));
  }
  if (!number(f[5], row.mem, 0, 1)) {
    return fmt::format("memory capacity {} is not a number in [0, 1]", QuotedField(f[5]));
  }
  if (!number(f[6], row.disk, 0, 1)) {
    return fmt::format("disk capacity {} is not a number in [0, 1]", QuotedField(f[6]));
  }
  if (row.kind == AlibabaMachineRow::Kind::kUp && row.cpus <= 0)
    return std::string("add with no CPU capacity");
  return std::nullopt;
}

}  // namespace clustersim::models
