// Helpers of the external policy tests (external_policy_test.cc, external_allocator_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace clustersim::test {

// The Python client uses Debian's python3-protobuf: /usr/bin/python3 (the brief's rule).
inline constexpr char kPython[] = "/usr/bin/python3";

// {external: ['a', 'b']<more>}: a policy key for --set.
inline std::string External(const std::vector<std::string>& argv, const std::string& more = "") {
  std::string list;
  for (const std::string& a : argv) list += (list.empty() ? "" : ", ") + ("'" + a + "'");
  return "{external: [" + list + "]" + more + "}";
}

inline std::string SummaryWithoutRun(const std::string& dir) {
  nlohmann::ordered_json s = nlohmann::ordered_json::parse(ReadFile(dir + "/summary.json"));
  s.erase("run");
  return s.dump(1);
}

// Two runs' results agree byte for byte: tasks.csv, timeseries.csv, framework_timeseries.csv and
// summary.json but for its wall-clock `run` (the files a run without them lacks are skipped).
inline void ExpectSameResults(const std::string& a, const std::string& b) {
  for (const char* file : {"tasks.csv", "timeseries.csv", "framework_timeseries.csv"}) {
    EXPECT_EQ(std::filesystem::exists(a + "/" + file), std::filesystem::exists(b + "/" + file))
        << file;
    if (!std::filesystem::exists(a + "/" + file)) continue;
    EXPECT_TRUE(ReadFile(a + "/" + file) == ReadFile(b + "/" + file)) << file;
  }
  EXPECT_EQ(SummaryWithoutRun(a), SummaryWithoutRun(b));
}

// A script written to the tests' scratch folder (made once per test process: TempDir empties the
// folder it returns); returns its path.
inline std::string Script(const std::string& name, const std::string& body) {
  static const std::string dir = TempDir("external-scripts");
  const std::string path = dir + "/" + name + ".py";
  WriteFile(path, body);
  return path;
}

// A policy that answers the Hello in protocol version 2, then waits.
inline std::string Version2Policy() {
  return Script("version2", R"(
from clustersim.protocol import Connection, pb
conn = Connection()
conn.receive()
reply = pb.FromPolicy()
reply.hello.protocol_version = 2
conn.send(reply)
conn.receive()
)");
}

}  // namespace clustersim::test
