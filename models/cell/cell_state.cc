#include "models/cell/cell_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "sim/check.h"

namespace clustersim::models {

CellState::CellState(const sim::Simulator& sim, TaskTable& tasks,
                     std::vector<Resources> min_allocatable)
    : sim_(sim), tasks_(tasks) {
  SetMinAllocatable(std::move(min_allocatable));
}

std::vector<Resources> NormalizedMinAllocatable(std::vector<Resources> any_of) {
  const bool anything =
      any_of.empty() ||
      std::any_of(any_of.begin(), any_of.end(), [](const Resources& min) { return min.IsZero(); });
  if (!anything) return any_of;
  std::vector<Resources> units(plugins::kMaxResourceKinds);
  for (int k = 0; k < plugins::kMaxResourceKinds; ++k) units[k].SetRaw(k, 1);
  return units;
}

void CellState::SetMinAllocatable(std::vector<Resources> min_allocatable) {
  min_allocatable_ = NormalizedMinAllocatable(std::move(min_allocatable));
}

AgentId CellState::AddAgent(plugins::AgentInfo info) {
  const AgentId id(static_cast<uint32_t>(hot_.size()));
  info.id = id;
  AgentHot hot;
  hot.reserved = !info.reservations.empty();
  AgentCold cold;
  cold.info = std::move(info);
  hot_.push_back(hot);
  cold_.push_back(std::move(cold));
  return id;
}

void CellState::Activate(AgentId id) {
  AgentHot& hot = hot_[id.index()];
  AgentCold& agent = cold_[id.index()];
  SIM_CHECK(!hot.active && agent.tasks.empty() && agent.held.IsZero() && agent.allocated.IsZero());
  hot.active = true;
  hot.schedulable = true;
  hot.idle_epoch = 0;  // a (re)registered agent is new to its schedulers: no idle mark holds
  hot.available = agent.info.capacity;
  MarkDirty(id);
  total_ += agent.info.capacity;
}

void CellState::Deactivate(AgentId id) {
  AgentHot& hot = hot_[id.index()];
  const AgentCold& agent = cold_[id.index()];
  SIM_CHECK(hot.active && agent.tasks.empty() && agent.held.IsZero());
  hot.active = false;
  total_ -= agent.info.capacity;
  hot.available = Resources();
}

void CellState::SetSchedulable(AgentId id, bool schedulable) {
  AgentHot& hot = hot_[id.index()];
  SIM_CHECK(hot.active);
  if (hot.schedulable == schedulable) return;
  SIM_CHECK_MSG(schedulable || cold_[id.index()].held.IsZero(),
                "an agent closed to new work with resources held");
  hot.schedulable = schedulable;
  hot.idle_epoch = 0;
  if (schedulable) MarkDirty(id);
}

void CellState::Resize(AgentId id, const Resources& capacity) {
  AgentCold& agent = cold_[id.index()];
  SIM_CHECK_MSG(agent.held.IsZero() || capacity.Contains(agent.info.capacity),
                "an agent with resources held shrank");
  if (!hot_[id.index()].active) {
    agent.info.capacity = capacity;
    return;
  }
  total_ -= agent.info.capacity;
  total_ += capacity;
  agent.info.capacity = capacity;
  const Resources zero;
  const Resources taken = agent.allocated + agent.held;
  hot_[id.index()].available = (capacity - taken).Max(zero);
  MarkDirty(id);
  SetOvercommitted(agent, (taken - capacity).Max(zero));
  CheckAgent(id);
}

void CellState::Release(AgentId id, const Resources& r) {
  AgentCold& agent = cold_[id.index()];
  agent.held -= r;
  Return(id, r);
  SIM_CHECK_MSG(!agent.held.AnyNegative(), "an agent's offered resources went negative");
}

void CellState::AttachTask(TaskSlot slot, AgentId id) {
  Task& task = tasks_[slot];
  AgentCold& agent = cold_[id.index()];
  Take(id, task.allocated);
  if (hot_[id.index()].reserved) ClearIdle(id);  // the role mix changed (MarkIdle)
  task.agent = id;
  task.agent_pos = static_cast<uint32_t>(agent.tasks.size());
  agent.tasks.push_back(slot);
  CheckAgent(id);
}

void CellState::DetachTask(TaskSlot slot) {
  const Task& task = tasks_[slot];
  AgentCold& agent = cold_[task.agent.index()];
  SIM_CHECK(task.agent_pos < agent.tasks.size() && agent.tasks[task.agent_pos] == slot);
  const TaskSlot moved = agent.tasks.back();
  agent.tasks[task.agent_pos] = moved;
  tasks_[moved].agent_pos = task.agent_pos;
  agent.tasks.pop_back();
  agent.allocated -= task.allocated;
  Return(task.agent, task.allocated);
  if (hot_[task.agent.index()].reserved) ClearIdle(task.agent);  // the role mix changed
  CheckAgent(task.agent);
}

void CellState::Take(AgentId id, const Resources& r) {
  MarkDirty(id);
  AgentCold& agent = cold_[id.index()];
  Resources& available = hot_[id.index()].available;
  const Resources from_pool = available.Min(r);
  available -= from_pool;
  agent.allocated += r;
  if (from_pool != r) SetOvercommitted(agent, agent.overcommitted + (r - from_pool));
}

void CellState::Return(AgentId id, const Resources& r) {
  MarkDirty(id);
  AgentCold& agent = cold_[id.index()];
  Resources& available = hot_[id.index()].available;
  if (!agent.overcommitted_any) {
    available += r;
    return;
  }
  const Resources paid = agent.overcommitted.Min(r);
  SetOvercommitted(agent, agent.overcommitted - paid);
  available += r - paid;
}

void CellState::SetOvercommitted(AgentCold& agent, const Resources& overcommitted) {
  const bool was = !agent.overcommitted.IsZero();
  const bool is = !overcommitted.IsZero();
  agent.overcommitted = overcommitted;
  agent.overcommitted_any = is;
  if (was == is) return;
  const sim::Time now = sim_.Now();
  overcommit_agent_us_ += overcommitted_agents_ * (now - overcommit_since_).micros();
  overcommit_since_ = now;
  overcommitted_agents_ += is ? 1 : -1;
}

double CellState::overcommit_machine_seconds() const {
  const int64_t open = overcommitted_agents_ * (sim_.Now() - overcommit_since_).micros();
  return static_cast<double>(overcommit_agent_us_ + open) * 1e-6;
}

void CellState::MarkIdle(AgentId id, sim::Time until) {
  AgentHot& hot = hot_[id.index()];
  hot.idle_epoch = idle_epoch_;
  hot.idle_until = until;
  cold_[id.index()].idle_available = hot.available;
  if (!until.IsMax()) idle_expiry_.Push(until, id.value);
}

void CellState::CollectCandidates(sim::Time now, bool full_scan, std::vector<AgentId>& out) {
  out.clear();
  // Idle marks lapsing by now: their agents are due a look.
  idle_expiry_.PopDue(now, [this](uint32_t agent) { MarkDirty(AgentId(agent)); });
  if (full_scan_ || full_scan) {
    full_scan_ = false;
    for (AgentId id : dirty_) hot_[id.index()].dirty = false;
    dirty_.clear();
    for (uint32_t i = 0; i < hot_.size(); ++i) {
      if (Offerable(hot_[i])) out.push_back(AgentId(i));
    }
    return;
  }
  for (AgentId id : dirty_) {
    AgentHot& a = hot_[id.index()];
    a.dirty = false;
    if (Offerable(a)) out.push_back(id);
  }
  dirty_.clear();
  if (SIM_SWEEP_CHECKS_ENABLED || cycle_checks_) CheckSkippedAgentsAreIdle(now, out);
}

void CellState::CollectListed(sim::Time now, std::span<const AgentId> agents,
                              std::vector<AgentId>& out) {
  out.clear();
  idle_expiry_.PopDue(now, [this](uint32_t agent) { MarkDirty(AgentId(agent)); });
  for (AgentId id : agents) {
    if (Offerable(hot_[id.index()])) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void CellState::CheckSkippedAgentsAreIdle(sim::Time now, std::span<const AgentId> listed) const {
  std::vector<uint8_t> in_list(hot_.size(), 0);
  for (AgentId id : listed) in_list[id.index()] = 1;
  for (uint32_t i = 0; i < hot_.size(); ++i) {
    const AgentHot& a = hot_[i];
    if (in_list[i] || !Offerable(a) || IsIdle(AgentId(i), now)) continue;
    sim::internal::CheckFailed(
        "CheckSkippedAgentsAreIdle", __FILE__, __LINE__,
        fmt::format("offerable agent {} left out of a cycle but not idle", cold_[i].info.name)
            .c_str());
  }
}

void CellState::CheckAgent(AgentId id) const {
  const AgentCold& agent = cold_[id.index()];
  SIM_CHECK_MSG(!hot_[id.index()].available.AnyNegative() && !agent.held.AnyNegative() &&
                    !agent.allocated.AnyNegative() && !agent.overcommitted.AnyNegative(),
                "agent resources went negative (over-allocation)");
}

void CellState::CheckInvariants() const {
  auto fail = [](const std::string& what) {
    sim::internal::CheckFailed("CheckInvariants", __FILE__, __LINE__, what.c_str());
  };
  Resources total;
  for (const AgentCold& a : cold_) {
    const AgentHot& hot = hot_[a.info.id.index()];
    if (hot.available.AnyNegative() || a.held.AnyNegative() || a.allocated.AnyNegative()) {
      fail(fmt::format("agent {} has negative resources", a.info.name));
    }
    Resources tasks_sum;
    for (TaskSlot t : a.tasks) {
      const Task& task = tasks_[t];
      if (!IsActive(task.state) || task.agent != a.info.id) {
        fail(fmt::format("agent {} lists task {} in state {}", a.info.name, task.id,
                         TaskStateName(task.state)));
      }
      tasks_sum += task.allocated;
    }
    if (tasks_sum != a.allocated)
      fail(fmt::format("agent {}: allocated != sum of its tasks", a.info.name));
    if (!a.allocated.Contains(a.overcommitted) || a.overcommitted.AnyNegative()) {
      fail(fmt::format("agent {}: overcommit {} outside [0, allocated {}]", a.info.name,
                       a.overcommitted.ToString(), a.allocated.ToString()));
    }
    if (hot.active) {
      if (hot.available + a.held + a.allocated - a.overcommitted != a.info.capacity) {
        fail(fmt::format(
            "agent {}: available + offered + allocated - overcommitted != capacity "
            "({} + {} + {} - {} vs {})",
            a.info.name, hot.available.ToString(), a.held.ToString(), a.allocated.ToString(),
            a.overcommitted.ToString(), a.info.capacity.ToString()));
      }
      total += a.info.capacity;
    } else if (!a.allocated.IsZero() || !a.held.IsZero()) {
      fail(fmt::format("inactive agent {} holds resources", a.info.name));
    }
  }
  if (total != total_) fail("cluster total != sum of active agents' capacities");
}

}  // namespace clustersim::models
