#include "apps/scenario/agent_access.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "models/master/offer_constraints.h"

namespace clustersim::apps {
namespace {

using models::AttributeConstraintSpec;
using Kind = AttributeConstraintSpec::Predicate;
using sim::Result;
using sim::Status;

// The YAML names of Mesos's six predicates (scheduler.proto:379-388).
constexpr std::array<std::pair<std::string_view, Kind>, 6> kPredicates = {{
    {"exists", Kind::kExists},
    {"not_exists", Kind::kNotExists},
    {"equals", Kind::kTextEquals},
    {"not_equals", Kind::kTextNotEquals},
    {"matches", Kind::kTextMatches},
    {"not_matches", Kind::kTextNotMatches},
}};
constexpr std::string_view kPredicateList =
    "exists, not_exists, equals, not_equals, matches, not_matches";

// `exists: true` / `not_exists: true` take no operand; false would read as its opposite, which
// the other key says plainly.
Status ReadOperand(const YamlValue& v, AttributeConstraintSpec& c) {
  if (c.predicate == Kind::kExists || c.predicate == Kind::kNotExists) {
    SIM_ASSIGN_OR_RETURN(const bool yes, v.AsBool());
    if (!yes) return v.Error("true (for the opposite, use the other of exists / not_exists)");
    return Status::Ok();
  }
  SIM_ASSIGN_OR_RETURN(c.value, v.AsString());
  if (c.predicate == Kind::kTextMatches || c.predicate == Kind::kTextNotMatches) {
    if (Status s = models::CheckConstraintRegex(c.value); !s.ok()) return v.Fail(s.message());
  }
  return Status::Ok();
}

// {attribute: NAME, PREDICATE: OPERAND}, exactly one predicate.
Result<AttributeConstraintSpec> ParsePredicate(const YamlValue& item) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, item.AsMap());
  AttributeConstraintSpec c;
  SIM_ASSIGN_OR_RETURN(YamlValue name, m.Required("attribute"));
  SIM_ASSIGN_OR_RETURN(c.attribute, name.AsString());
  std::optional<YamlValue> operand;
  for (const auto& [key, kind] : kPredicates) {
    std::optional<YamlValue> v = m.Optional(key);
    if (!v) continue;
    if (operand) return v->Fail("one predicate per entry; this one has two");
    c.predicate = kind;
    operand.emplace(std::move(*v));
  }
  SIM_RETURN_IF_ERROR(m.Finish());  // an unknown key (a misspelt predicate) is reported first
  if (!operand) return item.Fail(fmt::format("a predicate is missing: one of {}", kPredicateList));
  SIM_RETURN_IF_ERROR(ReadOperand(*operand, c));
  return c;
}

// [[p, p], [p]]: groups (OR) of predicates (AND). Mesos refuses an empty list of groups and an
// empty group (offer_constraints_filter.cpp:400-419).
Result<std::vector<std::vector<AttributeConstraintSpec>>> ParseGroups(const YamlValue& value) {
  constexpr std::string_view kForm =
      "a list of groups, each a list of predicates ([[{attribute: os, equals: linux}]])";
  if (!value.IsSequence() || value.size() == 0) return value.Error(kForm);
  SIM_ASSIGN_OR_RETURN(auto groups, value.Elements());
  std::vector<std::vector<AttributeConstraintSpec>> out;
  for (const YamlValue& group : groups) {
    if (!group.IsSequence() || group.size() == 0) {
      return group.Error("a group: a non-empty list of predicates, all of which must hold");
    }
    SIM_ASSIGN_OR_RETURN(auto predicates, group.Elements());
    auto& parsed = out.emplace_back();
    for (const YamlValue& p : predicates) {
      SIM_ASSIGN_OR_RETURN(AttributeConstraintSpec c, ParsePredicate(p));
      parsed.push_back(std::move(c));
    }
  }
  return out;
}

// A list applies to every role of the framework; a mapping names roles, each of which must be
// the framework's (Mesos does not check, MESOS-10176 at master.cpp:2680; a constraint for a role
// the framework lacks can only be a slip).
Status ParseOfferConstraints(const YamlValue& value, models::FrameworkSpec& f) {
  if (!value.IsMap()) {
    SIM_ASSIGN_OR_RETURN(auto groups, ParseGroups(value));
    for (const std::string& role : f.Roles()) f.offer_constraints.push_back({role, groups});
    return Status::Ok();
  }
  SIM_ASSIGN_OR_RETURN(auto entries, value.Entries());
  const std::vector<std::string> roles = f.Roles();
  for (auto& [role, groups_value] : entries) {
    if (std::find(roles.begin(), roles.end(), role) == roles.end()) {
      return groups_value.Fail(fmt::format("'{}' is not a role of framework '{}' (its {}: {})",
                                           role, f.name, roles.size() == 1 ? "role" : "roles",
                                           fmt::join(roles, ", ")));
    }
    SIM_ASSIGN_OR_RETURN(auto groups, ParseGroups(groups_value));
    f.offer_constraints.push_back({role, std::move(groups)});
  }
  return Status::Ok();
}

Status ParseCapabilities(const YamlValue& value, models::FrameworkSpec& f) {
  SIM_ASSIGN_OR_RETURN(auto items, value.Elements());
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(const std::string name, item.AsEnum({"gpu_resources"}));
    if (name == "gpu_resources") f.gpu_resources = true;
  }
  return Status::Ok();
}

}  // namespace

Status ParseAgentAccess(YamlMap& framework, models::FrameworkSpec& f) {
  if (auto v = framework.Optional("offer_constraints")) {
    SIM_RETURN_IF_ERROR(ParseOfferConstraints(*v, f));
  }
  if (auto v = framework.Optional("capabilities")) SIM_RETURN_IF_ERROR(ParseCapabilities(*v, f));
  return Status::Ok();
}

}  // namespace clustersim::apps
