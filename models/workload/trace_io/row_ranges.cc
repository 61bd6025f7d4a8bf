#include "models/workload/trace_io/row_ranges.h"

#include <fmt/format.h>

namespace clustersim::models {

std::string TraceSecondsError(double seconds, std::string_view what) {
  return fmt::format("{} {:g} s is out of range (a trace time is at most {:.0f} s, 2^61 us)", what,
                     seconds, kMaxTraceSeconds);
}

std::string TraceMicrosError(int64_t micros, std::string_view what) {
  return fmt::format("{} {} us is out of range (a trace time is at most {} us, 2^61)", what, micros,
                     kMaxTraceMicros);
}

std::string TraceAmountError(double amount, std::string_view what) {
  return fmt::format("{} {:g} is out of range (a resource amount is in [0, {:.0f}], 2^32)", what,
                     amount, sim::kMaxInputResourceAmount);
}

std::string TraceTasksError(int64_t tasks, std::string_view what) {
  return fmt::format("{} {} is more than the {} tasks a job may have", what, tasks,
                     sim::kMaxInputTasksPerJob);
}

}  // namespace clustersim::models
