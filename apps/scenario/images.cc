#include "apps/scenario/images.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "apps/scenario/readers.h"

namespace clustersim::apps {
namespace {

using models::ScenarioSpec;
using sim::Result;
using sim::Status;

Status ParseRuntimeSpec(const YamlValue& value, models::RuntimeSpec& rt) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_RETURN_IF_ERROR(
      ReadDistribution(m, "start_latency", Quantity::kDuration, rt.start_latency_s));
  if (auto v = m.Optional("extract_rate")) {
    SIM_ASSIGN_OR_RETURN(rt.extract_mib_per_s, ReadBandwidthIn(*v));
  }
  SIM_RETURN_IF_ERROR(ReadSize(m, "mem_overhead", rt.mem_overhead_mib));
  return m.Finish();
}

// A layer's {download: 100MB, disk: 300MiB} (disk defaults to the download size), from the
// layer's mapping, whose other keys the caller has read.
Result<models::LayerSpec> ParseLayerSizes(YamlMap& m, std::string digest) {
  models::LayerSpec layer;
  layer.digest = std::move(digest);
  SIM_ASSIGN_OR_RETURN(YamlValue dl, m.Required("download"));
  SIM_ASSIGN_OR_RETURN(layer.download_mib, ReadBoundedSize(dl));
  layer.disk_mib = layer.download_mib;
  SIM_RETURN_IF_ERROR(ReadSize(m, "disk", layer.disk_mib));
  SIM_RETURN_IF_ERROR(m.Finish());
  return layer;
}

// A layer given inline ({digest: d, download: 100MB, disk: 300MiB}), added to the catalog, or a
// declared layer's digest.
Result<uint32_t> ParseLayerRef(const YamlValue& ref, models::ImageCatalog& catalog) {
  if (!ref.IsMap()) {
    SIM_ASSIGN_OR_RETURN(std::string digest, ref.AsString());
    auto index = catalog.FindLayer(digest);
    if (!index) return ref.Error("the digest of a layer declared under 'layers:' or inline");
    return *index;
  }
  SIM_ASSIGN_OR_RETURN(YamlMap lm, ref.AsMap());
  SIM_ASSIGN_OR_RETURN(YamlValue digest_value, lm.Required("digest"));
  SIM_ASSIGN_OR_RETURN(std::string digest, digest_value.AsString());
  if (catalog.FindLayer(digest)) {
    return digest_value.Fail(fmt::format("duplicate layer '{}'", digest));
  }
  SIM_ASSIGN_OR_RETURN(models::LayerSpec layer, ParseLayerSizes(lm, std::move(digest)));
  catalog.layers.push_back(std::move(layer));
  return static_cast<uint32_t>(catalog.layers.size() - 1);
}

// runtime.image_updates: [{at, os, version (optional), layer}], in time order; each publishes,
// for every image of that OS (and version) not replaced yet, a successor rebuilt on the serviced
// base (ImageCatalog::Publish).
Status ParseImageUpdates(const YamlValue& value, models::ImageCatalog& catalog) {
  SIM_ASSIGN_OR_RETURN(auto items, value.Elements());
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, item.AsMap());
    models::ImageUpdateSpec update;
    SIM_ASSIGN_OR_RETURN(YamlValue at, m.Required("at"));
    SIM_ASSIGN_OR_RETURN(update.at, ReadDurationIn(at, {.zero_ok = true}));
    if (!catalog.updates.empty() && update.at < catalog.updates.back().at) {
      return at.Fail("image updates must be listed in time order");
    }
    SIM_ASSIGN_OR_RETURN(YamlValue os, m.Required("os"));
    SIM_ASSIGN_OR_RETURN(update.os, ParseOs(os));
    if (auto v = m.Optional("version")) {
      if (update.os != plugins::Os::kWindows) return v->Fail("only Windows images have a version");
      SIM_ASSIGN_OR_RETURN(update.version, ParseWindowsVersion(*v));
    }
    SIM_ASSIGN_OR_RETURN(YamlValue layer, m.Required("layer"));
    SIM_ASSIGN_OR_RETURN(update.layer, ParseLayerRef(layer, catalog));
    SIM_RETURN_IF_ERROR(m.Finish());
    // A successor holds each layer once: an image that has the layer already is not updated by it.
    for (const models::ImageSpec& image : catalog.images) {
      const bool matches =
          image.updated_to < 0 && image.os == update.os &&
          (update.version == plugins::OsVersion::kNone || image.version == update.version);
      if (matches &&
          std::find(image.layers.begin(), image.layers.end(), update.layer) != image.layers.end()) {
        return layer.Fail(fmt::format("image '{}' already has layer '{}'", image.name,
                                      catalog.layers[update.layer].digest));
      }
    }
    if (catalog.Publish(update) == 0) {
      return item.Fail("no image of the catalog has that OS (and version) to update");
    }
  }
  return Status::Ok();
}

}  // namespace

Status ParseLayers(const YamlValue& value, models::ImageCatalog& catalog) {
  SIM_ASSIGN_OR_RETURN(auto entries, value.Entries());
  for (auto& [digest, v] : entries) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, v.AsMap());
    SIM_ASSIGN_OR_RETURN(models::LayerSpec layer, ParseLayerSizes(m, digest));
    catalog.layers.push_back(std::move(layer));
  }
  return Status::Ok();
}

Status ParseImages(const YamlValue& value, models::ImageCatalog& catalog) {
  SIM_ASSIGN_OR_RETURN(auto items, value.Elements());
  for (const YamlValue& item : items) {
    SIM_ASSIGN_OR_RETURN(YamlMap m, item.AsMap());
    models::ImageSpec image;
    SIM_ASSIGN_OR_RETURN(YamlValue name, m.Required("name"));
    SIM_ASSIGN_OR_RETURN(image.name, name.AsString());
    if (catalog.FindImage(image.name))
      return name.Fail(fmt::format("duplicate image '{}'", image.name));
    SIM_ASSIGN_OR_RETURN(YamlValue os, m.Required("os"));
    SIM_ASSIGN_OR_RETURN(image.os, ParseOs(os));
    if (auto v = m.Optional("version")) {
      if (image.os != plugins::Os::kWindows) return v->Fail("only Windows images have a version");
      SIM_ASSIGN_OR_RETURN(image.version, ParseWindowsVersion(*v));
    } else if (image.os == plugins::Os::kWindows) {
      return item.Fail("a Windows image needs 'version' (ltsc2016, ltsc2019 or ltsc2022)");
    }
    SIM_ASSIGN_OR_RETURN(YamlValue layers, m.Required("layers"));
    SIM_ASSIGN_OR_RETURN(auto refs, layers.Elements());
    if (refs.empty()) return layers.Error("a non-empty list of layers");
    for (const YamlValue& ref : refs) {
      // A digest declared under 'layers:', or an inline {digest, download, disk}.
      SIM_ASSIGN_OR_RETURN(uint32_t layer, ParseLayerRef(ref, catalog));
      // The store pins and releases an image's layers one by one: each once.
      if (std::find(image.layers.begin(), image.layers.end(), layer) != image.layers.end()) {
        return ref.Fail(fmt::format("layer '{}' is listed twice: an image holds each layer once",
                                    catalog.layers[layer].digest));
      }
      image.layers.push_back(layer);
    }
    SIM_RETURN_IF_ERROR(m.Finish());
    catalog.images.push_back(std::move(image));
  }
  return Status::Ok();
}

Status ParseRuntime(const YamlValue& value, ScenarioSpec& spec) {
  SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
  SIM_RETURN_IF_ERROR(ReadDurationKey(m, "pull_timeout", {.min = kMinInterval, .infinite_ok = true},
                                      spec.runtime.pull_timeout));
  SIM_RETURN_IF_ERROR(ReadDurationKey(m, "executor_registration_timeout",
                                      {.min = kMinInterval, .infinite_ok = true},
                                      spec.runtime.executor_registration_timeout));
  if (auto v = m.Optional("image_updates")) {
    SIM_RETURN_IF_ERROR(ParseImageUpdates(*v, spec.images));
  }
  if (auto v = m.Optional("docker")) SIM_RETURN_IF_ERROR(ParseRuntimeSpec(*v, spec.runtime.docker));
  if (auto v = m.Optional("process"))
    SIM_RETURN_IF_ERROR(ParseRuntimeSpec(*v, spec.runtime.process));
  if (auto v = m.Optional("hyperv")) SIM_RETURN_IF_ERROR(ParseRuntimeSpec(*v, spec.runtime.hyperv));
  return m.Finish();
}

Result<uint32_t> ImageRef(const YamlValue& v, const models::ImageCatalog& catalog) {
  SIM_ASSIGN_OR_RETURN(std::string name, v.AsString());
  auto index = catalog.FindImage(name);
  if (!index) {
    std::vector<std::string> names;
    for (const auto& i : catalog.images) names.push_back(i.name);
    return v.Error(names.empty()
                       ? std::string("an image of the catalog (the catalog is empty)")
                       : fmt::format("an image of the catalog ({})", fmt::join(names, ", ")));
  }
  return *index;
}

}  // namespace clustersim::apps
