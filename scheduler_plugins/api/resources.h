#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/status.h"

namespace clustersim::plugins {

// Indices of resource kinds. The four Mesos built-ins come first; a scenario may name up to
// kMaxResourceKinds - 4 further scalars (see ResourceKinds).
enum ResourceKind : int { kCpus = 0, kMem = 1, kDisk = 2, kGpus = 3 };
inline constexpr int kBuiltinResourceKinds = 4;
inline constexpr int kMaxResourceKinds = 8;

// A vector of scalar resources: cpus, mem (MiB), disk (MiB), gpus and named scalars.
// Quantities are fixed-point with three decimals (as Mesos does for scalars), so that adding and
// subtracting the same amounts returns exactly to where it started: freed resources return to the
// pool without floating-point drift, and "allocated <= capacity" is an exact check.
// Trivially copyable, 64 bytes, no allocation.
class Resources {
 public:
  static constexpr int64_t kScale = 1000;
  // The largest amount (in magnitude) of one kind that converts to fixed point: 2^52 / kScale,
  // about 4.5e12, so that the fixed-point value stays below 2^52 (exact in a double) and sums of
  // up to 2^10 such values cannot overflow int64. Scenario input is bounded much lower
  // (scenarios/README.md, "Ranges"); this bound only keeps the conversion defined.
  static constexpr double kMaxAmount = static_cast<double>(int64_t{1} << 52) / kScale;

  constexpr Resources() = default;
  // Preconditions (SIM_CHECK): every amount finite and within ±kMaxAmount. Input paths check
  // their values first, e.g. with CheckedToFixed.
  static Resources Of(double cpus, double mem_mib, double disk_mib = 0, double gpus = 0);
  // `value` × kScale rounded to the nearest integer; SIM_CHECK that it is finite and within
  // ±kMaxAmount (a bug, not an input error: input is checked where it is read).
  static int64_t ToFixed(double value);
  // The same conversion for values straight from input: an error saying why instead of a check.
  static sim::Result<int64_t> CheckedToFixed(double value);

  double Get(int kind) const { return static_cast<double>(v_[kind]) / kScale; }
  void Set(int kind, double value);  // precondition as for Of
  int64_t Raw(int kind) const { return v_[kind]; }
  // The fixed-point value (quantity × kScale), exact.
  void SetRaw(int kind, int64_t raw) { v_[kind] = raw; }
  double cpus() const { return Get(kCpus); }
  double mem() const { return Get(kMem); }
  double disk() const { return Get(kDisk); }
  double gpus() const { return Get(kGpus); }

  // Inline and without early exits: the allocation cycle asks these per agent and per filter, and
  // the whole-array forms compile to a few vector compares.
  bool IsZero() const {
    int64_t any = 0;
    for (int k = 0; k < kMaxResourceKinds; ++k) any |= v_[k];
    return any == 0;
  }
  bool AnyNegative() const {
    bool negative = false;
    for (int k = 0; k < kMaxResourceKinds; ++k) negative |= v_[k] < 0;
    return negative;
  }
  // True if every kind here is >= the same kind in `other` (Mesos's Resources::contains).
  bool Contains(const Resources& other) const {
    bool short_of = false;
    for (int k = 0; k < kMaxResourceKinds; ++k) short_of |= v_[k] < other.v_[k];
    return !short_of;
  }
  // Largest share over the kinds `total` has: max_k this[k] / total[k]. 0 if total is empty.
  double DominantShare(const Resources& total) const;
  // Element-wise minimum and maximum.
  Resources Min(const Resources& other) const;
  Resources Max(const Resources& other) const;

  Resources& operator+=(const Resources& o) {
    for (int k = 0; k < kMaxResourceKinds; ++k) v_[k] += o.v_[k];
    return *this;
  }
  Resources& operator-=(const Resources& o) {
    for (int k = 0; k < kMaxResourceKinds; ++k) v_[k] -= o.v_[k];
    return *this;
  }
  friend Resources operator+(Resources a, const Resources& b) { return a += b; }
  friend Resources operator-(Resources a, const Resources& b) { return a -= b; }
  // Each kind scaled by `k` and rounded; precondition as for Of on the results.
  Resources operator*(double k) const;
  bool operator==(const Resources&) const = default;

  // "cpus:2;mem:1024;disk:0" (Mesos's text form), omitting zero kinds.
  std::string ToString() const;

 private:
  std::array<int64_t, kMaxResourceKinds> v_{};
};

// Names of resource kinds: the four built-ins plus the named scalars a scenario declares.
// Filled while a scenario loads, before any simulation starts, in the scenario's order.
class ResourceKinds {
 public:
  // Returns the kind for `name`, registering it if new; -1 if all slots are taken.
  static int FindOrAdd(std::string_view name);
  // -1 if unknown.
  static int Find(std::string_view name);
  static std::string Name(int kind);
  static int Count();
};

}  // namespace clustersim::plugins
