#pragma once

// The ranges a trace row's values must lie in, as scenario values do (sim/input_limits.h,
// scenarios/README.md "Ranges"): every time fits sim::Time with room for sums, every resource
// amount stays within 2^32 units, every count of tasks within a job's bound. A value outside is a
// malformed row (counted and skipped, or fatal with trace.strict), never a saturated time that
// stalls a replay or a fixed-point conversion that overflows. The messages say what is wrong; the
// caller adds the file and line.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/input_limits.h"
#include "sim/time.h"

namespace clustersim::models {

// sim::Time::MaxInput() in seconds and in microseconds: the largest time a trace row may give.
inline constexpr int64_t kMaxTraceMicros = sim::Time::MaxInput().micros();
inline constexpr double kMaxTraceSeconds = static_cast<double>(kMaxTraceMicros) / 1e6;

// Whether a value is in range: inline, as every row of a trace asks them (a row parser builds
// the field's name for a message only when a check fails).
// `seconds`: a time or a duration (possibly negative where -1 means unknown), within
// ±kMaxTraceSeconds.
inline bool TraceSecondsInRange(double seconds) {
  return seconds >= -kMaxTraceSeconds && seconds <= kMaxTraceSeconds;
}
// The same for a time in integer microseconds.
inline bool TraceMicrosInRange(int64_t micros) {
  return micros >= -kMaxTraceMicros && micros <= kMaxTraceMicros;
}
// A resource amount (cores, MiB, or a fraction times the machine size) in
// [0, kMaxInputResourceAmount].
inline bool TraceAmountInRange(double amount) {
  return amount >= 0 && amount <= sim::kMaxInputResourceAmount;
}
// A task count of one row or job in [0, kMaxInputTasksPerJob].
inline bool TraceTasksInRange(int64_t tasks) {
  return tasks >= 0 && tasks <= sim::kMaxInputTasksPerJob;
}

// What is wrong with an out-of-range value; `what` names the field ("submit_time (column 1)").
std::string TraceSecondsError(double seconds, std::string_view what);
std::string TraceMicrosError(int64_t micros, std::string_view what);
std::string TraceAmountError(double amount, std::string_view what);
std::string TraceTasksError(int64_t tasks, std::string_view what);

// Both at once, for fields whose name is a constant: the error, or nullopt if in range.
inline std::optional<std::string> CheckTraceSeconds(double seconds, std::string_view what) {
  if (TraceSecondsInRange(seconds)) return std::nullopt;
  return TraceSecondsError(seconds, what);
}
inline std::optional<std::string> CheckTraceMicros(int64_t micros, std::string_view what) {
  if (TraceMicrosInRange(micros)) return std::nullopt;
  return TraceMicrosError(micros, what);
}
inline std::optional<std::string> CheckTraceAmount(double amount, std::string_view what) {
  if (TraceAmountInRange(amount)) return std::nullopt;
  return TraceAmountError(amount, what);
}
inline std::optional<std::string> CheckTraceTasks(int64_t tasks, std::string_view what) {
  if (TraceTasksInRange(tasks)) return std::nullopt;
  return TraceTasksError(tasks, what);
}

}  // namespace clustersim::models
