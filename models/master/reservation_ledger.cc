#include "models/master/reservation_ledger.h"

namespace clustersim::models {

void ReservationLedger::Begin(const plugins::AgentInfo& agent) {
  free_.clear();
  for (const auto& [name, amount] : agent.reservations) {
    uint32_t role = kNoRole;
    for (uint32_t r = 0; r < role_names_.size(); ++r) {
      if (role_names_[r] == name) role = r;
    }
    free_.emplace_back(role, amount);
  }
  used_.assign(free_.size(), plugins::Resources());
}

void ReservationLedger::Finish() {
  for (size_t i = 0; i < free_.size(); ++i) {
    plugins::Resources& amount = free_[i].second;
    amount -= amount.Min(used_[i]);
  }
}

plugins::Resources ReservationLedger::Unreserved(const plugins::Resources& available) const {
  plugins::Resources unreserved = available;
  for (const auto& [role, free] : free_) unreserved -= free;
  return unreserved.Max(plugins::Resources());
}

}  // namespace clustersim::models
