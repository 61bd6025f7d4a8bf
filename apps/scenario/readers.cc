#include "apps/scenario/readers.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "apps/config/units.h"
#include "apps/config/warnings.h"
#include "scheduler_plugins/api/resources.h"

namespace clustersim::apps {

using sim::Result;
using sim::Status;

Status ReadDuration(YamlMap& m, std::string_view key, sim::Time& out) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, v->AsDuration());
  }
  return Status::Ok();
}

Status ReadDouble(YamlMap& m, std::string_view key, double& out, double min, double max) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, v->AsDouble(min, max));
  }
  return Status::Ok();
}

Status ReadSize(YamlMap& m, std::string_view key, double& out) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, ReadBoundedSize(*v));
  }
  return Status::Ok();
}

Status ReadDurationKey(YamlMap& m, std::string_view key, DurationRange range, sim::Time& out) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, ReadDurationIn(*v, range));
  }
  return Status::Ok();
}

Status ReadBool(YamlMap& m, std::string_view key, bool& out) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, v->AsBool());
  }
  return Status::Ok();
}

Status ReadDistribution(YamlMap& m, std::string_view key, Quantity q, sim::Distribution& out) {
  if (auto v = m.Optional(key)) {
    SIM_ASSIGN_OR_RETURN(out, ParseDistribution(*v, q));
  }
  return Status::Ok();
}

Result<plugins::Resources> ParseResources(const YamlValue& value) {
  SIM_ASSIGN_OR_RETURN(auto entries, value.Entries());
  plugins::Resources r;
  for (auto& [name, v] : entries) {
    auto read = ReadResourceAmount(v, /*is_size=*/name == "mem" || name == "disk");
    if (!read.ok()) {
      // `memory: 8GiB`: a named scalar takes a plain number, but the name was meant as `mem`.
      if (const auto builtin = MeantBuiltin(name)) {
        return v.Fail(
            fmt::format("'{}' is no built-in resource (did you mean '{}'?); a named "
                        "scalar takes a plain number, got {}",
                        name, *builtin, v.Found()));
      }
      return read.status();
    }
    const double amount = *read;
    const int kind = plugins::ResourceKinds::FindOrAdd(name);
    if (kind < 0) {
      return v.Fail(
          fmt::format("too many resource kinds: at most {} named scalars besides "
                      "cpus, mem, disk, gpus",
                      plugins::kMaxResourceKinds - plugins::kBuiltinResourceKinds));
    }
    r.Set(kind, amount);
  }
  return r;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseAttributes(const YamlValue& value) {
  SIM_ASSIGN_OR_RETURN(auto entries, value.Entries());
  std::vector<std::pair<std::string, std::string>> attrs;
  for (auto& [k, v] : entries) {
    SIM_ASSIGN_OR_RETURN(std::string s, v.AsString());
    attrs.emplace_back(k, std::move(s));
  }
  std::sort(attrs.begin(), attrs.end());
  return attrs;
}

Result<PolicyChoice> ParsePolicyChoice(const YamlValue& value,
                                       const std::vector<std::string>& names,
                                       std::string_view kind) {
  PolicyChoice choice;
  // Never assign one YamlValue over another: yaml-cpp's Node assignment writes through the handle
  // and would replace the policy's mapping by its name.
  std::optional<YamlValue> name_in_map;
  if (value.IsMap()) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
    // {external: [program, args...], ...}: a policy in another process (issue 17).
    if ((m.Has("external") || m.Has("socket")) && !m.Has("name") &&
        std::find(names.begin(), names.end(), "external") != names.end()) {
      choice.name = "external";
      choice.params = value;
      return choice;
    }
    SIM_ASSIGN_OR_RETURN(YamlValue v, m.Required("name"));
    name_in_map.emplace(std::move(v));
    choice.params = value;
  }
  const YamlValue& name_value = name_in_map ? *name_in_map : value;
  SIM_ASSIGN_OR_RETURN(choice.name, name_value.AsString());
  if (std::find(names.begin(), names.end(), choice.name) == names.end()) {
    const std::optional<std::string> nearest = ClosestMatch(choice.name, names);
    return name_value.Fail(
        fmt::format("unknown {} policy '{}'{}; expected one of {}", kind, choice.name,
                    nearest ? fmt::format(" (did you mean '{}'?)", *nearest) : std::string(),
                    fmt::join(names, ", ")));
  }
  if (choice.name == "external" && !choice.params) {
    return value.Error("{external: [program, args...]}: an external policy needs its command");
  }
  return choice;
}

Status CheckRolePath(const YamlValue& where, std::string_view role) {
  if (role.empty()) return where.Fail("a role name must not be empty");
  for (size_t begin = 0; begin <= role.size();) {
    size_t end = role.find('/', begin);
    if (end == std::string_view::npos) end = role.size();
    const std::string_view part = role.substr(begin, end - begin);
    if (part.empty() || part == "." || part == "..") {
      return where.Fail(fmt::format(
          "role '{}': path components must be non-empty and not '.' or '..' (Mesos role rules)",
          role));
    }
    begin = end + 1;
  }
  return Status::Ok();
}

Result<plugins::Os> ParseOs(const YamlValue& value) {
  return value.AsEnum<plugins::Os>(
      {{"linux", plugins::Os::kLinux}, {"windows", plugins::Os::kWindows}});
}

Result<plugins::OsVersion> ParseWindowsVersion(const YamlValue& value) {
  return value.AsEnum<plugins::OsVersion>({{"ltsc2016", plugins::OsVersion::kLtsc2016},
                                           {"ltsc2019", plugins::OsVersion::kLtsc2019},
                                           {"ltsc2022", plugins::OsVersion::kLtsc2022}});
}

}  // namespace clustersim::apps
