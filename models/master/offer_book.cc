#include "models/master/offer_book.h"

#include "sim/check.h"

namespace clustersim::models {

OfferBook::OfferBook(sim::Simulator& sim, std::optional<sim::Time> timeout,
                     std::function<void(OfferSlot)> expired)
    : sim_(sim), timeout_(timeout), expired_(std::move(expired)) {}

OfferSlot OfferBook::NewSlot() {
  if (free_.empty()) {
    offers_.emplace_back();
    return OfferSlot(static_cast<uint32_t>(offers_.size() - 1));
  }
  const OfferSlot slot = free_.back();
  free_.pop_back();
  return slot;
}

OfferSlot OfferBook::Add(plugins::FrameworkId framework, plugins::FrameworkId subscription,
                         plugins::AgentId agent, const plugins::Resources& resources,
                         bool arm_timeout) {
  const OfferSlot slot = NewSlot();
  Offer& offer = offers_[slot.index()];
  offer = Offer{.id = plugins::OfferId(next_id_++),
                .framework = framework,
                .agent = agent,
                .resources = resources,
                .created = sim_.Now(),
                .live = true,
                .subscription = subscription};  // no unavailability: SetUnavailability sets it
  ++live_;
  OfferSlot& first = first_on_agent_[agent.index()];
  offer.next_on_agent = first;
  if (first != kNoOffer) offers_[first.index()].prev_on_agent = slot;
  first = slot;
  if (arm_timeout && timeout_) ArmTimeout(slot);  // most runs have no offer_timeout
  return slot;
}

void OfferBook::ArmTimeout(OfferSlot slot) {
  Offer& offer = offers_[slot.index()];
  if (!timeout_ || !offer.live || offer.timeout.valid()) return;
  const plugins::OfferId id = offer.id;
  offer.timeout = sim_.ScheduleAfter(*timeout_, [this, slot, id] {
    if (IsValid(slot, id)) expired_(slot);
  });
}

void OfferBook::Remove(OfferSlot slot) {
  Offer& offer = offers_[slot.index()];
  SIM_CHECK(offer.live);
  if (offer.prev_on_agent != kNoOffer) {
    offers_[offer.prev_on_agent.index()].next_on_agent = offer.next_on_agent;
  } else {
    SIM_CHECK(first_on_agent_[offer.agent.index()] == slot);
    first_on_agent_[offer.agent.index()] = offer.next_on_agent;
  }
  if (offer.next_on_agent != kNoOffer) {
    offers_[offer.next_on_agent.index()].prev_on_agent = offer.prev_on_agent;
  }
  sim_.Cancel(offer.timeout);
  offer.live = false;
  --live_;
  free_.push_back(slot);
}

void OfferBook::CheckInvariants() const {
  size_t live = 0;
  for (const Offer& o : offers_) live += o.live ? 1 : 0;
  SIM_CHECK_MSG(live == live_, "outstanding offer count mismatch");
}

}  // namespace clustersim::models
