#include "models/cell/expiry_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/random.h"

namespace clustersim::models {
namespace {

sim::Time At(int64_t us) { return sim::Time::Micros(us); }

std::vector<uint32_t> PopDue(ExpiryQueue& q, int64_t now) {
  std::vector<uint32_t> out;
  q.PopDue(At(now), [&](uint32_t a) { out.push_back(a); });
  return out;
}

TEST(ExpiryQueueTest, PopsWhatIsDueEarliestFirstAcrossInOrderAndLatePushes) {
  ExpiryQueue q;
  q.Push(At(10), 1);
  q.Push(At(20), 2);
  q.Push(At(30), 3);
  q.Push(At(15), 4);  // earlier than the last push: the out-of-order part
  q.Push(At(5), 5);
  EXPECT_EQ(PopDue(q, 4), (std::vector<uint32_t>{}));
  EXPECT_EQ(PopDue(q, 20), (std::vector<uint32_t>{5, 1, 4, 2}));
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(PopDue(q, 1000), (std::vector<uint32_t>{3}));
  EXPECT_EQ(q.size(), 0u);
}

TEST(ExpiryQueueTest, MatchesASortOnRandomPushes) {
  ExpiryQueue q;
  sim::Rng rng(7);
  std::vector<std::pair<int64_t, uint32_t>> all;
  int64_t clock = 0;
  for (uint32_t i = 0; i < 5000; ++i) {
    // Mostly increasing, sometimes earlier, as idle marks lapse.
    clock += static_cast<int64_t>(rng.Uniform01() * 10);
    const int64_t at =
        rng.Uniform01() < 0.2 ? clock - static_cast<int64_t>(rng.Uniform01() * 50) : clock;
    q.Push(At(at), i);
    all.emplace_back(at, i);
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<int64_t> popped_times;
  for (int64_t now = -100; now < clock + 37; now += 37) {
    q.PopDue(At(now), [&](uint32_t a) {
      for (const auto& [t, id] : all) {
        if (id == a) {
          EXPECT_LE(t, now);
          popped_times.push_back(t);
        }
      }
    });
  }
  EXPECT_EQ(q.size(), 0u);
  EXPECT_TRUE(std::is_sorted(popped_times.begin(), popped_times.end()));
  EXPECT_EQ(popped_times.size(), all.size());
}

}  // namespace
}  // namespace clustersim::models
