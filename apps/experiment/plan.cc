#include "apps/experiment/plan.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <optional>
#include <string_view>

#include "apps/config/overrides.h"
#include "apps/config/warnings.h"
#include "apps/config/yaml_value.h"
#include "apps/scenario.h"

namespace clustersim::apps {

size_t CellCount(const ExperimentPlan& plan) {
  size_t cells = 1;
  for (const Axis& a : plan.axes) cells *= a.values.size();
  return cells;
}

std::vector<size_t> CellCoordinates(const ExperimentPlan& plan, size_t cell) {
  std::vector<size_t> idx(plan.axes.size());
  for (size_t a = plan.axes.size(); a-- > 0;) {
    idx[a] = cell % plan.axes[a].values.size();
    cell /= plan.axes[a].values.size();
  }
  return idx;
}

std::vector<std::string> CellLabels(const ExperimentPlan& plan, size_t cell) {
  const auto idx = CellCoordinates(plan, cell);
  std::vector<std::string> labels;
  for (size_t a = 0; a < plan.axes.size(); ++a) labels.push_back(plan.axes[a].labels[idx[a]]);
  return labels;
}

std::vector<std::string> CellOverrides(const ExperimentPlan& plan, size_t cell) {
  std::vector<std::string> o = plan.base_overrides;
  const auto idx = CellCoordinates(plan, cell);
  for (size_t a = 0; a < plan.axes.size(); ++a) {
    for (size_t p = 0; p < plan.axes[a].paths.size(); ++p) {
      o.push_back(plan.axes[a].paths[p] + "=" + plan.axes[a].values[idx[a]][p]);
    }
  }
  return o;
}

namespace {

// One of a cell's assignments, where it was given (empty: unknown) and, for an axis read from
// a sweep file, its path alone and where that was given.
struct Assignment {
  std::string text;  // PATH=VALUE
  std::string origin;
  std::string path;
  std::string path_origin;
};

std::vector<Assignment> CellAssignments(const ExperimentPlan& plan, size_t cell) {
  std::vector<Assignment> out;
  for (size_t i = 0; i < plan.base_overrides.size(); ++i) {
    out.push_back({plan.base_overrides[i],
                   i < plan.base_override_origins.size() ? plan.base_override_origins[i] : "", "",
                   ""});
  }
  const auto idx = CellCoordinates(plan, cell);
  for (size_t a = 0; a < plan.axes.size(); ++a) {
    const Axis& axis = plan.axes[a];
    const std::string origin = idx[a] < axis.origins.size() ? axis.origins[idx[a]] : "";
    for (size_t p = 0; p < axis.paths.size(); ++p) {
      out.push_back({axis.paths[p] + "=" + axis.values[idx[a]][p], origin, axis.paths[p],
                     p < axis.path_origins.size() ? axis.path_origins[p] : ""});
    }
  }
  return out;
}

// Whether `path` is `prefix` or lies below it (both as ParseKeyPath reads them).
bool PathStartsWith(const std::string& path, const std::string& prefix) {
  const auto p = ParseKeyPath(path);
  const auto q = ParseKeyPath(prefix);
  return p.ok() && q.ok() && q->size() <= p->size() && std::equal(q->begin(), q->end(), p->begin());
}

// Whether an error about assignment `a` (its message after "--set PATH=VALUE: ") is about the
// path whatever the value: every error of applying a sweep-file value is (the value is YAML the
// sweep file parsed), and so is an unknown key on the path.
bool IsAboutPath(const Assignment& a, std::string_view message, bool applying) {
  if (a.path_origin.empty()) return false;
  if (applying) return true;
  const std::optional<std::string> unknown = YamlMap::UnknownKeyPath(message);
  return unknown && PathStartsWith(a.path, *unknown);
}

// An error located at "--set A=V" whose assignment came from the sweep file or a compare flag is
// located there instead (at the axis's path if the error is about the path): the user never
// typed that --set. Any other error (at the base scenario's key, e.g. a workload too large for the
// duration an axis set) says which cell it is and where the cell's assignments were given: the
// base alone may be fine. `applying`: the error came from applying the assignments, not from
// reading the scenario they made.
sim::Status LocateAtOrigin(const ExperimentPlan& plan, size_t cell, const sim::Status& error,
                           bool applying) {
  const auto assignments = CellAssignments(plan, cell);
  for (const Assignment& a : assignments) {
    const std::string prefix = "--set " + a.text + ":";
    if (a.origin.empty() || !error.message().starts_with(prefix)) continue;
    const std::string_view rest = std::string_view(error.message()).substr(prefix.size());
    if (IsAboutPath(a, rest.substr(rest.starts_with(' ') ? 1 : 0), applying)) {
      return sim::Status::Error(fmt::format("{}: {}:{}", a.path_origin, a.path, rest));
    }
    return sim::Status::Error(fmt::format("{}: {}:{}", a.origin, a.text, rest));
  }
  std::vector<std::string> given;
  for (const Assignment& a : assignments) {
    if (!a.origin.empty()) given.push_back(fmt::format("{} ({})", a.text, a.origin));
  }
  if (given.empty()) return error;
  return sim::Status::Error(fmt::format("{} [in cell {}: {}]", error.message(),
                                        fmt::join(CellLabels(plan, cell), "-"),
                                        fmt::join(given, ", ")));
}

// Runs use seeds base .. base + seeds - 1; the last must still be a seed a scenario accepts, or
// the experiment would stop at that run after recording the others.
sim::Status CheckLastSeed(const ExperimentPlan& plan, const YamlDocument& doc) {
  constexpr auto kMaxSeed = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  const auto extra = static_cast<uint64_t>(plan.seeds - 1);
  if (plan.base_seed <= kMaxSeed - extra) return sim::Status::Ok();
  const YamlValue seed = doc.Root().Child("seed");
  return sim::Status::Error(fmt::format(
      "{}: seed {} with {} seeds per cell would run seeds up to {}, past the largest seed {}; "
      "lower the seed to at most {}",
      seed.Location(), plan.base_seed, plan.seeds, plan.base_seed + extra, kMaxSeed,
      kMaxSeed - extra));
}

}  // namespace

sim::Status ValidatePlan(ExperimentPlan& plan) {
  for (size_t c = 0; c < CellCount(plan); ++c) {
    YamlDocument doc = plan.base->Clone();
    if (auto s = ApplyOverrides(doc, CellOverrides(plan, c)); !s.ok()) {
      return LocateAtOrigin(plan, c, s, /*applying=*/true);
    }
    auto scenario = LoadScenario(doc);
    if (!scenario.ok()) return LocateAtOrigin(plan, c, scenario.status(), /*applying=*/false);
    if (c == 0) {
      plan.base_seed = scenario->spec.seed;
      SIM_RETURN_IF_ERROR(CheckLastSeed(plan, doc));
    }
    for (const Warning& w : ScenarioWarnings(doc.Root(), *scenario)) {
      std::string line = w.ToString();
      if (std::find(plan.warnings.begin(), plan.warnings.end(), line) == plan.warnings.end()) {
        plan.warnings.push_back(std::move(line));
      }
    }
  }
  return sim::Status::Ok();
}

RunRequest PlanRequest(const ExperimentPlan& plan, size_t cell, uint64_t seed,
                       const std::string& runs_dir) {
  RunRequest r{cell, CellOverrides(plan, cell), seed, ""};
  if (!runs_dir.empty()) {
    std::string name;
    for (const std::string& label : CellLabels(plan, cell)) name += label + "-";
    r.out_dir = (std::filesystem::path(runs_dir) / fmt::format("{}s{}", name, seed)).string();
  }
  return r;
}

}  // namespace clustersim::apps
