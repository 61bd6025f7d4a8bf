#pragma once

// The scenario's image catalog and container runtimes: `layers:`, `images:` and `runtime:`
// (pull and registration timeouts, per-isolation start latency and extraction, image updates).
// Documented in scenarios/README.md, "`runtime`" and "`layers` and `images`".

#include <cstdint>

#include "apps/config/yaml_value.h"
#include "models/spec.h"
#include "sim/status.h"

namespace clustersim::apps {

// `layers: {DIGEST: {download: 100MB, disk: 300MiB}}` into the catalog.
sim::Status ParseLayers(const YamlValue& value, models::ImageCatalog& catalog);
// `images: [{name, os, version, layers: [DIGEST or inline layer, ...]}]` into the catalog.
sim::Status ParseImages(const YamlValue& value, models::ImageCatalog& catalog);
// `runtime:` into spec.runtime; its image_updates publish successors into spec.images.
sim::Status ParseRuntime(const YamlValue& value, models::ScenarioSpec& spec);
// An image of the catalog by name: its index.
sim::Result<uint32_t> ImageRef(const YamlValue& v, const models::ImageCatalog& catalog);

}  // namespace clustersim::apps
