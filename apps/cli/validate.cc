// `clustersim validate SCENARIO...`: load and check scenarios without running them.
#include <fmt/format.h>

#include <cstdio>
#include <string_view>

#include "apps/cli/command.h"
#include "apps/config/yaml_value.h"
#include "apps/experiment/plan.h"
#include "apps/experiment/sweep.h"

namespace clustersim::apps::cli {
namespace {

class ValidateCommand : public Command {
 public:
  void AddOptions(CLI::App& validate) override {
    validate.add_option("scenario", files_,
                        "scenario or sweep YAML files, or default (the embedded default.yaml; also "
                        "when omitted)");
    validate.add_option("--set", sets_, "override a key before validating")->take_all();
    validate.add_flag("--fail-on-warning", fail_on_warning_,
                      "exit 2 if any scenario has a warning (a run that would be useless)");
  }

  // Every file is checked, and each error said: a bad file does not hide the ones after it.
  int Run() override {
    if (files_.empty()) files_.push_back("default");  // as `run` with no scenario
    size_t warned = 0;
    int status = 0;
    for (const std::string& file : files_) {
      if (IsSweepFile(file)) {
        if (const int failed = ValidateSweep(file, warned)) status = failed;
        continue;
      }
      std::vector<Warning> warnings;
      auto scenario = LoadScenarioFile(file, sets_, std::nullopt, warnings);
      if (!scenario.ok()) {
        status = Fail(scenario.status());
        continue;
      }
      PrintWarnings(warnings);
      warned += warnings.size();
      std::printf("%s: ok (%s)\n", file.c_str(), Describe(*scenario, warnings.size()).c_str());
    }
    if (status != 0) return status;
    return fail_on_warning_ && warned > 0 ? kInputError : 0;
  }

 private:
  // A sweep file (`base:` and `axes:` at the top) rather than a scenario.
  static bool IsSweepFile(const std::string& file) {
    if (file == "default") return false;
    auto doc = LoadYamlFile(file);
    if (!doc.ok()) return false;  // the scenario path says what is wrong
    const YamlValue root = doc->Root();
    return root.Child("base").IsDefined() && root.Child("axes").IsDefined();
  }

  // Every cell of the sweep must be a valid scenario, as `sweep` checks before it runs anything.
  int ValidateSweep(const std::string& file, size_t& warned) {
    if (!sets_.empty()) {
      return Fail(sim::Status::Error(
          fmt::format("{}: a sweep file: --set does not apply (its set: and axes do)", file)));
    }
    auto plan = LoadSweepPlan(file);
    if (!plan.ok()) return Fail(plan.status());
    if (const sim::Status s = ValidatePlan(*plan); !s.ok()) return Fail(s);
    for (const std::string& w : plan->warnings) std::fprintf(stderr, "%s\n", w.c_str());
    warned += plan->warnings.size();
    std::printf("%s: ok (a sweep: %zu cells x %d seeds, each cell a valid scenario)\n",
                file.c_str(), CellCount(*plan), plan->seeds);
    return 0;
  }

  // "40 agents in 3 groups, 2 frameworks, 3 images; about 2160 tasks, 183 live at most, model
  // state ~1 MiB (peak RSS is higher: ...); 1 warning". The estimate counts the model's live
  // tasks and agents only, so it says so: a user sizing a machine reads it next to the run's peak
  // RSS. What a trace brings is not counted (validate does not read traces through): said so,
  // with the command that counts it.
  static std::string Describe(const Scenario& scenario, size_t warnings) {
    const models::ScenarioSpec& spec = scenario.spec;
    const RunEstimate e = EstimateRunSize(spec);
    const bool trace = spec.trace.enabled;
    auto count = [](double n, std::string_view noun) {
      return fmt::format("{:.0f} {}{}", n, noun, n == 1 ? "" : "s");
    };
    // Whole numbers up to a million, three significant digits beyond.
    auto approx = [](double x) {
      return x < 1e6 ? fmt::format("{:.0f}", x) : fmt::format("{:.3g}", x);
    };
    std::string out = trace && spec.groups.empty()
                          ? std::string("agents from the trace")
                          : fmt::format("{} in {}{}", count(e.agents, "agent"),
                                        count(static_cast<double>(spec.groups.size()), "group"),
                                        trace ? " besides the trace's" : "");
    out += fmt::format(", {}, {}", count(static_cast<double>(spec.frameworks.size()), "framework"),
                       count(static_cast<double>(spec.images.images.size()), "image"));
    if (trace && e.tasks == 0) {
      out += "; tasks from the trace (`clustersim trace-info FILES --format F` counts them)";
    } else {
      out += fmt::format(
          "; about {} tasks{}, {} live at most, model state ~{:.0f} MiB (live tasks and agents; "
          "the run's peak RSS is higher: program, quantile series up to 8 MiB each, write "
          "buffers)",
          approx(e.tasks), trace ? " besides the trace's" : "", approx(e.peak_live_tasks),
          e.peak_mib);
    }
    if (warnings > 0) out += fmt::format("; {} warning{}", warnings, warnings == 1 ? "" : "s");
    return out;
  }

  std::vector<std::string> files_;
  std::vector<std::string> sets_;
  bool fail_on_warning_ = false;
};

}  // namespace

std::unique_ptr<Command> NewValidateCommand() { return std::make_unique<ValidateCommand>(); }

}  // namespace clustersim::apps::cli
