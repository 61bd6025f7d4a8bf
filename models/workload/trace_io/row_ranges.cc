#include "models/workload/trace_io/row_ranges.h"

#include <fmt/format.h>

namespace clustersim::models {

std::optional<std::string> CheckTraceSeconds(double seconds, std::string_view what) {
  if (seconds >= -kMaxTraceSeconds && seconds <= kMaxTraceSeconds) return std::nullopt;
  return fmt::format("{} {:g} s is out of range (a trace time is at most {:.0f} s, 2^61 us)", what,
                     seconds, kMaxTraceSeconds);
}

std::optional<std::string> CheckTraceMicros(int64_t micros, std::string_view what) {
  if (micros >= -kMaxTraceMicros && micros <= kMaxTraceMicros) return std::nullopt;
  return fmt::format("{} {} us is out of range (a trace time is at most {} us, 2^61)", what, micros,
                     kMaxTraceMicros);
}

std::optional<std::string> CheckTraceAmount(double amount, std::string_view what) {
  if (amount >= 0 && amount <= sim::kMaxInputResourceAmount) return std::nullopt;
  return fmt::format("{} {:g} is out of range (a resource amount is in [0, {:.0f}], 2^32)", what,
                     amount, sim::kMaxInputResourceAmount);
}

std::optional<std::string> CheckTraceTasks(int64_t tasks, std::string_view what) {
  if (tasks >= 0 && tasks <= sim::kMaxInputTasksPerJob) return std::nullopt;
  return fmt::format("{} {} is more than the {} tasks a job may have", what, tasks,
                     sim::kMaxInputTasksPerJob);
}

}  // namespace clustersim::models
