#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>

#include "sim/time.h"

namespace clustersim::results {

// Appends the exact decimal seconds of an integer-microsecond time ("12.000250"); nothing for
// Time::Max() (a time not reached). Appends in place: tasks.csv writes several per task.
inline void AppendSeconds(std::string& out, sim::Time t) {
  if (t.IsMax()) return;
  const int64_t us = t.micros();
  const uint64_t a = us < 0 ? static_cast<uint64_t>(-us) : static_cast<uint64_t>(us);
  fmt::format_to(std::back_inserter(out), "{}{}.{:06d}", us < 0 ? "-" : "", a / 1000000,
                 a % 1000000);
}

// Exact decimal seconds of an integer-microsecond time ("12.000250"); empty for Time::Max().
inline std::string FormatSeconds(sim::Time t) {
  std::string out;
  AppendSeconds(out, t);
  return out;
}

// Appends a fixed-point amount (value × `scale`, as plugins::Resources keeps them) exactly, with
// no trailing zeros: 1500 -> "1.5", 2000 -> "2", 1 -> "0.001" (scale 1000).
inline void AppendFixedPoint(std::string& out, int64_t raw, int64_t scale) {
  const uint64_t a = raw < 0 ? static_cast<uint64_t>(-raw) : static_cast<uint64_t>(raw);
  const uint64_t s = static_cast<uint64_t>(scale);
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{}{}", raw < 0 ? "-" : "", a / s);
  uint64_t frac = a % s;
  if (frac == 0) return;
  int digits = 0;
  for (uint64_t x = s; x > 1; x /= 10) ++digits;
  while (frac % 10 == 0) {
    frac /= 10;
    --digits;
  }
  fmt::format_to(it, ".{:0{}d}", frac, digits);
}

}  // namespace clustersim::results
