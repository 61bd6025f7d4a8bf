#pragma once

// Command-line overrides of scenario values: `--set PATH=VALUE`.
//
// PATH uses dots for mapping keys and [i] for list indices: `seed`, `master.allocation_interval`,
// `frameworks[1].workload.rate`, `cluster.groups[0].resources`. VALUE is parsed as YAML, so
// `--set seed=7`, `--set os=windows` and `--set cluster.groups[0].resources={cpus: 4, mem: 8GiB}`
// all work. Values read from an overridden node report the flag as their location:
//   --set frameworks[1].workload.rate=fast: frameworks[1].workload.rate: expected a rate like ...

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "apps/config/yaml_value.h"
#include "sim/status.h"

namespace clustersim::apps {

// One step of a key path: a mapping key, a list index, or a list element selected by one of its
// keys (`[name=service]`: the element whose `name` is `service`, as summary paths address lists).
struct PathElement {
  enum class Kind { kKey, kIndex, kSelect };

  static PathElement Key(std::string key) { return {Kind::kKey, std::move(key), 0, ""}; }
  static PathElement Index(size_t index) { return {Kind::kIndex, "", index, ""}; }
  static PathElement Select(std::string key, std::string value) {
    return {Kind::kSelect, std::move(key), 0, std::move(value)};
  }
  bool is_key() const { return kind == Kind::kKey; }
  bool operator==(const PathElement&) const = default;

  Kind kind = Kind::kKey;
  std::string key;    // kKey; kSelect: the element's key compared
  size_t index = 0;   // kIndex only
  std::string value;  // kSelect only: the value that key must have
};

// Parses `a.b[1].c` and `frameworks[name=service].decision_time`. Keys are non-empty runs of any
// characters except . [ ] = and blanks; indices are decimal digits; a selection's value is any
// non-empty text without ] or blanks. A path may start with an index (`[0].name`). Errors name
// the path and the character position: "invalid key path 'a..b': empty key at position 3".
sim::Result<std::vector<PathElement>> ParseKeyPath(std::string_view path);

// The canonical text of a path, as ParseKeyPath reads it and YamlValue::path() prints it.
std::string FormatKeyPath(std::span<const PathElement> path);

// Applies one `PATH=VALUE` assignment (the text after `--set`) to `doc`. A `[key=value]` step
// picks the one element of its list that is a mapping with that key's scalar equal to the value
// (none or several: an error naming the values present); the override is then recorded under the
// element's index, as the scenario's own paths name it. Missing mapping keys
// are created, intermediate ones as mappings (`--set master.allocator=drf` on a scenario without
// `master:` creates the block; the scenario schema then checks every key), except a key within
// two edits of a present one, which is taken for a typo. List indices must be in range. A node
// shared through a YAML alias (*name) is copied into the slot being written first, so the
// aliased original keeps its value (the copied collections lose their own source positions;
// errors about them point at their parent). Errors start with "--set <assignment>: " and name the
// step that failed, e.g.
// "--set frameworks[5].count=1: frameworks: index 5 out of range (valid: 0..1)" or
// "--set mastr.x=1: no key 'mastr' (did you mean 'master'? keys: ...)". On error the document's
// values are unchanged.
sim::Status ApplyOverride(YamlDocument& doc, std::string_view assignment);

// Applies each assignment in order; stops at the first error.
sim::Status ApplyOverrides(YamlDocument& doc, std::span<const std::string> assignments);

}  // namespace clustersim::apps
