#include "models/spec.h"

#include <algorithm>
#include <cmath>

namespace clustersim::models {

const char* ArchitectureName(Architecture a) {
  switch (a) {
    case Architecture::kTwoLevel:
      return "two-level";
    case Architecture::kMonolithic:
      return "monolithic";
    case Architecture::kSharedState:
      return "shared-state";
  }
  return "two-level";
}

std::optional<uint32_t> ImageCatalog::FindImage(std::string_view name) const {
  for (uint32_t i = 0; i < images.size(); ++i) {
    if (images[i].name == name) return i;
  }
  return std::nullopt;
}

uint32_t ImageCatalog::Current(uint32_t image, sim::Time now) const {
  while (images[image].updated_to >= 0 && images[image].updated_at <= now) {
    image = static_cast<uint32_t>(images[image].updated_to);
  }
  return image;
}

size_t ImageCatalog::Publish(const ImageUpdateSpec& update) {
  SIM_CHECK(updates.empty() || updates.back().at <= update.at);
  updates.push_back(update);
  size_t updated = 0;
  const size_t count = images.size();  // not the successors added below
  for (size_t i = 0; i < count; ++i) {
    if (images[i].updated_to >= 0 || images[i].os != update.os) continue;
    if (update.version != OsVersion::kNone && images[i].version != update.version) continue;
    ImageSpec next = images[i];
    next.name = images[i].name + "+" + layers[update.layer].digest;
    const uint32_t declared = images[i].declared_as < 0
                                  ? static_cast<uint32_t>(i)
                                  : static_cast<uint32_t>(images[i].declared_as);
    next.declared_as = static_cast<int32_t>(declared);
    const std::vector<uint32_t> built_on = images[declared].layers;
    next.layers = {built_on.front(), update.layer};
    for (size_t l = 1; l < built_on.size(); ++l) {
      next.layers.push_back(RebuiltLayer(built_on[l], update.layer));
    }
    images[i].updated_to = static_cast<int32_t>(images.size());
    images[i].updated_at = update.at;
    images.push_back(std::move(next));
    ++updated;
  }
  return updated;
}

uint32_t ImageCatalog::RebuiltLayer(uint32_t layer, uint32_t update) {
  std::string digest = layers[layer].digest + "@" + layers[update].digest;
  if (const std::optional<uint32_t> made = FindLayer(digest)) return *made;
  LayerSpec rebuilt = layers[layer];
  rebuilt.digest = std::move(digest);
  layers.push_back(std::move(rebuilt));
  return static_cast<uint32_t>(layers.size() - 1);
}

std::optional<uint32_t> ImageCatalog::FindLayer(std::string_view digest) const {
  for (uint32_t i = 0; i < layers.size(); ++i) {
    if (layers[i].digest == digest) return i;
  }
  return std::nullopt;
}

const RuntimeSpec& ContainerRuntimeSpec::For(Isolation isolation) const {
  switch (isolation) {
    case Isolation::kDocker:
      return docker;
    case Isolation::kProcess:
      return process;
    case Isolation::kHyperV:
      return hyperv;
  }
  return docker;
}

sim::Time RetryBackoffSpec::DelayAfter(int failures) const {
  SIM_CHECK(failures >= 1);
  if (initial == sim::Time::Zero() || initial >= max) return std::min(initial, max);
  // Grows until capped; stop multiplying once past the cap (no overflow for many failures).
  double us = static_cast<double>(initial.micros());
  const double cap = static_cast<double>(max.micros());
  for (int i = 1; i < failures && us < cap; ++i) us *= factor;
  return us >= cap ? max : sim::Time::Micros(static_cast<int64_t>(std::llround(us)));
}

// Rows cited are from shared/traces/container-start-latency-references.md.
ContainerRuntimeSpec ContainerRuntimeSpec::Defaults() {
  ContainerRuntimeSpec spec;
  // Linux warm start: median 0.6 s from "Container startup, images local ... ≈568 ms (SSD)"
  // (Khan, arXiv:2602.15214; the abstract does not say mean or median: read as the median, as the
  // file's "Suggested defaults" do); p99 3 s within the Kubernetes "Measured pod startup, image
  // pre-pulled" p99 of 1.6–4.3 s and the "Official SLO p99 ≤ 5 s".
  spec.docker.start_latency_s = sim::Distribution::LogNormal(0.6, 3.0);
  // Linux extraction: an assumption, not a measurement — no row gives a Linux image's size or its
  // extraction rate. The nearest is "Pull of a ~1.x GB image: 45 s on Linux, against 16 min on
  // Windows for the Windows image" (actions/runner-images#3728), whose 1.x GB is the Windows
  // image's size. Supposing the Linux image about as big (1.2 GiB) to download at 100 MiB/s
  // (≈12 s) and extract in the ≈33 s left gives ≈37 MiB/s; 36 MiB/s of on-disk data.
  spec.docker.extract_mib_per_s = 36;
  // Windows process isolation warm start: the "Suggested defaults" median ≈5 s, with the p99 at
  // 16 s, the top of "Process isolation, trivial console app ≈11 s per run, 15–16 s with Defender"
  // (moby#40832), beside "docker run --rm <img> cmd /c exit ≈15 s" (moby#29689).
  spec.process.start_latency_s = sim::Distribution::LogNormal(5.0, 16.0);
  // Windows extraction, calibrated on whole pulls. The extractor divides a layer's on-disk size by
  // this rate. "Extract of ≈2 GB of the server:ltsc2022 base layer ≈140 s ... about 14 MB/s"
  // (Windows-Containers#607) counts Docker's "Extracting" progress, which runs over the compressed
  // stream (1.421GB/3.014GB there): on a "very powerful machine" that is ≈30 MiB/s of on-disk
  // data. 13.35 MiB/s on disk (≈6 MB/s compressed, between #607 and the >70 s for a 115 MB layer
  // of docker/for-win#671) puts a Server Core ltsc2019 base (1.54 GB to download, "Windows image
  // sizes"; ≈3.4 GB on disk, 2.2x as the Server Core SAC 2004 row's 1.856 GB -> 4.05 GB) at
  // ≈4.3 min, between Docker's 3 min 30 s and Microsoft's 322 s repro of a Server Core-based pull
  // (containerd/cri#1355) and within "3–10+ min on a clean host"; #607's rate would give ≈2 min.
  spec.process.extract_mib_per_s = 13.35;
  // Hyper-V isolation: median 11 s = the process median 5 s plus the middle of the suggested "add
  // 2–10 s", between the Hyper-V starts of Windows-Containers#478 (nanoserver ≈3–4 s,
  // windowsservercore-ltsc2019 ≈15–19 s, both dotnet sdk images); p99 25 s, an assumption above
  // #478's 19 s (no row gives a Hyper-V tail).
  spec.hyperv.start_latency_s = sim::Distribution::LogNormal(11.0, 25.0);
  spec.hyperv.extract_mib_per_s = 13.35;
  // The utility VM, charged to every Hyper-V task: "Minimum memory per container ... Server Core:
  // 45 MB process-isolated, 360 MB + 1 GB pagefile Hyper-V" (Microsoft's system requirements). A
  // process-isolated task's request covers its container, so Hyper-V adds the difference:
  // 360 - 45 = 315 MB = 300 MiB. (Until session 19 this was 360 MiB: the whole minimum, in the
  // wrong unit.)
  spec.hyperv.mem_overhead_mib = 300;
  // kubernetes-mesos had to make its launch timeout configurable because "Big images on the first
  // pull: more than 5 min" (d2iq-archive/kubernetes-mesos#370); Windows pulls of 10–18 min are
  // reported (containerd/cri#1355, moby#39832). Default: 30 min.
  spec.pull_timeout = sim::Time::Seconds(30 * 60);
  // Mesos's agent default: EXECUTOR_REGISTRATION_TIMEOUT = Minutes(1) (src/slave/constants.hpp:35,
  // flag in src/slave/flags.cpp:471-476; docs/mesos-agent-lifecycle-facts.md §2.1). With both
  // defaults this one fires first: 1 min < 30 min.
  spec.executor_registration_timeout = sim::Time::Seconds(60);
  return spec;
}

}  // namespace clustersim::models
