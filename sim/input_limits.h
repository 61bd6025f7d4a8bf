#pragma once

#include <cstdint>

// The documented limits of input that both scenario files (apps/config/ranges.h) and trace rows
// (the trace_io row parsers and the replays in models/workload/) apply, kept here because the
// trace_io layer may include sim/ only. The reasons are in scenarios/README.md, "Ranges"; change
// them only there and here together. Times have their own bound: sim::Time::MaxInput().
namespace clustersim::sim {

// Agents a run may have: a scenario's groups summed, or the machines a trace adds.
inline constexpr int64_t kMaxInputAgents = int64_t{1} << 20;
// One resource amount of one kind (cpus, gpus, a named scalar, or MiB of mem/disk): 2^32 units,
// 2^42 fixed-point milli-units, so a sum over kMaxInputAgents agents stays below 2^62.
inline constexpr double kMaxInputResourceAmount = 4294967296.0;
// Tasks in one job (a synthetic job, a trace row's instances, an SWF job's width).
inline constexpr int64_t kMaxInputTasksPerJob = 1'000'000;
// Tasks a run may hold at once.
inline constexpr int64_t kMaxInputLiveTasks = int64_t{1} << 26;

}  // namespace clustersim::sim
