#pragma once

#include "models/master/maintenance.h"
#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/resources.h"
#include "sim/event_queue.h"
#include "sim/time.h"

namespace clustersim::models {

// Index of an outstanding offer in the master's offer pool. Frameworks answer with (slot, id): the
// slot may be reused once the offer is gone, the id never is.
using OfferSlot = plugins::DenseId<struct OfferSlotTag>;
inline constexpr OfferSlot kNoOffer{UINT32_MAX};

struct Offer {
  plugins::OfferId id;
  plugins::FrameworkId framework;
  plugins::AgentId agent;
  plugins::Resources resources;
  sim::Time created;
  sim::EventId timeout{};
  bool live = false;
  // The agent's outstanding offers, as an intrusive list (OfferBook's bookkeeping).
  OfferSlot prev_on_agent = kNoOffer;
  OfferSlot next_on_agent = kNoOffer;
  // The framework's subscription the offer was made to: one per (framework, role), the client the
  // allocator policy sorts (Master::subscriptions). Mesos keys an offer's resources by role
  // (Offer.allocation_info); the subscription's role is that role. Equals `framework` for every
  // framework when none has several roles.
  plugins::FrameworkId subscription;
  // The agent's scheduled maintenance when the offer was made (Offer.unavailability,
  // mesos.proto; docs/maintenance.md: offers of a DRAINING machine carry it). Unscheduled: none.
  Unavailability unavailability{};
};

}  // namespace clustersim::models
