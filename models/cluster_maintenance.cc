// The scenario's maintenance schedule and drains (`maintenance:`; scenarios/README.md,
// "Maintenance and draining"), played as an operator would: the whole schedule is posted at
// t = 0 (every machine in it DRAINING at once, MHTTP:3138-3210); at each window's start the
// operator marks its machines DOWN (Mesos never does, MD:398-402), at its end UP (MHTTP:3484-3560).
#include <algorithm>
#include <unordered_map>

#include "models/cluster.h"

namespace clustersim::models {

void Cluster::DrainAgent(AgentId agent, sim::Time max_grace, bool mark_gone) {
  master_->DrainAgent(agent, max_grace.IsMax() ? std::nullopt : std::optional(max_grace),
                      mark_gone);
}

// Names no agent has are skipped (`clustersim validate` warns about them): a trace's agents
// register later and are not scheduled. Windows already past at t = 0 are scheduled all the
// same; DOWN and UP then happen at once.
void Cluster::ScheduleMaintenance() {
  if (spec_.maintenance.empty()) return;
  std::unordered_map<std::string, AgentId> by_name;
  for (uint32_t a = 0; a < master_->agent_count(); ++a) {
    by_name.emplace(master_->agent(AgentId(a)).name, AgentId(a));
  }
  maintenance_agents_.resize(spec_.maintenance.size());
  for (size_t index = 0; index < spec_.maintenance.size(); ++index) {
    const MaintenanceWindowSpec& window = spec_.maintenance[index];
    std::vector<AgentId>& agents = maintenance_agents_[index];
    for (const std::string& name : window.machines) {
      if (auto it = by_name.find(name); it != by_name.end()) agents.push_back(it->second);
    }
    if (agents.empty()) continue;
    for (AgentId a : agents) master_->ScheduleMaintenance(a, {window.start, window.duration});
    if (window.drain) {
      const sim::Time at =
          window.start > window.drain_before ? window.start - window.drain_before : sim::Time();
      sim_.Schedule(std::max(at, sim_.Now()), [this, index] {
        const MaintenanceWindowSpec& w = spec_.maintenance[index];
        for (AgentId a : maintenance_agents_[index]) {
          DrainAgent(a, w.drain_max_grace.value_or(sim::Time::Max()), /*mark_gone=*/false);
          // The operator's `docker pull` of the month's images while the host drains: a
          // registered agent in touch with the master only (a crashed or cut-off one cannot pull).
          if (w.drain_prepull && master_->agent_active(a) &&
              master_->agent_health(a) == Master::AgentHealth::kHealthy) {
            runtime_->PrePullUpdated(a);
          }
        }
      });
    }
    sim_.Schedule(std::max(window.start, sim_.Now()), [this, index] {
      for (AgentId a : maintenance_agents_[index]) master_->MachineDown(a);
    });
    if (!window.duration.IsMax()) {
      sim_.Schedule(std::max(window.start + window.duration, sim_.Now()), [this, index] {
        for (AgentId a : maintenance_agents_[index]) master_->MachineUp(a);
      });
    }
  }
}

}  // namespace clustersim::models
