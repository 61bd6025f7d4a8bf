#pragma once

#include <string>
#include <vector>

namespace clustersim::test {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs build/clustersim with `args` and collects its exit code and output. With a time limit
// (seconds, 0 = none) a run still going then is killed by SIGALRM: exit code 128 + SIGALRM.
CliResult RunCli(const std::vector<std::string>& args, unsigned time_limit_s = 0);
// In a forked child: replaces the process with build/clustersim `args` (exit 127 if it cannot).
[[noreturn]] void ExecCli(const std::vector<std::string>& args);
// Path of a file in the source tree (scenarios/..., results/...).
std::string SourcePath(const std::string& relative);
// A fresh, empty temporary folder for one test, removed when the test program exits
// (unless CLUSTERSIM_KEEP_TEST_DIRS is set).
std::string TempDir(const std::string& name);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& text);

}  // namespace clustersim::test
