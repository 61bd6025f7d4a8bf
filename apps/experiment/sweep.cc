#include "apps/experiment/sweep.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "apps/config/overrides.h"
#include "apps/experiment/runner.h"
#include "apps/experiment/writers.h"
#include "apps/scenario.h"

namespace clustersim::apps {
namespace {

namespace fs = std::filesystem;
using sim::Status;

// A value as --set takes it: a scalar's text, anything else in YAML flow style.
std::string YamlText(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

sim::Result<std::vector<std::string>> ReadStrings(const YamlValue& list) {
  SIM_ASSIGN_OR_RETURN(auto items, list.Elements());
  std::vector<std::string> out;
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(std::string s, item.AsString());
    out.push_back(std::move(s));
  }
  return out;
}

// `path: P` or `paths: [P, ...]`; the axis is named after them unless `name:` says otherwise.
Status ReadAxisPaths(const YamlValue& item, YamlMap& am, Axis& axis) {
  std::vector<YamlValue> path_values;
  if (auto p = am.Optional("path")) {
    path_values.push_back(*p);
  } else if (auto ps = am.Optional("paths")) {
    SIM_ASSIGN_OR_RETURN(path_values, ps->Elements());
    if (path_values.empty()) return ps->Error("a non-empty list of key paths");
  } else {
    return item.Fail("an axis needs 'path' (or 'paths' moving together) and 'values'");
  }
  for (const YamlValue& p : path_values) {
    SIM_ASSIGN_OR_RETURN(std::string path, p.AsString());
    if (auto parsed = ParseKeyPath(path); !parsed.ok()) return p.Fail(parsed.error());
    axis.paths.push_back(path);
    axis.path_origins.push_back(fmt::format("{}: {}", p.Location(), p.path()));
    axis.name += (axis.name.empty() ? "" : "+") + path;
  }
  if (auto n = am.Optional("name")) {
    SIM_ASSIGN_OR_RETURN(axis.name, n->AsString());
  }
  return Status::Ok();
}

// `values:`: one per value, or with several paths a list with one entry per path; labelled by
// their texts joined with '/'.
Status ReadAxisValues(YamlMap& am, Axis& axis) {
  SIM_ASSIGN_OR_RETURN(YamlValue values, am.Required("values"));
  SIM_ASSIGN_OR_RETURN(auto value_items, values.Elements());
  if (value_items.empty()) return values.Error("a non-empty list of values");
  for (const YamlValue& v : value_items) {
    std::vector<std::string> texts;
    if (axis.paths.size() == 1) {
      texts.push_back(YamlText(v.node()));
    } else {
      SIM_ASSIGN_OR_RETURN(auto parts, v.Elements());
      if (parts.size() != axis.paths.size()) {
        return v.Fail(fmt::format("expected a list of {} values, one per path, got {}",
                                  axis.paths.size(), parts.size()));
      }
      for (const YamlValue& part : parts) texts.push_back(YamlText(part.node()));
    }
    std::string label;
    for (const auto& t : texts) label += (label.empty() ? "" : "/") + t;
    axis.labels.push_back(label);
    axis.origins.push_back(fmt::format("{}: {}", v.Location(), v.path()));
    axis.values.push_back(std::move(texts));
  }
  return Status::Ok();
}

// `labels:` names the values in tables and run folders, for values too long to show (a list of
// offer constraints); one per value.
Status ReadAxisLabels(YamlMap& am, Axis& axis) {
  auto v = am.Optional("labels");
  if (!v) return Status::Ok();
  SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
  if (items.size() != axis.values.size()) {
    return v->Error(fmt::format("a list of {} labels, one per value", axis.values.size()));
  }
  for (size_t i = 0; i < items.size(); ++i) {
    SIM_ASSIGN_OR_RETURN(axis.labels[i], items[i].AsString());
  }
  return Status::Ok();
}

// Two axes on one path would label cells by a value that never ran (the later one wins), and two
// values with one label would give two cells one name and one run folder.
Status CheckAxisIsNew(const YamlValue& item, const Axis& axis, const std::vector<Axis>& before) {
  for (size_t a = 0; a < before.size(); ++a) {
    for (const std::string& path : axis.paths) {
      const auto& earlier = before[a].paths;
      if (std::find(earlier.begin(), earlier.end(), path) != earlier.end()) {
        return item.Error(
            fmt::format("an axis on paths no earlier axis has ('{}' is axes[{}]'s)", path, a));
      }
    }
  }
  for (size_t i = 0; i < axis.labels.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (axis.labels[i] == axis.labels[j]) {
        return item.Error(fmt::format("values with distinct labels ('{}' names values {} and {})",
                                      axis.labels[i], j, i));
      }
    }
  }
  return Status::Ok();
}

sim::Result<Axis> ReadAxis(const YamlValue& item) {
  SIM_ASSIGN_OR_RETURN(YamlMap am, item.AsMap());
  Axis axis;
  SIM_RETURN_IF_ERROR(ReadAxisPaths(item, am, axis));
  SIM_RETURN_IF_ERROR(ReadAxisValues(am, axis));
  SIM_RETURN_IF_ERROR(ReadAxisLabels(am, axis));
  SIM_RETURN_IF_ERROR(am.Finish());
  return axis;
}

// `base:`, relative to the sweep file's folder.
Status ReadBase(const std::string& file, YamlMap& m, ExperimentPlan& plan) {
  SIM_ASSIGN_OR_RETURN(YamlValue base, m.Required("base"));
  SIM_ASSIGN_OR_RETURN(std::string base_path, base.AsString());
  if (fs::path(base_path).is_relative()) {
    base_path = (fs::path(file).parent_path() / base_path).string();
  }
  auto base_doc = LoadYamlFile(base_path);
  if (!base_doc.ok()) return base.Fail(base_doc.error());
  plan.base.emplace(std::move(*base_doc));
  return Status::Ok();
}

Status ReadMetrics(YamlMap& m, ExperimentPlan& plan) {
  auto v = m.Optional("metrics");
  if (!v) {
    plan.metrics = DefaultMetrics();
    return Status::Ok();
  }
  SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(std::string s, item.AsString());
    auto metric = ParseMetricPath(s);
    if (!metric.ok()) return item.Fail(metric.error());
    plan.metrics.push_back(*metric);
  }
  return Status::Ok();
}

std::string SummaryMarkdown(const ExperimentPlan& plan,
                            const std::vector<std::vector<MeanCi>>& stats) {
  return fmt::format("# Sweep {}: {} cells x {} seed{}\n\n", plan.name, CellCount(plan), plan.seeds,
                     plan.seeds == 1 ? "" : "s") +
         CellStatsNote(plan, "summary.csv (per cell) and runs.csv (per run)") + "\n\n" +
         RenderMarkdown(CellStatsTable(plan, stats), /*trailing_space=*/true);
}

}  // namespace

sim::Result<ExperimentPlan> LoadSweepPlan(const std::string& file) {
  SIM_ASSIGN_OR_RETURN(YamlDocument doc, LoadYamlFile(file));
  SIM_ASSIGN_OR_RETURN(YamlMap m, doc.Root().AsMap());
  ExperimentPlan plan;
  plan.name = fs::path(file).stem().string();
  plan.seeds = 3;
  plan.timing = {"wall_seconds", "events_per_second"};
  if (auto v = m.Optional("name")) {
    SIM_ASSIGN_OR_RETURN(plan.name, v->AsString());
    SIM_RETURN_IF_ERROR(CheckOutputName(*v, plan.name));  // out/sweep-NAME by default
  }
  SIM_RETURN_IF_ERROR(ReadBase(file, m, plan));
  if (auto v = m.Optional("set")) {
    SIM_ASSIGN_OR_RETURN(plan.base_overrides, ReadStrings(*v));
    SIM_ASSIGN_OR_RETURN(auto set_items, v->Elements());
    for (const YamlValue& item : set_items) {
      plan.base_override_origins.push_back(fmt::format("{}: {}", item.Location(), item.path()));
    }
  }
  if (auto v = m.Optional("seeds")) {
    SIM_ASSIGN_OR_RETURN(const int64_t seeds, v->AsInt(1, kMaxSeedsPerCell));
    plan.seeds = static_cast<int>(seeds);
  }
  SIM_ASSIGN_OR_RETURN(YamlValue axes, m.Required("axes"));
  SIM_ASSIGN_OR_RETURN(auto axis_items, axes.Elements());
  for (const YamlValue& item : axis_items) {
    SIM_ASSIGN_OR_RETURN(Axis axis, ReadAxis(item));
    SIM_RETURN_IF_ERROR(CheckAxisIsNew(item, axis, plan.axes));
    plan.axes.push_back(std::move(axis));
  }
  SIM_RETURN_IF_ERROR(ReadMetrics(m, plan));
  SIM_RETURN_IF_ERROR(m.Finish());
  return plan;
}

Status RunSweep(const std::string& sweep_file, const SweepOptions& options, const MpiJob* mpi) {
  SIM_ASSIGN_OR_RETURN(ExperimentPlan plan, LoadSweepPlan(sweep_file));
  ExperimentOptions run;
  run.out_dir = options.out_dir.empty() ? (fs::path("out") / ("sweep-" + plan.name)).string()
                                        : options.out_dir;
  run.jobs = options.jobs;
  run.resume = options.resume;
  run.mpi = mpi;
  run.progress = options.progress;
  SIM_ASSIGN_OR_RETURN(std::optional<ResultTable> table, RunExperiment(plan, run));
  if (!table) return Status::Ok();  // an MPI worker rank: rank 0 writes
  const auto stats = MetricStats(plan, *table);
  const std::string md = SummaryMarkdown(plan, stats);
  const fs::path out(run.out_dir);
  SIM_RETURN_IF_ERROR(WriteTextFile(out / "summary.csv", SummaryCsv(plan, stats)));
  SIM_RETURN_IF_ERROR(WriteTextFile(out / "summary.md", md));
  SIM_RETURN_IF_ERROR(WriteTextFile(out / "cells.json", CellsJson(plan, stats).dump(2) + "\n"));
  std::fputs(md.c_str(), stdout);
  std::printf("  results in %s/\n", out.string().c_str());
  return Status::Ok();
}

}  // namespace clustersim::apps
