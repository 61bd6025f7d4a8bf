#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "models/master/offer.h"
#include "sim/simulator.h"

namespace clustersim::models {

// The master's outstanding offers: a pool of offer slots (reused once an offer is gone, ids never
// are), each agent's offers as an intrusive list, and the offer timeouts. Only bookkeeping: the
// resources an offer holds are the master's to set aside (CellState::Hold) and to charge.
class OfferBook {
 public:
  // `timeout`: how long an offer stays outstanding before `expired(slot)` is called for it (never
  // when unset); the offer is still in the book then and `expired` must remove it.
  OfferBook(sim::Simulator& sim, std::optional<sim::Time> timeout,
            std::function<void(OfferSlot)> expired);

  // Makes room for the offers of one more agent (ids dense, in registration order).
  void AddAgent() { first_on_agent_.push_back(kNoOffer); }
  // A new outstanding offer, at the head of its agent's list; schedules its timeout unless
  // `arm_timeout` is false (then ArmTimeout does, when the offer is sent). O(1).
  OfferSlot Add(plugins::FrameworkId framework, plugins::FrameworkId subscription,
                plugins::AgentId agent, const plugins::Resources& resources,
                bool arm_timeout = true);
  // Schedules the live offer's timeout from now, if there is one and it is not armed yet.
  void ArmTimeout(OfferSlot slot);
  // Forgets a live offer and cancels its timeout. O(1).
  void Remove(OfferSlot slot);

  bool IsValid(OfferSlot slot, plugins::OfferId id) const {
    return slot.index() < offers_.size() && offers_[slot.index()].live &&
           offers_[slot.index()].id == id;
  }
  const Offer& operator[](OfferSlot slot) const { return offers_[slot.index()]; }
  // The agent's maintenance window the offer carries (set once, when it is made).
  void SetUnavailability(OfferSlot slot, const Unavailability& window) {
    offers_[slot.index()].unavailability = window;
  }
  // The agent's outstanding offers, newest first; follow Offer::next_on_agent to kNoOffer.
  OfferSlot first_on(plugins::AgentId agent) const { return first_on_agent_[agent.index()]; }
  template <typename Fn>
  void ForEachOnAgent(plugins::AgentId agent, Fn&& fn) const {
    for (OfferSlot s = first_on(agent); s != kNoOffer; s = offers_[s.index()].next_on_agent) {
      fn(offers_[s.index()]);
    }
  }
  size_t live() const { return live_; }
  // Slots ever used (live or free): every slot is below it.
  size_t slot_count() const { return offers_.size(); }

  [[gnu::always_inline]] void Prefetch(OfferSlot slot, plugins::AgentId agent) const {
    if (slot.index() < offers_.size()) __builtin_prefetch(&offers_[slot.index()], 1);
    __builtin_prefetch(&first_on_agent_[agent.index()], 1);
  }
  // Aborts unless the live count matches the pool. O(slots).
  void CheckInvariants() const;

 private:
  OfferSlot NewSlot();

  sim::Simulator& sim_;
  std::optional<sim::Time> timeout_;
  std::function<void(OfferSlot)> expired_;
  std::vector<Offer> offers_;
  std::vector<OfferSlot> free_;
  std::vector<OfferSlot> first_on_agent_;  // by agent id
  size_t live_ = 0;
  uint64_t next_id_ = 1;
};

}  // namespace clustersim::models
