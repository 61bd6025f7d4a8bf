#pragma once

// Shared by the schedulers[] tests: run a scenario given as YAML text through the real binary and
// read an entry of its summary's schedulers[].
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"

namespace clustersim::test {

// Runs `yaml` (written to a temporary folder named after `prefix` and `name`) and returns its
// summary.json; a failing run fails the test.
inline nlohmann::ordered_json RunYamlSummary(const std::string& prefix, const std::string& name,
                                             const std::string& yaml) {
  const std::string dir = TempDir(prefix + "-" + name);
  WriteFile(dir + "/" + name + ".yaml", yaml);
  const CliResult r = RunCli({"run", dir + "/" + name + ".yaml", "--out", dir + "/out", "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::ordered_json::parse(ReadFile(dir + "/out/summary.json"));
}

// schedulers[name=`name`] of a summary.
inline const nlohmann::ordered_json& SchedulerEntry(const nlohmann::ordered_json& summary,
                                                    const std::string& name) {
  for (const nlohmann::ordered_json& e : summary["schedulers"]) {
    if (e["name"] == name) return e;
  }
  ADD_FAILURE() << "no scheduler " << name;
  static const nlohmann::ordered_json none;
  return none;
}

// One agent <4 cpus, 8 GiB>, 1000 s; a framework `slow` deciding 100 s over each offer, with one
// task (1 cpu, running past the end). `extra`: top-level YAML lines (a `master:` or `results:`).
inline std::string SlowFrameworkYaml(const std::string& extra) {
  return "name: slow\nduration: 1000s\n" + extra + R"(cluster:
  groups:
    - {name: a, count: 1, os: linux, resources: {cpus: 4, mem: 8GiB}}
frameworks:
  - name: slow
    decision_time: {per_offer: 100s}
    workload: {initial_jobs: 1, duration: 1h, resources: {cpus: 1, mem: 1GiB}}
)";
}

// Every task accounted for once: submitted (plus the tasks live at the warmup, if any) = the final
// states + pending and running at the end.
inline void ExpectTasksAddUp(const nlohmann::ordered_json& t) {
  auto n = [&](const char* key) { return t.contains(key) ? t[key].get<int64_t>() : 0; };
  EXPECT_EQ(n("submitted") + n("pending_at_warmup") + n("running_at_warmup"),
            n("finished") + n("failed") + n("lost") + n("unreachable") + n("killed") +
                n("unschedulable") + n("pending_at_end") + n("running_at_end"));
}

}  // namespace clustersim::test
