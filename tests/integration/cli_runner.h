#pragma once

#include <string>
#include <vector>

namespace clustersim::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs build/clustersim with `args` and collects its exit code and output.
CliResult RunCli(const std::vector<std::string>& args);
// Path of a file in the source tree (scenarios/..., results/...).
std::string SourcePath(const std::string& relative);
// A fresh, empty temporary folder for one test.
std::string TempDir(const std::string& name);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& text);

}  // namespace clustersim::testing
