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
// their tasks and offers.
void Master::CheckOffersAndAllocations() const {
  auto fail = [](const std::string& what) {
    sim::internal::CheckFailed("CheckInvariants", __FILE__, __LINE__, what.c_str());
  };
  std::vector<Resources> fw_sum(frameworks_.size());
  for (uint32_t i = 0; i < cell_.agent_count(); ++i) {
    const AgentId agent(i);
    for (TaskSlot t : cell_.tasks(agent))
      fw_sum[tasks_[t].subscription.index()] += tasks_[t].allocated;
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
  for (size_t f = 0; f < frameworks_.size(); ++f) {
    if (fw_sum[f] != frameworks_[f].allocated) {
      fail(fmt::format("framework {}: allocated {} != tasks + offers {}", frameworks_[f].info.name,
                       frameworks_[f].allocated.ToString(), fw_sum[f].ToString()));
    }
    role_sum[frameworks_[f].info.role.index()] += fw_sum[f];
  }
  for (size_t r = 0; r < roles_.size(); ++r) {
    if (role_sum[r] != roles_[r].allocated)
      fail(fmt::format("role {}: allocation mismatch", roles_[r].info.name));
  }
}

}  // namespace clustersim::models
