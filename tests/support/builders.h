#pragma once

// Test builders and fakes at the plugin-API level (no models/): resources in Mesos's text form, a
// ClusterView whose state a test sets by hand, and a PlacementContext that records what a
// placement policy does. Header-only so that plugins_tests need not link the models.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scheduler_plugins/api/cluster_view.h"
#include "scheduler_plugins/api/os.h"
#include "scheduler_plugins/api/placement_policy.h"
#include "scheduler_plugins/api/resources.h"

namespace clustersim::test {

// Resources in Mesos's text form, as in Mesos's tests (`Resources::parse("cpus:2;mem:1024")`):
// "name:value" pairs separated by ';'. cpus, mem (MiB), disk (MiB), gpus and any named scalar
// (registered on first use). A malformed string fails the current test.
inline plugins::Resources Res(std::string_view text) {
  plugins::Resources r;
  while (!text.empty()) {
    const size_t end = text.find(';');
    std::string_view item = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (item.empty()) continue;
    const size_t colon = item.find(':');
    if (colon == std::string_view::npos) {
      ADD_FAILURE() << "Res: '" << item << "' is not name:value";
      continue;
    }
    const std::string name(item.substr(0, colon));
    const std::string value(item.substr(colon + 1));
    char* parse_end = nullptr;
    const double v = std::strtod(value.c_str(), &parse_end);
    if (value.empty() || *parse_end != '\0') {
      ADD_FAILURE() << "Res: '" << value << "' is not a number";
      continue;
    }
    const int kind = plugins::ResourceKinds::FindOrAdd(name);
    if (kind < 0) {
      ADD_FAILURE() << "Res: no slot left for resource kind '" << name << "'";
      continue;
    }
    r.Set(kind, v);
  }
  return r;
}

// A ClusterView set up by hand. Role allocations are kept as the sum of their frameworks'.
class FakeClusterView final : public plugins::ClusterView {
 public:
  plugins::AgentId AddAgent(plugins::AgentInfo info) {
    info.id = plugins::AgentId(static_cast<uint32_t>(agents_.size()));
    total_ += info.capacity;
    available_.push_back(info.capacity);
    active_.push_back(true);
    agents_.push_back(std::move(info));
    return agents_.back().id;
  }
  plugins::AgentId AddAgent(std::string name, plugins::Resources capacity,
                            plugins::Os os = plugins::Os::kLinux,
                            plugins::OsVersion version = plugins::OsVersion::kNone,
                            plugins::Isolation isolation = plugins::Isolation::kDocker) {
    plugins::AgentInfo info;
    info.name = std::move(name);
    info.capacity = capacity;
    info.os = os;
    info.os_version = version;
    info.isolation = isolation;
    return AddAgent(std::move(info));
  }
  plugins::RoleId AddRole(std::string name, double weight = 1.0) {
    const plugins::RoleId id(static_cast<uint32_t>(roles_.size()));
    roles_.push_back(plugins::RoleInfo{id, std::move(name), weight});
    role_allocated_.emplace_back();
    role_offer_count_.push_back(0);
    return id;
  }
  // Registration order defaults to the id; pass another to decouple the two.
  plugins::FrameworkId AddFramework(std::string name, plugins::RoleId role, int order = -1) {
    const plugins::FrameworkId id(static_cast<uint32_t>(frameworks_.size()));
    frameworks_.push_back(plugins::FrameworkInfo{
        id, std::move(name), role, order < 0 ? id.value : static_cast<uint32_t>(order), id});
    framework_allocated_.emplace_back();
    framework_offer_count_.push_back(0);
    framework_active_.push_back(true);
    return id;
  }
  void SetAllocated(plugins::FrameworkId f, const plugins::Resources& r) {
    plugins::Resources& role = role_allocated_[frameworks_[f.index()].role.index()];
    role -= framework_allocated_[f.index()];
    role += r;
    framework_allocated_[f.index()] = r;
  }
  // One offer made to f, as the master counts it (for the DRF sorter's tie-break).
  void CountOffer(plugins::FrameworkId f) {
    ++framework_offer_count_[f.index()];
    ++role_offer_count_[frameworks_[f.index()].role.index()];
  }
  // A new leading master (AllocatorPolicy::AllocatorRestarted): every count from zero.
  void ResetOfferCounts() {
    std::fill(framework_offer_count_.begin(), framework_offer_count_.end(), 0);
    std::fill(role_offer_count_.begin(), role_offer_count_.end(), 0);
  }
  void SetTotal(const plugins::Resources& total) { total_ = total; }
  // The weight of a role path (ClusterView::role_weight); paths not set fall back to the role of
  // that name (RoleInfo::weight), else 1.
  void SetPathWeight(std::string path, double weight) { path_weights_[std::move(path)] = weight; }
  void SetFairnessExcludedKinds(uint32_t mask) { excluded_kinds_ = mask; }
  void SetAvailable(plugins::AgentId a, const plugins::Resources& r) { available_[a.index()] = r; }
  void SetMissing(plugins::AgentId a, plugins::ImageId image, double mib) {
    missing_[{a.value, image.value}] = mib;
  }
  void SetNow(sim::Time t) { now_ = t; }
  void SetFrameworkActive(plugins::FrameworkId f, bool active) {
    framework_active_[f.index()] = active;
  }
  void SetDemand(plugins::FrameworkId f, std::vector<plugins::PendingDemand> demand) {
    demand_[f.value] = std::move(demand);
  }

  sim::Time now() const override { return now_; }
  size_t agent_count() const override { return agents_.size(); }
  const plugins::AgentInfo& agent(plugins::AgentId id) const override {
    return agents_[id.index()];
  }
  bool agent_active(plugins::AgentId id) const override { return active_[id.index()]; }
  const plugins::Resources& agent_available(plugins::AgentId id) const override {
    return available_[id.index()];
  }
  double image_missing_mib(plugins::AgentId id, plugins::ImageId image) const override {
    auto it = missing_.find({id.value, image.value});
    return it == missing_.end() ? 0 : it->second;
  }
  size_t role_count() const override { return roles_.size(); }
  const plugins::RoleInfo& role(plugins::RoleId id) const override { return roles_[id.index()]; }
  const plugins::Resources& role_allocated(plugins::RoleId id) const override {
    return role_allocated_[id.index()];
  }
  uint64_t role_offer_count(plugins::RoleId id) const override {
    return role_offer_count_[id.index()];
  }
  size_t framework_count() const override { return frameworks_.size(); }
  const plugins::FrameworkInfo& framework(plugins::FrameworkId id) const override {
    return frameworks_[id.index()];
  }
  bool framework_active(plugins::FrameworkId id) const override {
    return framework_active_[id.index()];
  }
  const plugins::Resources& framework_allocated(plugins::FrameworkId id) const override {
    return framework_allocated_[id.index()];
  }
  uint64_t framework_offer_count(plugins::FrameworkId id) const override {
    return framework_offer_count_[id.index()];
  }
  std::span<const plugins::PendingDemand> framework_demand(plugins::FrameworkId id) const override {
    auto it = demand_.find(id.value);
    if (it == demand_.end()) return {};
    return it->second;
  }
  const plugins::Resources& cluster_total() const override { return total_; }
  double role_weight(std::string_view path) const override {
    auto it = path_weights_.find(std::string(path));
    return it == path_weights_.end() ? ClusterView::role_weight(path) : it->second;
  }
  uint32_t fairness_excluded_kinds() const override { return excluded_kinds_; }

 private:
  std::map<std::string, double> path_weights_;
  uint32_t excluded_kinds_ = 0;
  sim::Time now_;
  std::vector<plugins::AgentInfo> agents_;
  std::vector<plugins::Resources> available_;
  std::vector<bool> active_;
  std::vector<plugins::RoleInfo> roles_;
  std::vector<plugins::Resources> role_allocated_;
  std::vector<uint64_t> role_offer_count_;
  std::vector<plugins::FrameworkInfo> frameworks_;
  std::vector<plugins::Resources> framework_allocated_;
  std::vector<uint64_t> framework_offer_count_;
  std::vector<bool> framework_active_;
  std::map<std::pair<uint32_t, uint32_t>, double> missing_;
  std::map<uint32_t, std::vector<plugins::PendingDemand>> demand_;
  plugins::Resources total_;
};

// A PlacementContext with the simplest feasibility rules: a task fits an offer if its image runs
// on the offer's agent (CanRun), its resources fit in what remains of the offer and the pair is
// not forbidden. Records every CanPlace and Place call so tests can assert what the policy
// tried, not only what it chose.
class FakePlacementContext final : public plugins::PlacementContext {
 public:
  explicit FakePlacementContext(const plugins::ClusterView& view) : view_(view) {}

  void AddOffer(plugins::AgentId agent, const plugins::Resources& r) {
    offers_.push_back(plugins::OfferView{plugins::OfferId(offers_.size() + 1), agent, r});
    remaining_.push_back(r);
  }
  // Shape defaults to a fresh one per task.
  void AddTask(const plugins::Resources& r, int shape = -1) {
    plugins::TaskView t;
    t.resources = r;
    t.shape =
        shape < 0 ? static_cast<uint32_t>(1000 + tasks_.size()) : static_cast<uint32_t>(shape);
    tasks_.push_back(t);
    placed_.push_back(-1);
  }
  // A task with an image (or any other TaskView field set); shape as above.
  void AddTask(plugins::TaskView t, int shape = -1) {
    t.shape =
        shape < 0 ? static_cast<uint32_t>(1000 + tasks_.size()) : static_cast<uint32_t>(shape);
    tasks_.push_back(t);
    placed_.push_back(-1);
  }
  void Forbid(size_t task, size_t offer) { forbidden_.emplace_back(task, offer); }

  const plugins::ClusterView& cluster() const override { return view_; }
  std::span<const plugins::OfferView> offers() const override { return offers_; }
  std::span<const plugins::TaskView> tasks() const override { return tasks_; }
  const plugins::Resources& remaining(size_t o) const override { return remaining_[o]; }
  bool CanPlace(size_t t, size_t o) const override {
    can_place_calls_.emplace_back(t, o);
    if (placed_[t] >= 0) return false;
    for (const auto& [ft, fo] : forbidden_) {
      if (ft == t && fo == o) return false;
    }
    const plugins::AgentInfo& agent = view_.agent(offers_[o].agent);
    if (!plugins::CanRun(agent.os, agent.os_version, agent.isolation, tasks_[t].os,
                         tasks_[t].image_version)) {
      return false;
    }
    return remaining_[o].Contains(tasks_[t].resources);
  }
  void Place(size_t t, size_t o) override {
    EXPECT_TRUE(CanPlaceQuiet(t, o))
        << "policy placed task " << t << " on offer " << o << " where it cannot go";
    remaining_[o] -= tasks_[t].resources;
    placed_[t] = static_cast<int>(o);
    placements_.emplace_back(t, o);
  }
  bool Exhausted() const override {
    bool all_placed = true;
    for (int p : placed_) all_placed = all_placed && p >= 0;
    if (all_placed) return true;
    for (const auto& r : remaining_) {
      if (!r.IsZero()) return false;
    }
    return true;
  }

  // Offer index each task went to, -1 if none.
  const std::vector<int>& placed() const { return placed_; }
  const std::vector<std::pair<size_t, size_t>>& placements() const { return placements_; }
  const std::vector<std::pair<size_t, size_t>>& can_place_calls() const { return can_place_calls_; }
  size_t CanPlaceCallsFor(size_t task) const {
    size_t n = 0;
    for (const auto& [t, o] : can_place_calls_) n += t == task ? 1 : 0;
    return n;
  }

 private:
  bool CanPlaceQuiet(size_t t, size_t o) const {
    const size_t before = can_place_calls_.size();
    const bool ok = CanPlace(t, o);
    can_place_calls_.resize(before);
    return ok;
  }

  const plugins::ClusterView& view_;
  std::vector<plugins::OfferView> offers_;
  std::vector<plugins::Resources> remaining_;
  std::vector<plugins::TaskView> tasks_;
  std::vector<int> placed_;
  std::vector<std::pair<size_t, size_t>> forbidden_;
  std::vector<std::pair<size_t, size_t>> placements_;
  mutable std::vector<std::pair<size_t, size_t>> can_place_calls_;
};

}  // namespace clustersim::test
