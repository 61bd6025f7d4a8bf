#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "models/spec.h"
#include "sim/status.h"

// trace.map_to_frameworks: which of the scenario's frameworks takes a trace job. One place for
// every trace format, so that a rule means the same thing whichever format feeds it.
namespace clustersim::models {

// What a job tells of itself, for the rules. A field the row leaves empty is missing.
struct TraceJobKeys {
  std::string_view user;  // a name or hash (Google, CSV)
  // A numeric user id (SWF): when set, it is used instead of `user`; ids <= 0 (unknown) map to
  // the first framework.
  std::optional<int64_t> user_id;
  int scheduling_class = -1;  // < 0: missing (class 0)
  int priority = -1;          // < 0: missing (the lowest band)
};

// The framework index in [0, frameworks) for a job under `map` (frameworks > 0):
//   all: 0;
//   user: FNV-1a of the user string modulo frameworks (a numeric id: id modulo frameworks);
//   scheduling_class: min(class, frameworks - 1);
//   priority_band: the band of the priority among map.priority_edges, capped at frameworks - 1.
uint32_t MapToFramework(const FrameworkMapping& map, size_t frameworks, const TraceJobKeys& keys);

// Whether the trace's format has the field the rule reads (its registry entry's check_mapping,
// trace_format.h): google2011 every rule; swf all and user; csv all, plus user, scheduling_class
// and priority_band when trace.columns names a user, scheduling_class or priority column;
// alibaba2018 and alibaba2017 only all. The error names the rules the format does support.
sim::Status CheckMappingFits(const TraceSpec& trace);

// For a format's check_mapping: Ok if trace.map.by is among `rules`, else an error naming the
// format, what its rows lack (`lacks`) and the rules it supports.
sim::Status CheckMappingRules(const TraceSpec& trace,
                              std::initializer_list<FrameworkMapping::By> rules,
                              std::string_view lacks);

std::string_view MappingRuleName(FrameworkMapping::By by);
// "all, user, ...".
std::string MappingRuleNames(std::initializer_list<FrameworkMapping::By> rules);

}  // namespace clustersim::models
