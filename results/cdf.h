#pragma once

#include <nlohmann/json.hpp>

#include "results/metrics.h"

namespace clustersim::results {

// Points of a CDF: the nearest-rank quantiles at q = 0, 1/kCdfSteps, ..., 1 (q = 0 is the
// minimum, q = 1 the maximum).
inline constexpr int kCdfSteps = 100;

// summary.json's "cdf" object: {"queue_delay_s": {"linux": [...], "windows": [...]},
// "start_latency_s": {...}}, each list the kCdfSteps + 1 quantile points of that OS's series
// (exact up to 2^20 samples, DDSketch beyond, as the series' quantile_method says; empty when
// the series has no sample). A small, fixed-size picture of each distribution that travels with
// the summary — through compare and sweep, across MPI ranks — so that their reports can overlay
// the cells' CDFs without keeping any run's tasks.csv.
nlohmann::ordered_json CdfPoints(const MetricsCollector& metrics);

}  // namespace clustersim::results
