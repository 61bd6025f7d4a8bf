#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sim/random.h"
#include "sim/status.h"

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
};

}  // namespace clustersim::plugins
