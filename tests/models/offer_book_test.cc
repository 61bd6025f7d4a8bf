#include "models/master/offer_book.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/support/builders.h"

namespace clustersim::models {
namespace {

using clustersim::test::Res;
using plugins::AgentId;
using plugins::FrameworkId;

std::vector<OfferSlot> OnAgent(const OfferBook& book, AgentId agent) {
  std::vector<OfferSlot> out;
  for (OfferSlot s = book.first_on(agent); s != kNoOffer; s = book[s].next_on_agent) {
    out.push_back(s);
  }
  return out;
}

TEST(OfferBookTest, SlotsAreReusedIdsNeverAndEachAgentListsItsOffersNewestFirst) {
  sim::Simulator sim(1);
  OfferBook book(sim, std::nullopt, [](OfferSlot) { FAIL() << "no timeout was set"; });
  book.AddAgent();
  book.AddAgent();
  const OfferSlot s0 = book.Add(FrameworkId(0), FrameworkId(0), AgentId(0), Res("cpus:1"));
  const OfferSlot s1 = book.Add(FrameworkId(1), FrameworkId(1), AgentId(0), Res("cpus:2"));
  const OfferSlot s2 = book.Add(FrameworkId(0), FrameworkId(0), AgentId(1), Res("cpus:3"));
  EXPECT_EQ(OnAgent(book, AgentId(0)), (std::vector<OfferSlot>{s1, s0}));
  EXPECT_EQ(OnAgent(book, AgentId(1)), (std::vector<OfferSlot>{s2}));
  EXPECT_EQ(book.live(), 3u);
  const plugins::OfferId old_id = book[s1].id;
  book.Remove(s1);
  EXPECT_FALSE(book.IsValid(s1, old_id));
  EXPECT_EQ(OnAgent(book, AgentId(0)), (std::vector<OfferSlot>{s0}));
  const OfferSlot again = book.Add(FrameworkId(1), FrameworkId(1), AgentId(0), Res("cpus:2"));
  EXPECT_EQ(again, s1);  // the slot comes back
  EXPECT_NE(book[again].id, old_id);
  EXPECT_FALSE(book.IsValid(again, old_id));  // an answer to the old offer is refused
  book.CheckInvariants();
}

TEST(OfferBookTest, AnOfferStillOutstandingAtItsTimeoutIsHandedToExpired) {
  sim::Simulator sim(1);
  std::vector<OfferSlot> expired;
  OfferBook* self = nullptr;
  OfferBook book(sim, sim::Time::Seconds(30), [&](OfferSlot s) {
    expired.push_back(s);
    self->Remove(s);
  });
  self = &book;
  book.AddAgent();
  const OfferSlot kept = book.Add(FrameworkId(0), FrameworkId(0), AgentId(0), Res("cpus:1"));
  const OfferSlot answered = book.Add(FrameworkId(0), FrameworkId(0), AgentId(0), Res("cpus:1"));
  book.Remove(answered);  // its timeout is cancelled
  sim.RunUntil(sim::Time::Seconds(60));
  EXPECT_EQ(expired, (std::vector<OfferSlot>{kept}));
  EXPECT_EQ(book.live(), 0u);
}

}  // namespace
}  // namespace clustersim::models
