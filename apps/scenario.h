#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apps/config/yaml_value.h"
#include "models/spec.h"
#include "scheduler_plugins/api/allocator_policy.h"
#include "scheduler_plugins/api/placement_policy.h"
#include "sim/random.h"
#include "sim/status.h"

namespace clustersim::apps {

// A policy named in the scenario, with the YAML of its own parameters (if any) so that each run
// can build a fresh instance and the policy can validate what it was given.
struct PolicyChoice {
  std::string name;
  std::optional<YamlValue> params;  // the policy's mapping: {name: drf, <its params>}
};

// Seeds per cell, however given (compare.seeds, a sweep's seeds:, --seeds): one bound, so that a
// number accepted in one place is accepted in all.
inline constexpr int kMaxSeedsPerCell = 100'000;

// The scenario's `compare:` block: what `clustersim compare SCENARIO` runs with no flags.
struct CompareSpec {
  std::vector<std::string> allocators;
  std::vector<std::string> placements;
  int seeds = 0;
};

// A loaded and validated scenario: the plain spec the models run on, plus the policy choices.
struct Scenario {
  models::ScenarioSpec spec;
  PolicyChoice allocator;
  std::vector<PolicyChoice> placements;  // one per framework
  CompareSpec compare;
  std::string source_name;
  std::string text;  // the document as loaded, overrides applied (hashed into summary.json)
};

// A scenario's or sweep's `name`, which names an output folder: letters, digits, '.', '_' and
// '-', not "." or "..".
sim::Status CheckOutputName(const YamlValue& where, const std::string& name);

// Validates every key (unknown keys, types, ranges, units, cross-references) and returns the
// first error as "file:line:col: key.path: expected ..., got ...". Precondition: the built-in
// policies are registered (plugins::RegisterBuiltinPolicies).
sim::Result<Scenario> LoadScenario(const YamlDocument& doc);

// How long the run lasts, as far as the scenario tells: a trace's own duration ends it (every
// format), else the top-level one. A recorded replay without trace.duration ends at its last
// event, which only the opened trace knows (TraceSource::RunEnd; the runner checks it).
sim::Time RunLength(const models::ScenarioSpec& spec);

// Builds the policies for one run. Each gets its own seeded stream derived from `streams`.
sim::Result<std::unique_ptr<plugins::AllocatorPolicy>> BuildAllocator(
    const Scenario& scenario, const sim::RandomStreams& streams);
sim::Result<std::vector<std::unique_ptr<plugins::PlacementPolicy>>> BuildPlacements(
    const Scenario& scenario, const sim::RandomStreams& streams);

}  // namespace clustersim::apps
