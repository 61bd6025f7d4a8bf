#pragma once

// Typed readers the scenario's sections share: optional keys of a mapping, resource vectors,
// attributes, OS names, role paths and policy choices. Each error points at the offending value
// (file:line:col, key path, the expected form).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "apps/config/distribution_spec.h"
#include "apps/config/ranges.h"
#include "apps/config/yaml_value.h"
#include "apps/scenario.h"
#include "scheduler_plugins/api/os.h"
#include "scheduler_plugins/api/resources.h"
#include "sim/distribution.h"
#include "sim/status.h"
#include "sim/time.h"

namespace clustersim::apps {

// --- Optional keys: each leaves `out` untouched when the key is absent. --------------------------

sim::Status ReadDuration(YamlMap& m, std::string_view key, sim::Time& out);
sim::Status ReadDurationKey(YamlMap& m, std::string_view key, DurationRange range, sim::Time& out);
sim::Status ReadDouble(YamlMap& m, std::string_view key, double& out, double min, double max);
// A size up to kMaxResourceAmount MiB.
sim::Status ReadSize(YamlMap& m, std::string_view key, double& out);
sim::Status ReadBool(YamlMap& m, std::string_view key, bool& out);
sim::Status ReadDistribution(YamlMap& m, std::string_view key, Quantity q, sim::Distribution& out);

template <typename Int>
sim::Status ReadInt(YamlMap& m, std::string_view key, Int& out, int64_t min, int64_t max) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(const int64_t x, v->AsInt(min, max));
    out = static_cast<Int>(x);
  }
  return sim::Status::Ok();
}

// --- Values
// ---------------------------------------------------------------------------------------

// {cpus: 4, mem: 16GiB, disk: 100GiB, gpus: 0, <named scalar>: n}
sim::Result<plugins::Resources> ParseResources(const YamlValue& value);

// {key: value, ...}, sorted by key.
sim::Result<std::vector<std::pair<std::string, std::string>>> ParseAttributes(
    const YamlValue& value);

// `linux` or `windows`.
sim::Result<plugins::Os> ParseOs(const YamlValue& value);

// A Windows release: ltsc2016, ltsc2019 or ltsc2022.
sim::Result<plugins::OsVersion> ParseWindowsVersion(const YamlValue& value);

// A role path as Mesos accepts it (common/roles.cpp validate): `/`-separated components, none
// empty, `.` or `..`, no leading or trailing `/`. Roles form a tree by these paths.
sim::Status CheckRolePath(const YamlValue& where, std::string_view role);

// A policy by name (`drf`) or as a mapping with its parameters (`{name: drf, ...}`,
// `{external: [...]}`), one of `names`; `kind` ("allocator", "placement") names it in errors.
sim::Result<PolicyChoice> ParsePolicyChoice(const YamlValue& value,
                                            const std::vector<std::string>& names,
                                            std::string_view kind);

}  // namespace clustersim::apps
