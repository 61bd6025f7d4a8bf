#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "scheduler_plugins/api/allocator_policy.h"
#include "scheduler_plugins/api/placement_policy.h"
#include "scheduler_plugins/api/policy_params.h"
#include "sim/status.h"

namespace clustersim::plugins {

// Policies by name. A duplicate name is an error; an unknown name is answered with the valid ones.
template <typename Policy>
class Registry {
 public:
  using Factory =
      std::function<sim::Result<std::unique_ptr<Policy>>(PolicyParams&, const PolicyEnv&)>;

  explicit Registry(std::string kind) : kind_(std::move(kind)) {}

  sim::Status Register(std::string name, std::string description, Factory factory) {
    if (name.empty()) return sim::Status::Error(kind_ + " policy name must not be empty");
    auto [it, inserted] =
        entries_.try_emplace(name, Entry{std::move(description), std::move(factory)});
    if (!inserted)
      return sim::Status::Error(kind_ + " policy '" + name + "' is already registered");
    return sim::Status::Ok();
  }

  bool Contains(std::string_view name) const {
    return entries_.find(std::string(name)) != entries_.end();
  }

  sim::Result<std::unique_ptr<Policy>> Create(std::string_view name, PolicyParams& params,
                                              const PolicyEnv& env) const {
    auto it = entries_.find(std::string(name));
    if (it == entries_.end()) {
      return sim::Status::Error("unknown " + kind_ + " policy '" + std::string(name) +
                                "' (valid: " + NamesJoined() + ")");
    }
    return it->second.factory(params, env);
  }

  // Sorted, so listings and error messages are stable.
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& [name, entry] : entries_) names.push_back(name);
    return names;
  }
  std::string NamesJoined() const {
    std::string out;
    for (const auto& [name, entry] : entries_) out += (out.empty() ? "" : ", ") + name;
    return out;
  }
  const std::string& Description(const std::string& name) const {
    return entries_.at(name).description;
  }

 private:
  struct Entry {
    std::string description;
    Factory factory;
  };
  std::string kind_;
  std::map<std::string, Entry> entries_;
};

using AllocatorRegistry = Registry<AllocatorPolicy>;
using PlacementRegistry = Registry<PlacementPolicy>;

// The process-wide registries the runner builds scenarios from (out-of-tree plugins add to them).
AllocatorRegistry& Allocators();
PlacementRegistry& Placements();

}  // namespace clustersim::plugins
