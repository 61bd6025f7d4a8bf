// The streaming SWF reader: header, the 18 fields, comments and blank lines, malformed rows (with
// file:line errors and counts), chunk boundaries, and the shared Parallel Workloads Archive logs.
#include "models/workload/swf/swf_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace clustersim::models {
namespace {

std::string TempFile(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "clustersim_swf_reader_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string SharedTrace(const std::string& file) {
  return std::string(CLUSTERSIM_SOURCE_DIR) + "/../shared/traces/swf/" + file;
}

#define SKIP_IF_MISSING(path)                                                     \
  if (!std::filesystem::exists(path))                                             \
  GTEST_SKIP() << path                                                            \
               << " is absent (the shared traces live beside the repository, in " \
                  "../shared/traces)"

// The 18 fields of a valid job.
std::string Row(int number, int submit, int run, int procs, int req_procs = -1, int req_time = -1) {
  return std::to_string(number) + " " + std::to_string(submit) + " 0 " + std::to_string(run) + " " +
         std::to_string(procs) + " -1 -1 " + std::to_string(req_procs) + " " +
         std::to_string(req_time) + " -1 1 7 1 -1 -1 -1 -1 -1\n";
}

struct ReadAll {
  std::vector<SwfJob> jobs;
  std::vector<std::string> errors;
  SwfReader::Row last = SwfReader::Row::kEnd;
};

ReadAll Drain(SwfReader& reader) {
  ReadAll out;
  SwfJob job;
  for (;;) {
    out.last = reader.Next(job);
    if (out.last == SwfReader::Row::kJob) {
      out.jobs.push_back(job);
    } else if (out.last == SwfReader::Row::kMalformed) {
      out.errors.push_back(reader.error().message());
    } else {
      return out;
    }
  }
}

TEST(SwfReaderTest, ReadsHeaderFieldsCommentsAndBlankLines) {
  const std::string path =
      TempFile("good.swf", "; Version: 2.2\n;   MaxNodes: 64\n; MaxProcs: 128\n;\n\n" +
                               Row(1, 0, 100, 4) + "\n; a comment between jobs\n   \t\n" +
                               "2 10 5 3600.5 8 12.25 -1 16 7200 -1 0 3 2 1 1 1 1 60\r\n" +
                               Row(3, 10, 0, 1));
  auto reader = SwfReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ((*reader)->header().max_procs, 128);
  EXPECT_EQ((*reader)->header().max_nodes, 64);
  const ReadAll r = Drain(**reader);
  EXPECT_EQ(r.last, SwfReader::Row::kEnd);
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.jobs.size(), 3u);
  EXPECT_EQ(r.jobs[0].line, 6u);
  const SwfJob& j = r.jobs[1];
  EXPECT_EQ(j.line, 10u);
  EXPECT_EQ(j.number, 2);
  EXPECT_EQ(j.submit_s, 10);
  EXPECT_EQ(j.wait_s, 5);
  EXPECT_EQ(j.run_s, 3600.5);
  EXPECT_EQ(j.allocated_procs, 8);
  EXPECT_EQ(j.avg_cpu_s, 12.25);
  EXPECT_EQ(j.requested_procs, 16);
  EXPECT_EQ(j.requested_time_s, 7200);
  EXPECT_EQ(j.status, 0);
  EXPECT_EQ(j.user, 3);
  EXPECT_EQ(j.group, 2);
  EXPECT_EQ(j.think_time_s, 60);
  EXPECT_EQ(r.jobs[2].number, 3);  // the last line has no '\n'
  EXPECT_EQ((*reader)->rows(), 3u);
  EXPECT_EQ((*reader)->malformed(), 0u);
}

TEST(SwfReaderTest, MalformedRowsGiveFileAndLineAndReadingGoesOn) {
  const std::string text = "; MaxProcs: 16\n" + Row(1, 0, 10, 2) +                 // line 2
                           "2 5 0 10 2 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1\n" +       // 17 fields
                           "3 5 0 10 2 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1 9\n" +  // 19
                           "4 5 0 ten 2 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n" +
                           "5 5 0 10 2.5 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n" +
                           "6 5 0 10 2x -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n" + Row(7, 20, 10, 2) +
                           Row(8, 19, 10, 2) +  // line 9: out of order
                           Row(9, 20, 10, 2);
  const std::string path = TempFile("bad.swf", text);
  auto reader = SwfReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.error();
  const ReadAll r = Drain(**reader);
  ASSERT_EQ(r.errors.size(), 6u);
  EXPECT_EQ(r.errors[0], path + ":3: expected 18 whitespace-separated fields, found 17");
  EXPECT_EQ(r.errors[1], path + ":4: expected 18 whitespace-separated fields, found 19");
  EXPECT_EQ(r.errors[2], path + ":5: field 4 (run time): 'ten' is not a number");
  EXPECT_EQ(r.errors[3], path + ":6: field 5 (allocated processors): '2.5' is not an integer");
  EXPECT_EQ(r.errors[4], path + ":7: field 5 (allocated processors): '2x' is not a number");
  EXPECT_EQ(r.errors[5],
            path +
                ":9: submit time 19 is before the previous job's (20); SWF logs are sorted "
                "by submit time");
  ASSERT_EQ(r.jobs.size(), 3u);
  EXPECT_EQ(r.jobs[0].number, 1);
  EXPECT_EQ(r.jobs[1].number, 7);
  EXPECT_EQ(r.jobs[2].number, 9);
  // Nothing is dropped without a count.
  EXPECT_EQ((*reader)->rows(), 9u);
  EXPECT_EQ((*reader)->malformed(), 6u);
}

TEST(SwfReaderTest, BadHeaderValuesAndMissingFilesFailOpen) {
  const std::string path =
      TempFile("badheader.swf", "; Version: 2\n; MaxProcs: many\n" + Row(1, 0, 1, 1));
  auto reader = SwfReader::Open(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error(), path + ":2: MaxProcs 'many' is not a positive integer");

  auto zero = SwfReader::Open(TempFile("zeroheader.swf", "; MaxNodes: 0\n"));
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().find(":1: MaxNodes '0' is not a positive integer"), std::string::npos);

  auto missing = SwfReader::Open("/nonexistent/log.swf");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("cannot open SWF log /nonexistent/log.swf"), std::string::npos);
}

TEST(SwfReaderTest, NoHeaderAndEmptyFile) {
  auto reader = SwfReader::Open(TempFile("noheader.swf", Row(1, 0, 1, 1)));
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->header().max_procs, -1);
  EXPECT_EQ((*reader)->header().max_nodes, -1);
  EXPECT_EQ(Drain(**reader).jobs.size(), 1u);

  auto empty = SwfReader::Open(TempFile("empty.swf", ""));
  ASSERT_TRUE(empty.ok());
  const ReadAll r = Drain(**empty);
  EXPECT_EQ(r.last, SwfReader::Row::kEnd);
  EXPECT_TRUE(r.jobs.empty());
}

// Lines cut by chunk boundaries, and lines longer than the whole buffer, read the same.
TEST(SwfReaderTest, TinyBuffersReadTheSameJobs) {
  std::string text = "; MaxProcs: 100\n";
  for (int i = 1; i <= 500; ++i) text += Row(i, i * 7, i % 13, 1 + i % 50, -1, 3600);
  text += "501 4000 0 1 1 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1" + std::string(300, ' ') + "\n";
  const std::string path = TempFile("many.swf", text);
  auto big = SwfReader::Open(path);
  auto tiny = SwfReader::Open(path, 64);
  ASSERT_TRUE(big.ok() && tiny.ok());
  EXPECT_EQ((*tiny)->header().max_procs, 100);
  const ReadAll a = Drain(**big);
  const ReadAll b = Drain(**tiny);
  ASSERT_EQ(a.jobs.size(), 501u);
  ASSERT_EQ(b.jobs.size(), 501u);
  for (size_t i = 0; i < a.jobs.size(); ++i) {
    EXPECT_EQ(a.jobs[i].number, b.jobs[i].number);
    EXPECT_EQ(a.jobs[i].submit_s, b.jobs[i].submit_s);
    EXPECT_EQ(a.jobs[i].allocated_procs, b.jobs[i].allocated_procs);
    EXPECT_EQ(a.jobs[i].line, b.jobs[i].line);
  }
  EXPECT_EQ((*tiny)->bytes_read(), text.size());
}

// The shared logs: job counts as the shared README gives them, no malformed rows.
TEST(SwfReaderTest, SharedLogs) {
  struct Log {
    const char* file;
    uint64_t jobs;
    int64_t max_procs;
  };
  for (const Log& log :
       {Log{"KTH-SP2-1996-2.1-cln.swf", 27992, 100}, Log{"NASA-iPSC-1993-3.1-cln.swf", 18239, 128},
        Log{"HPC2N-2002-2.1-cln.first60029lines.swf", 60000, 240}}) {
    const std::string path = SharedTrace(log.file);
    SKIP_IF_MISSING(path);
    auto reader = SwfReader::Open(path);
    ASSERT_TRUE(reader.ok()) << reader.error();
    EXPECT_EQ((*reader)->header().max_procs, log.max_procs) << log.file;
    EXPECT_EQ((*reader)->header().max_nodes, log.max_procs) << log.file;
    const ReadAll r = Drain(**reader);
    EXPECT_EQ(r.last, SwfReader::Row::kEnd);
    EXPECT_EQ(r.jobs.size(), log.jobs) << log.file;
    EXPECT_TRUE(r.errors.empty()) << log.file << ": " << r.errors.front();
    EXPECT_EQ((*reader)->bytes_read(), std::filesystem::file_size(path));
  }
}

// The row parser on its own (trace_io, for fuzzing): no file, no ordering state.
TEST(SwfReaderTest, RowParserAloneParsesOrExplains) {
  SwfJob job;
  EXPECT_EQ(ParseSwfRow("1 0 5 100 4 -1 -1 4 200 -1 1 3 1 -1 1 -1 -1 -1", job), std::nullopt);
  EXPECT_EQ(job.number, 1);
  EXPECT_EQ(job.run_s, 100);
  EXPECT_EQ(job.requested_procs, 4);
  EXPECT_EQ(job.user, 3);
  EXPECT_EQ(ParseSwfRow("1 0 5", job), "expected 18 whitespace-separated fields, found 3");
  EXPECT_EQ(ParseSwfRow("1.5 0 5 100 4 -1 -1 4 200 -1 1 3 1 -1 1 -1 -1 -1", job),
            "field 1 (job number): '1.5' is not an integer");
  EXPECT_EQ(ParseSwfRow("1 x 5 100 4 -1 -1 4 200 -1 1 3 1 -1 1 -1 -1 -1", job),
            "field 2 (submit time): 'x' is not a number");
}

}  // namespace
}  // namespace clustersim::models
