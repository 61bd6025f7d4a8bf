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
  const sim::Time now = sim_.Now();
  const sim::Time done =
      cost_.Occupy(now, cost_.CycleUs(work.agents_visited, work.framework_visits, work.offers));
  Pending& d = pending_.emplace_back();
  d.due = due;
  d.offers = work.offers;
  for (plugins::FrameworkId f : receivers_) {
    auto& batch =
        d.batches.emplace_back(f, std::vector<std::pair<OfferSlot, plugins::OfferId>>()).second;
    for (OfferSlot s : new_offers_[f.index()]) {
      batch.emplace_back(s, book_[s].id);
      if (undelivered_.size() <= s.index()) undelivered_.resize(book_.slot_count(), 0);
      undelivered_[s.index()] = 1;
    }
    new_offers_[f.index()].clear();
  }
  receivers_.clear();
  sim_.Schedule(done, [this] { DeliverPending(); });
}

void OfferDelivery::DeliverPending() {
  Pending d = std::move(pending_.front());
  pending_.pop_front();
  cost_.RecordDelivery(d.due, sim_.Now(), d.offers);
  std::vector<OfferSlot> live;
  for (const auto& [f, batch] : d.batches) {
    live.clear();
    for (const auto& [slot, id] : batch) {
      if (!book_.IsValid(slot, id)) continue;
      undelivered_[slot.index()] = 0;
      live.push_back(slot);
    }
    if (!live.empty()) send_(f, live);
  }
}

bool OfferDelivery::TakeUndelivered(OfferSlot slot) {
  if (slot.index() >= undelivered_.size() || !undelivered_[slot.index()]) return false;
  undelivered_[slot.index()] = 0;
  return true;
}

}  // namespace clustersim::models
