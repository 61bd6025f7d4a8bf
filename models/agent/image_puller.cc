#include "models/agent/image_puller.h"

#include <algorithm>
#include <cmath>

#include "sim/check.h"

namespace clustersim::models {
namespace {

// A thousandth of a byte: what microsecond rounding can leave of a finished download.
constexpr double kDoneMiB = 1e-9;

}  // namespace

ImagePuller::ImagePuller(sim::Simulator& sim, const ImageCatalog& catalog, DoneCallback done)
    : sim_(sim), catalog_(catalog), done_(std::move(done)) {}

void ImagePuller::AddAgent(double budget_mib, double bandwidth_mibps, int max_concurrent_downloads,
                           double extract_mib_per_s) {
  AgentStore store;
  store.budget_mib = budget_mib;
  store.bandwidth_mibps = bandwidth_mibps;
  store.max_downloads = std::max(1, max_concurrent_downloads);
  store.extract_mib_per_s = extract_mib_per_s;
  stores_.push_back(std::move(store));
}

ImagePuller::LayerEntry* ImagePuller::Find(AgentStore& store, uint32_t layer) {
  for (auto& e : store.layers) {
    if (e.layer == layer) return &e;
  }
  return nullptr;
}

const ImagePuller::LayerEntry* ImagePuller::Find(const AgentStore& store, uint32_t layer) const {
  for (const auto& e : store.layers) {
    if (e.layer == layer) return &e;
  }
  return nullptr;
}

void ImagePuller::Preload(AgentId agent, ImageId image) {
  AgentStore& store = stores_[agent.index()];
  for (uint32_t layer : catalog_.images[image.index()].layers) {
    if (Find(store, layer) != nullptr) continue;
    LayerEntry e;
    e.layer = layer;
    e.state = LayerState::kPresent;
    e.last_used = ++lru_clock_;
    store.layers.push_back(std::move(e));
    store.used_mib += catalog_.layers[layer].disk_mib;
  }
}

// Evicts unpinned present layers until `need_mib` fits: the least recently used of those no other
// evictable layer is stacked on, as Docker's layer store, where a layer is the top of a chain and
// a parent goes only after its children (so a base never goes while an app layer on it stays, to
// be pulled again on a base it no longer has). A pinned layer on top does not hold its parent
// back: were they one chain, the parent would be pinned too, so it sits on another base (a layer
// shared by digest across bases is one layer per chain in Docker). Evicts nothing when even
// evicting everything unpinned would not make room. Costs O(catalog layers) per call that has to
// evict, plus O(evicted × store layers): only when the store is full.
bool ImagePuller::MakeRoom(AgentStore& store, double need_mib) {
  // A downloaded layer whose pulls were all cancelled is as good as unused.
  auto evictable_entry = [](const LayerEntry& e) {
    return e.pins == 0 && (e.state == LayerState::kPresent || e.state == LayerState::kDownloaded);
  };
  double evictable = 0;
  for (const auto& e : store.layers) {
    if (evictable_entry(e)) evictable += catalog_.layers[e.layer].disk_mib;
  }
  if (store.used_mib - evictable + need_mib > store.budget_mib + 1e-9) return false;
  if (store.used_mib + need_mib <= store.budget_mib + 1e-9) return true;
  const std::vector<std::vector<size_t>> parents = EvictableParents(store);
  std::vector<uint32_t> children(store.layers.size(), 0);
  for (const auto& of : parents) {
    for (size_t p : of) ++children[p];
  }
  std::vector<uint8_t> evicted(store.layers.size(), 0);
  double used = store.used_mib;
  while (used + need_mib > store.budget_mib + 1e-9) {
    size_t victim = store.layers.size();
    for (size_t i = 0; i < store.layers.size(); ++i) {
      const LayerEntry& e = store.layers[i];
      if (evicted[i] || children[i] > 0 || !evictable_entry(e)) continue;
      if (victim == store.layers.size() || e.last_used < store.layers[victim].last_used) victim = i;
    }
    if (victim == store.layers.size()) return false;  // nothing evicted yet: only planned
    evicted[victim] = 1;
    for (size_t p : parents[victim]) --children[p];
    used -= catalog_.layers[store.layers[victim].layer].disk_mib;
  }
  size_t kept = 0;
  for (size_t i = 0; i < store.layers.size(); ++i) {
    if (evicted[i]) continue;
    if (kept != i) store.layers[kept] = std::move(store.layers[i]);  // never onto itself
    ++kept;
  }
  store.layers.resize(kept);
  store.used_mib = used;
  return true;
}

// For each layer of the store (by position), the positions of the layers it is directly stacked
// on in some image of the catalog, when both are in the store and it is evictable itself (a pinned
// upper layer holds no parent back, MakeRoom). Each pair once.
std::vector<std::vector<size_t>> ImagePuller::EvictableParents(const AgentStore& store) const {
  std::vector<int32_t> position(catalog_.layers.size(), -1);
  for (size_t i = 0; i < store.layers.size(); ++i) {
    const LayerEntry& e = store.layers[i];
    const bool evictable =
        e.pins == 0 && (e.state == LayerState::kPresent || e.state == LayerState::kDownloaded);
    if (evictable) position[e.layer] = static_cast<int32_t>(i);
  }
  std::vector<std::vector<size_t>> parents(store.layers.size());
  for (const ImageSpec& image : catalog_.images) {
    for (size_t k = 0; k + 1 < image.layers.size(); ++k) {
      const int32_t lower = position[image.layers[k]];
      const int32_t upper = position[image.layers[k + 1]];
      if (lower < 0 || upper < 0) continue;
      std::vector<size_t>& of = parents[static_cast<size_t>(upper)];
      if (std::find(of.begin(), of.end(), static_cast<size_t>(lower)) == of.end()) {
        of.push_back(static_cast<size_t>(lower));
      }
    }
  }
  return parents;
}

ImagePuller::PullResult ImagePuller::StartPull(AgentId agent, ImageId image, TaskSlot task,
                                               uint32_t* job_out) {
  AgentStore& store = stores_[agent.index()];
  const auto& layers = catalog_.images[image.index()].layers;

  double need = 0;
  bool all_present = true;
  for (uint32_t layer : layers) {
    const LayerEntry* e = Find(store, layer);
    if (e == nullptr) need += catalog_.layers[layer].disk_mib;
    if (e == nullptr || e->state != LayerState::kPresent) all_present = false;
  }
  // Pin what is already here first, so that making room never evicts a layer of this image.
  for (uint32_t layer : layers) {
    if (LayerEntry* e = Find(store, layer)) ++e->pins;
  }
  if (need > 0 && !MakeRoom(store, need)) {
    for (uint32_t layer : layers) {
      if (LayerEntry* e = Find(store, layer)) --e->pins;
    }
    return PullResult::kNoDisk;
  }
  const uint64_t now_tick = ++lru_clock_;
  bool queued_any = false;
  for (uint32_t layer : layers) {
    if (LayerEntry* e = Find(store, layer)) {
      e->last_used = now_tick;
      continue;
    }
    LayerEntry e;
    e.layer = layer;
    e.state = LayerState::kQueued;
    e.pins = 1;
    e.last_used = now_tick;
    e.remaining_mib = catalog_.layers[layer].download_mib;
    store.layers.push_back(std::move(e));
    store.used_mib += catalog_.layers[layer].disk_mib;
    store.queued.push_back(layer);
    queued_any = true;
  }
  if (all_present) return PullResult::kReady;

  uint32_t job;
  if (!free_jobs_.empty()) {
    job = free_jobs_.back();
    free_jobs_.pop_back();
  } else {
    job = static_cast<uint32_t>(jobs_.size());
    jobs_.emplace_back();
  }
  jobs_[job] = PullJob{task, agent, image, 0, true};
  ++live_jobs_;
  *job_out = job;

  if (queued_any) {
    UpdateProgress(store);
    StartQueuedDownloads(store);
    RescheduleDownloads(agent);
  }
  Advance(job);
  return PullResult::kStarted;
}

ImagePuller::PullResult ImagePuller::PrePull(AgentId agent, ImageId image) {
  uint32_t job = ~0u;
  const PullResult result = StartPull(agent, image, kNoTask, &job);
  if (result == PullResult::kReady) Release(agent, image);  // StartPull pinned what is there
  return result;
}

void ImagePuller::CancelPull(uint32_t job) {
  PullJob& j = jobs_[job];
  if (!j.live) return;
  AgentStore& store = stores_[j.agent.index()];
  for (auto& e : store.layers) {
    auto it = std::find(e.waiters.begin(), e.waiters.end(), job);
    if (it != e.waiters.end()) e.waiters.erase(it);
  }
  j.live = false;
  --live_jobs_;
  free_jobs_.push_back(job);
}

void ImagePuller::AbortPull(uint32_t job) {
  PullJob& j = jobs_[job];
  SIM_CHECK_MSG(j.live, "aborting a pull that is not in progress");
  const AgentId agent = j.agent;
  const ImageId image = j.image;
  CancelPull(job);
  Release(agent, image);
  AgentStore& store = stores_[agent.index()];
  UpdateProgress(store);
  // Every live pull pins all the layers of its image, so a layer not in place with no pin left is
  // one no other pull waits for.
  bool dropped = false;
  for (uint32_t layer : catalog_.images[image.index()].layers) {
    const LayerEntry* e = Find(store, layer);
    if (e == nullptr || e->state == LayerState::kPresent || e->pins > 0) continue;
    DropTransfer(store, layer);
    dropped = true;
  }
  if (dropped) {
    StartQueuedDownloads(store);
    RescheduleDownloads(agent);
  }
}

void ImagePuller::DropTransfer(AgentStore& store, uint32_t layer) {
  auto it = std::find_if(store.layers.begin(), store.layers.end(),
                         [&](const LayerEntry& e) { return e.layer == layer; });
  SIM_CHECK(it != store.layers.end() && it->state != LayerState::kPresent);
  const double size = catalog_.layers[layer].download_mib;
  switch (it->state) {
    case LayerState::kQueued:
      std::erase(store.queued, layer);
      break;
    case LayerState::kDownloading: {
      std::erase(store.downloading, layer);
      const double done = std::clamp(size - it->remaining_mib, 0.0, size);
      downloaded_mib_ += done;  // completed downloads are counted when they complete
      discarded_mib_ += done;
      break;
    }
    case LayerState::kExtracting:
      sim_.Cancel(it->extraction);
      discarded_mib_ += size;
      break;
    case LayerState::kDownloaded:
      discarded_mib_ += size;
      break;
    case LayerState::kPresent:
      break;
  }
  store.used_mib -= catalog_.layers[layer].disk_mib;
  store.layers.erase(it);
}

void ImagePuller::Release(AgentId agent, ImageId image) {
  AgentStore& store = stores_[agent.index()];
  for (uint32_t layer : catalog_.images[image.index()].layers) {
    LayerEntry* e = Find(store, layer);
    SIM_CHECK_MSG(e != nullptr && e->pins > 0, "image released more often than pinned");
    --e->pins;
  }
}

void ImagePuller::AgentDown(AgentId agent) {
  for (uint32_t job = 0; job < jobs_.size(); ++job) {
    const PullJob& j = jobs_[job];
    if (!j.live || j.agent != agent || j.task != kNoTask) continue;
    const ImageId image = j.image;
    CancelPull(job);
    Release(agent, image);
  }
  AgentStore& store = stores_[agent.index()];
  UpdateProgress(store);
  sim_.Cancel(store.next_download_done);
  store.next_download_done = {};
  std::vector<uint32_t> lost;
  for (const LayerEntry& e : store.layers) {
    SIM_CHECK_MSG(e.waiters.empty(), "agent went down with pulls still waiting");
    if (e.state != LayerState::kPresent) lost.push_back(e.layer);
  }
  for (uint32_t layer : lost) DropTransfer(store, layer);
  SIM_CHECK(store.downloading.empty() && store.queued.empty());
}

// Walks the job's layers bottom-up; blocks on the first one not yet in place.
void ImagePuller::Advance(uint32_t job) {
  PullJob& j = jobs_[job];
  AgentStore& store = stores_[j.agent.index()];
  const auto& layers = catalog_.images[j.image.index()].layers;
  while (j.cursor < layers.size()) {
    const uint32_t layer = layers[j.cursor];
    LayerEntry* e = Find(store, layer);
    SIM_CHECK(e != nullptr);
    if (e->state == LayerState::kPresent) {
      ++j.cursor;
      continue;
    }
    if (e->state == LayerState::kDownloaded) {
      e->state = LayerState::kExtracting;
      const double seconds = catalog_.layers[layer].disk_mib / store.extract_mib_per_s;
      const AgentId agent = j.agent;
      e->extraction = sim_.ScheduleAfter(sim::Time::FromSeconds(seconds),
                                         [this, agent, layer] { OnExtracted(agent, layer); });
    }
    e->waiters.push_back(job);
    return;
  }
  const TaskSlot task = j.task;
  const AgentId agent = j.agent;
  const ImageId image = j.image;
  j.live = false;
  --live_jobs_;
  free_jobs_.push_back(job);
  if (task == kNoTask) {
    Release(agent, image);  // a pre-pull: in place, and nobody's
    return;
  }
  done_(task);
}

void ImagePuller::Wake(AgentStore& store, uint32_t layer) {
  LayerEntry* e = Find(store, layer);
  std::vector<uint32_t> waiters;
  waiters.swap(e->waiters);
  for (uint32_t job : waiters) {
    if (jobs_[job].live) Advance(job);
  }
}

void ImagePuller::UpdateProgress(AgentStore& store) {
  const sim::Time now = sim_.Now();
  if (!store.downloading.empty()) {
    const double each = store.bandwidth_mibps * (now - store.progress_at).seconds() /
                        static_cast<double>(store.downloading.size());
    for (uint32_t layer : store.downloading) Find(store, layer)->remaining_mib -= each;
  }
  store.progress_at = now;
}

void ImagePuller::StartQueuedDownloads(AgentStore& store) {
  while (static_cast<int>(store.downloading.size()) < store.max_downloads &&
         !store.queued.empty()) {
    const uint32_t layer = store.queued.front();
    store.queued.erase(store.queued.begin());
    Find(store, layer)->state = LayerState::kDownloading;
    store.downloading.push_back(layer);
  }
}

void ImagePuller::RescheduleDownloads(AgentId agent) {
  AgentStore& store = stores_[agent.index()];
  sim_.Cancel(store.next_download_done);
  store.next_download_done = {};
  if (store.downloading.empty()) return;
  double least = Find(store, store.downloading.front())->remaining_mib;
  for (uint32_t layer : store.downloading)
    least = std::min(least, Find(store, layer)->remaining_mib);
  const double rate = store.bandwidth_mibps / static_cast<double>(store.downloading.size());
  // Round up to the next microsecond so the layer is really complete when the event fires.
  auto us = static_cast<int64_t>(std::ceil(std::max(0.0, least) / rate * 1e6 - 1e-6));
  // A remainder above kDoneMiB needs at least 1 µs: above ~1000 MiB/s the slack can round it to
  // 0 µs, and an event at Now() that makes no progress would be rescheduled forever.
  if (least > kDoneMiB) us = std::max<int64_t>(us, 1);
  store.next_download_done =
      sim_.ScheduleAfter(sim::Time::Micros(us), [this, agent] { OnDownloadsDue(agent); });
}

void ImagePuller::OnDownloadsDue(AgentId agent) {
  AgentStore& store = stores_[agent.index()];
  store.next_download_done = {};
  UpdateProgress(store);
  std::vector<uint32_t> finished;
  for (auto it = store.downloading.begin(); it != store.downloading.end();) {
    if (Find(store, *it)->remaining_mib <= kDoneMiB) {
      finished.push_back(*it);
      it = store.downloading.erase(it);
    } else {
      ++it;
    }
  }
  for (uint32_t layer : finished) {
    LayerEntry* e = Find(store, layer);
    downloaded_mib_ += catalog_.layers[layer].download_mib;
    e->remaining_mib = 0;
    e->state = LayerState::kDownloaded;
  }
  StartQueuedDownloads(store);
  RescheduleDownloads(agent);
  for (uint32_t layer : finished) Wake(store, layer);
}

void ImagePuller::OnExtracted(AgentId agent, uint32_t layer) {
  AgentStore& store = stores_[agent.index()];
  LayerEntry* e = Find(store, layer);
  e->state = LayerState::kPresent;
  e->extraction = {};
  Wake(store, layer);
}

double ImagePuller::MissingMiB(AgentId agent, ImageId image) const {
  const AgentStore& store = stores_[agent.index()];
  // remaining_mib is as of the last download event; active downloads progressed since.
  const double progressed = store.downloading.empty()
                                ? 0
                                : store.bandwidth_mibps *
                                      (sim_.Now() - store.progress_at).seconds() /
                                      static_cast<double>(store.downloading.size());
  double missing = 0;
  // What a launch now would run: the image with the servicing updates published by now.
  const uint32_t current = catalog_.Current(image.index(), sim_.Now());
  for (uint32_t layer : catalog_.images[current].layers) {
    const LayerEntry* e = Find(store, layer);
    if (e == nullptr) {
      missing += catalog_.layers[layer].download_mib;
    } else if (e->state == LayerState::kQueued) {
      missing += std::max(0.0, e->remaining_mib);
    } else if (e->state == LayerState::kDownloading) {
      missing += std::max(0.0, e->remaining_mib - progressed);
    }
  }
  return missing;
}

bool ImagePuller::HasLayer(AgentId agent, uint32_t layer) const {
  const LayerEntry* e = Find(stores_[agent.index()], layer);
  return e != nullptr && e->state == LayerState::kPresent;
}

bool ImagePuller::HasOrFetches(AgentId agent, ImageId image) const {
  const AgentStore& store = stores_[agent.index()];
  const auto& layers = catalog_.images[image.index()].layers;
  return std::all_of(layers.begin(), layers.end(),
                     [&](uint32_t layer) { return Find(store, layer) != nullptr; });
}

double ImagePuller::UsedMiB(AgentId agent) const { return stores_[agent.index()].used_mib; }

}  // namespace clustersim::models
