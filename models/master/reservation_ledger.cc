#include "models/master/reservation_ledger.h"

namespace clustersim::models {

bool ReservationLedger::Covers(std::string_view reserved_for, std::string_view role) {
  return role.starts_with(reserved_for) &&
         (role.size() == reserved_for.size() || role[reserved_for.size()] == '/');
}

void ReservationLedger::Begin(const plugins::AgentInfo& agent) {
  free_.clear();
  for (const auto& [name, amount] : agent.reservations) free_.emplace_back(name, amount);
  used_.assign(free_.size(), plugins::Resources());
}

// Own reservation first, then the nearest ancestor's: the longest covering path first.
void ReservationLedger::Use(plugins::RoleId role, const plugins::Resources& r) {
  const std::string_view name = role_names_[role.index()];
  plugins::Resources left = r;
  for (size_t depth = name.size() + 1; depth-- > 0 && !left.IsZero();) {
    if (depth < name.size() && name[depth] != '/') continue;
    const std::string_view path = name.substr(0, depth);
    for (size_t i = 0; i < free_.size(); ++i) {
      if (free_[i].first != path) continue;
      const plugins::Resources take =
          left.Min(free_[i].second - used_[i]).Max(plugins::Resources());
      used_[i] += take;
      left -= take;
    }
  }
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

plugins::Resources ReservationLedger::OfferableTo(plugins::RoleId role,
                                                  const plugins::Resources& unreserved) const {
  plugins::Resources offerable = unreserved;
  const std::string_view name = role_names_[role.index()];
  for (const auto& [reserved_for, free] : free_) {
    if (Covers(reserved_for, name)) offerable += free;
  }
  return offerable;
}

}  // namespace clustersim::models
