#include "cli_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace clustersim::test {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string SourcePath(const std::string& relative) {
  return std::string(CLUSTERSIM_SOURCE_DIR) + "/" + relative;
}

namespace {

// Test folders are removed when the test program ends (thousands of runs otherwise pile up in
// /tmp); CLUSTERSIM_KEEP_TEST_DIRS=1 keeps them to look at a failure.
void RemoveAtExit(const std::string& dir) {
  static std::vector<std::string>* dirs = [] {
    auto* list = new std::vector<std::string>;
    if (std::getenv("CLUSTERSIM_KEEP_TEST_DIRS") == nullptr) {
      std::atexit([] {
        std::error_code ignored;
        for (const std::string& d : *dirs) std::filesystem::remove_all(d, ignored);
      });
    }
    return list;
  }();
  dirs->push_back(dir);
}

}  // namespace

std::string TempDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("clustersim-test-" + std::to_string(getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  RemoveAtExit(dir.string());
  return dir.string();
}

void ExecCli(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  // CLUSTERSIM_TEST_BINARY: a copy of the binary, so that a long hunt (random scenarios) goes on
  // while the build tree is rebuilt.
  const char* chosen = std::getenv("CLUSTERSIM_TEST_BINARY");
  std::string binary = chosen != nullptr ? chosen : CLUSTERSIM_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(binary.c_str(), argv.data());
  _exit(127);
}

CliResult RunCli(const std::vector<std::string>& args, unsigned time_limit_s) {
  const std::string dir = TempDir("cli-io");
  const std::string out_path = dir + "/stdout", err_path = dir + "/stderr";
  const pid_t pid = fork();
  if (pid == 0) {
    std::freopen(out_path.c_str(), "w", stdout);
    std::freopen(err_path.c_str(), "w", stderr);
    if (time_limit_s > 0) alarm(time_limit_s);  // survives execv
    ExecCli(args);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace clustersim::test
