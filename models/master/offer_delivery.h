#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "models/master/cost_model.h"
#include "models/master/offer_book.h"
#include "sim/simulator.h"

namespace clustersim::models {

// How a cycle's new offers reach their frameworks: one message per framework, in registration
// order (as Mesos sends them), either as soon as the cycle ends or — with the cost model on — once
// the allocator's simulated work for the cycle is done and then the master has built that
// framework's offers (both actors work in order, so batches arrive in the order they were made).
// Offers that went meanwhile (timeout, agent lost, capacity change) are left out.
class OfferDelivery {
 public:
  using SendFn = std::function<void(plugins::FrameworkId, std::span<const OfferSlot>)>;
  OfferDelivery(sim::Simulator& sim, MasterCostModel& cost, const OfferBook& book, SendFn send);

  // Makes room for one more framework (ids dense, in registration order).
  void AddFramework() { new_offers_.emplace_back(); }
  // An offer made in the current cycle.
  void Add(plugins::FrameworkId framework, OfferSlot slot) {
    std::vector<OfferSlot>& batch = new_offers_[framework.index()];
    if (batch.empty()) receivers_.push_back(framework);
    batch.push_back(slot);
  }
  // Sends the offers added since the last call, for a cycle that fell due at `due` and did `work`.
  void Send(sim::Time due, const CycleWork& work);
  // True if the offer was made but has not reached its framework (it is still inside a cycle's
  // simulated cost); it then never will.
  bool TakeUndelivered(OfferSlot slot);

 private:
  // One framework's offers of one cycle, on their way (cost model).
  struct Pending {
    sim::Time due;
    plugins::FrameworkId framework;
    std::vector<std::pair<OfferSlot, plugins::OfferId>> offers;
  };
  void SendNow();
  void SendWhenDone(sim::Time due, const CycleWork& work);
  void DeliverPending();

  sim::Simulator& sim_;
  MasterCostModel& cost_;
  const OfferBook& book_;
  SendFn send_;
  std::vector<std::vector<OfferSlot>> new_offers_;  // by framework id
  std::vector<plugins::FrameworkId> receivers_;     // frameworks with new offers
  std::deque<Pending> pending_;                     // cost model: in delivery order
  std::vector<uint8_t> undelivered_;                // by offer slot
};

}  // namespace clustersim::models
