#include "apps/scenario/policy_params.h"

#include <fmt/format.h>

#include "apps/config/command_line.h"
#include "apps/scenario/readers.h"

namespace clustersim::apps {

using sim::Result;
using sim::Status;

YamlPolicyParams::YamlPolicyParams(std::optional<YamlMap> map, bool top) : map_(std::move(map)) {
  if (map_ && top) map_->Optional("name");
}

Result<double> YamlPolicyParams::Number(std::string_view key, double default_value, double min,
                                        double max) {
  if (!map_) return default_value;
  auto v = map_->Optional(key);
  if (!v) return default_value;
  return v->AsDouble(min, max);
}

Result<std::string> YamlPolicyParams::String(std::string_view key, std::string default_value) {
  if (!map_) return default_value;
  auto v = map_->Optional(key);
  if (!v) return default_value;
  return v->AsString();
}

Status YamlPolicyParams::Error(std::string_view key, std::string_view expected) const {
  if (map_) return map_->value().Child(key).Error(expected);
  return Status::Error(fmt::format("{}: expected {}", key, expected));
}

Result<plugins::PolicyParams*> YamlPolicyParams::Map(std::string_view key) {
  if (!map_) return static_cast<plugins::PolicyParams*>(nullptr);
  auto v = map_->Optional(key);
  if (!v) return static_cast<plugins::PolicyParams*>(nullptr);
  if (!v->IsMap()) return v->Error("a mapping");
  SIM_ASSIGN_OR_RETURN(YamlMap m, v->AsMap());
  children_.push_back(std::make_unique<YamlPolicyParams>(std::move(m), /*top=*/false));
  return static_cast<plugins::PolicyParams*>(children_.back().get());
}

std::vector<std::string> YamlPolicyParams::Keys() const {
  std::vector<std::string> keys;
  if (!map_) return keys;
  auto entries = map_->value().Entries();
  if (!entries.ok()) return keys;
  for (const auto& [k, v] : *entries) keys.push_back(k);
  return keys;
}

Result<plugins::Resources> YamlPolicyParams::ResourceVector(std::string_view key,
                                                            plugins::Resources default_value) {
  if (!map_) return default_value;
  auto v = map_->Optional(key);
  if (!v) return default_value;
  return ParseResources(*v);
}

Result<std::vector<std::string>> YamlPolicyParams::Strings(std::string_view key,
                                                           std::vector<std::string> default_value) {
  if (!map_) return default_value;
  auto v = map_->Optional(key);
  if (!v) return default_value;
  if (!v->IsSequence()) {
    SIM_ASSIGN_OR_RETURN(const std::string line, v->AsString());
    auto words = SplitCommandLine(line);
    if (!words.ok()) return v->Error("a command: a list [program, arg, ...] or one string");
    return words;
  }
  SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
  std::vector<std::string> out;
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(std::string word, item.AsString());
    out.push_back(std::move(word));
  }
  if (out.empty()) return v->Error("a command: a list [program, arg, ...] or one string");
  return out;
}

Result<sim::Time> YamlPolicyParams::Duration(std::string_view key, sim::Time default_value,
                                             sim::Time min) {
  if (!map_) return default_value;
  auto v = map_->Optional(key);
  if (!v) return default_value;
  return ReadDurationIn(*v, {.min = min});
}

uint32_t YamlPolicyParams::ResourceKindsNamed(std::string_view key) const {
  if (!map_) return 0;
  auto entries = map_->value().Child(key).Entries();
  if (!entries.ok()) return 0;
  uint32_t kinds = 0;
  for (const auto& [name, v] : *entries) {
    const int kind = plugins::ResourceKinds::Find(name);
    if (kind >= 0) kinds |= 1u << kind;
  }
  return kinds;
}

Status YamlPolicyParams::Finish() const {
  if (map_) SIM_RETURN_IF_ERROR(map_->Finish());
  return FinishNested();
}

Status YamlPolicyParams::FinishNested() const {
  for (const auto& child : children_) SIM_RETURN_IF_ERROR(child->Finish());
  return Status::Ok();
}

}  // namespace clustersim::apps
