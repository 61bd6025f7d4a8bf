// The master's whole-cluster checks (--check-invariants, debug builds): sweeps over every agent,
// task and offer, so never on in a plain run.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "models/master/master.h"

namespace clustersim::models {

void Master::CheckInvariants() const {
  cell_.CheckInvariants();
  offers_.CheckInvariants();
  CheckOffersAndAllocations();
  const auto partitioned = std::count_if(health_.begin(), health_.end(), [](const auto& h) {
    return h.state == AgentHealth::kPartitioned;
  });
  SIM_CHECK_MSG(static_cast<size_t>(partitioned) == partitioned_agents_,
                "partitioned agents miscounted");
}

// Per agent, offered == the sum of its offers; per framework and role, allocated == the sum of
// their tasks and offers on agents the allocator knows, on_unknown_agents == the sum of their
// tasks on the others (no offer is made there).
void Master::CheckOffersAndAllocations() const {
  auto fail = [](const std::string& what) {
    sim::internal::CheckFailed("CheckInvariants", __FILE__, __LINE__, what.c_str());
  };
  std::vector<Resources> fw_sum(frameworks_.size());
  std::vector<Resources> fw_unknown(frameworks_.size());
  for (uint32_t i = 0; i < cell_.agent_count(); ++i) {
    const AgentId agent(i);
    std::vector<Resources>& sums = agent_unknown_to_allocator(agent) ? fw_unknown : fw_sum;
    for (TaskSlot t : cell_.tasks(agent))
      sums[tasks_[t].subscription.index()] += tasks_[t].allocated;
    Resources offered_sum;
    offers_.ForEachOnAgent(agent, [&](const Offer& o) {
      offered_sum += o.resources;
      fw_sum[o.subscription.index()] += o.resources;
    });
    if (offered_sum != cell_.held(agent)) {
      fail(fmt::format("agent {}: offered != sum of its offers", cell_.info(agent).name));
    }
  }
  std::vector<Resources> role_sum(roles_.size());
  std::vector<Resources> role_unknown(roles_.size());
  for (size_t f = 0; f < frameworks_.size(); ++f) {
    if (fw_sum[f] != frameworks_[f].allocated ||
        fw_unknown[f] != frameworks_[f].on_unknown_agents) {
      fail(fmt::format("framework {}: allocated {} != tasks + offers {}", frameworks_[f].info.name,
                       frameworks_[f].allocated.ToString(), fw_sum[f].ToString()));
    }
    role_sum[frameworks_[f].info.role.index()] += fw_sum[f];
    role_unknown[frameworks_[f].info.role.index()] += fw_unknown[f];
  }
  for (size_t r = 0; r < roles_.size(); ++r) {
    if (role_sum[r] != roles_[r].allocated || role_unknown[r] != roles_[r].on_unknown_agents)
      fail(fmt::format("role {}: allocation mismatch", roles_[r].info.name));
  }
  CheckAgentsUnknownToAllocator();
}

// The agents hidden from the allocator are registered ones, counted and summed right.
void Master::CheckAgentsUnknownToAllocator() const {
  size_t count = 0;
  Resources capacity;
  for (uint32_t i = 0; i < cell_.agent_count(); ++i) {
    if (!unknown_to_allocator_[i]) continue;
    SIM_CHECK_MSG(cell_.active(AgentId(i)), "an unregistered agent is hidden from the allocator");
    ++count;
    capacity += cell_.info(AgentId(i)).capacity;
  }
  SIM_CHECK_MSG(count == unknown_agents_ && capacity == unknown_capacity_,
                "agents unknown to the allocator miscounted");
}

}  // namespace clustersim::models
