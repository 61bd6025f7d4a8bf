#include "apps/experiment/plan.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "apps/config/overrides.h"
#include "apps/config/warnings.h"
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

// Each of the cell's assignments with where it was given (empty: unknown).
std::vector<std::pair<std::string, std::string>> CellOrigins(const ExperimentPlan& plan,
                                                             size_t cell) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < plan.base_overrides.size(); ++i) {
    out.emplace_back(plan.base_overrides[i], i < plan.base_override_origins.size()
                                                 ? plan.base_override_origins[i]
                                                 : std::string());
  }
  const auto idx = CellCoordinates(plan, cell);
  for (size_t a = 0; a < plan.axes.size(); ++a) {
    const Axis& axis = plan.axes[a];
    const std::string origin = idx[a] < axis.origins.size() ? axis.origins[idx[a]] : "";
    for (size_t p = 0; p < axis.paths.size(); ++p) {
      out.emplace_back(axis.paths[p] + "=" + axis.values[idx[a]][p], origin);
    }
  }
  return out;
}

// An error located at "--set A=V" whose assignment came from the sweep file or a compare flag is
// located there instead: the user never typed that --set.
// Any other error (at the base scenario's key, e.g. a workload too large for the duration an axis
// set) says which cell it is and where the cell's assignments were given: the base alone may be
// fine.
sim::Status LocateAtOrigin(const ExperimentPlan& plan, size_t cell, const sim::Status& error) {
  const auto origins = CellOrigins(plan, cell);
  for (const auto& [assignment, origin] : origins) {
    const std::string prefix = "--set " + assignment + ":";
    if (origin.empty() || !error.message().starts_with(prefix)) continue;
    return sim::Status::Error(
        fmt::format("{}: {}{}", origin, assignment, error.message().substr(prefix.size() - 1)));
  }
  std::vector<std::string> given;
  for (const auto& [assignment, origin] : origins) {
    if (!origin.empty()) given.push_back(fmt::format("{} ({})", assignment, origin));
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
      return LocateAtOrigin(plan, c, s);
    }
    auto scenario = LoadScenario(doc);
    if (!scenario.ok()) return LocateAtOrigin(plan, c, scenario.status());
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
