#include "models/agent/image_puller.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using test::Sec;

// Agent store parameters of the hand-computed cases: 100 MiB/s shared by at most 3 downloads,
// layers extracted at 10 MiB/s.
constexpr double kBandwidth = 100;
constexpr int kConcurrent = 3;
constexpr double kExtract = 10;

class ImagePullerTest : public ::testing::Test {
 protected:
  uint32_t Layer(const char* digest, double download, double disk) {
    return builder_.Layer(digest, download, disk);
  }
  ImageId Image(const char* name, std::vector<std::string> layers) {
    return ImageId(builder_.Image(name, Os::kLinux, OsVersion::kNone, std::move(layers)));
  }
  // Builds the puller over the catalog declared so far, with one agent.
  void Init(double budget_mib = 100 * 1024, double bandwidth = kBandwidth,
            int concurrent = kConcurrent, double extract = kExtract) {
    catalog_ = builder_.spec().images;
    puller_ = std::make_unique<ImagePuller>(sim_, catalog_, [this](TaskSlot t) {
      done_.push_back({t, sim_.Now()});
    });
    puller_->AddAgent(budget_mib, bandwidth, concurrent, extract);
  }
  // Starts a pull that must need fetching; returns its job id.
  uint32_t Pull(ImageId image, TaskSlot task) {
    uint32_t job = ~0u;
    EXPECT_EQ(puller_->StartPull(kAgent, image, task, &job), ImagePuller::PullResult::kStarted);
    return job;
  }
  // Time the pull of `task` completed, or Max if it has not.
  sim::Time DoneAt(TaskSlot task) const {
    for (const auto& d : done_) {
      if (d.task == task) return d.at;
    }
    return sim::Time::Max();
  }

  static constexpr AgentId kAgent{0};
  struct Done {
    TaskSlot task;
    sim::Time at;
  };
  test::ScenarioBuilder builder_;
  ImageCatalog catalog_;
  sim::Simulator sim_{1};
  std::unique_ptr<ImagePuller> puller_;
  std::vector<Done> done_;
};

TEST_F(ImagePullerTest, HandComputedPullOfTwoLayers) {
  const uint32_t base = Layer("base", 1000, 2000);
  const uint32_t app = Layer("app", 100, 200);
  const ImageId a = Image("A", {"base", "app"});
  Init();

  // t=0    base and app download together at 100/2 = 50 MiB/s each.
  // t=2    app done (100 / 50); base has 1000 - 2*50 = 900 MiB left, now alone at 100 MiB/s.
  // t=11   base downloaded (900 / 100 = 9 s). Layers apply in order: base first, 2000 / 10 = 200 s.
  // t=211  base in place; app (downloaded since t=2) extracts 200 / 10 = 20 s.
  // t=231  image ready.
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, a), 1100);
  Pull(a, TaskSlot{1});
  // The store reserves the on-disk size of what it fetches from the start.
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 2200);
  EXPECT_EQ(puller_->active_pulls(), 1u);

  sim_.RunUntil(Sec(1));
  // After 1 s each layer has 50 MiB: 1100 - 100 = 1000 MiB still to download.
  EXPECT_NEAR(puller_->MissingMiB(kAgent, a), 1000, 1e-6);
  sim_.RunUntil(Sec(5));
  // app done at 2 s; base: 1000 - 100 (0..2 s) - 300 (2..5 s at 100 MiB/s) = 600.
  EXPECT_NEAR(puller_->MissingMiB(kAgent, a), 600, 1e-6);
  sim_.RunUntil(Sec(12));
  // Everything downloaded, nothing extracted yet.
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, a), 0);
  EXPECT_FALSE(puller_->HasLayer(kAgent, base));
  EXPECT_FALSE(puller_->HasLayer(kAgent, app));
  sim_.RunUntil(Sec(211));
  EXPECT_TRUE(puller_->HasLayer(kAgent, base));
  EXPECT_FALSE(puller_->HasLayer(kAgent, app));
  EXPECT_EQ(DoneAt(TaskSlot{1}), sim::Time::Max());
  sim_.RunUntil(Sec(300));
  EXPECT_TRUE(puller_->HasLayer(kAgent, app));
  ASSERT_EQ(done_.size(), 1u);
  EXPECT_EQ(DoneAt(TaskSlot{1}), Sec(231));
  EXPECT_EQ(puller_->active_pulls(), 0u);
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 2200);
}

TEST_F(ImagePullerTest, SecondImageSharingTheBasePullsOnlyItsOwnLayer) {
  const uint32_t base = Layer("base", 1000, 2000);
  Layer("app", 100, 200);
  const uint32_t app2 = Layer("app2", 50, 80);
  const ImageId a = Image("A", {"base", "app"});
  const ImageId b = Image("B", {"base", "app2"});
  Init();
  Pull(a, TaskSlot{1});
  sim_.RunUntil(Sec(231));
  ASSERT_EQ(DoneAt(TaskSlot{1}), Sec(231));  // as in HandComputedPullOfTwoLayers
  puller_->Release(kAgent, a);

  // B lacks only app2: 50 MiB at the full 100 MiB/s = 0.5 s, then 80 / 10 = 8 s of extraction
  // (base is already in place): ready at 231 + 0.5 + 8 = 239.5 s.
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, b), 50);
  Pull(b, TaskSlot{2});
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 2000 + 200 + 80);  // base counted once
  sim_.RunUntil(Sec(300));
  EXPECT_EQ(DoneAt(TaskSlot{2}), Sec(239.5));
  EXPECT_TRUE(puller_->HasLayer(kAgent, base));
  EXPECT_TRUE(puller_->HasLayer(kAgent, app2));
}

TEST_F(ImagePullerTest, ConcurrentPullsFetchASharedBaseOnce) {
  Layer("base", 1000, 2000);
  Layer("app", 100, 200);
  Layer("app2", 50, 80);
  const ImageId a = Image("A", {"base", "app"});
  const ImageId b = Image("B", {"base", "app2"});
  Init();
  Pull(a, TaskSlot{1});
  Pull(b, TaskSlot{2});
  // Three downloads (base once, app, app2) at 100/3 MiB/s each:
  // t=1.5   app2 done (50 / 33.3); base 950 and app 50 left, now at 50 MiB/s each.
  // t=2.5   app done (50 / 50); base 900 left, alone at 100 MiB/s.
  // t=11.5  base downloaded (9 s) -> extracted 11.5..211.5 (200 s), once for both images.
  // t=211.5 A extracts app (20 s) -> ready at 231.5; B extracts app2 (8 s) -> ready at 219.5.
  // Had base been fetched twice, the 2000 MiB of downloads would end at 20.5 s at the earliest.
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 2000 + 200 + 80);
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, b), 1050);
  sim_.RunUntil(Sec(400));
  EXPECT_EQ(DoneAt(TaskSlot{2}), Sec(219.5));
  EXPECT_EQ(DoneAt(TaskSlot{1}), Sec(231.5));
  EXPECT_EQ(done_.size(), 2u);
}

TEST_F(ImagePullerTest, ConcurrencyLimitQueuesTheFourthDownload) {
  // Four single-layer images of 90 MiB each (nothing to extract), bandwidth 90 MiB/s, limit 3:
  // the first three share 30 MiB/s each and finish at 3 s; the fourth waits, then has the link
  // to itself: 90 / 90 = 1 s -> 4 s. (Without the limit all four would finish together at 4 s.)
  std::vector<ImageId> images;
  for (const char* name : {"l1", "l2", "l3", "l4"}) {
    Layer(name, 90, 0);
    images.push_back(Image(name, {name}));
  }
  Init(/*budget_mib=*/1000, /*bandwidth=*/90, /*concurrent=*/3);
  for (uint32_t i = 0; i < 4; ++i) Pull(images[i], TaskSlot{i});
  sim_.RunUntil(Sec(2));
  EXPECT_NEAR(puller_->MissingMiB(kAgent, images[0]), 30, 1e-6);  // 90 - 2 s * 30 MiB/s
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, images[3]), 90);   // queued, untouched
  sim_.RunUntil(Sec(10));
  EXPECT_EQ(DoneAt(TaskSlot{0}), Sec(3));
  EXPECT_EQ(DoneAt(TaskSlot{1}), Sec(3));
  EXPECT_EQ(DoneAt(TaskSlot{2}), Sec(3));
  EXPECT_EQ(DoneAt(TaskSlot{3}), Sec(4));
}

TEST_F(ImagePullerTest, PresentImageIsReadyAtOnceWithoutACallback) {
  const uint32_t base = Layer("base", 1000, 2000);
  Layer("app", 100, 200);
  const ImageId a = Image("A", {"base", "app"});
  Init();
  puller_->Preload(kAgent, a);
  EXPECT_TRUE(puller_->HasLayer(kAgent, base));
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, a), 0);
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 2200);
  uint32_t job = ~0u;
  EXPECT_EQ(puller_->StartPull(kAgent, a, TaskSlot{7}, &job), ImagePuller::PullResult::kReady);
  EXPECT_EQ(puller_->active_pulls(), 0u);
  sim_.RunUntil(Sec(100));
  EXPECT_TRUE(done_.empty());
  puller_->Release(kAgent, a);  // kReady pins too
}

TEST_F(ImagePullerTest, LruEvictsTheLeastRecentlyUsedUnpinnedLayer) {
  // Budget 1000 MiB; three 400 MiB images: two fit, the third needs an eviction.
  const uint32_t x = Layer("x", 40, 400);
  const uint32_t y = Layer("y", 40, 400);
  const uint32_t z = Layer("z", 40, 400);
  const ImageId ix = Image("X", {"x"});
  const ImageId iy = Image("Y", {"y"});
  const ImageId iz = Image("Z", {"z"});
  Init(/*budget_mib=*/1000);
  Pull(ix, TaskSlot{1});
  sim_.RunUntil(Sec(100));
  puller_->Release(kAgent, ix);
  Pull(iy, TaskSlot{2});
  sim_.RunUntil(Sec(200));
  puller_->Release(kAgent, iy);
  // X is used again (ready at once), so Y is now the least recently used.
  uint32_t job = ~0u;
  ASSERT_EQ(puller_->StartPull(kAgent, ix, TaskSlot{3}, &job), ImagePuller::PullResult::kReady);
  puller_->Release(kAgent, ix);
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 800);

  Pull(iz, TaskSlot{4});  // 800 + 400 > 1000: evict Y
  EXPECT_TRUE(puller_->HasLayer(kAgent, x));
  EXPECT_FALSE(puller_->HasLayer(kAgent, y));
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 800);
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, iy), 40);  // would have to be fetched again
  sim_.RunUntil(Sec(300));
  EXPECT_TRUE(puller_->HasLayer(kAgent, z));
}

TEST_F(ImagePullerTest, PinnedLayersAreNeverEvicted) {
  const uint32_t x = Layer("x", 40, 400);
  const uint32_t y = Layer("y", 40, 400);
  Layer("z", 40, 400);
  const ImageId ix = Image("X", {"x"});
  const ImageId iy = Image("Y", {"y"});
  const ImageId iz = Image("Z", {"z"});
  Init(/*budget_mib=*/1000);
  Pull(ix, TaskSlot{1});
  sim_.RunUntil(Sec(100));
  puller_->Release(kAgent, ix);  // X unpinned (and least recently used)
  Pull(iy, TaskSlot{2});
  sim_.RunUntil(Sec(200));  // Y stays pinned: its container runs
  Pull(iz, TaskSlot{3});    // only X may go
  EXPECT_FALSE(puller_->HasLayer(kAgent, x));
  EXPECT_TRUE(puller_->HasLayer(kAgent, y));
}

// Docker's layers are chained: a base cannot go while a layer stacked on it stays. Evicting the
// LRU layer alone took A's base (the older stamp on a tie) and left appA in the store on top of
// nothing, so the next pull of A fetched only the base. Now appA goes first, then the base.
TEST_F(ImagePullerTest, EvictionTakesUpperLayersBeforeTheBaseTheyStandOn) {
  const uint32_t base = Layer("base", 10, 300);
  const uint32_t app_a = Layer("appA", 10, 100);
  Layer("xb", 10, 300);
  Layer("appB", 10, 100);
  const ImageId a = Image("A", {"base", "appA"});
  const ImageId b = Image("B", {"xb", "appB"});
  Init(/*budget_mib=*/500);
  Pull(a, TaskSlot{1});
  sim_.RunUntil(Sec(100));
  puller_->Release(kAgent, a);
  Pull(b, TaskSlot{2});  // needs 400 of the 500: base alone would have made room
  EXPECT_FALSE(puller_->HasLayer(kAgent, app_a));
  EXPECT_FALSE(puller_->HasLayer(kAgent, base));
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 400);
}

// A layer shared by digest over two bases (X = [b1, a], Y = [b2, a]) is one layer per chain in
// Docker: with a pinned by a running Y, X's base b1 can still go (it used to be held back by a,
// and the pull got no disk).
TEST_F(ImagePullerTest, APinnedLayerOnAnotherBaseDoesNotHoldABaseBack) {
  const uint32_t b1 = Layer("b1", 10, 300);
  Layer("b2", 10, 100);
  Layer("a", 10, 100);
  Layer("c", 10, 250);
  const ImageId x = Image("X", {"b1", "a"});
  const ImageId y = Image("Y", {"b2", "a"});
  const ImageId z = Image("Z", {"c"});
  Init(/*budget_mib=*/600);  // X and Y take 500; Z needs 250 more
  Pull(x, TaskSlot{1});
  Pull(y, TaskSlot{2});
  sim_.RunUntil(Sec(100));
  puller_->Release(kAgent, x);  // X done; Y still running: b2 and a pinned
  uint32_t job = ~0u;
  EXPECT_EQ(puller_->StartPull(kAgent, z, TaskSlot{3}, &job), ImagePuller::PullResult::kStarted);
  EXPECT_FALSE(puller_->HasLayer(kAgent, b1));
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 100 + 100 + 250);
}

TEST_F(ImagePullerTest, NoDiskWhenNothingCanBeEvicted) {
  const uint32_t x = Layer("x", 40, 400);
  Layer("y", 40, 400);
  Layer("z", 40, 400);
  Layer("huge", 10, 1001);
  const ImageId ix = Image("X", {"x"});
  const ImageId iy = Image("Y", {"y"});
  const ImageId iz = Image("Z", {"z"});
  const ImageId xz = Image("XZ", {"x", "z"});  // shares x
  const ImageId huge = Image("H", {"huge"});
  Init(/*budget_mib=*/1000);
  Pull(ix, TaskSlot{1});
  Pull(iy, TaskSlot{2});
  sim_.RunUntil(Sec(100));
  // X and Y both pinned (running): 800 used, Z needs 400 more.
  uint32_t job = ~0u;
  EXPECT_EQ(puller_->StartPull(kAgent, iz, TaskSlot{3}, &job), ImagePuller::PullResult::kNoDisk);
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 800);
  EXPECT_EQ(puller_->active_pulls(), 0u);
  // A failed pull leaves no pins behind, not even on the layers it shares (x).
  EXPECT_EQ(puller_->StartPull(kAgent, xz, TaskSlot{4}, &job), ImagePuller::PullResult::kNoDisk);
  puller_->Release(kAgent, ix);  // x's only pin
  Pull(iz, TaskSlot{5});         // now x can be evicted
  EXPECT_FALSE(puller_->HasLayer(kAgent, x));
  // An image larger than the whole store never fits. The failed attempt evicts nothing: y,
  // unpinned now, stays cached (evicting it would have freed too little anyway).
  const uint32_t y = catalog_.images[iy.index()].layers[0];
  puller_->Release(kAgent, iy);
  EXPECT_EQ(puller_->StartPull(kAgent, huge, TaskSlot{6}, &job), ImagePuller::PullResult::kNoDisk);
  EXPECT_TRUE(puller_->HasLayer(kAgent, y));
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 800);  // y + z (being fetched)
  sim_.RunUntil(Sec(200));
  EXPECT_EQ(DoneAt(TaskSlot{3}), sim::Time::Max());
  EXPECT_EQ(DoneAt(TaskSlot{4}), sim::Time::Max());
  EXPECT_NE(DoneAt(TaskSlot{5}), sim::Time::Max());
}

TEST_F(ImagePullerTest, CancelledPullLetsDownloadsFinishForTheNextPull) {
  Layer("base", 1000, 2000);
  Layer("app", 100, 200);
  const ImageId a = Image("A", {"base", "app"});
  Init();
  const uint32_t job = Pull(a, TaskSlot{1});
  sim_.RunUntil(Sec(1));
  puller_->CancelPull(job);  // a waiter leaving transfers others may still want
  puller_->Release(kAgent, a);
  EXPECT_EQ(puller_->active_pulls(), 0u);
  // The downloads carried on: a new pull of A at t=1 finishes exactly when the first would have.
  Pull(a, TaskSlot{2});
  sim_.RunUntil(Sec(400));
  EXPECT_EQ(DoneAt(TaskSlot{1}), sim::Time::Max());
  EXPECT_EQ(DoneAt(TaskSlot{2}), Sec(231));
}

TEST_F(ImagePullerTest, AgentDownLosesWhatIsInFlightButKeepsExtractedLayers) {
  const uint32_t base = Layer("base", 1000, 2000);
  const uint32_t app = Layer("app", 100, 200);
  const ImageId a = Image("A", {"base", "app"});
  Init();
  const uint32_t job = Pull(a, TaskSlot{1});
  sim_.RunUntil(Sec(215));  // base in place (211 s), app extracting until 231 s
  puller_->CancelPull(job);
  puller_->Release(kAgent, a);
  puller_->AgentDown(kAgent);
  EXPECT_TRUE(puller_->HasLayer(kAgent, base));
  EXPECT_FALSE(puller_->HasLayer(kAgent, app));
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 2000);
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, a), 100);
  // Back up at 215 s: app again, 1 s of download and 20 s of extraction -> 236 s.
  Pull(a, TaskSlot{2});
  sim_.RunUntil(Sec(400));
  EXPECT_EQ(DoneAt(TaskSlot{1}), sim::Time::Max());
  EXPECT_EQ(DoneAt(TaskSlot{2}), Sec(236));
}

TEST_F(ImagePullerTest, AbortedPullLosesItsDownloadsInFlight) {
  // base (1000 MiB) and app (100 MiB) download side by side at 50 MiB/s each; at 1 s each has
  // 50 MiB. The container is destroyed then: nobody else wants either layer, so both are lost.
  const uint32_t base = Layer("base", 1000, 2000);
  const uint32_t app = Layer("app", 100, 200);
  const ImageId a = Image("A", {"base", "app"});
  Init();
  const uint32_t job = Pull(a, TaskSlot{1});
  sim_.RunUntil(Sec(1));
  puller_->AbortPull(job);
  EXPECT_EQ(puller_->active_pulls(), 0u);
  EXPECT_FALSE(puller_->HasLayer(kAgent, base));
  EXPECT_FALSE(puller_->HasLayer(kAgent, app));
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 0);
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, a), 1100);
  EXPECT_DOUBLE_EQ(puller_->downloaded_mib(), 100);
  EXPECT_DOUBLE_EQ(puller_->discarded_mib(), 100);
  // A new pull at 1 s starts from nothing: 1 + 231 s (a cancelled pull's would end at 231 s).
  Pull(a, TaskSlot{2});
  sim_.RunUntil(Sec(400));
  EXPECT_EQ(DoneAt(TaskSlot{1}), sim::Time::Max());
  EXPECT_EQ(DoneAt(TaskSlot{2}), Sec(232));
  EXPECT_DOUBLE_EQ(puller_->downloaded_mib(), 1200);
  EXPECT_DOUBLE_EQ(puller_->discarded_mib(), 100);
}

// A pull aborted while its layer still waits behind the concurrency limit (three of 90 MiB at
// 90 MiB/s, limit 3, as above): the queued layer leaves the queue and gives its disk back; nothing
// of it was fetched, so nothing is discarded; the three others download by 3 s and no download
// starts for the aborted one when their slots free.
TEST_F(ImagePullerTest, AbortedPullWhoseLayerIsQueuedLeavesTheQueue) {
  std::vector<ImageId> images;
  std::vector<uint32_t> layers;
  for (const char* name : {"l1", "l2", "l3", "l4"}) {
    layers.push_back(Layer(name, 90, 10));
    images.push_back(Image(name, {name}));
  }
  Init(/*budget_mib=*/1000, /*bandwidth=*/90, /*concurrent=*/3);
  std::vector<uint32_t> jobs;
  for (uint32_t i = 0; i < 4; ++i) jobs.push_back(Pull(images[i], TaskSlot{i}));
  sim_.RunUntil(Sec(1));
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 40);
  puller_->AbortPull(jobs[3]);
  EXPECT_EQ(puller_->active_pulls(), 3u);
  EXPECT_FALSE(puller_->HasLayer(kAgent, layers[3]));
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 30);
  EXPECT_DOUBLE_EQ(puller_->discarded_mib(), 0);
  sim_.RunUntil(Sec(100));
  // Downloaded at 3 s, each extracted in parallel in 10 MiB / 10 MiB/s = 1 s.
  for (uint32_t i = 0; i < 3; ++i) EXPECT_EQ(DoneAt(TaskSlot{i}), Sec(4));
  EXPECT_EQ(DoneAt(TaskSlot{3}), sim::Time::Max());
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, images[3]), 90);
  EXPECT_DOUBLE_EQ(puller_->downloaded_mib(), 270);
  EXPECT_DOUBLE_EQ(puller_->discarded_mib(), 0);
}

TEST_F(ImagePullerTest, AbortedPullKeepsExtractedLayersAndLosesTheOneExtracting) {
  // As in the hand-computed pull: base in place at 211 s, app (downloaded at 2 s) extracting
  // until 231 s. Aborted at 215 s: base stays, app and its 100 MiB download are lost.
  const uint32_t base = Layer("base", 1000, 2000);
  const uint32_t app = Layer("app", 100, 200);
  const ImageId a = Image("A", {"base", "app"});
  Init();
  const uint32_t job = Pull(a, TaskSlot{1});
  sim_.RunUntil(Sec(215));
  puller_->AbortPull(job);
  EXPECT_TRUE(puller_->HasLayer(kAgent, base));
  EXPECT_FALSE(puller_->HasLayer(kAgent, app));
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 2000);
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, a), 100);
  EXPECT_DOUBLE_EQ(puller_->downloaded_mib(), 1100);
  EXPECT_DOUBLE_EQ(puller_->discarded_mib(), 100);
  // The extraction that was cancelled never fires; a new pull at 215 s: 1 s + 20 s -> 236 s.
  Pull(a, TaskSlot{2});
  sim_.RunUntil(Sec(400));
  EXPECT_EQ(DoneAt(TaskSlot{1}), sim::Time::Max());
  EXPECT_EQ(DoneAt(TaskSlot{2}), Sec(236));
  // The base layer is unpinned (evictable) once the second pull's container is gone too.
  puller_->Release(kAgent, a);
}

TEST_F(ImagePullerTest, AbortedPullLeavesASharedDownloadToThePullStillWaiting) {
  // A = base + app, B = base + other, at 90 MiB/s: base, app and other download at 30 MiB/s
  // each. At 2 s A's container is destroyed: app (60 of 150 MiB) is lost, base carries on for B.
  // Then base and other share 90 MiB/s: other (90 MiB left) done at 4 s; base (1050 - 60 - 90 =
  // 900 MiB left) alone at 90 MiB/s -> 14 s, extracted 2000 / 10 -> 214 s; other extracted
  // 200 / 10 -> 234 s.
  const uint32_t base = Layer("base", 1050, 2000);
  const uint32_t app = Layer("app", 150, 200);
  Layer("other", 150, 200);
  const ImageId a = Image("A", {"base", "app"});
  const ImageId b = Image("B", {"base", "other"});
  Init(/*budget_mib=*/100 * 1024, /*bandwidth=*/90);
  const uint32_t job_a = Pull(a, TaskSlot{1});
  Pull(b, TaskSlot{2});
  sim_.RunUntil(Sec(2));
  puller_->AbortPull(job_a);
  EXPECT_DOUBLE_EQ(puller_->discarded_mib(), 60);
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, a), 150 + 990);
  sim_.RunUntil(Sec(400));
  EXPECT_EQ(DoneAt(TaskSlot{2}), Sec(234));
  EXPECT_TRUE(puller_->HasLayer(kAgent, base));
  EXPECT_FALSE(puller_->HasLayer(kAgent, app));
  EXPECT_DOUBLE_EQ(puller_->MissingMiB(kAgent, a), 150);
  EXPECT_DOUBLE_EQ(puller_->downloaded_mib(), 60 + 1050 + 150);
  EXPECT_DOUBLE_EQ(puller_->discarded_mib(), 60);
}

TEST_F(ImagePullerTest, PrePulledImageIsNobodysAndLruMayEvictIt) {
  // A: 100 MiB down, 200 on disk: 1 s + 20 s, in place at 21 s with no callback. The store holds
  // 300 MiB: B (200 on disk) then needs A's room, and A, pinned by nobody, is evicted.
  const uint32_t a_layer = Layer("a", 100, 200);
  Layer("b", 100, 200);
  const ImageId a = Image("A", {"a"});
  const ImageId b = Image("B", {"b"});
  Init(/*budget_mib=*/300);
  EXPECT_EQ(puller_->PrePull(kAgent, a), ImagePuller::PullResult::kStarted);
  EXPECT_EQ(puller_->active_pulls(), 1u);
  sim_.RunUntil(Sec(21));
  EXPECT_TRUE(puller_->HasLayer(kAgent, a_layer));
  EXPECT_EQ(puller_->active_pulls(), 0u);
  EXPECT_TRUE(done_.empty());
  EXPECT_EQ(puller_->PrePull(kAgent, a), ImagePuller::PullResult::kReady);
  Pull(b, TaskSlot{1});
  EXPECT_FALSE(puller_->HasLayer(kAgent, a_layer));
}

TEST_F(ImagePullerTest, PrePullInFlightIsPinnedAndKeepsASharedTransferAlive) {
  // A task's pull and a pre-pull of A share the layer; the task's container is destroyed at
  // 0.5 s, but the pre-pull still waits: the transfer carries on and A is in place at 21 s.
  const uint32_t a_layer = Layer("a", 100, 200);
  const ImageId a = Image("A", {"a"});
  Init();
  const uint32_t job = Pull(a, TaskSlot{1});
  EXPECT_EQ(puller_->PrePull(kAgent, a), ImagePuller::PullResult::kStarted);
  sim_.RunUntil(Sec(0.5));
  puller_->AbortPull(job);
  EXPECT_DOUBLE_EQ(puller_->discarded_mib(), 0);
  sim_.RunUntil(Sec(21));
  EXPECT_TRUE(puller_->HasLayer(kAgent, a_layer));
  EXPECT_EQ(puller_->active_pulls(), 0u);
}

TEST_F(ImagePullerTest, AgentDownDropsPrePullsInFlight) {
  const uint32_t a_layer = Layer("a", 100, 200);
  const ImageId a = Image("A", {"a"});
  Init();
  EXPECT_EQ(puller_->PrePull(kAgent, a), ImagePuller::PullResult::kStarted);
  sim_.RunUntil(Sec(0.5));
  puller_->AgentDown(kAgent);
  EXPECT_EQ(puller_->active_pulls(), 0u);
  EXPECT_DOUBLE_EQ(puller_->UsedMiB(kAgent), 0);
  EXPECT_DOUBLE_EQ(puller_->discarded_mib(), 50);
  sim_.RunUntil(Sec(100));
  EXPECT_FALSE(puller_->HasLayer(kAgent, a_layer));
}

TEST_F(ImagePullerTest, FastLinkWithSubMicrosecondRemainderStillCompletes) {
  // At 4000 MiB/s a layer of 4000.000000002 MiB needs 1 s + 0.5 ps. The completion event is
  // scheduled at whole microseconds (rounded with a 1e-6 µs slack), so it fires at exactly 1 s
  // with 2e-9 MiB left — more than the 1e-9 "done" threshold. The next event must still be at
  // least 1 µs later; scheduling it after 0 µs would repeat forever at the same instant.
  Layer("odd", 4000.000000002, 0);
  const ImageId img = Image("odd", {"odd"});
  Init(/*budget_mib=*/100 * 1024, /*bandwidth=*/4000);
  Pull(img, TaskSlot{1});
  int steps = 0;
  while (done_.empty() && steps < 1000 && sim_.Step()) ++steps;
  ASSERT_EQ(done_.size(), 1u) << "no progress after " << steps
                              << " events at t=" << sim_.Now().micros() << " us";
  EXPECT_LE(steps, 5);
  EXPECT_GE(DoneAt(TaskSlot{1}), Sec(1));
  EXPECT_LE(DoneAt(TaskSlot{1}), Sec(1) + sim::Time::Micros(1));
}

}  // namespace
}  // namespace clustersim::models
