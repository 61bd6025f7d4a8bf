#include <fmt/format.h>

#include <cstdio>

#include "apps/cli/command.h"
#include "apps/config/overrides.h"
#include "apps/embedded_scenarios.h"

namespace clustersim::apps::cli {

int Fail(const sim::Status& status) {
  std::fprintf(stderr, "clustersim: %s\n", status.message().c_str());
  return kInputError;
}

int FailInterrupted(const sim::Status& status) {
  std::fprintf(stderr, "clustersim: %s\n", status.message().c_str());
  return kInterrupted;
}

sim::Result<YamlDocument> LoadDocument(const std::string& scenario) {
  if (scenario.empty() || scenario == "default") {
    return LoadYamlString(EmbeddedDefaultScenario(), "default.yaml (embedded)");
  }
  return LoadYamlFile(scenario);
}

sim::Result<Scenario> LoadScenarioFile(const std::string& file,
                                       const std::vector<std::string>& sets,
                                       const std::optional<int64_t>& seed,
                                       std::vector<Warning>& warnings) {
  SIM_ASSIGN_OR_RETURN(YamlDocument doc, LoadDocument(file));
  std::vector<std::string> all = sets;
  if (seed) all.push_back(fmt::format("seed={}", *seed));
  SIM_RETURN_IF_ERROR(ApplyOverrides(doc, all));
  SIM_ASSIGN_OR_RETURN(Scenario scenario, LoadScenario(doc));
  warnings = ScenarioWarnings(doc.Root(), scenario);
  return scenario;
}

void PrintWarnings(const std::vector<Warning>& warnings) {
  for (const Warning& w : warnings) std::fprintf(stderr, "%s\n", w.ToString().c_str());
}

}  // namespace clustersim::apps::cli
