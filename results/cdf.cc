#include "results/cdf.h"

#include <string>

namespace clustersim::results {
namespace {

nlohmann::ordered_json PerOs(const LatencyStats& stats) {
  nlohmann::ordered_json by_os = nlohmann::ordered_json::object();
  for (int os = 0; os < plugins::kOsCount; ++os) {
    const sim::QuantileSeries& series = stats.by_os[os];
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    if (series.count() > 0) {
      for (int i = 0; i <= kCdfSteps; ++i) {
        points.push_back(series.Quantile(static_cast<double>(i) / kCdfSteps));
      }
    }
    by_os[std::string(plugins::OsName(static_cast<plugins::Os>(os)))] = std::move(points);
  }
  return by_os;
}

}  // namespace

nlohmann::ordered_json CdfPoints(const MetricsCollector& metrics) {
  return {{"queue_delay_s", PerOs(metrics.queue_delay())},
          {"start_latency_s", PerOs(metrics.start_latency())}};
}

}  // namespace clustersim::results
