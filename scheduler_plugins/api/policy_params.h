#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler_plugins/api/resources.h"
#include "sim/random.h"
#include "sim/status.h"
#include "sim/time.h"

namespace clustersim::plugins {

// A policy's own parameters, as written under its entry in the scenario. Each factory reads what it
// needs and the runner then rejects any key the policy did not read, with file:line:col — so a
// policy validates its own arguments without depending on the YAML library.
class PolicyParams {
 public:
  virtual ~PolicyParams() = default;
  // Error if present but not a number, or outside [min, max].
  virtual sim::Result<double> Number(std::string_view key, double default_value, double min,
                                     double max) = 0;
  virtual sim::Result<std::string> String(std::string_view key, std::string default_value) = 0;
  // An error that names the parameter's position in the scenario.
  virtual sim::Status Error(std::string_view key, std::string_view expected) const = 0;

  // --- Nested parameters (API version 2; the defaults describe an empty parameter set) ---------
  // The mapping under `key` as a parameter set of its own, or nullptr when `key` is absent. Error
  // if present but not a mapping. The result is owned by this object and lives as long as it; its
  // keys are checked like top-level ones (a key the policy never read is an error).
  virtual sim::Result<PolicyParams*> Map(std::string_view key) { return nullptr; }
  // This mapping's keys in source order, for mappings whose keys are data (role names, say)
  // rather than a fixed schema. Listing does not count as reading them.
  virtual std::vector<std::string> Keys() const { return {}; }
  // A resource vector written as {cpus: 4, mem: 8GiB, disk: 10GiB, gpus: 1, <scalar>: n}: mem and
  // disk take sizes, the rest plain non-negative numbers. `default_value` when absent.
  virtual sim::Result<Resources> ResourceVector(std::string_view key, Resources default_value) {
    return default_value;
  }
  // Which resource kinds the vector under `key` names (bit k set for kind k), 0 when absent. For
  // parameters where an unnamed kind means "no bound" rather than zero (quota limits).
  virtual uint32_t ResourceKindsNamed(std::string_view key) const { return 0; }

  // --- API version 8 (defaults describe an empty parameter set) --------------------------------
  // A list of strings, or one string split into words as a shell would (quotes and backslashes;
  // no expansion, no shell): a command line. `default_value` when absent.
  virtual sim::Result<std::vector<std::string>> Strings(std::string_view key,
                                                        std::vector<std::string> default_value) {
    return default_value;
  }
  // A duration written with its unit (250ms, 5s, 2h), at least `min`. `default_value` when absent.
  virtual sim::Result<sim::Time> Duration(std::string_view key, sim::Time default_value,
                                          sim::Time min) {
    return default_value;
  }
};

// An empty parameter set (for tests and policies built from code).
class NoPolicyParams final : public PolicyParams {
 public:
  sim::Result<double> Number(std::string_view, double d, double, double) override { return d; }
  sim::Result<std::string> String(std::string_view, std::string d) override { return d; }
  sim::Status Error(std::string_view key, std::string_view expected) const override {
    return sim::Status::Error(std::string(key) + ": expected " + std::string(expected));
  }
};

// What a policy receives when it is built.
struct PolicyEnv {
  // The policy's own seeded stream; policies must draw randomness from nowhere else.
  sim::Rng rng{0};
  // The framework a placement policy places for; empty for the allocator. (API version 8.)
  std::string owner;
};

}  // namespace clustersim::plugins
