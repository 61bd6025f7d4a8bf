#include "results/metric_catalogue_text.h"

#include <fmt/format.h>

namespace clustersim::results {

std::string PresenceSentence(const CatalogueEntry& entry) {
  if (entry.sparse && entry.when == std::vector<Presence>{Presence::kAlways}) {
    return "only when not 0";
  }
  std::string out;
  for (Presence p : entry.when) {
    if (!out.empty()) out += " or ";
    out += PresenceText(p);
  }
  if (entry.sparse) out += ", only when not 0";
  return out;
}

std::string CatalogueText() {
  std::string out = fmt::format("{:<52} {:<9} {:<8} {}\n", "metric (summary.json path)", "unit",
                                "better", "present");
  for (const CatalogueEntry& e : MetricCatalogue()) {
    const std::string unit = e.kind == FieldKind::kLabel    ? "(label)"
                             : e.kind == FieldKind::kSeries ? e.unit + " (list)"
                                                            : e.unit;
    out += fmt::format("{:<52} {:<9} {:<8} {}\n", e.path, unit, BetterName(e.better),
                       PresenceSentence(e));
  }
  out += "\nclustersim metrics --markdown (or --json) adds titles and meanings.\n";
  return out;
}

std::string CatalogueMarkdown() {
  std::string out =
      "| path | unit | title | present | better | meaning |\n|---|---|---|---|---|---|\n";
  for (const CatalogueEntry& e : MetricCatalogue()) {
    const std::string unit = e.kind == FieldKind::kLabel    ? "label"
                             : e.kind == FieldKind::kSeries ? fmt::format("`{}` (list)", e.unit)
                                                            : fmt::format("`{}`", e.unit);
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", e.path, unit, e.title,
                       PresenceSentence(e), BetterName(e.better), e.meaning);
  }
  return out;
}

nlohmann::ordered_json CatalogueJson() {
  nlohmann::ordered_json j;
  j["schema_version"] = kSummarySchemaVersion;
  nlohmann::ordered_json units = nlohmann::ordered_json::object();
  for (const auto& [unit, label] : Units()) units[unit] = label;
  j["units"] = std::move(units);
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();
  for (const CatalogueEntry& e : MetricCatalogue()) {
    nlohmann::ordered_json presence = nlohmann::ordered_json::array();
    for (Presence p : e.when) presence.push_back(PresenceName(p));
    metrics.push_back({{"path", e.path},
                       {"kind", FieldKindName(e.kind)},
                       {"unit", e.unit},
                       {"axis_label", std::string(UnitAxisLabel(e.unit))},
                       {"title", e.title},
                       {"meaning", e.meaning},
                       {"present", std::move(presence)},
                       {"present_text", PresenceSentence(e)},
                       {"sparse", e.sparse},
                       {"better", BetterName(e.better)}});
  }
  j["metrics"] = std::move(metrics);
  return j;
}

}  // namespace clustersim::results
