#include "models/master/reservation_ledger.h"

#include <algorithm>

#include "sim/check.h"

namespace clustersim::models {

bool ReservationLedger::Covers(std::string_view reserved_for, std::string_view role) {
  return role.starts_with(reserved_for) &&
         (role.size() == reserved_for.size() || role[reserved_for.size()] == '/');
}

void ReservationLedger::AddRole(std::string name) {
  role_names_.push_back(std::move(name));
  chains_.emplace_back();
  chains_.back().second = SIZE_MAX;  // not computed yet
}

uint32_t ReservationLedger::InternPath(const std::string& path) {
  auto [it, inserted] = path_ids_.try_emplace(path, static_cast<uint32_t>(paths_.size()));
  if (inserted) paths_.push_back(path);
  return it->second;
}

void ReservationLedger::AddAgent(plugins::AgentId id, const plugins::AgentInfo& agent) {
  SIM_CHECK_MSG(id.index() + 1 == first_.size(), "agents are added in id order");
  for (const auto& [path, amount] : agent.reservations) {
    table_.push_back(Reservation{InternPath(path), amount});
  }
  first_.push_back(static_cast<uint32_t>(table_.size()));
}

const std::vector<uint32_t>& ReservationLedger::Chain(plugins::RoleId role) {
  auto& [chain, paths_seen] = chains_[role.index()];
  if (paths_seen == paths_.size()) return chain;
  chain.clear();
  const std::string_view name = role_names_[role.index()];
  for (size_t depth = name.size() + 1; depth-- > 0;) {
    if (depth < name.size() && name[depth] != '/') continue;
    auto it = path_ids_.find(std::string(name.substr(0, depth)));
    if (it != path_ids_.end()) chain.push_back(it->second);
  }
  paths_seen = paths_.size();
  return chain;
}

void ReservationLedger::Begin(plugins::AgentId agent) {
  free_.assign(table_.begin() + first_[agent.index()], table_.begin() + first_[agent.index() + 1]);
  used_.assign(free_.size(), plugins::Resources());
}

// Own reservation first, then the nearest ancestor's: the longest covering path first.
void ReservationLedger::Use(plugins::RoleId role, const plugins::Resources& r) {
  plugins::Resources left = r;
  for (uint32_t path : Chain(role)) {
    for (size_t i = 0; i < free_.size() && !left.IsZero(); ++i) {
      if (free_[i].path != path) continue;
      const plugins::Resources take =
          left.Min(free_[i].amount - used_[i]).Max(plugins::Resources());
      used_[i] += take;
      left -= take;
    }
    if (left.IsZero()) return;
  }
}

void ReservationLedger::Finish() {
  for (size_t i = 0; i < free_.size(); ++i) {
    plugins::Resources& amount = free_[i].amount;
    amount -= amount.Min(used_[i]);
  }
}

plugins::Resources ReservationLedger::Unreserved(const plugins::Resources& available) const {
  plugins::Resources unreserved = available;
  for (const Reservation& r : free_) unreserved -= r.amount;
  return unreserved.Max(plugins::Resources());
}

plugins::Resources ReservationLedger::OfferableTo(plugins::RoleId role,
                                                  const plugins::Resources& unreserved) {
  plugins::Resources offerable = unreserved;
  const std::vector<uint32_t>& chain = Chain(role);
  for (const Reservation& r : free_) {
    if (std::find(chain.begin(), chain.end(), r.path) != chain.end()) offerable += r.amount;
  }
  return offerable;
}

}  // namespace clustersim::models
