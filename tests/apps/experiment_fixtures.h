#pragma once

// A small experiment plan for the pipeline's unit tests: two axes (2 x 3 cells), two seeds, two
// metrics and two timing columns, and no base scenario (nothing here runs a simulation).
#include "apps/experiment/plan.h"
#include "apps/experiment/result_table.h"
#include "apps/run_metrics.h"

namespace clustersim::apps::test {

inline ExperimentPlan TwoAxisPlan() {
  ExperimentPlan plan;
  plan.name = "tiny";
  plan.base_overrides = {"duration=10m"};
  plan.axes.push_back(Axis{.name = "allocator",
                           .paths = {"master.allocator"},
                           .values = {{"drf"}, {"random"}},
                           .labels = {"drf", "random"}});
  plan.axes.push_back(Axis{.name = "agents",
                           .paths = {"cluster.groups[0].count", "cluster.groups[1].count"},
                           .values = {{"1", "2"}, {"3", "4"}, {"5", "6"}},
                           .labels = {"1/2", "3/4", "5/6"}});
  plan.seeds = 2;
  plan.base_seed = 7;
  plan.metrics = {*ParseMetricPath("tasks.finished"), *ParseMetricPath("start_latency_s.p99")};
  plan.timing = {"wall_seconds", "events_per_second"};
  return plan;
}

inline ResultRow Row(size_t cell, uint64_t seed, std::vector<double> metrics) {
  return ResultRow{cell, seed, std::move(metrics), std::vector<double>{0.5, 1000}};
}

}  // namespace clustersim::apps::test
