#pragma once

#include <fmt/format.h>

#include <string>

#include "sim/time.h"

namespace clustersim::results {

// Exact decimal seconds of an integer-microsecond time ("12.000250"); empty for Time::Max().
inline std::string FormatSeconds(sim::Time t) {
  if (t.IsMax()) return "";
  const int64_t us = t.micros();
  const char* sign = us < 0 ? "-" : "";
  const uint64_t a = us < 0 ? static_cast<uint64_t>(-us) : static_cast<uint64_t>(us);
  return fmt::format("{}{}.{:06d}", sign, a / 1000000, a % 1000000);
}

}  // namespace clustersim::results
