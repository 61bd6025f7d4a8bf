#include "models/master/offer_constraints.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "sim/check.h"

namespace clustersim::models {
namespace {

using Kind = AttributeConstraintSpec::Predicate;

// OCF:50-69: RE2 with max_mem and Quiet (no logging of bad patterns), then the program size.
sim::Result<std::shared_ptr<const re2::RE2>> CompileRegex(const std::string& regex) {
  re2::RE2::Options options(re2::RE2::Quiet);
  options.set_max_mem(kRe2MaxMemBytes);
  auto re2 = std::make_shared<const re2::RE2>(regex, options);
  if (!re2->ok()) {
    return sim::Status::Error(
        fmt::format("cannot compile regex '{}' in RE2: {}", regex, re2->error()));
  }
  if (re2->ProgramSize() > kRe2MaxProgramSize) {
    return sim::Status::Error(
        fmt::format("regex '{}' is too complex: RE2 program size {} is above Mesos's limit of {} "
                    "(--offer_constraints_re2_max_program_size)",
                    regex, re2->ProgramSize(), kRe2MaxProgramSize));
  }
  return std::shared_ptr<const re2::RE2>(std::move(re2));
}

bool IsRegex(Kind k) { return k == Kind::kTextMatches || k == Kind::kTextNotMatches; }

// Mesos's numify<double> (stout/numify.hpp) reads hexadecimal too.
bool ParsesAsNumber(std::string_view s, double& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto format = std::chars_format::general;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    format = std::chars_format::hex;
  }
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, out, format);
  return !s.empty() && ec == std::errc() && ptr == end;
}

}  // namespace

sim::Status CheckConstraintRegex(const std::string& regex) { return CompileRegex(regex).status(); }

bool AttributeIsText(std::string_view value) {
  std::string text(value);
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());  // values.cpp:681
  if (!text.empty() && text.front() == '[') return false;              // RANGES
  double number = 0;
  if (!ParsesAsNumber(text, number)) return true;
  // values.cpp:737-757: infinite, NaN and negative numbers stay text.
  return !std::isfinite(number) || number < 0;
}

OfferConstraintsFilter OfferConstraintsFilter::Create(
    const std::vector<RoleOfferConstraints>& constraints) {
  OfferConstraintsFilter filter;
  for (const RoleOfferConstraints& role : constraints) {
    SIM_CHECK_MSG(!role.groups.empty(), "a role's offer constraints without a group");
    Role& compiled = filter.roles_.emplace_back();
    compiled.name = role.role;
    for (const auto& group : role.groups) {
      SIM_CHECK_MSG(!group.empty(), "an empty group of offer constraints");
      auto& predicates = compiled.groups.emplace_back();
      for (const AttributeConstraintSpec& spec : group) {
        Predicate p{spec, nullptr};
        if (IsRegex(spec.predicate)) {
          auto regex = CompileRegex(spec.value);
          SIM_CHECK_MSG(regex.ok(), "an offer-constraint regex that was not validated");
          p.regex = std::move(*regex);
        }
        predicates.push_back(std::move(p));
      }
    }
  }
  return filter;
}

bool OfferConstraintsFilter::IsAgentExcluded(std::string_view role,
                                             const plugins::AgentInfo& agent) const {
  const auto it =
      std::find_if(roles_.begin(), roles_.end(), [&](const Role& r) { return r.name == role; });
  if (it == roles_.end()) return false;
  return std::none_of(it->groups.begin(), it->groups.end(), [&](const auto& group) {
    return std::all_of(group.begin(), group.end(),
                       [&](const Predicate& p) { return Holds(p, agent); });
  });
}

// OCF:169-233 for a named attribute: (missing, TEXT, non-TEXT). AgentInfo::Attribute returns the
// first attribute of that name, as Mesos's selector does (scheduler.proto:261-264).
bool OfferConstraintsFilter::Holds(const Predicate& p, const plugins::AgentInfo& agent) {
  const std::string* value = agent.Attribute(p.spec.attribute);
  switch (p.spec.predicate) {
    case Kind::kExists:
      return value != nullptr;
    case Kind::kNotExists:
      return value == nullptr;
    default:
      break;
  }
  const bool negated =
      p.spec.predicate == Kind::kTextNotEquals || p.spec.predicate == Kind::kTextNotMatches;
  if (value == nullptr) return negated;
  if (!AttributeIsText(*value)) return true;
  const bool match =
      IsRegex(p.spec.predicate) ? re2::RE2::FullMatch(*value, *p.regex) : *value == p.spec.value;
  return match != negated;
}

}  // namespace clustersim::models
