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

}  // namespace clustersim::test
