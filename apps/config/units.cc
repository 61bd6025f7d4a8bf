#include "apps/config/units.h"

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace clustersim::apps {
namespace {

struct Unit {
  std::string_view name;
  double factor;  // multiples of the base unit (MiB, µs, MiB/s)
};

constexpr double kByte = 1.0 / (1024.0 * 1024.0);  // in MiB
constexpr double kKiB = 1.0 / 1024.0;
constexpr double kMiB = 1.0;
constexpr double kGiB = 1024.0;
constexpr double kTiB = 1024.0 * 1024.0;
constexpr double kPiB = 1024.0 * 1024.0 * 1024.0;

constexpr std::array kSizeUnits = {
    Unit{"B", kByte},         Unit{"KiB", kKiB},        Unit{"MiB", kMiB},
    Unit{"GiB", kGiB},        Unit{"TiB", kTiB},        Unit{"PiB", kPiB},
    Unit{"Ki", kKiB},         Unit{"Mi", kMiB},         Unit{"Gi", kGiB},
    Unit{"Ti", kTiB},         Unit{"Pi", kPiB},         Unit{"KB", 1e3 * kByte},
    Unit{"kB", 1e3 * kByte},  Unit{"MB", 1e6 * kByte},  Unit{"GB", 1e9 * kByte},
    Unit{"TB", 1e12 * kByte}, Unit{"PB", 1e15 * kByte},
};

// Duration units in microseconds.
constexpr std::array kDurationUnits = {
    Unit{"us", 1.0}, Unit{"µs", 1.0},   Unit{"ms", 1e3},   Unit{"s", 1e6},     Unit{"sec", 1e6},
    Unit{"m", 60e6}, Unit{"min", 60e6}, Unit{"h", 3600e6}, Unit{"d", 86400e6},
};

constexpr double kBitPerS = kByte / 8.0;  // in MiB/s
constexpr std::array kBandwidthUnits = {
    Unit{"B/s", kByte},
    Unit{"KB/s", 1e3 * kByte},
    Unit{"kB/s", 1e3 * kByte},
    Unit{"KiB/s", kKiB},
    Unit{"MB/s", 1e6 * kByte},
    Unit{"MiB/s", kMiB},
    Unit{"GB/s", 1e9 * kByte},
    Unit{"GiB/s", kGiB},
    Unit{"TB/s", 1e12 * kByte},
    Unit{"TiB/s", kTiB},
    Unit{"bit/s", kBitPerS},
    Unit{"Kbit/s", 1e3 * kBitPerS},
    Unit{"kbit/s", 1e3 * kBitPerS},
    Unit{"Mbit/s", 1e6 * kBitPerS},
    Unit{"Gbit/s", 1e9 * kBitPerS},
    Unit{"Tbit/s", 1e12 * kBitPerS},
    Unit{"bps", kBitPerS},
    Unit{"Kbps", 1e3 * kBitPerS},
    Unit{"kbps", 1e3 * kBitPerS},
    Unit{"Mbps", 1e6 * kBitPerS},
    Unit{"Gbps", 1e9 * kBitPerS},
    Unit{"Tbps", 1e12 * kBitPerS},
    Unit{"b/s", kBitPerS},
    Unit{"Kb/s", 1e3 * kBitPerS},
    Unit{"kb/s", 1e3 * kBitPerS},
    Unit{"Mb/s", 1e6 * kBitPerS},
    Unit{"Gb/s", 1e9 * kBitPerS},
    Unit{"Tb/s", 1e12 * kBitPerS},
};

// The units listed in "unknown unit" messages (aliases left out to keep the line short).
constexpr std::string_view kSizeUnitList = "B, KiB, MiB, GiB, TiB, PiB, KB, MB, GB, TB, PB";
constexpr std::string_view kDurationUnitList = "us, ms, s, m or min, h, d";
constexpr std::string_view kBandwidthUnitList = "MB/s, MiB/s, GB/s, GiB/s, Mbit/s, Gbit/s";

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

sim::Status Expected(std::string_view form, std::string_view text, std::string_view detail = {}) {
  if (detail.empty()) return sim::Status::Error(fmt::format("expected {}, got '{}'", form, text));
  return sim::Status::Error(fmt::format("expected {}, got '{}' ({})", form, text, detail));
}

// A number followed by an optional unit.
struct NumberAndUnit {
  double value = 0;
  std::string_view unit;
};

// Splits "1.5 GiB" into 1.5 and "GiB". Rejects missing numbers, negatives, NaN and infinities
// with a message in terms of `form` that quotes `whole` (the text the user wrote).
sim::Result<NumberAndUnit> SplitNumberAndUnit(std::string_view text, std::string_view form,
                                              std::string_view whole) {
  const std::string_view trimmed = Trim(text);
  if (trimmed.empty()) return Expected(form, whole);
  if (trimmed.front() == '-') return Expected(form, whole, "must not be negative");
  NumberAndUnit q;
  const char* first = trimmed.data();
  const char* last = first + trimmed.size();
  if (*first == '+') ++first;  // fast_float does not take a leading '+'
  if (first == last || *first == '-' || *first == '+') return Expected(form, whole);
  const auto [ptr, ec] = fast_float::from_chars(first, last, q.value);
  if (ec != std::errc() || ptr == first) return Expected(form, whole);
  if (!std::isfinite(q.value)) return Expected(form, whole, "must be finite");
  q.unit = Trim(std::string_view(ptr, static_cast<size_t>(last - ptr)));
  return q;
}

sim::Result<double> ParseWithUnits(std::string_view text, std::string_view form,
                                   std::span<const Unit> units, std::string_view unit_list,
                                   double plain_factor,
                                   double max = std::numeric_limits<double>::infinity(),
                                   std::string (*format)(double) = nullptr) {
  SIM_ASSIGN_OR_RETURN(const NumberAndUnit q, SplitNumberAndUnit(text, form, text));
  // Finite before the unit is applied is not enough: 1e308PiB is infinite in MiB.
  const auto scaled = [&](double factor) -> sim::Result<double> {
    const double value = q.value * factor;
    if (std::isfinite(max) && !(value <= max)) {
      return Expected(form, text, "at most " + format(max));
    }
    if (!std::isfinite(value)) return Expected(form, text, "too large");
    return value;
  };
  if (q.unit.empty()) return scaled(plain_factor);
  for (const Unit& u : units) {
    if (u.name == q.unit) return scaled(u.factor);
  }
  for (const Unit& u : units) {
    if (EqualsIgnoreCase(u.name, q.unit)) {
      return Expected(form, text,
                      fmt::format("unknown unit '{}'; did you mean '{}'?", q.unit, u.name));
    }
  }
  return Expected(form, text, fmt::format("unknown unit '{}'; units: {}", q.unit, unit_list));
}

// Shortest decimal that round-trips.
std::string Num(double v) { return fmt::format("{}", v); }

// Picks the largest of `units` (ordered smallest first) for which value / factor >= 1.
std::string FormatLargest(double value, std::span<const Unit> units) {
  const Unit* best = &units.front();
  for (const Unit& u : units) {
    if (std::abs(value) >= u.factor) best = &u;
  }
  if (value == 0) {
    for (const Unit& u : units) {
      if (u.factor == 1.0) best = &u;
    }
  }
  return Num(value / best->factor) + std::string(best->name);
}

}  // namespace

sim::Result<double> ParseNumber(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  const char* first = trimmed.data();
  const char* last = first + trimmed.size();
  if (first != last && *first == '+') {
    ++first;
    if (first != last && (*first == '-' || *first == '+')) return Expected(kNumberForm, text);
  }
  double value = 0;
  const auto [ptr, ec] = fast_float::from_chars(first, last, value);
  if (trimmed.empty() || ec != std::errc() || ptr != last) return Expected(kNumberForm, text);
  if (!std::isfinite(value)) return Expected(kNumberForm, text, "must be finite");
  return value;
}

sim::Result<double> ParseSizeMiB(std::string_view text, double max) {
  SIM_ASSIGN_OR_RETURN(const double mib, ParseWithUnits(text, kSizeForm, kSizeUnits, kSizeUnitList,
                                                        kMiB, max, FormatSizeMiB));
  return mib;
}

sim::Result<sim::Time> ParseDuration(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  if (trimmed == "inf" || trimmed == "forever") return sim::Time::Max();
  SIM_ASSIGN_OR_RETURN(const double micros,
                       ParseWithUnits(text, kDurationForm, kDurationUnits, kDurationUnitList, 1e6));
  // sim::Time::MaxInput() (2^61 µs) is about 73,000 years; anything larger is a typo or meant
  // "inf", and a bound well inside int64 lets times from input be added without overflow.
  if (!(micros <= static_cast<double>(sim::Time::MaxInput().micros()))) {
    return Expected(kDurationForm, text,
                    "too large: at most 2^61us, about 73,000 years; write 'inf' for no limit");
  }
  return sim::Time::Micros(static_cast<int64_t>(std::llround(micros)));
}

sim::Result<double> ParseBandwidthMiBps(std::string_view text, double max) {
  return ParseWithUnits(text, kBandwidthForm, kBandwidthUnits, kBandwidthUnitList, kMiB, max,
                        FormatBandwidthMiBps);
}

sim::Result<double> ParseRatePerSecond(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  const size_t slash = trimmed.find('/');
  if (slash == std::string_view::npos) {
    SIM_ASSIGN_OR_RETURN(const NumberAndUnit q, SplitNumberAndUnit(text, kRateForm, text));
    if (!q.unit.empty()) {
      return Expected(kRateForm, text, fmt::format("write NUMBER/UNIT, e.g. {}/s", Num(q.value)));
    }
    return q.value;
  }
  SIM_ASSIGN_OR_RETURN(const NumberAndUnit q,
                       SplitNumberAndUnit(trimmed.substr(0, slash), kRateForm, text));
  if (!q.unit.empty()) return Expected(kRateForm, text);
  const std::string_view unit = Trim(trimmed.substr(slash + 1));
  for (const Unit& u : kDurationUnits) {
    if (u.name == unit) {
      const double per_second = q.value / (u.factor * 1e-6);
      if (!std::isfinite(per_second)) return Expected(kRateForm, text, "too large");
      return per_second;
    }
  }
  return Expected(kRateForm, text,
                  fmt::format("unknown time unit '{}'; units: {}", unit, kDurationUnitList));
}

std::string FormatSizeMiB(double mib) {
  static constexpr std::array kUnits = {Unit{"B", kByte},  Unit{"KiB", kKiB}, Unit{"MiB", kMiB},
                                        Unit{"GiB", kGiB}, Unit{"TiB", kTiB}, Unit{"PiB", kPiB}};
  return FormatLargest(mib, kUnits);
}

std::string FormatDuration(sim::Time duration) {
  if (duration.IsMax()) return "inf";
  static constexpr std::array<std::pair<std::string_view, int64_t>, 6> kUnits = {{
      {"d", 86'400'000'000},
      {"h", 3'600'000'000},
      {"min", 60'000'000},
      {"s", 1'000'000},
      {"ms", 1'000},
      {"us", 1},
  }};
  const int64_t us = duration.micros();
  const uint64_t magnitude = us < 0 ? 0 - static_cast<uint64_t>(us) : static_cast<uint64_t>(us);
  for (const auto& [name, factor] : kUnits) {
    const auto f = static_cast<uint64_t>(factor);
    // At most three decimals in this unit, and at least 1 of it; and ParseDuration's
    // llround(value * factor) must give `us` back, which doubles stop doing from about 2^51us
    // (70 years) on: 4444444444444.442ms parses as 4444444444444443us, 34813670319.8min as
    // 2088820219188000256us.
    if (magnitude < f || (f >= 1000 && magnitude % (f / 1000) != 0)) continue;
    const double value = static_cast<double>(us) / static_cast<double>(factor);
    if (std::llround(value * static_cast<double>(factor)) == us)
      return Num(value) + std::string(name);
  }
  // Exact even where a double is not (the parser then reads the nearest double).
  return us == 0 ? "0s" : fmt::format("{}us", us);
}

std::string FormatBandwidthMiBps(double mib_per_s) {
  static constexpr std::array kUnits = {Unit{"B/s", kByte}, Unit{"KiB/s", kKiB},
                                        Unit{"MiB/s", kMiB}, Unit{"GiB/s", kGiB},
                                        Unit{"TiB/s", kTiB}};
  return FormatLargest(mib_per_s, kUnits);
}

std::string FormatRatePerSecond(double per_second) {
  // The shortest time unit in which at least one event happens: 2/s, 30/min, 6/h, 2/d.
  static constexpr std::array<std::pair<std::string_view, double>, 4> kUnits = {{
      {"s", 1.0},
      {"min", 60.0},
      {"h", 3600.0},
      {"d", 86400.0},
  }};
  for (const auto& [name, seconds] : kUnits) {
    if (per_second == 0 || std::abs(per_second * seconds) >= 1 || name == "d") {
      return Num(per_second * seconds) + "/" + std::string(name);
    }
  }
  return Num(per_second) + "/s";  // not reached
}

}  // namespace clustersim::apps
