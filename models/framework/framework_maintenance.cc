// A framework's side of Mesos's maintenance primitives: how it answers inverse offers and what it
// does with its tasks on agents about to go down (scenarios/README.md, "Maintenance and
// draining"). Mesos leaves all of this to the framework (MD:319-349: an answer changes nothing in
// the master); the model follows what a maintenance-aware scheduler such as Marathon does.
#include <algorithm>

#include "models/framework/framework.h"

namespace clustersim::models {

// Each inverse offer is answered at once, with the default filter (5 s), so another comes in the
// first cycle after it while the framework still holds resources on the agent (H:2593, 2601). An
// accepting framework moves its tasks off `maintenance_ahead` before the window (at once when
// that moment is past); one move is planned per agent and window.
void Framework::OnInverseOffers(std::span<const InverseOffer> offers) {
  for (const InverseOffer& offer : offers) {
    master_.AnswerInverseOffer(id_, offer.agent, spec_.maintenance_accept);
    if (!spec_.maintenance_accept) continue;
    const sim::Time start = offer.unavailability.start;
    if (!moves_planned_.emplace(offer.agent, start).second) continue;  // planned already
    const AgentId agent = offer.agent;
    const sim::Time at = std::max(sim_.Now(), start - spec_.maintenance_ahead);
    sim_.Schedule(at, [this, agent, start] { MoveOffAgent(agent, start); });
  }
}

// Kills each of its tasks there with its kill grace period (Master::DefaultKillGrace); they end
// KILLED (moved_for_maintenance) and are relaunched elsewhere, never on an agent it sets aside.
// A window cancelled or moved meanwhile cancels the move.
void Framework::MoveOffAgent(AgentId agent, sim::Time window_start) {
  moves_planned_.erase({agent, window_start});
  if (master_.unavailability(agent).start != window_start) return;
  // A disconnected scheduler's kills reach no master (sched.cpp:1255-1260): no move.
  if (!master_.scheduler_connected(id_)) return;
  std::vector<TaskSlot> mine;
  for (TaskSlot t : master_.cell().tasks(agent)) {
    if (tasks_[t].framework == id_) mine.push_back(t);
  }
  for (TaskSlot t : mine) {
    master_.KillTask(t, Master::DefaultKillGrace(tasks_[t]), TaskReason::kMovedForMaintenance);
  }
}

size_t Framework::SetAsideMaintenanceOffers(std::vector<HeldOffer>& offers) const {
  if (!spec_.maintenance_accept) return offers.size();
  const sim::Time horizon = sim_.Now() + spec_.maintenance_ahead;
  auto usable = [&](const HeldOffer& h) {
    const Unavailability& u = master_.offer(h.slot).unavailability;
    // At the move itself (now = start - ahead) the agent is already set aside.
    return !u.scheduled() || u.start > horizon || u.end() <= sim_.Now();
  };
  return static_cast<size_t>(std::stable_partition(offers.begin(), offers.end(), usable) -
                             offers.begin());
}

bool Framework::RelaunchedAfterKill(const Task& task) {
  return task.state == TaskState::kKilled && (task.reason == TaskReason::kSlaveDraining ||
                                              task.reason == TaskReason::kMovedForMaintenance);
}

}  // namespace clustersim::models
