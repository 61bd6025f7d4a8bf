#include "models/master/quota_ledger.h"

#include <algorithm>
#include <utility>

namespace clustersim::models {
namespace {

using plugins::Resources;

// a - b in each kind, clamped at 0 (ResourceQuantities subtraction,
// src/common/resource_quantities.cpp:266-297).
Resources ClampedMinus(const Resources& a, const Resources& b) { return (a - b).Max(Resources()); }

}  // namespace

void QuotaLedger::SetQuotas(plugins::RoleQuotas quotas) {
  entries_.clear();
  by_name_.clear();
  for (auto& [role, quota] : quotas) {
    by_name_.emplace(role, static_cast<int32_t>(entries_.size()));
    entries_.push_back(Entry{role, quota, {}, false, plugins::RoleId(), false});
  }
  exact_.clear();
  top_.clear();
  for (size_t r = 0; r < role_names_.size(); ++r) Resolve(r);
  quotas_ = std::move(quotas);
}

void QuotaLedger::AddRole(std::string name) {
  role_names_.push_back(std::move(name));
  Resolve(role_names_.size() - 1);
}

int32_t QuotaLedger::TopEntryOf(const std::string& name) const {
  auto it = by_name_.find(name.substr(0, name.find('/')));
  return it == by_name_.end() ? kNone : it->second;
}

void QuotaLedger::Resolve(size_t role) {
  const std::string& name = role_names_[role];
  exact_.resize(role + 1, kNone);
  top_.resize(role + 1, kNone);
  const int32_t top = TopEntryOf(name);
  top_[role] = top;
  // Quota is on top-level roles only, so a role has its own quota iff it is its top-level role.
  exact_[role] = name.find('/') == std::string::npos ? top : kNone;
  if (exact_[role] != kNone) {
    entries_[exact_[role]].registered = true;
    entries_[exact_[role]].role_id = plugins::RoleId(static_cast<uint32_t>(role));
  }
}

void QuotaLedger::Begin(const Resources& total) {
  ++rebuilds_;
  for (Entry& e : entries_) e.consumed = Resources();
  available_ = total;
}

void QuotaLedger::AddAllocation(plugins::RoleId role, const Resources& allocated) {
  if (top_[role.index()] != kNone) entries_[top_[role.index()]].consumed += allocated;
  available_ -= allocated;
}

void QuotaLedger::AddFreeReservation(const std::string& role_name, const Resources& free) {
  const int32_t top = TopEntryOf(role_name);
  if (top != kNone) entries_[top].consumed += free;
  available_ -= free;
}

void QuotaLedger::Finish() {
  available_ = available_.Max(Resources());  // recorded launches may overcommit
  required_ = Resources();
  unmet_roles_ = 0;
  for (Entry& e : entries_) {
    const Resources unsatisfied = ClampedMinus(e.quota.guarantee, e.consumed);
    required_ += unsatisfied;
    e.unmet = e.registered && !unsatisfied.IsZero();
    if (e.unmet) ++unmet_roles_;
  }
}

void QuotaLedger::CollectUnmetRoles(std::vector<plugins::RoleId>& out) const {
  out.clear();
  for (const Entry& e : entries_) {
    if (e.unmet) out.push_back(e.role_id);
  }
}

Resources QuotaLedger::Unsatisfied(plugins::RoleId role) const {
  const int32_t e = exact_[role.index()];
  if (e == kNone) return Resources();
  return ClampedMinus(entries_[e].quota.guarantee, entries_[e].consumed);
}

Resources QuotaLedger::CapByLimit(plugins::RoleId role, const Resources& additional,
                                  const Resources& offering) const {
  const int32_t e = exact_[role.index()];
  if (e == kNone) return additional;
  const Entry& entry = entries_[e];
  Resources capped = additional;
  for (int k = 0; k < plugins::kMaxResourceKinds; ++k) {
    if (!entry.quota.HasLimit(k)) continue;
    const int64_t room = entry.quota.limit.Raw(k) - entry.consumed.Raw(k) - offering.Raw(k);
    capped.SetRaw(k, std::clamp<int64_t>(room, 0, additional.Raw(k)));
  }
  return capped;
}

Resources QuotaLedger::CapByHeadroom(const Resources& additional) const {
  if (required_.IsZero()) return additional;
  return additional.Min(ClampedMinus(available_, required_));
}

void QuotaLedger::Consume(Entry& entry, const Resources& amount) {
  entry.consumed += amount;
  if (entry.unmet && entry.consumed.Contains(entry.quota.guarantee)) {
    entry.unmet = false;
    --unmet_roles_;
  }
}

void QuotaLedger::OfferedInStage1(plugins::RoleId role, const Resources& guaranteed,
                                  const Resources& additional) {
  const Resources offered = guaranteed + additional;
  Consume(entries_[exact_[role.index()]], offered);
  required_ = ClampedMinus(required_, guaranteed);
  available_ = ClampedMinus(available_, offered);
}

void QuotaLedger::OfferedInStage2(plugins::RoleId role, const Resources& additional) {
  const int32_t e = exact_[role.index()];
  if (e != kNone) Consume(entries_[e], additional);
  available_ = ClampedMinus(available_, additional);
}

}  // namespace clustersim::models
