// results/output_file.h: files appear whole under their final name or not at all, and a handled
// failure leaves no .tmp behind (a .tmp means a killed run, results/README.md).
#include "results/output_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace clustersim::results {
namespace {

namespace fs = std::filesystem;

fs::path FreshDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("clustersim-output-file-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(OutputFileTest, WritesWholeUnderTheFinalName) {
  const fs::path dir = FreshDir("whole");
  ASSERT_TRUE(WriteFileAtomically((dir / "a.csv").string(), "x,y\n1,2\n").ok());
  std::stringstream text;
  text << std::ifstream(dir / "a.csv").rdbuf();
  EXPECT_EQ(text.str(), "x,y\n1,2\n");
  EXPECT_FALSE(fs::exists(dir / "a.csv.tmp"));
}

// The final name is taken by a directory: the write fails with the reason, and the .tmp is gone.
// Found by a CLI review: it stayed, reading as a killed run's.
TEST(OutputFileTest, AFailedRenameLeavesNoTempFile) {
  const fs::path dir = FreshDir("rename");
  fs::create_directories(dir / "tasks.csv" / "inner");
  const sim::Status s = WriteFileAtomically((dir / "tasks.csv").string(), "id\n1\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Is a directory"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(dir / "tasks.csv.tmp"));
}

// An earlier run's file goes; no file is no error; one that cannot go (a folder of that name with
// something in it) is an error naming it, and is left as it was.
TEST(OutputFileTest, RemoveStaleRemovesAnEarlierFileOrSaysWhyNot) {
  const fs::path dir = FreshDir("stale");
  std::ofstream(dir / "report.html") << "old";
  EXPECT_TRUE(RemoveStale((dir / "report.html").string()).ok());
  EXPECT_FALSE(fs::exists(dir / "report.html"));
  EXPECT_TRUE(RemoveStale((dir / "report.html").string()).ok());
  fs::create_directories(dir / "summary.json" / "inner");
  const sim::Status s = RemoveStale((dir / "summary.json").string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot remove " + (dir / "summary.json").string()), std::string::npos)
      << s.message();
  EXPECT_TRUE(fs::exists(dir / "summary.json" / "inner"));
}

}  // namespace
}  // namespace clustersim::results
