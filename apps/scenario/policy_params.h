#pragma once

// A policy's YAML mapping as the plugin API's PolicyParams, and building a policy from the
// scenario's choice through its registry (the policy validates its own parameters; keys nobody
// read are errors).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/config/yaml_value.h"
#include "apps/scenario.h"
#include "scheduler_plugins/api/policy_params.h"
#include "scheduler_plugins/api/registry.h"
#include "sim/random.h"
#include "sim/status.h"

namespace clustersim::apps {

class YamlPolicyParams final : public plugins::PolicyParams {
 public:
  // `top`: the policy's own entry, whose `name` key is the policy's name, not a parameter.
  explicit YamlPolicyParams(std::optional<YamlMap> map, bool top = true);

  sim::Result<double> Number(std::string_view key, double default_value, double min,
                             double max) override;
  sim::Result<std::string> String(std::string_view key, std::string default_value) override;
  sim::Status Error(std::string_view key, std::string_view expected) const override;
  sim::Result<plugins::PolicyParams*> Map(std::string_view key) override;
  std::vector<std::string> Keys() const override;
  sim::Result<plugins::Resources> ResourceVector(std::string_view key,
                                                 plugins::Resources default_value) override;
  // A command: a list [program, arg, ...] or one string split as a shell would.
  sim::Result<std::vector<std::string>> Strings(std::string_view key,
                                                std::vector<std::string> default_value) override;
  sim::Result<sim::Time> Duration(std::string_view key, sim::Time default_value,
                                  sim::Time min) override;
  uint32_t ResourceKindsNamed(std::string_view key) const override;

  // Rejects keys nobody read, here and in every nested mapping handed out.
  sim::Status Finish() const;
  // Rejects keys nobody read in the nested mappings handed out only (for a mapping whose own
  // keys another reader checks).
  sim::Status FinishNested() const;

 private:
  std::optional<YamlMap> map_;
  std::vector<std::unique_ptr<YamlPolicyParams>> children_;
};

// Builds `choice` from `registry` with its own stream; `owner` names the framework a placement
// serves.
template <typename Policy, typename Registry>
sim::Result<std::unique_ptr<Policy>> BuildPolicy(const Registry& registry,
                                                 const PolicyChoice& choice, sim::Rng rng,
                                                 std::string owner = {}) {
  std::optional<YamlMap> map;
  if (choice.params) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, choice.params->AsMap());
    map = std::move(m);
  }
  YamlPolicyParams params(std::move(map));
  plugins::PolicyEnv env{rng, std::move(owner)};
  SIM_ASSIGN_OR_RETURN(std::unique_ptr<Policy> policy, registry.Create(choice.name, params, env));
  SIM_RETURN_IF_ERROR(params.Finish());
  return policy;
}

}  // namespace clustersim::apps
