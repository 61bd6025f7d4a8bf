#include "models/master/offer_delivery.h"

#include <algorithm>

namespace clustersim::models {

OfferDelivery::OfferDelivery(sim::Simulator& sim, MasterCostModel& cost, const OfferBook& book,
                             SendFn send)
    : sim_(sim), cost_(cost), book_(book), send_(std::move(send)) {}

void OfferDelivery::Send(sim::Time due, const CycleWork& work) {
  std::sort(receivers_.begin(), receivers_.end());
  if (cost_.enabled()) {
    SendWhenDone(due, work);
  } else {
    SendNow();
  }
}

void OfferDelivery::SendNow() {
  std::vector<plugins::FrameworkId> receivers;
  receivers.swap(receivers_);
  for (plugins::FrameworkId f : receivers) {
    std::vector<OfferSlot> batch;
    batch.swap(new_offers_[f.index()]);
    // An earlier framework's answer cannot touch these offers, but an offer timeout of zero could
    // have; deliver only what is still outstanding.
    std::erase_if(batch, [&](OfferSlot s) { return !book_[s].live; });
    if (!batch.empty()) send_(f, batch);
  }
}

void OfferDelivery::SendWhenDone(sim::Time due, const CycleWork& work) {
  const sim::Time ended = cost_.RunCycle(sim_.Now(), work);
  cost_.RecordCycle(due, ended);
  for (plugins::FrameworkId f : receivers_) {
    Pending& d = pending_.emplace_back();
    d.due = due;
    d.framework = f;
    for (OfferSlot s : new_offers_[f.index()]) {
      d.offers.emplace_back(s, book_[s].id);
      if (undelivered_.size() <= s.index()) undelivered_.resize(book_.slot_count(), 0);
      undelivered_[s.index()] = 1;
    }
    new_offers_[f.index()].clear();
    // The allocator hands the batch to the master when the cycle ends (Mesos: offerCallback
    // deferred onto the master actor, master.cpp Master::offer).
    const sim::Time arrives = cost_.SendOffers(ended, static_cast<int64_t>(d.offers.size()));
    sim_.Schedule(arrives, [this] { DeliverPending(); });
  }
  receivers_.clear();
}

void OfferDelivery::DeliverPending() {
  Pending d = std::move(pending_.front());
  pending_.pop_front();
  cost_.RecordDelivery(d.due, sim_.Now(), static_cast<int64_t>(d.offers.size()));
  std::vector<OfferSlot> live;
  for (const auto& [slot, id] : d.offers) {
    if (!book_.IsValid(slot, id)) continue;
    undelivered_[slot.index()] = 0;
    live.push_back(slot);
  }
  if (!live.empty()) send_(d.framework, live);
}

bool OfferDelivery::TakeUndelivered(OfferSlot slot) {
  if (slot.index() >= undelivered_.size() || !undelivered_[slot.index()]) return false;
  undelivered_[slot.index()] = 0;
  return true;
}

}  // namespace clustersim::models
