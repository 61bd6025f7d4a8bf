#pragma once

#include <string_view>

namespace clustersim::apps {

// scenarios/default.yaml, compiled into the binary so `clustersim run` works from anywhere.
std::string_view EmbeddedDefaultScenario();

}  // namespace clustersim::apps
