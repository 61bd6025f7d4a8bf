#pragma once

// The ranges a trace row's values must lie in, as scenario values do (sim/input_limits.h,
// scenarios/README.md "Ranges"): every time fits sim::Time with room for sums, every resource
// amount stays within 2^32 units, every count of tasks within a job's bound. A value outside is a
// malformed row (counted and skipped, or fatal with trace.strict), never a saturated time that
// stalls a replay or a fixed-point conversion that overflows. Each check returns what is wrong
// (the caller adds the file and line), or nullopt.

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

// `seconds` (a time or a duration, possibly negative where -1 means unknown) within
// ±kMaxTraceSeconds. `what` names the field: "submit_time (column 1)".
std::optional<std::string> CheckTraceSeconds(double seconds, std::string_view what);
// The same for a time in integer microseconds.
std::optional<std::string> CheckTraceMicros(int64_t micros, std::string_view what);
// A resource amount (cores, MiB, or a fraction times the machine size) in
// [0, kMaxInputResourceAmount].
std::optional<std::string> CheckTraceAmount(double amount, std::string_view what);
// A task count of one row or job in [0, kMaxInputTasksPerJob].
std::optional<std::string> CheckTraceTasks(int64_t tasks, std::string_view what);

}  // namespace clustersim::models
