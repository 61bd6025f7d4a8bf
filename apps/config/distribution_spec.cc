#include "apps/config/distribution_spec.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "apps/config/ranges.h"
#include "apps/config/units.h"

namespace clustersim::apps {
namespace {

std::string_view Noun(Quantity q) {
  switch (q) {
    case Quantity::kDuration:
      return "duration";
    case Quantity::kSizeMiB:
      return "size";
    case Quantity::kNumber:
      return "number";
  }
  return "number";
}

std::string_view Form(Quantity q) {
  switch (q) {
    case Quantity::kDuration:
      return kDurationForm;
    case Quantity::kSizeMiB:
      return kSizeForm;
    case Quantity::kNumber:
      return "a non-negative number";
  }
  return kNumberForm;
}

std::string Format(Quantity q, double v) {
  switch (q) {
    case Quantity::kDuration:
      return FormatDuration(sim::Time::FromSeconds(v));
    case Quantity::kSizeMiB:
      return FormatSizeMiB(v);
    case Quantity::kNumber:
      break;
  }
  return fmt::format("{}", v);
}

// A quantity and the most any of its values may be, in its unit.
struct Bounded {
  Quantity q;
  double max;
};

// One number in the quantity's unit; sizes above `max` are refused here, naming the bound.
sim::Result<double> ReadUnbounded(const YamlValue& v, Quantity q, bool allow_infinite, double max) {
  switch (q) {
    case Quantity::kDuration: {
      SIM_ASSIGN_OR_RETURN(const sim::Time t, v.AsDuration());
      if (t.IsMax() && !allow_infinite) return v.Error("a finite duration");
      return t.seconds();
    }
    case Quantity::kSizeMiB:
      return v.AsSizeMiB(max);  // names the bound in the unit
    case Quantity::kNumber:
      return v.AsDouble(0);
  }
  return v.Error(Form(q));
}

// One number of the distribution, in the distribution's unit (seconds, MiB or plain), at most
// b.max unless it is an allowed infinite duration.
sim::Result<double> ReadQuantity(const YamlValue& v, Bounded b, bool allow_infinite = false) {
  SIM_ASSIGN_OR_RETURN(const double x, ReadUnbounded(v, b.q, allow_infinite, b.max));
  if (b.q == Quantity::kDuration && allow_infinite && x == sim::Time::Max().seconds()) return x;
  SIM_RETURN_IF_ERROR(CheckAtMost(v, x, b.max, fmt::format("a {}", Noun(b.q)), Format(b.q, b.max)));
  return x;
}

sim::Result<double> ReadPositive(const YamlValue& v, Bounded b) {
  const Quantity q = b.q;
  SIM_ASSIGN_OR_RETURN(const double x, ReadQuantity(v, b));
  if (!(x > 0)) return v.Error(fmt::format("a positive {}", Noun(q)));
  return x;
}

sim::Result<std::vector<double>> ReadValues(const YamlValue& v, Bounded b) {
  SIM_ASSIGN_OR_RETURN(const std::vector<YamlValue> elements, v.Elements());
  if (elements.empty()) return v.Error(fmt::format("a non-empty list of {}s", Noun(b.q)));
  std::vector<double> out;
  out.reserve(elements.size());
  for (const YamlValue& e : elements) {
    SIM_ASSIGN_OR_RETURN(const double x, ReadQuantity(e, b));
    out.push_back(x);
  }
  return out;
}

sim::Result<std::vector<double>> ReadWeights(const YamlValue& v, size_t expected_count) {
  SIM_ASSIGN_OR_RETURN(const std::vector<YamlValue> elements, v.Elements());
  if (elements.size() != expected_count) {
    return v.Fail(fmt::format("expected {} weight{} (one per value), got {}", expected_count,
                              expected_count == 1 ? "" : "s", elements.size()));
  }
  std::vector<double> out;
  out.reserve(elements.size());
  double total = 0;
  for (const YamlValue& e : elements) {
    SIM_ASSIGN_OR_RETURN(const double w, e.AsDouble(0));
    SIM_RETURN_IF_ERROR(CheckAtMost(e, w, kMaxWeight, "a weight", fmt::format("{}", kMaxWeight)));
    out.push_back(w);
    total += w;
  }
  if (!(total > 0)) return v.Fail("weights must not all be zero");
  return out;
}

sim::Result<sim::Distribution> ParseMap(const YamlValue& value, Bounded b) {
  const Quantity q = b.q;
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_ASSIGN_OR_RETURN(const YamlValue dist_v, m.Required("dist"));
  SIM_ASSIGN_OR_RETURN(
      const std::string dist,
      dist_v.AsEnum({"constant", "exponential", "lognormal", "uniform", "empirical"}));
  std::optional<sim::Distribution> result;
  if (dist == "constant") {
    SIM_ASSIGN_OR_RETURN(const YamlValue v, m.Required("value"));
    SIM_ASSIGN_OR_RETURN(const double x, ReadQuantity(v, b, /*allow_infinite=*/true));
    result = sim::Distribution::Constant(x);
  } else if (dist == "exponential") {
    SIM_ASSIGN_OR_RETURN(const YamlValue mean_v, m.Required("mean"));
    SIM_ASSIGN_OR_RETURN(const double mean, ReadPositive(mean_v, b));
    result = sim::Distribution::Exponential(mean);
  } else if (dist == "lognormal") {
    SIM_ASSIGN_OR_RETURN(const YamlValue median_v, m.Required("median"));
    SIM_ASSIGN_OR_RETURN(const YamlValue p99_v, m.Required("p99"));
    SIM_ASSIGN_OR_RETURN(const double median, ReadPositive(median_v, b));
    SIM_ASSIGN_OR_RETURN(const double p99, ReadQuantity(p99_v, b));
    if (p99 < median) {
      return p99_v.Fail(fmt::format("p99 ({}) must be at least the median ({})", Format(q, p99),
                                    Format(q, median)));
    }
    result = sim::Distribution::LogNormal(median, p99);
  } else if (dist == "uniform") {
    SIM_ASSIGN_OR_RETURN(const YamlValue min_v, m.Required("min"));
    SIM_ASSIGN_OR_RETURN(const YamlValue max_v, m.Required("max"));
    SIM_ASSIGN_OR_RETURN(const double lo, ReadQuantity(min_v, b));
    SIM_ASSIGN_OR_RETURN(const double hi, ReadQuantity(max_v, b));
    if (hi < lo) {
      return max_v.Fail(
          fmt::format("max ({}) must be at least min ({})", Format(q, hi), Format(q, lo)));
    }
    result = sim::Distribution::Uniform(lo, hi);
  } else {  // empirical
    SIM_ASSIGN_OR_RETURN(const YamlValue values_v, m.Required("values"));
    SIM_ASSIGN_OR_RETURN(std::vector<double> values, ReadValues(values_v, b));
    std::vector<double> weights;
    if (std::optional<YamlValue> weights_v = m.Optional("weights")) {
      SIM_ASSIGN_OR_RETURN(weights, ReadWeights(*weights_v, values.size()));
    }
    sim::Result<sim::Distribution> d =
        sim::Distribution::Empirical(std::move(values), std::move(weights));
    if (!d.ok()) return value.Fail(d.error());
    result = std::move(d).value();
  }
  SIM_RETURN_IF_ERROR(m.Finish());
  return *std::move(result);
}

}  // namespace

sim::Result<sim::Distribution> ParseDistribution(const YamlValue& value, Quantity quantity,
                                                 double max) {
  const Bounded b{quantity, max};
  std::optional<sim::Distribution> d;
  if (value.IsMap()) {
    SIM_ASSIGN_OR_RETURN(d, ParseMap(value, b));
  } else if (value.IsScalar()) {
    SIM_ASSIGN_OR_RETURN(const double x, ReadQuantity(value, b, /*allow_infinite=*/true));
    d = sim::Distribution::Constant(x);
  } else {
    return value.Error(
        fmt::format("{}, or a mapping like {{dist: exponential, mean: ...}}", Form(quantity)));
  }
  if (std::isfinite(max)) return d->WithCeiling(max);
  return *std::move(d);
}

sim::Result<sim::Distribution> ParseDistribution(const YamlValue& value, Quantity quantity) {
  const double max = quantity == Quantity::kDuration ? std::numeric_limits<double>::infinity()
                                                     : kMaxResourceAmount;
  return ParseDistribution(value, quantity, max);
}

}  // namespace clustersim::apps
