#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "results/metric_catalogue.h"

namespace clustersim::results {

// The metric catalogue as `clustersim metrics` prints it. The Markdown table is the one in
// results/README.md (a test keeps them equal); the JSON is what plot.py reads titles and units
// from, so the catalogue has one source.

// When an entry is present, in words ("SWF replay or CSV replay; only when not 0").
std::string PresenceSentence(const CatalogueEntry& entry);
std::string CatalogueText();
std::string CatalogueMarkdown();
nlohmann::ordered_json CatalogueJson();

}  // namespace clustersim::results
