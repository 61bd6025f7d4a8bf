#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "models/spec.h"
#include "models/task.h"
#include "sim/simulator.h"

namespace clustersim::models {

// Agent-side image stores and pulls, for every agent of the cluster.
//
// Each agent keeps the layers it holds (disk budget, LRU eviction of layers no container uses).
// A pull fetches only the layers the agent lacks and is not already fetching: layer downloads share
// the agent's bandwidth equally (processor sharing) with at most `max_concurrent_downloads` active,
// the rest queued FIFO. A downloaded layer is extracted at the runtime's rate once the layer below
// it in the image is in place (Docker applies layers in order); different images extract in
// parallel. A layer shared by two images is downloaded and extracted once.
class ImagePuller {
 public:
  enum class PullResult { kReady, kStarted, kNoDisk };
  // Called once per started pull when all its layers are in place.
  using DoneCallback = std::function<void(TaskSlot)>;

  ImagePuller(sim::Simulator& sim, const ImageCatalog& catalog, DoneCallback done);

  // Adds an agent; returns its index (must equal the AgentId the caller uses).
  void AddAgent(double budget_mib, double bandwidth_mibps, int max_concurrent_downloads,
                double extract_mib_per_s);
  // Places the image's layers in the store at no cost (warm images).
  void Preload(AgentId agent, ImageId image);

  // Pins the image's layers for `task` and fetches what is missing. kReady: nothing to fetch (no
  // callback follows); kStarted: `done(task)` follows unless the pull is stopped (AbortPull,
  // CancelPull); kNoDisk: the store cannot make room (nothing pinned). The returned job id goes to
  // those. O(layers).
  PullResult StartPull(AgentId agent, ImageId image, TaskSlot task, uint32_t* job_out);
  // Pulls the image with no task waiting for it (a pre-pull): the layers it fetches are pinned
  // only while in flight, then nobody's, so LRU may evict them. Results as StartPull's, with no
  // callback; a kReady image gets its LRU stamps refreshed. O(layers).
  PullResult PrePull(AgentId agent, ImageId image);
  // Stops waiting for a started pull; downloads already in flight carry on, since other pulls
  // may want them. Keeps the layers pinned (call Release as well). The runtime's pulls end with
  // AbortPull instead: a destroyed container's pull, or a client that gave up, lets go of them.
  void CancelPull(uint32_t job);
  // The pull stops for good while in flight (the container destroyed: registration timeout, a
  // kill or a loss; or the client gone: pull timeout):
  // stops the pull, unpins the image (no Release follows) and drops every layer of the image not
  // yet in place that no other live pull of the agent still needs, with what it had downloaded.
  // Docker's transfer manager shares one layer transfer among all the pulls waiting for it and
  // cancels it when the last of them goes (moby distribution/xfer/transfer.go; facts doc §2.4),
  // and the agent SIGKILLs the destroyed container's `docker pull` (Mesos src/docker/docker.cpp:
  // 1956-1964, facts doc §2.3): layers in place stay, a download or extraction only this pull
  // wanted is lost. O(layers of the agent × layers of the image).
  void AbortPull(uint32_t job);
  // Unpins the image's layers once the container is gone.
  void Release(AgentId agent, ImageId image);
  // Agent failure: every download and extraction in flight is lost, pre-pulls dropped.
  // Precondition: no task's pull of this agent is pending (cancel them first).
  void AgentDown(AgentId agent);

  // MiB still to download for `image` as a launch now would run it (servicing updates applied).
  double MissingMiB(AgentId agent, ImageId image) const;
  bool HasLayer(AgentId agent, uint32_t layer) const;
  // Whether every layer of the image is in the agent's store or on its way there.
  bool HasOrFetches(AgentId agent, ImageId image) const;
  double UsedMiB(AgentId agent) const;
  size_t active_pulls() const { return live_jobs_; }
  size_t agents() const { return stores_.size(); }
  // MiB downloaded over the run by every agent: completed layer downloads, plus the part done of
  // downloads that were dropped.
  double downloaded_mib() const { return downloaded_mib_; }
  // Of those, MiB thrown away: downloads dropped part-way, downloaded layers dropped before they
  // were extracted (AbortPull, AgentDown).
  double discarded_mib() const { return discarded_mib_; }

 private:
  enum class LayerState : uint8_t { kQueued, kDownloading, kDownloaded, kExtracting, kPresent };
  struct LayerEntry {
    uint32_t layer = 0;
    LayerState state = LayerState::kQueued;
    uint32_t pins = 0;
    uint64_t last_used = 0;  // LRU clock
    double remaining_mib = 0;
    sim::EventId extraction;
    std::vector<uint32_t> waiters;  // pull jobs blocked on this layer
  };
  struct AgentStore {
    double budget_mib = 0;
    double used_mib = 0;  // present layers + reservations of layers being fetched
    double bandwidth_mibps = 0;
    int max_downloads = 0;
    double extract_mib_per_s = 0;
    std::vector<LayerEntry> layers;     // few per agent: linear search beats hashing
    std::vector<uint32_t> downloading;  // layer ids
    std::vector<uint32_t> queued;       // layer ids, FIFO
    sim::Time progress_at;
    sim::EventId next_download_done;
  };
  struct PullJob {
    TaskSlot task = kNoTask;
    AgentId agent;
    ImageId image;
    uint32_t cursor = 0;
    bool live = false;
  };

  LayerEntry* Find(AgentStore& store, uint32_t layer);
  const LayerEntry* Find(const AgentStore& store, uint32_t layer) const;
  bool MakeRoom(AgentStore& store, double need_mib);
  std::vector<std::vector<size_t>> EvictableParents(const AgentStore& store) const;
  void Advance(uint32_t job);
  void Wake(AgentStore& store, uint32_t layer);
  void UpdateProgress(AgentStore& store);
  void StartQueuedDownloads(AgentStore& store);
  void RescheduleDownloads(AgentId agent);
  void OnDownloadsDue(AgentId agent);
  void OnExtracted(AgentId agent, uint32_t layer);
  // Takes a layer that is not in place out of the store and out of the download lists; counts what
  // it had downloaded as discarded. The caller reschedules the agent's downloads.
  void DropTransfer(AgentStore& store, uint32_t layer);

  sim::Simulator& sim_;
  const ImageCatalog& catalog_;
  DoneCallback done_;
  std::vector<AgentStore> stores_;
  std::vector<PullJob> jobs_;
  std::vector<uint32_t> free_jobs_;
  size_t live_jobs_ = 0;
  uint64_t lru_clock_ = 0;
  double downloaded_mib_ = 0;
  double discarded_mib_ = 0;
};

}  // namespace clustersim::models
