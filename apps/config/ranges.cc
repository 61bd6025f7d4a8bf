#include "apps/config/ranges.h"

#include <fmt/format.h>

#include <string>

#include "apps/config/units.h"

namespace clustersim::apps {

sim::Result<sim::Time> ReadDurationIn(const YamlValue& v, DurationRange range) {
  SIM_ASSIGN_OR_RETURN(const sim::Time t, v.AsDuration());
  const bool ok = (t.IsMax() && range.infinite_ok) || (t == sim::Time::Zero() && range.zero_ok) ||
                  (!t.IsMax() && t > sim::Time::Zero() && t >= range.min);
  if (ok) return t;
  std::string form = range.min > sim::Time::Zero()
                         ? fmt::format("a duration of at least {}", FormatDuration(range.min))
                         : std::string("a positive duration");
  if (!range.infinite_ok) form = "a finite " + form.substr(2);
  if (range.zero_ok) form = "0 or " + form;
  if (range.infinite_ok) form += " (or inf)";
  return v.Error(form);
}

sim::Status CheckAtMost(const YamlValue& v, double x, double max, std::string_view what,
                        std::string_view max_text) {
  if (x <= max) return sim::Status::Ok();
  return v.Error(fmt::format("{} of at most {}", what, max_text));
}

sim::Result<double> ReadBoundedSize(const YamlValue& v) { return v.AsSizeMiB(kMaxResourceAmount); }

sim::Result<double> ReadResourceAmount(const YamlValue& v, bool is_size) {
  if (is_size) return ReadBoundedSize(v);
  SIM_ASSIGN_OR_RETURN(const double x, v.AsDouble(0));
  if (x > kMaxResourceAmount) {
    return v.Error(fmt::format("a number in [0, {}]", kMaxResourceAmount));
  }
  return x;
}

sim::Result<double> ReadBandwidthIn(const YamlValue& v) {
  SIM_ASSIGN_OR_RETURN(const double mibps, v.AsBandwidth(kMaxBandwidthMiBps));
  if (mibps < kMinBandwidthMiBps) {
    return v.Error(fmt::format("a bandwidth in [{}, {}]", FormatBandwidthMiBps(kMinBandwidthMiBps),
                               FormatBandwidthMiBps(kMaxBandwidthMiBps)));
  }
  return mibps;
}

sim::Result<double> ReadRateIn(const YamlValue& v) {
  SIM_ASSIGN_OR_RETURN(const double per_s, v.AsRate());
  if (!(per_s > 0) || per_s > kMaxRatePerSecond) {
    return v.Error(
        fmt::format("a positive rate of at most {}", FormatRatePerSecond(kMaxRatePerSecond)));
  }
  return per_s;
}

}  // namespace clustersim::apps
