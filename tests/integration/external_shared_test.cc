// `shared: NAME` (issue 17, item 2): keys that name one process talk to one process, which gets a
// Hello per key and tells the rounds apart by PlacementRound.framework.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "external_support.h"

namespace clustersim::test {
namespace {

const char kFrameworks[][14] = {"web", "batch-linux", "batch-windows"};

// One Python process places for default.yaml's three frameworks and orders the master's offers:
// the results are the in-tree first-fit and drf's, and the log shows one process id, four times.
TEST(ExternalSharedTest, OneProcessServesEveryKeyThatNamesIt) {
  const std::string script = Script("shared_everything", R"(
import os, sys
sys.path.insert(0, ")" + SourcePath("python/examples") + R"(")
from first_fit import FirstFit
from drf_allocator import Drf
from clustersim import run
class Hello(FirstFit):
    def on_hello(self, hello):
        print("pid", os.getpid(), hello.framework or "allocator", flush=True)
class HelloDrf(Drf):
    def on_hello(self, hello):
        print("pid", os.getpid(), "allocator", flush=True)
run({"web": Hello(), "batch-linux": Hello(), "batch-windows": Hello(), "allocator": HelloDrf()})
)");
  const std::string dir = TempDir("external-shared");
  const std::string shared = External({kPython, script}, ", shared: py");
  std::vector<std::string> in_tree = {"run",         SourcePath("scenarios/default.yaml"),
                                      "--out",       dir + "/in-tree",
                                      "--quiet",     "--set",
                                      "duration=20m"};
  std::vector<std::string> python = {"run",
                                     SourcePath("scenarios/default.yaml"),
                                     "--out",
                                     dir + "/python",
                                     "--quiet",
                                     "--set",
                                     "duration=20m",
                                     "--set",
                                     "master.allocator=" + shared};
  for (int f = 0; f < 3; ++f) {
    python.insert(python.end(),
                  {"--set", "frameworks[" + std::to_string(f) + "].placement=" + shared});
  }
  for (const auto& args : {in_tree, python}) {
    const CliResult r = RunCli(args, /*time_limit_s=*/300);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  ExpectSameResults(dir + "/in-tree", dir + "/python");
  std::istringstream log(ReadFile(dir + "/python/external-py.log"));
  std::set<std::string> pids, keys;
  std::string word, pid, key;
  while (log >> word >> pid >> key) {
    pids.insert(pid);
    keys.insert(key);
  }
  EXPECT_EQ(pids.size(), 1u);
  EXPECT_EQ(keys, (std::set<std::string>{"allocator", "web", "batch-linux", "batch-windows"}));
  for (const char* f : kFrameworks) {
    EXPECT_FALSE(std::filesystem::exists(dir + "/python/external-" + std::string(f) + ".log"));
  }
}

TEST(ExternalSharedTest, KeysSharingAProcessMustStartItAlike) {
  const std::string fit = SourcePath("python/examples/first_fit.py");
  const CliResult r =
      RunCli({"validate", SourcePath("scenarios/default.yaml"), "--set",
              "frameworks[0].placement=" + External({kPython, fit}, ", shared: p"), "--set",
              "frameworks[1].placement=" + External({kPython, "-u", fit}, ", shared: p")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("frameworks[1].placement.shared"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("frameworks[0].placement starts the shared process 'p' with another "
                       "command"),
            std::string::npos)
      << r.err;
}

// Two processes would write one log (external-<name>.log): a `shared` name equal to another
// external key's framework name, or to `allocator` beside an external allocator of its own.
TEST(ExternalSharedTest, TwoProcessesMayNotShareALog) {
  const std::string fit = SourcePath("python/examples/first_fit.py");
  const std::string drf = SourcePath("python/examples/drf_allocator.py");
  const CliResult named_as_framework =
      RunCli({"validate", SourcePath("scenarios/default.yaml"), "--set",
              "frameworks[0].placement=" + External({kPython, fit}), "--set",
              "frameworks[1].placement=" + External({kPython, fit}, ", shared: web")});
  EXPECT_EQ(named_as_framework.exit_code, 2);
  EXPECT_NE(named_as_framework.err.find("frameworks[1].placement: its process would log to "
                                        "external-web.log, as frameworks[0].placement does"),
            std::string::npos)
      << named_as_framework.err;
  const CliResult named_allocator =
      RunCli({"validate", SourcePath("scenarios/default.yaml"), "--set",
              "master.allocator=" + External({kPython, drf}), "--set",
              "frameworks[2].placement=" + External({kPython, fit}, ", shared: allocator")});
  EXPECT_EQ(named_allocator.exit_code, 2);
  EXPECT_NE(named_allocator.err.find("external-allocator.log, as master.allocator does"),
            std::string::npos)
      << named_allocator.err;
  // The same shared process named by several keys is one writer.
  const CliResult one_writer =
      RunCli({"validate", SourcePath("scenarios/default.yaml"), "--set",
              "frameworks[0].placement=" + External({kPython, fit}, ", shared: web"), "--set",
              "frameworks[1].placement=" + External({kPython, fit}, ", shared: web")});
  EXPECT_EQ(one_writer.exit_code, 0) << one_writer.err;
}

// A process given a dict without a key's entry refuses that key at its Hello.
TEST(ExternalSharedTest, AKeyTheProcessDoesNotServeIsRefused) {
  const std::string script = Script("shared_partial", R"(
import sys
sys.path.insert(0, ")" + SourcePath("python/examples") + R"(")
from first_fit import FirstFit
from clustersim import run
run({"web": FirstFit()})
)");
  const std::string dir = TempDir("external-shared-partial");
  const std::string shared = External({kPython, script}, ", shared: py");
  const CliResult r =
      RunCli({"run", SourcePath("scenarios/default.yaml"), "--out", dir, "--quiet", "--set",
              "frameworks[0].placement=" + shared, "--set", "frameworks[1].placement=" + shared});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("this process serves ['web'], not framework batch-linux's placement"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace clustersim::test
