#include "results/role_usage.h"

#include <algorithm>

namespace clustersim::results {
namespace {

// The resource kinds a scenario uses: the four built-ins and its named scalars.
int KindCount() { return std::min(plugins::ResourceKinds::Count(), plugins::kMaxResourceKinds); }

}  // namespace

RoleUsage::RoleUsage(const models::Cluster& cluster, QuotaConfigs quotas)
    : cluster_(cluster), quotas_(std::move(quotas)), kinds_(KindCount()) {
  // Quota roles are listed even when no framework has them (the warnings say so before the run).
  for (const auto& [name, quota] : quotas_) Index(name);
}

uint32_t RoleUsage::Index(const std::string& name) {
  auto [it, inserted] = index_.try_emplace(name, static_cast<uint32_t>(roles_.size()));
  if (inserted) {
    Role& r = roles_.emplace_back();
    r.name = name;
    if (auto q = quotas_.find(name); q != quotas_.end()) r.quota = q->second;
  }
  return it->second;
}

uint32_t RoleUsage::IndexOf(plugins::RoleId id) {
  while (by_role_id_.size() <= id.index()) {
    const plugins::RoleId next(static_cast<uint32_t>(by_role_id_.size()));
    by_role_id_.push_back(Index(cluster_.master().role(next).name));
  }
  return by_role_id_[id.index()];
}

bool RoleUsage::AtLimit(const Role& r) const {
  if (!r.quota) return false;
  for (int k = 0; k < plugins::kMaxResourceKinds; ++k) {
    if (!r.quota->HasLimit(k)) continue;
    // At the limit in kind k: not even the smallest task charge it has launched fits under it.
    if (r.allocated.Raw(k) + std::max<int64_t>(r.smallest_charge.Raw(k), 0) >
            r.quota->limit.Raw(k) ||
        r.allocated.Raw(k) >= r.quota->limit.Raw(k)) {
      return true;
    }
  }
  return false;
}

void RoleUsage::Advance(Role& r, sim::Time now) {
  const double dt = (now - r.since).seconds();
  r.since = now;
  if (dt <= 0) return;
  // Called twice per task: only the kinds in use, and reservations only where there are any.
  for (int k = 0; k < kinds_; ++k) r.allocated_area[k] += r.allocated.Get(k) * dt;
  if (r.has_reservation) {
    for (int k = 0; k < kinds_; ++k) {
      r.reserved_area[k] += r.reserved.Get(k) * dt;
      r.used_area[k] += r.reserved_used.Get(k) * dt;
    }
  }
  if (AtLimit(r)) r.at_limit_s += dt;
  if (r.quota && !r.quota->guarantee.IsZero() && r.allocated.Contains(r.quota->guarantee)) {
    r.guarantee_met_s += dt;
  }
}

void RoleUsage::OnAllocation(const models::Task& task, bool add, sim::Time now) {
  const uint32_t index = IndexOf(cluster_.master().framework(task.subscription).role);
  Role& r = roles_[index];
  Advance(r, now);
  const plugins::Resources& charge = task.allocated;
  if (add) {
    r.allocated += charge;
    for (int k = 0; k < plugins::kMaxResourceKinds; ++k) {
      const int64_t c = charge.Raw(k);
      if (c > 0 && (r.smallest_charge.Raw(k) == 0 || c < r.smallest_charge.Raw(k))) {
        r.smallest_charge.SetRaw(k, c);
      }
    }
  } else {
    r.allocated -= charge;
  }
  if (task.agent.index() >= agents_.size()) return;
  for (AgentReservation& res : agents_[task.agent.index()]) {
    if (res.role != index) continue;
    const plugins::Resources before = res.held.Min(res.reserved);
    if (add) {
      res.held += charge;
    } else {
      res.held -= charge;
    }
    if (res.active) {
      r.reserved_used -= before;
      r.reserved_used += res.held.Min(res.reserved);
    }
  }
}

void RoleUsage::OnAgent(const plugins::AgentInfo& agent, bool up, sim::Time now) {
  if (agent.reservations.empty()) return;
  if (agents_.size() <= agent.id.index()) agents_.resize(agent.id.index() + 1);
  std::vector<AgentReservation>& list = agents_[agent.id.index()];
  if (list.empty()) {
    for (const auto& [role, amount] : agent.reservations) {
      list.push_back({Index(role), amount, plugins::Resources(), false});
    }
  }
  for (AgentReservation& res : list) {
    if (res.active == up) continue;
    Role& r = roles_[res.role];
    Advance(r, now);
    r.has_reservation = true;
    res.active = up;
    if (up) {
      r.reserved += res.reserved;
      r.reserved_used += res.held.Min(res.reserved);
    } else {
      r.reserved -= res.reserved;
      r.reserved_used -= res.held.Min(res.reserved);
    }
  }
}

namespace {

using Json = nlohmann::ordered_json;

// {cpus: .., mem: .., ...} of `value(k)` for the kinds where `include(k)`.
template <typename Value, typename Include>
Json Kinds(Value value, Include include) {
  Json j = Json::object();
  for (int k = 0; k < KindCount(); ++k) {
    if (include(k)) j[plugins::ResourceKinds::Name(k)] = value(k);
  }
  return j;
}

}  // namespace

Json RoleUsage::RoleJson(const Role& r, double span) const {
  // The time average of an integral, per kind.
  auto mean = [span](const Areas& a) {
    return [&a, span](int k) { return span > 0 ? a[k] / span : 0.0; };
  };
  auto always = [](int) { return true; };
  Json j;
  j["name"] = r.name;
  j["allocated_mean"] = Kinds(mean(r.allocated_area), always);
  if (r.quota) {
    const QuotaConfig& q = *r.quota;
    auto guaranteed = [&q](int k) { return q.guarantee.Raw(k) > 0; };
    auto limited = [&q](int k) { return q.HasLimit(k); };
    auto limited_above_zero = [&q](int k) { return q.HasLimit(k) && q.limit.Raw(k) > 0; };
    const auto alloc = mean(r.allocated_area);
    Json quota;
    quota["guarantee"] = Kinds([&q](int k) { return q.guarantee.Get(k); }, guaranteed);
    quota["limit"] = Kinds([&q](int k) { return q.limit.Get(k); }, limited);
    quota["guarantee_use"] =
        Kinds([&](int k) { return alloc(k) / q.guarantee.Get(k); }, guaranteed);
    quota["limit_use"] =
        Kinds([&](int k) { return alloc(k) / q.limit.Get(k); }, limited_above_zero);
    if (!q.guarantee.IsZero()) {
      quota["guarantee_met_fraction"] = span > 0 ? r.guarantee_met_s / span : 0.0;
    }
    if (q.limit_kinds != 0) quota["at_limit_fraction"] = span > 0 ? r.at_limit_s / span : 0.0;
    j["quota"] = std::move(quota);
  }
  if (r.has_reservation) {
    const auto reserved = mean(r.reserved_area);
    const auto used = mean(r.used_area);
    Json res;
    res["reserved_mean"] = Kinds(reserved, always);
    res["used_mean"] = Kinds(used, always);
    res["use"] =
        Kinds([&](int k) { return used(k) / reserved(k); }, [&](int k) { return reserved(k) > 0; });
    j["reservation"] = std::move(res);
  }
  return j;
}

void RoleUsage::Finish(sim::Time now) {
  for (size_t id = 0; id < cluster_.master().role_count(); ++id) {
    IndexOf(plugins::RoleId(static_cast<uint32_t>(id)));
  }
  for (Role& r : roles_) Advance(r, now);
}

void RoleUsage::Restart(sim::Time now) {
  for (Role& r : roles_) {
    Advance(r, now);
    r.allocated_area = {};
    r.reserved_area = {};
    r.used_area = {};
    r.at_limit_s = 0;
    r.guarantee_met_s = 0;
  }
}

Json RoleUsage::ToJson(double span_s) const {
  // The frameworks' roles in registration order, then those named only by a quota or a
  // reservation, by name.
  std::vector<uint32_t> order(by_role_id_.begin(), by_role_id_.end());
  std::vector<bool> listed(roles_.size(), false);
  for (uint32_t i : order) listed[i] = true;
  std::vector<uint32_t> others;
  for (uint32_t i = 0; i < roles_.size(); ++i) {
    if (!listed[i]) others.push_back(i);
  }
  std::sort(others.begin(), others.end(),
            [this](uint32_t a, uint32_t b) { return roles_[a].name < roles_[b].name; });
  order.insert(order.end(), others.begin(), others.end());
  Json roles = Json::array();
  for (uint32_t i : order) roles.push_back(RoleJson(roles_[i], span_s));
  return roles;
}

}  // namespace clustersim::results
