#pragma once

// Warnings about scenarios that load but make useless runs: every check here finds input that is
// valid (so not an error) yet almost surely not what was meant, such as a resource typed `cpu`
// (a custom resource: the agents get 0 cpus and every task is unschedulable). `clustersim
// validate` prints them and exits 0 (2 with --fail-on-warning); `run`, `compare` and `sweep`
// print them on stderr before running. Each is one line,
//   x.yaml:12:20: warning: cluster.groups[0].resources: 'cpu' is a custom resource, not cpus;
//   did you mean cpus? (agents of this group get 0 cpus)
// located at the YAML node it is about, saying what is wrong and what to do.
//
// Built into the runner library rather than clustersim_config: the checks read the models' spec
// and the feasibility rules, and clustersim_config stays free of the models (fuzz targets link it
// alone).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/config/yaml_value.h"
#include "apps/scenario.h"
#include "models/spec.h"

namespace clustersim::apps {

struct Warning {
  std::string location;  // "x.yaml:12:20", or "--set ..." for a value from an override
  std::string path;      // key path of the node, "" at the root
  std::string message;   // what is wrong, then what to do
  // "LOCATION: warning: PATH: MESSAGE" (no PATH at the root).
  std::string ToString() const;
};

// Every warning about `scenario`, loaded from the document whose root is `root`, in a fixed order
// (check by check, each in document order). Precondition: LoadScenario(root's document) gave
// `scenario`.
std::vector<Warning> ScenarioWarnings(const YamlValue& root, const Scenario& scenario);

// The built-in resource (cpus, mem, disk, gpus) `name` probably meant, if it is not one: an alias
// (cpu, cores, memory, ram, gpu) or within edit distance 2 of a built-in or an alias (case
// ignored). For "did you mean" in warnings and errors.
std::optional<std::string_view> MeantBuiltin(std::string_view name);

// The checks, one per kind of useless run (ScenarioWarnings runs them all in this order).
// A resource name within edit distance 2 of cpus/mem/disk/gpus or an alias of one (cpu, cores,
// memory, ram, gpu): agent resources, reservations, min_allocatable, allocator quotas.
void CheckResourceNames(const YamlValue& root, std::vector<Warning>& out);
// A framework some of whose synthetic tasks (all, or those of one OS or image) no agent can ever
// run, with the reason (models::WhyUnschedulable): the same rules and reasons the run applies.
void CheckFrameworksCanRun(const YamlValue& root, const models::ScenarioSpec& spec,
                           std::vector<Warning>& out);
// A reservation, quota or priority for a role no framework has.
void CheckRolesExist(const YamlValue& root, const Scenario& scenario, std::vector<Warning>& out);
// A role whose weight one framework states and another framework of that role inherits unsaid.
void CheckRoleWeights(const YamlValue& root, const models::ScenarioSpec& spec,
                      std::vector<Warning>& out);
// An image preloaded on a group whose agents cannot run it (OS, Windows version, isolation).
void CheckPreloadedImages(const YamlValue& root, const models::ScenarioSpec& spec,
                          std::vector<Warning>& out);
// A framework that may be offered no agent of the cluster: its offer constraints exclude them
// all, or they all have GPUs and it lacks capabilities: [gpu_resources].
void CheckFrameworksReachAgents(const YamlValue& root, const models::ScenarioSpec& spec,
                                std::vector<Warning>& out);
// A run estimated (EstimateRunSize) above the thresholds below.
void CheckRunSize(const YamlValue& root, const models::ScenarioSpec& spec,
                  std::vector<Warning>& out);

// The size of a run, estimated from the scenario alone (a trace's tasks are not counted: they
// are only known by reading it). Means of distributions; see scenarios/README.md ("Run size").
struct RunEstimate {
  double tasks = 0;            // synthetic tasks submitted over the run
  double peak_live_tasks = 0;  // tasks pending or running at once, at worst
  int64_t agents = 0;          // agents of the scenario's groups
  double peak_mib = 0;         // memory those live tasks and agents take
};
RunEstimate EstimateRunSize(const models::ScenarioSpec& spec);

// Thresholds of CheckRunSize (documented in scenarios/README.md, "Run size").
inline constexpr double kWarnTasks = 2e7;
inline constexpr double kWarnLiveTasks = 1e7;
inline constexpr double kWarnPeakMiB = 4096;
// What one live task and one agent cost in memory, measured (scenarios/README.md).
inline constexpr double kBytesPerLiveTask = 520;
inline constexpr double kBytesPerAgent = 2048;

}  // namespace clustersim::apps
