#pragma once

// Offer constraints as Mesos 1.11 has them (include/mesos/scheduler/scheduler.proto:248-470,
// src/master/allocator/mesos/offer_constraints_filter.cpp = OCF): per framework role, groups of
// predicates on agent attributes; an agent is excluded for the role unless every predicate of
// some group holds. The allocator asks before anything else about a (framework, role, agent)
// (hierarchical.cpp:2181-2185 and 2416-2420): an excluded agent is skipped with no offer, no
// decline and no filter.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/spec.h"
#include "scheduler_plugins/api/cluster_view.h"
#include "sim/status.h"

namespace re2 {
class RE2;
}

namespace clustersim::models {

// Mesos's defaults for --offer_constraints_re2_max_mem and
// --offer_constraints_re2_max_program_size (constants.hpp:189-190; applied in OCF:50-69).
inline constexpr int64_t kRe2MaxMemBytes = 4096;
inline constexpr int kRe2MaxProgramSize = 100;

// Ok if `regex` compiles in RE2 within Mesos's default limits; otherwise why not, worded as
// Mesos's master words it (OCF:55-66).
sim::Status CheckConstraintRegex(const std::string& regex);

// Is the attribute value TEXT in Mesos's eyes? An agent's `--attributes=k:v` value is parsed by
// Attributes::parse (common/attributes.cpp:125-155, values.cpp:676-770): `[...]` is RANGES, a
// finite non-negative number SCALAR, anything else TEXT. The four text predicates hold for every
// non-TEXT attribute (scheduler.proto:286-311, OCF:183-232).
bool AttributeIsText(std::string_view value);

// The compiled constraints of one framework, by role. Cheap to move; regexes are shared.
class OfferConstraintsFilter {
 public:
  OfferConstraintsFilter() = default;  // no constraints: no agent excluded

  // Precondition: the constraints were validated (CheckConstraintRegex, non-empty groups); a
  // regex that does not compile here is a broken invariant.
  static OfferConstraintsFilter Create(const std::vector<RoleOfferConstraints>& constraints);

  bool empty() const { return roles_.empty(); }
  // OCF:357-382: a role without constraints sees every agent; otherwise the agent is excluded
  // unless some group's predicates all hold, groups and predicates in the given order.
  // O(predicates x attributes), regex matches included: ask once per agent, not per cycle.
  bool IsAgentExcluded(std::string_view role, const plugins::AgentInfo& agent) const;

 private:
  struct Predicate {
    AttributeConstraintSpec spec;
    std::shared_ptr<const re2::RE2> regex;  // kTextMatches, kTextNotMatches
  };
  struct Role {
    std::string name;
    std::vector<std::vector<Predicate>> groups;
  };
  static bool Holds(const Predicate& p, const plugins::AgentInfo& agent);

  std::vector<Role> roles_;
};

// Which agents a framework may be offered at all, fixed when it registers (Mesos: SUBSCRIBE's
// offer_constraints and capabilities).
struct AgentAccess {
  OfferConstraintsFilter constraints;  // by role; empty: every agent
  bool gpu_resources = false;          // the GPU_RESOURCES capability
};

}  // namespace clustersim::models
