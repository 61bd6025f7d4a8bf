#pragma once

#include <string>
#include <string_view>

#include "apps/config/yaml_value.h"
#include "models/spec.h"
#include "sim/status.h"

namespace clustersim::apps {

// Parses the scenario's `trace:` block into spec.trace: the keys every format shares here, then
// the format's own through its registry entry (models/workload/trace_format.h); a key of no one is
// an error at its file:line:col that lists the valid keys. Relative paths are resolved against
// `base_dir` (the scenario file's folder). Needs spec.images and spec.frameworks parsed first.
sim::Status ParseTrace(const YamlValue& value, const std::string& base_dir,
                       models::ScenarioSpec& spec);

}  // namespace clustersim::apps
