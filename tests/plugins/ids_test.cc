#include "scheduler_plugins/api/ids.h"

#include <gtest/gtest.h>

#include <type_traits>
#include <unordered_set>
#include <vector>

namespace clustersim::plugins {
namespace {

// Ids are passed by value in hot loops and stored in dense vectors: they must stay as cheap as the
// integer they wrap.
static_assert(sizeof(AgentId) == sizeof(uint32_t));
static_assert(std::is_trivially_copyable_v<AgentId>);
static_assert(!std::is_convertible_v<uint32_t, AgentId>);

TEST(FirstIdsTest, YieldsTheFirstIdsInOrder) {
  std::vector<AgentId> ids;
  for (AgentId id : FirstIds<AgentId>(3)) ids.push_back(id);
  EXPECT_EQ(ids, (std::vector<AgentId>{AgentId{0}, AgentId{1}, AgentId{2}}));
}

TEST(FirstIdsTest, EmptyWhenTheCountIsZero) {
  for (FrameworkId id : FirstIds<FrameworkId>(0)) ADD_FAILURE() << "got id " << id.value;
}

TEST(FirstIdsTest, WorksForWideIds) {
  std::vector<OfferId> ids;
  for (OfferId id : FirstIds<OfferId>(2)) ids.push_back(id);
  EXPECT_EQ(ids, (std::vector<OfferId>{OfferId{0}, OfferId{1}}));
}

TEST(DenseIdHashTest, HashesLikeTheWrappedValue) {
  EXPECT_EQ(std::hash<AgentId>()(AgentId{42}), std::hash<uint32_t>()(42));
  std::unordered_set<AgentId> seen{AgentId{1}, AgentId{1}, AgentId{2}};
  EXPECT_EQ(seen.size(), 2u);
}

}  // namespace
}  // namespace clustersim::plugins
