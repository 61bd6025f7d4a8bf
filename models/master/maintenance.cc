#include "models/master/maintenance.h"

#include <algorithm>

namespace clustersim::models {

void InverseOfferBook::SetUnavailability(AgentId agent, const Unavailability& window) {
  AgentState& state = At(agent);
  state.unavailability = window;
  ClearAgentFilters(agent);  // H:1478-1480
  if (window.scheduled()) {
    scheduled_.insert(agent);
  } else {
    scheduled_.erase(agent);
  }
}

const InverseOfferBook::Entry* InverseOfferBook::Find(FrameworkId framework, AgentId agent) const {
  if (agent.index() >= agents_.size()) return nullptr;
  for (const Entry& e : agents_[agent.index()].entries) {
    if (e.framework == framework) return &e;
  }
  return nullptr;
}

InverseOfferBook::Entry& InverseOfferBook::EntryFor(FrameworkId framework, AgentId agent) {
  AgentState& state = At(agent);
  for (Entry& e : state.entries) {
    if (e.framework == framework) return e;
  }
  state.entries.push_back(Entry{framework});
  return state.entries.back();
}

bool InverseOfferBook::outstanding(FrameworkId framework, AgentId agent) const {
  const Entry* e = Find(framework, agent);
  return e != nullptr && e->outstanding;
}

// H:2793-2810: the filter holds until its timer fires.
bool InverseOfferBook::filtered(FrameworkId framework, AgentId agent, sim::Time now) const {
  const Entry* e = Find(framework, agent);
  return e != nullptr && e->filtered_until > now;
}

void InverseOfferBook::MarkSent(FrameworkId framework, AgentId agent, bool delivered) {
  EntryFor(framework, agent).outstanding = true;
  if (delivered) ++CountsFor(framework).received;
}

void InverseOfferBook::Answer(FrameworkId framework, AgentId agent, bool accept, sim::Time until) {
  Entry& e = EntryFor(framework, agent);
  if (!e.outstanding) return;  // rescinded meanwhile: the answer finds nothing (M:5370-5500)
  e.outstanding = false;
  e.filtered_until = std::max(e.filtered_until, until);
  InverseOfferCounts& counts = CountsFor(framework);
  if (accept) {
    ++counts.accepted;
  } else {
    ++counts.declined;
  }
}

void InverseOfferBook::RescindAll(AgentId agent) {
  if (agent.index() >= agents_.size()) return;
  for (Entry& e : agents_[agent.index()].entries) e.outstanding = false;
}

void InverseOfferBook::ClearFilters(FrameworkId framework) {
  for (const AgentId agent : scheduled_) {
    if (agent.index() >= agents_.size()) continue;
    for (Entry& e : agents_[agent.index()].entries) {
      if (e.framework == framework) e.filtered_until = sim::Time::Zero();
    }
  }
}

void InverseOfferBook::ClearAgentFilters(AgentId agent) {
  if (agent.index() >= agents_.size()) return;
  for (Entry& e : agents_[agent.index()].entries) e.filtered_until = sim::Time::Zero();
}

void InverseOfferBook::ForgetAgent(AgentId agent) {
  if (agent.index() >= agents_.size()) return;
  agents_[agent.index()].entries.clear();
}

}  // namespace clustersim::models
