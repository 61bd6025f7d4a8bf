#pragma once

// Framework::Round, shared by framework.cc (two-level rounds over offers) and framework_jobs.cc
// (monolithic and shared-state attempts over the cell). Include only from those.

#include <algorithm>
#include <vector>

#include "models/framework/framework.h"
#include "scheduler_plugins/api/feasibility.h"
#include "sim/check.h"

namespace clustersim::models {

// One decision round as the placement policy sees it. It applies the feasibility rules of
// scheduler_plugins/api/feasibility.h (plus the per-offer and per-agent counts) so that every
// policy obeys the same ones.
class Framework::Round final : public plugins::PlacementContext {
 public:
  // The candidates are the whole queue, as it stands; the round marks what it places there.
  Round(Framework& fw, PendingQueue& queue, std::vector<plugins::OfferView> offers)
      : fw_(fw),
        queue_(queue),
        offers_(std::move(offers)),
        launches_(offers_.size()),
        remaining_(offers_.size()),
        closed_(offers_.size(), 0),
        agents_(offers_.size()),
        stamp_(queue_.NewStamp()) {
    for (size_t o = 0; o < offers_.size(); ++o) remaining_[o] = offers_[o].resources;
    open_offers_ = offers_.size();
  }

  const plugins::ClusterView& cluster() const override { return fw_.master_; }
  std::span<const plugins::OfferView> offers() const override { return offers_; }
  std::span<const plugins::TaskView> tasks() const override { return queue_.views(); }
  const Resources& remaining(size_t o) const override { return remaining_[o]; }
  void ChargeDecisionTime(sim::Time t) override { charged_ += t; }
  uint64_t task_id(size_t t) const override { return fw_.tasks_[queue_.slot(t)].id; }
  uint64_t task_job(size_t t) const override { return fw_.tasks_[queue_.slot(t)].job; }
  bool task_different_machine(size_t t) const override {
    return fw_.tasks_[queue_.slot(t)].different_machine;
  }
  JobTally job_tally(size_t o, uint64_t job) const override {
    auto it = fw_.job_on_agent_.find(JobOnAgent{job, offers_[o].agent.value});
    if (it == fw_.job_on_agent_.end()) return {};
    return {it->second.tasks, it->second.different_machine};
  }
  void SetRefuse(size_t o, sim::Time refuse) override {
    if (refuse_.empty()) refuse_.assign(offers_.size(), kDefaultRefuse);
    refuse_[o] = refuse;
  }
  void Suppress() override { suppress_ = true; }
  // What the policy asked of the answer: per offer refuse durations (empty: the framework's;
  // kDefaultRefuse entries too) and whether to suppress.
  std::vector<sim::Time> TakeRefuse() { return std::move(refuse_); }
  bool suppress() const { return suppress_; }
  static constexpr sim::Time kDefaultRefuse = sim::Time::Micros(-1);
  // What the policy charged to this round's decision time (PlacementContext::ChargeDecisionTime).
  sim::Time charged() const { return charged_; }

  Resources Charge(size_t t, size_t o) const {
    return plugins::Charge(AgentOf(o).shape, queue_.views()[t].resources);
  }

  bool CanPlace(size_t t, size_t o) const override {
    const plugins::TaskView& task = queue_.views()[t];
    // Cheapest tests first: most pairs a policy asks about fail on size.
    if (!remaining_[o].Contains(task.resources)) return false;
    if (queue_.Marked(t, stamp_)) return false;
    const int max_per_offer = fw_.spec_.max_tasks_per_offer;
    if (max_per_offer > 0 && launches_[o].size() >= static_cast<size_t>(max_per_offer))
      return false;
    const OfferAgent& offer_agent = AgentOf(o);
    if (!offer_agent.attributes_match) return false;
    if (!plugins::Fits({task.resources, task.os, task.image_version}, offer_agent.shape,
                       remaining_[o])) {
      return false;
    }
    const plugins::AgentInfo& agent = *offer_agent.info;
    const ConstraintSpec& c = fw_.spec_.workload.constraints;
    if (c.max_tasks_per_agent > 0) {
      auto it = fw_.per_agent_.find(agent.id.value);
      const uint32_t running = it == fw_.per_agent_.end() ? 0 : it->second;
      if (running >= static_cast<uint32_t>(c.max_tasks_per_agent)) return false;
    }
    if (fw_.tracks_jobs_ && !fw_.JobAllows(fw_.tasks_[queue_.slot(t)], agent.id)) return false;
    return true;
  }

  void Place(size_t t, size_t o) override {
    SIM_CHECK_MSG(CanPlace(t, o), "placement policy placed a task where it cannot go");
    const Resources charge = Charge(t, o);
    remaining_[o] -= charge;
    const TaskSlot slot = queue_.slot(t);
    Task& task = fw_.tasks_[slot];
    task.allocated = charge;
    launches_[o].push_back(slot);
    queue_.Mark(t, stamp_);
    last_placed_ = placed_count_ == 0 ? t : std::max(last_placed_, t);
    ++placed_count_;
    const int max_per_offer = fw_.spec_.max_tasks_per_offer;
    if (!closed_[o] &&
        ((max_per_offer > 0 && launches_[o].size() >= static_cast<size_t>(max_per_offer)) ||
         remaining_[o].IsZero())) {
      closed_[o] = 1;
      --open_offers_;
    }
    fw_.CountPlacement(task, offers_[o].agent, +1);
  }

  bool Exhausted() const override { return placed_count_ == queue_.size() || open_offers_ == 0; }

  int max_tasks_per_offer() const override { return fw_.spec_.max_tasks_per_offer; }
  int max_tasks_per_agent() const override {
    return fw_.spec_.workload.constraints.max_tasks_per_agent;
  }
  bool attributes_match(size_t o) const override { return AgentOf(o).attributes_match; }
  double mem_overhead_mib(size_t o) const override { return AgentOf(o).shape.mem_overhead_mib; }
  uint32_t tasks_on_agent(size_t o) const override {
    auto it = fw_.per_agent_.find(offers_[o].agent.value);
    return it == fw_.per_agent_.end() ? 0 : it->second;
  }
  uint32_t placed_in(size_t o) const override { return static_cast<uint32_t>(launches_[o].size()); }
  bool has_job_constraints() const override { return fw_.tracks_jobs_; }

  std::vector<std::vector<TaskSlot>> TakeLaunches() { return std::move(launches_); }
  size_t placed_count() const { return placed_count_; }
  // Takes the placed tasks out of the queue (call once, after the policy is done).
  void RemovePlaced() {
    if (placed_count_ == 0) return;
    for (size_t t = 0; t <= last_placed_; ++t) {
      if (queue_.Marked(t, stamp_)) fw_.CountDemand(fw_.tasks_[queue_.slot(t)], -1);
    }
    queue_.RemoveMarked(stamp_, last_placed_);
  }

 private:
  struct OfferAgent {
    const plugins::AgentInfo* info = nullptr;
    plugins::AgentShape shape;
    bool attributes_match = false;  // carries the attributes the framework's constraints require
  };
  // Looked up once per offer, and only for offers some task fits by size: most offers of a big
  // cluster are declined untouched, and each look-up is a cache miss.
  const OfferAgent& AgentOf(size_t o) const {
    OfferAgent& a = agents_[o];
    if (a.info == nullptr) {
      a.info = &fw_.master_.agent(offers_[o].agent);
      a.shape = plugins::AgentShape::Of(*a.info, fw_.runtime_.MemOverheadMiB(a.info->isolation));
      a.attributes_match =
          plugins::AttributesMatch(fw_.spec_.workload.constraints.attributes, a.info->attributes);
    }
    return a;
  }
  Framework& fw_;
  PendingQueue& queue_;
  std::vector<plugins::OfferView> offers_;
  std::vector<std::vector<TaskSlot>> launches_;
  std::vector<Resources> remaining_;
  std::vector<uint8_t> closed_;  // per offer: counted out of open_offers_
  mutable std::vector<OfferAgent> agents_;
  uint32_t stamp_;
  size_t placed_count_ = 0;
  size_t last_placed_ = 0;
  size_t open_offers_ = 0;  // offers neither full by count nor emptied
  sim::Time charged_;
  std::vector<sim::Time> refuse_;
  bool suppress_ = false;
};

}  // namespace clustersim::models
