// An external policy's answers (scheduler_plugins/external/answer_rules.h): whatever bytes a
// policy process sends as a PlacementDecision or an AllocationOrder, the rules answer with an
// error or apply it — never a crash, an out-of-range read, or a Place the round's CanPlace did
// not allow. The first byte picks the message; the rest is parsed as it.
#include <cstdlib>
#include <string>
#include <vector>

#include "scheduler_plugins/external/answer_rules.h"

namespace clustersim::plugins::external {
namespace {

namespace pb = clustersim::external::v1;

Resources Cpus(double cpus) {
  Resources r;
  r.Set(0, cpus);
  return r;
}

// Three agents, three subscriptions in two roles: just what the rules read.
class View final : public ClusterView {
 public:
  View() {
    for (uint32_t a = 0; a < 3; ++a) {
      AgentInfo info;
      info.id = AgentId(a);
      info.name = "agent-" + std::to_string(a);
      info.capacity = Cpus(4);
      agents_.push_back(info);
    }
    for (uint32_t f = 0; f < 3; ++f) {
      frameworks_.push_back(FrameworkInfo{FrameworkId(f), "fw-" + std::to_string(f), RoleId(f % 2),
                                          f, FrameworkId(f)});
    }
    roles_ = {RoleInfo{RoleId(0), "a", 1}, RoleInfo{RoleId(1), "b", 1}};
    total_ = Cpus(12);
  }
  sim::Time now() const override { return sim::Time(); }
  size_t agent_count() const override { return agents_.size(); }
  const AgentInfo& agent(AgentId id) const override { return agents_[id.index()]; }
  bool agent_active(AgentId) const override { return true; }
  const Resources& agent_available(AgentId id) const override {
    return agents_[id.index()].capacity;
  }
  double image_missing_mib(AgentId, ImageId) const override { return 0; }
  size_t role_count() const override { return roles_.size(); }
  const RoleInfo& role(RoleId id) const override { return roles_[id.index()]; }
  const Resources& role_allocated(RoleId) const override { return none_; }
  uint64_t role_offer_count(RoleId) const override { return 0; }
  size_t framework_count() const override { return frameworks_.size(); }
  const FrameworkInfo& framework(FrameworkId id) const override { return frameworks_[id.index()]; }
  bool framework_active(FrameworkId) const override { return true; }
  const Resources& framework_allocated(FrameworkId) const override { return none_; }
  uint64_t framework_offer_count(FrameworkId) const override { return 0; }
  const Resources& cluster_total() const override { return total_; }

 private:
  std::vector<AgentInfo> agents_;
  std::vector<FrameworkInfo> frameworks_;
  std::vector<RoleInfo> roles_;
  Resources total_, none_;
};

// Three offers of 4, 2 and 1 cpus and four tasks of 1 to 4 cpus; CanPlace is "fits what is left
// and not placed yet", and Place aborts where CanPlace says no.
class Round final : public PlacementContext {
 public:
  explicit Round(const View& view) : view_(view) {
    for (uint32_t o = 0; o < 3; ++o) {
      offers_.push_back(OfferView{OfferId(o + 1), AgentId(o), Cpus(4 >> o)});
      remaining_.push_back(Cpus(4 >> o));
    }
    for (int t = 1; t <= 4; ++t) {
      TaskView task;
      task.resources = Cpus(t);
      task.shape = static_cast<uint32_t>(t);
      tasks_.push_back(task);
    }
    placed_.assign(tasks_.size(), false);
  }
  const ClusterView& cluster() const override { return view_; }
  std::span<const OfferView> offers() const override { return offers_; }
  std::span<const TaskView> tasks() const override { return tasks_; }
  const Resources& remaining(size_t o) const override { return remaining_[o]; }
  bool CanPlace(size_t t, size_t o) const override {
    return !placed_[t] && remaining_[o].Contains(tasks_[t].resources);
  }
  void Place(size_t t, size_t o) override {
    if (!CanPlace(t, o)) std::abort();
    remaining_[o] -= tasks_[t].resources;
    placed_[t] = true;
  }
  bool Exhausted() const override { return false; }
  void SetRefuse(size_t o, sim::Time refuse) override {
    if (o >= offers_.size() || refuse < sim::Time()) std::abort();
  }

 private:
  const View& view_;
  std::vector<OfferView> offers_;
  std::vector<Resources> remaining_;
  std::vector<TaskView> tasks_;
  std::vector<bool> placed_;
};

void Decision(const uint8_t* data, size_t size) {
  pb::PlacementDecision decision;
  if (!decision.ParseFromArray(data, static_cast<int>(size))) return;
  static const View view;
  Round round(view);
  (void)ApplyDecision(round, decision, 1);
}

// Two planned agents: agent 0 with subscriptions 0 and 2 eligible, agent 2 with 1.
void Order(const uint8_t* data, size_t size) {
  pb::AllocationOrder order;
  if (!order.ParseFromArray(data, static_cast<int>(size))) return;
  static const View view;
  static const CyclePlan plan = [] {
    CyclePlan p;
    p.agents = {{AgentId(0), Cpus(4), 0, 2}, {AgentId(2), Cpus(1), 2, 1}};
    p.eligible = {FrameworkId(0), FrameworkId(2), FrameworkId(1)};
    return p;
  }();
  static OrderCheck check;
  std::vector<std::pair<uint32_t, uint32_t>> ranges;
  if (!check.Check(view, plan, order, 1, ranges).ok()) return;
  // Accepted: every range lies within the entries and names an eligible subscription.
  if (ranges.size() != plan.agents.size()) std::abort();
  for (size_t a = 0; a < ranges.size(); ++a) {
    const auto [first, count] = ranges[a];
    if (first + count > static_cast<uint32_t>(order.framework_size())) std::abort();
  }
}

}  // namespace
}  // namespace clustersim::plugins::external

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    clustersim::plugins::external::Decision(data + 1, size - 1);
  } else {
    clustersim::plugins::external::Order(data + 1, size - 1);
  }
  return 0;
}
