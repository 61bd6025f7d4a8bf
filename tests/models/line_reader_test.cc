#include "models/workload/trace_io/line_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace clustersim::models {
namespace {

class LineReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("line_reader_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // `text` as one gzip member (what gzip(1) writes).
  static std::string Gzip(const std::string& text) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
              Z_OK);
    std::string out(deflateBound(&z, text.size()) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
  }

  std::filesystem::path dir_;
};

std::vector<std::string> ReadAll(LineReader& r, std::vector<std::string>* where = nullptr) {
  std::vector<std::string> lines;
  std::string_view line;
  while (r.Next(line)) {
    lines.emplace_back(line);
    if (where != nullptr) where->push_back(r.Where());
  }
  return lines;
}

TEST_F(LineReaderTest, LinesOfSeveralFilesInOrderWithLineNumbers) {
  const std::string a = Write("a.csv", "1,2\n3,4\r\n\nlast-without-newline");
  const std::string b = Write("b.csv", "b1\nb2\n");
  LineReader r;
  ASSERT_TRUE(r.Open({a, b}).ok());
  std::vector<std::string> where;
  EXPECT_EQ(ReadAll(r, &where),
            (std::vector<std::string>{"1,2", "3,4", "", "last-without-newline", "b1", "b2"}));
  EXPECT_EQ(where,
            (std::vector<std::string>{a + ":1", a + ":2", a + ":3", a + ":4", b + ":1", b + ":2"}));
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(r.bytes_consumed(), 30u + 6u);
}

TEST_F(LineReaderTest, TinyBufferGrowsForLongLinesAndSplitsReadsAnywhere) {
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 500; ++i) {
    expected.push_back(std::string(static_cast<size_t>(i % 97), 'x') + std::to_string(i));
    text += expected.back() + (i % 3 == 0 ? "\r\n" : "\n");
  }
  const std::string path = Write("long.txt", text);
  LineReader r(/*buffer_bytes=*/64);
  ASSERT_TRUE(r.Open({path}).ok());
  EXPECT_EQ(ReadAll(r), expected);
  EXPECT_EQ(r.bytes_consumed(), text.size());
}

// Lines ending in a lone "\r" (old Mac style) were one huge line, so a table of them had no
// rows. Each file's terminator is told by its first line end, wherever reads split it.
TEST_F(LineReaderTest, LoneCarriageReturnsEndLinesPerFile) {
  std::vector<std::string> expected;
  std::string cr, crlf;
  for (int i = 0; i < 200; ++i) {
    expected.push_back(std::string(static_cast<size_t>(i % 71), 'x') + std::to_string(i));
    cr += expected.back() + "\r";
    crlf += expected.back() + "\r\n";
  }
  // The first line end at the buffer's last byte: "\r" then, in the next read, "\n" or not.
  const std::string first(63, 'a');
  const std::string cr_path = Write("cr.csv", first + "\r" + cr);
  const std::string crlf_path = Write("crlf.csv", first + "\r\n" + crlf);
  const std::string lf_path = Write("lf.csv", "p\nq");
  std::vector<std::string> all = {first};
  all.insert(all.end(), expected.begin(), expected.end());
  for (const size_t buffer : {size_t{64}, size_t{1} << 20}) {
    SCOPED_TRACE(buffer);
    LineReader r(buffer);
    ASSERT_TRUE(r.Open({cr_path, crlf_path, lf_path}).ok());
    std::vector<std::string> want = all;
    want.insert(want.end(), all.begin(), all.end());
    want.insert(want.end(), {"p", "q"});
    std::vector<std::string> where;
    EXPECT_EQ(ReadAll(r, &where), want);
    EXPECT_EQ(where[1], cr_path + ":2");
    EXPECT_EQ(where[all.size() + 1], crlf_path + ":2");
    EXPECT_EQ(r.bytes_consumed(), 64 + cr.size() + 65 + crlf.size() + 3);
  }
  EXPECT_EQ(*ReadLastLine(cr_path), expected.back());
  EXPECT_EQ(*ReadLastLine(crlf_path), expected.back());
}

TEST_F(LineReaderTest, EmptyFilesAndEmptyList) {
  const std::string empty = Write("empty.csv", "");
  const std::string one = Write("one.csv", "x");
  LineReader r;
  ASSERT_TRUE(r.Open({empty, one, empty}).ok());
  EXPECT_EQ(ReadAll(r), std::vector<std::string>{"x"});
  ASSERT_TRUE(r.Open({}).ok());
  EXPECT_TRUE(ReadAll(r).empty());
}

TEST_F(LineReaderTest, MissingFileIsAnErrorAtOpen) {
  LineReader r;
  const sim::Status s = r.Open({(dir_ / "nope.csv").string()});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nope.csv"), std::string::npos) << s.message();
}

TEST(SplitFieldsTest, CountsAllFieldsAndKeepsEmptyOnes) {
  std::array<std::string_view, 4> f;
  EXPECT_EQ(SplitFields("a,,c,", ',', f), 4u);
  EXPECT_EQ(f[0], "a");
  EXPECT_EQ(f[1], "");
  EXPECT_EQ(f[2], "c");
  EXPECT_EQ(f[3], "");
  EXPECT_EQ(SplitFields("", ',', f), 1u);
  EXPECT_EQ(f[0], "");
  EXPECT_EQ(SplitFields("1,2,3,4,5,6", ',', f), 6u);  // only the first four stored
  EXPECT_EQ(f[3], "4");
}

TEST(SplitFieldsTest, Whitespace) {
  std::array<std::string_view, 3> f;
  EXPECT_EQ(SplitWhitespace("  1 \t 22   333 ", f), 3u);
  EXPECT_EQ(f[0], "1");
  EXPECT_EQ(f[1], "22");
  EXPECT_EQ(f[2], "333");
  EXPECT_EQ(SplitWhitespace(" \t ", f), 0u);
  EXPECT_EQ(SplitWhitespace("1 2 3 4", f), 4u);
}

TEST(ParseNumbersTest, Strict) {
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  EXPECT_TRUE(ParseInt("-12", i));
  EXPECT_EQ(i, -12);
  EXPECT_TRUE(ParseInt("9223372036854775807", i));
  EXPECT_EQ(i, INT64_MAX);
  EXPECT_FALSE(ParseInt("9223372036854775808", i));  // overflow
  EXPECT_FALSE(ParseInt("", i));
  EXPECT_FALSE(ParseInt("12x", i));
  EXPECT_FALSE(ParseInt(" 12", i));
  EXPECT_FALSE(ParseInt("1.5", i));
  EXPECT_TRUE(ParseUint("6251537638", u));
  EXPECT_EQ(u, 6251537638u);
  EXPECT_FALSE(ParseUint("-1", u));
  EXPECT_TRUE(ParseDouble("1.526e-05", d));
  EXPECT_DOUBLE_EQ(d, 1.526e-05);
  EXPECT_TRUE(ParseDouble("0.5", d));
  EXPECT_DOUBLE_EQ(d, 0.5);
  EXPECT_TRUE(ParseDouble("-1", d));
  EXPECT_FALSE(ParseDouble("nan", d));
  EXPECT_FALSE(ParseDouble("inf", d));
  EXPECT_FALSE(ParseDouble("0.5 ", d));
  EXPECT_FALSE(ParseDouble("", d));
  EXPECT_FALSE(ParseDouble("abc", d));
}

TEST_F(LineReaderTest, LastLine) {
  EXPECT_EQ(*ReadLastLine(Write("a", "1\n2\n3\n\n")), "3");
  EXPECT_EQ(*ReadLastLine(Write("b", "only")), "only");
  EXPECT_EQ(*ReadLastLine(Write("c", "")), "");
  EXPECT_EQ(*ReadLastLine(Write("d", "\n\n")), "");
  std::string big(200000, 'y');
  EXPECT_EQ(*ReadLastLine(Write("e", "x\n" + big + "\r\n")), big);
  EXPECT_FALSE(ReadLastLine((dir_ / "missing").string()).ok());
}

// Google's clusterdata-2011-2 parts and the Parallel Workloads Archive's logs come gzipped: a
// compressed file reads as its plain text does, by its magic bytes, whatever the buffer size.
TEST_F(LineReaderTest, GzipFilesReadAsTheirText) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "row " + std::to_string(i) + (i % 3 ? "\n" : "\r\n");
  text += "last without terminator";
  const std::string plain = Write("plain.csv", text);
  const std::string gz = Write("part-00000-of-00001.csv.gz", Gzip(text));
  const std::string unnamed = Write("no-suffix", Gzip("a\nb\n"));
  for (size_t buffer : {size_t{64}, LineReader::kDefaultBufferBytes}) {
    LineReader a(buffer), b(buffer);
    ASSERT_TRUE(a.Open({plain}).ok());
    ASSERT_TRUE(b.Open({gz, unnamed}).ok());
    std::vector<std::string> where;
    const std::vector<std::string> lines = ReadAll(b, &where);
    ASSERT_TRUE(b.status().ok()) << b.status().message();
    std::vector<std::string> expected = ReadAll(a);
    expected.insert(expected.end(), {"a", "b"});
    EXPECT_EQ(lines, expected);
    ASSERT_EQ(where.size(), 5003u);
    EXPECT_EQ(where[5000], gz + ":5001");
    EXPECT_EQ(where[5002], unnamed + ":2");
    EXPECT_EQ(b.bytes_consumed(), text.size() + 4);  // decompressed bytes
  }
}

// `cat a.gz b.gz > c.gz` (and pigz) make one file of several members: all of them are read.
TEST_F(LineReaderTest, ConcatenatedGzipMembersAreOneFile) {
  LineReader r;
  ASSERT_TRUE(r.Open({Write("c.gz", Gzip("1\n2\n") + Gzip("3\n") + Gzip(""))}).ok());
  EXPECT_EQ(ReadAll(r), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(*ReadLastLine(Write("d.gz", Gzip("x\ny\n\n") + Gzip("z\n\n"))), "z");
}

// A cut or damaged download is an error naming the file, not a short trace.
TEST_F(LineReaderTest, TruncatedOrCorruptGzipIsAnError) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += std::to_string(i * 7919) + ",x\n";
  const std::string gz = Gzip(text);
  const std::string cut = Write("cut.gz", gz.substr(0, gz.size() / 2));
  LineReader r;
  ASSERT_TRUE(r.Open({cut}).ok());
  ReadAll(r);
  EXPECT_FALSE(r.status().ok());
  EXPECT_NE(r.status().message().find(cut), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("ends early"), std::string::npos) << r.status().message();

  std::string damaged = gz;
  for (size_t i = 40; i < 60; ++i) damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
  LineReader d;
  ASSERT_TRUE(d.Open({Write("bad.gz", damaged)}).ok());
  ReadAll(d);
  EXPECT_FALSE(d.status().ok());
  EXPECT_NE(d.status().message().find("bad gzip data"), std::string::npos) << d.status().message();
  EXPECT_FALSE(ReadLastLine(Write("cut2.gz", gz.substr(0, 100))).ok());
  // The trailer's CRC is checked: a flipped bit in it is caught too.
  std::string crc = Gzip("abc\n");
  crc[crc.size() - 6] = static_cast<char>(crc[crc.size() - 6] ^ 1);
  LineReader c;
  ASSERT_TRUE(c.Open({Write("crc.gz", crc)}).ok());
  ReadAll(c);
  EXPECT_FALSE(c.status().ok());
}

}  // namespace
}  // namespace clustersim::models
