#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>

#include "apps/cli/command.h"
#include "apps/config/overrides.h"
#include "apps/config/units.h"
#include "apps/config/yaml_value.h"
#include "apps/embedded_scenarios.h"

namespace clustersim::apps::cli {

void ProgressFlags::Add(CLI::App& command, const char* quiet_help) {
  command.add_flag("--quiet,-q", quiet, quiet_help);
  command.add_flag("--no-progress", no_progress, "no progress on stderr");
  command.add_option("--progress-interval", interval,
                     "when stderr is not a terminal, a progress line every this much wall time "
                     "(default 10s; e.g. 500ms, 1min)");
}

sim::Result<ProgressOptions> ProgressFlags::Options() const {
  const sim::Result<sim::Time> t = ParseDuration(interval);
  if (!t.ok() || *t <= sim::Time() || *t == sim::Time::Max()) {
    return sim::Status::Error(fmt::format(
        "--progress-interval: expected {} (more than 0, at most about 73,000 years), got '{}'",
        kDurationForm, interval));
  }
  return ProgressOptions{.enabled = !quiet && !no_progress, .interval_s = t->seconds()};
}

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
    // The name wins over a file of that name (README's first command must not depend on the
    // folder it is typed in), but the user is told, as the file was probably meant.
    std::error_code ec;
    if (scenario == "default" && std::filesystem::exists("default", ec)) {
      std::fprintf(stderr,
                   "clustersim: note: 'default' is the embedded scenario; the file ./default is "
                   "not read (write ./default to use it)\n");
    }
    return LoadYamlString(EmbeddedDefaultScenario(), "default.yaml (embedded)");
  }
  return LoadYamlFile(scenario);
}

sim::Result<Scenario> LoadScenarioFile(const std::string& file,
                                       const std::vector<std::string>& sets,
                                       const std::optional<std::string>& seed,
                                       std::vector<Warning>& warnings) {
  SIM_ASSIGN_OR_RETURN(YamlDocument doc, LoadDocument(file));
  std::vector<std::string> all = sets;
  if (seed) {
    // Read as the scenario reads `seed:` (so `--seed 1e3` is 1000), checked here so that the
    // error names the flag the user typed.
    const auto value = YamlValue(YAML::Node(*seed), "--seed").AsInt(0);
    if (!value.ok()) {
      return sim::Status::Error(
          fmt::format("--seed {}: expected a non-negative integer (at most {})", *seed, INT64_MAX));
    }
    all.push_back(fmt::format("seed={}", *value));
  }
  SIM_RETURN_IF_ERROR(ApplyOverrides(doc, all));
  SIM_ASSIGN_OR_RETURN(Scenario scenario, LoadScenario(doc));
  warnings = ScenarioWarnings(doc.Root(), scenario);
  return scenario;
}

void PrintWarnings(const std::vector<Warning>& warnings) {
  for (const Warning& w : warnings) std::fprintf(stderr, "%s\n", w.ToString().c_str());
}

}  // namespace clustersim::apps::cli
