#include "scheduler_plugins/api/resources.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <vector>

#include "sim/check.h"

namespace clustersim::plugins {
namespace {

bool InFixedRange(double value) {
  return std::isfinite(value) && std::abs(value) <= Resources::kMaxAmount;
}

struct KindTable {
  std::mutex mu;
  std::vector<std::string> names{"cpus", "mem", "disk", "gpus"};
};
KindTable& Table() {
  static KindTable table;
  return table;
}

}  // namespace

int64_t Resources::ToFixed(double value) {
  SIM_CHECK_MSG(InFixedRange(value), "Resources: amount not finite or beyond kMaxAmount");
  return std::llround(value * kScale);
}

sim::Result<int64_t> Resources::CheckedToFixed(double value) {
  if (!std::isfinite(value)) return sim::Status::Error("not a finite number");
  if (!InFixedRange(value)) {
    return sim::Status::Error(
        fmt::format("{:g} is out of range (at most {:g} in magnitude)", value, kMaxAmount));
  }
  return std::llround(value * kScale);
}

Resources Resources::Of(double cpus, double mem_mib, double disk_mib, double gpus) {
  Resources r;
  r.v_[kCpus] = ToFixed(cpus);
  r.v_[kMem] = ToFixed(mem_mib);
  r.v_[kDisk] = ToFixed(disk_mib);
  r.v_[kGpus] = ToFixed(gpus);
  return r;
}

void Resources::Set(int kind, double value) { v_[kind] = ToFixed(value); }

double Resources::DominantShare(const Resources& total) const {
  double share = 0;
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    if (total.v_[k] > 0) {
      share = std::max(share, static_cast<double>(v_[k]) / static_cast<double>(total.v_[k]));
    }
  }
  return share;
}

Resources Resources::Min(const Resources& other) const {
  Resources r;
  for (int k = 0; k < kMaxResourceKinds; ++k) r.v_[k] = std::min(v_[k], other.v_[k]);
  return r;
}

Resources Resources::Max(const Resources& other) const {
  Resources r;
  for (int k = 0; k < kMaxResourceKinds; ++k) r.v_[k] = std::max(v_[k], other.v_[k]);
  return r;
}

Resources Resources::operator*(double factor) const {
  Resources r;
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    const double scaled = static_cast<double>(v_[k]) * factor;
    SIM_CHECK_MSG(InFixedRange(scaled / kScale), "Resources: scaled amount beyond kMaxAmount");
    r.v_[k] = std::llround(scaled);
  }
  return r;
}

std::string Resources::ToString() const {
  std::string out;
  for (int k = 0; k < kMaxResourceKinds; ++k) {
    if (v_[k] == 0) continue;
    if (!out.empty()) out += ';';
    out += fmt::format("{}:{:g}", ResourceKinds::Name(k), Get(k));
  }
  return out.empty() ? "{}" : out;
}

int ResourceKinds::FindOrAdd(std::string_view name) {
  auto& t = Table();
  std::lock_guard lock(t.mu);
  for (size_t k = 0; k < t.names.size(); ++k) {
    if (t.names[k] == name) return static_cast<int>(k);
  }
  if (t.names.size() >= kMaxResourceKinds) return -1;
  t.names.emplace_back(name);
  return static_cast<int>(t.names.size() - 1);
}

int ResourceKinds::Find(std::string_view name) {
  auto& t = Table();
  std::lock_guard lock(t.mu);
  for (size_t k = 0; k < t.names.size(); ++k) {
    if (t.names[k] == name) return static_cast<int>(k);
  }
  return -1;
}

std::string ResourceKinds::Name(int kind) {
  auto& t = Table();
  std::lock_guard lock(t.mu);
  return kind >= 0 && static_cast<size_t>(kind) < t.names.size() ? t.names[kind]
                                                                 : fmt::format("r{}", kind);
}

int ResourceKinds::Count() {
  auto& t = Table();
  std::lock_guard lock(t.mu);
  return static_cast<int>(t.names.size());
}

}  // namespace clustersim::plugins
