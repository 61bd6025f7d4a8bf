#include "scheduler_plugins/external/answer_rules.h"

#include <fmt/format.h>

#include <string>

#include "scheduler_plugins/api/feasibility.h"

namespace clustersim::plugins::external {
namespace {

namespace pb = clustersim::external::v1;

sim::Status Error(std::string message) { return sim::Status::Error(std::move(message)); }

// Why CanPlace(t, o) is false, in the order PlacementContext's rules apply, for the error line.
std::string WhyNot(const PlacementContext& ctx, size_t t, size_t o) {
  const TaskView& task = ctx.tasks()[t];
  const AgentInfo& agent = ctx.cluster().agent(ctx.offers()[o].agent);
  if (!ctx.remaining(o).Contains(task.resources)) {
    return fmt::format("the task needs {} and the offer has {} left", task.resources.ToString(),
                       ctx.remaining(o).ToString());
  }
  const int per_offer = ctx.max_tasks_per_offer();
  if (per_offer > 0 && ctx.placed_in(o) >= static_cast<uint32_t>(per_offer)) {
    return fmt::format("the offer has its max_tasks_per_offer ({}) already", per_offer);
  }
  if (!ctx.attributes_match(o)) return "the agent lacks an attribute the framework requires";
  if (!CanRun(agent.os, agent.os_version, agent.isolation, task.os, task.image_version)) {
    return fmt::format("a {} task (image version {}) cannot run on a {} {} agent ({} isolation)",
                       OsName(task.os), OsVersionName(task.image_version), OsName(agent.os),
                       OsVersionName(agent.os_version), IsolationName(agent.isolation));
  }
  const AgentShape shape{agent.os, agent.os_version, agent.isolation, ctx.mem_overhead_mib(o)};
  if (!ctx.remaining(o).Contains(Charge(shape, task.resources))) {
    return fmt::format("with the container's memory the task needs {} and the offer has {} left",
                       Charge(shape, task.resources).ToString(), ctx.remaining(o).ToString());
  }
  const int per_agent = ctx.max_tasks_per_agent();
  if (per_agent > 0 && ctx.tasks_on_agent(o) >= static_cast<uint32_t>(per_agent)) {
    return fmt::format("the agent runs max_tasks_per_agent ({}) of the framework's tasks",
                       per_agent);
  }
  return "the task is placed already, or a job constraint forbids the agent";
}

sim::Status CheckFeasibility(const PlacementContext& ctx, const pb::PlacementDecision& d,
                             uint64_t round) {
  if (d.check_task_size() != d.check_offer_size() ||
      d.check_task_size() != d.check_can_place_size()) {
    return Error(
        fmt::format("round {}: PlacementDecision's check_task, check_offer and "
                    "check_can_place have {}, {} and {} entries; expected as many",
                    round, d.check_task_size(), d.check_offer_size(), d.check_can_place_size()));
  }
  for (int i = 0; i < d.check_task_size(); ++i) {
    const uint32_t t = d.check_task(i), o = d.check_offer(i);
    if (t >= ctx.tasks().size() || o >= ctx.offers().size()) {
      return Error(
          fmt::format("round {}: check {} names task {} and offer {}; expected a "
                      "task below {} and an offer below {}",
                      round, i, t, o, ctx.tasks().size(), ctx.offers().size()));
    }
    if (ctx.CanPlace(t, o) != d.check_can_place(i)) {
      return Error(fmt::format(
          "round {}: can_place(task {}, offer {}) is {} for the policy and {} for the simulator{}",
          round, t, o, d.check_can_place(i), !d.check_can_place(i),
          d.check_can_place(i) ? " (" + WhyNot(ctx, t, o) + ")" : ""));
    }
  }
  return sim::Status::Ok();
}

sim::Status ApplyFilters(PlacementContext& ctx, const pb::PlacementDecision& d, uint64_t round) {
  if (d.refuse_offer_size() != d.refuse_seconds_size()) {
    return Error(fmt::format(
        "round {}: PlacementDecision.refuse_offer has {} entries and refuse_seconds {}; expected "
        "one duration per offer",
        round, d.refuse_offer_size(), d.refuse_seconds_size()));
  }
  constexpr double kMaxRefuseSeconds = 1e9;
  for (int i = 0; i < d.refuse_offer_size(); ++i) {
    const uint32_t o = d.refuse_offer(i);
    const double seconds = d.refuse_seconds(i);
    if (o >= ctx.offers().size()) {
      return Error(fmt::format("round {}: refuse {} names offer {}; expected an offer below {}",
                               round, i, o, ctx.offers().size()));
    }
    if (!(seconds >= 0 && seconds <= kMaxRefuseSeconds)) {
      return Error(fmt::format("round {}: refuse {} asks {} s for offer {}; expected 0 to 1e9 s",
                               round, i, seconds, o));
    }
    ctx.SetRefuse(o, sim::Time::FromSeconds(seconds));  // rounded, as every other duration
  }
  return sim::Status::Ok();
}

}  // namespace

sim::Status ApplyDecision(PlacementContext& ctx, const pb::PlacementDecision& d, uint64_t round) {
  if (d.launch_task_size() != d.launch_offer_size()) {
    return Error(fmt::format(
        "round {}: PlacementDecision.launch_task has {} entries and launch_offer {}; expected "
        "one offer per task",
        round, d.launch_task_size(), d.launch_offer_size()));
  }
  SIM_RETURN_IF_ERROR(CheckFeasibility(ctx, d, round));
  for (int i = 0; i < d.launch_task_size(); ++i) {
    const uint32_t t = d.launch_task(i), o = d.launch_offer(i);
    if (t >= ctx.tasks().size() || o >= ctx.offers().size()) {
      return Error(fmt::format(
          "round {}: launch {} names task {} into offer {}; expected a task below {} and an "
          "offer below {}",
          round, i, t, o, ctx.tasks().size(), ctx.offers().size()));
    }
    if (!ctx.CanPlace(t, o)) {
      return Error(fmt::format("round {}: illegal launch {} (task {} into offer {}): {}", round, i,
                               t, o, WhyNot(ctx, t, o)));
    }
    ctx.Place(t, o);
  }
  SIM_RETURN_IF_ERROR(ApplyFilters(ctx, d, round));
  if (d.suppress()) ctx.Suppress();
  return sim::Status::Ok();
}

sim::Status OrderCheck::Check(const ClusterView& view, const CyclePlan& plan,
                              const pb::AllocationOrder& order, uint64_t cycle,
                              std::vector<std::pair<uint32_t, uint32_t>>& ranges) {
  if (static_cast<size_t>(order.count_size()) != plan.agents.size()) {
    return Error(fmt::format(
        "cycle {}: AllocationOrder.count has {} entries; expected one per visited agent ({})",
        cycle, order.count_size(), plan.agents.size()));
  }
  if (mark_.size() < view.framework_count()) mark_.resize(view.framework_count(), 0);
  uint64_t listed = 0;
  for (uint32_t c : order.count()) listed += c;
  if (listed != static_cast<uint64_t>(order.framework_size())) {
    return Error(fmt::format(
        "cycle {}: AllocationOrder.count adds up to {} but AllocationOrder.framework has {}", cycle,
        listed, order.framework_size()));
  }
  ranges.clear();
  uint32_t next = 0;
  for (size_t a = 0; a < plan.agents.size(); ++a) {
    const CyclePlan::Agent& agent = plan.agents[a];
    marks_ += 2;  // mark_[f] == marks_: eligible here; marks_ + 1: already listed
    for (uint32_t i = agent.first; i < agent.first + agent.count; ++i) {
      mark_[plan.eligible[i].index()] = marks_;
    }
    for (uint32_t i = next; i < next + order.count(static_cast<int>(a)); ++i) {
      const uint32_t f = order.framework(static_cast<int>(i));
      auto where = [&] {
        return fmt::format("cycle {}: agent {} ('{}')", cycle, agent.id.value,
                           view.agent(agent.id).name);
      };
      if (f >= view.framework_count()) {
        return Error(fmt::format("{}: framework {} does not exist; expected one below {}", where(),
                                 f, view.framework_count()));
      }
      auto name = [&] { return view.framework(FrameworkId(f)).name; };
      if (mark_[f] == marks_ + 1) {
        return Error(fmt::format("{}: framework {} ('{}') is listed twice", where(), f, name()));
      }
      if (mark_[f] != marks_) {
        return Error(fmt::format(
            "{}: framework {} ('{}') may not be offered this agent now (inactive, suppressed, "
            "excluded by its offer constraints, filtered or below its min_allocatable); expected "
            "one of AllocationCycle.eligible for it",
            where(), f, name()));
      }
      mark_[f] = marks_ + 1;
    }
    ranges.emplace_back(next, order.count(static_cast<int>(a)));
    next += order.count(static_cast<int>(a));
  }
  return sim::Status::Ok();
}

}  // namespace clustersim::plugins::external
