#pragma once

#include <compare>
#include <cstdint>
#include <limits>

namespace clustersim::sim {

// Simulated time and durations, in integer microseconds. Integers, not doubles, so that event
// ordering never depends on rounding and results are byte-identical across runs and machines.
// Arithmetic saturates at Max() and at the most negative value instead of overflowing (signed
// overflow is undefined behaviour): a sum that would pass Max() is Max(), "effectively forever".
// Times read from input are at most MaxInput(), so that the sum of two of them still fits.
class Time {
 public:
  constexpr Time() = default;
  static constexpr Time Micros(int64_t us) { return Time(us); }
  static constexpr Time Millis(int64_t ms) { return Time(SaturatingMul(ms, 1000)); }
  static constexpr Time Seconds(int64_t s) { return Time(SaturatingMul(s, 1'000'000)); }
  // Rounds to the nearest microsecond; saturates at Max() so "effectively forever" stays finite.
  static constexpr Time FromSeconds(double s) {
    const double us = s * 1e6;
    if (!(us < 9.2e18)) return Max();
    if (us <= -9.2e18) return Time(std::numeric_limits<int64_t>::min());
    return Time(static_cast<int64_t>(us < 0 ? us - 0.5 : us + 0.5));
  }
  static constexpr Time Zero() { return Time(0); }
  static constexpr Time Max() { return Time(std::numeric_limits<int64_t>::max()); }
  // The largest finite time a scenario or trace may give: 2^61 µs, about 73,000 years. Three
  // such times add without saturating, so sums like `start + duration` of input stay exact.
  static constexpr Time MaxInput() { return Time(int64_t{1} << 61); }

  constexpr int64_t micros() const { return us_; }
  constexpr double seconds() const { return static_cast<double>(us_) * 1e-6; }
  constexpr bool IsMax() const { return us_ == std::numeric_limits<int64_t>::max(); }

  constexpr auto operator<=>(const Time&) const = default;
  constexpr Time operator+(Time o) const { return Time(SaturatingAdd(us_, o.us_)); }
  constexpr Time operator-(Time o) const { return Time(SaturatingSub(us_, o.us_)); }
  constexpr Time& operator+=(Time o) { return *this = *this + o; }
  constexpr Time& operator-=(Time o) { return *this = *this - o; }
  constexpr Time operator*(int64_t k) const { return Time(SaturatingMul(us_, k)); }

 private:
  constexpr explicit Time(int64_t us) : us_(us) {}
  static constexpr int64_t SaturatingAdd(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) {
      return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
    }
    return r;
  }
  static constexpr int64_t SaturatingSub(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_sub_overflow(a, b, &r)) {
      return b < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
    }
    return r;
  }
  static constexpr int64_t SaturatingMul(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) {
      return (a < 0) == (b < 0) ? std::numeric_limits<int64_t>::max()
                                : std::numeric_limits<int64_t>::min();
    }
    return r;
  }
  int64_t us_ = 0;
};

}  // namespace clustersim::sim
