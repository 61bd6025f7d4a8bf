// results/csv: quoting on write and the same rules on read, so that every table we write reads
// back field for field.
#include "results/csv.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace clustersim::results {
namespace {

TEST(CsvTest, FieldsAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("drf"), "drf");
  EXPECT_EQ(CsvField("12/min"), "12/min");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST(CsvTest, LineJoinsQuotedFieldsAndEndsTheRecord) {
  const std::vector<std::string> fields = {"0", "[1, 2]", "", "x"};
  EXPECT_EQ(CsvLine(fields), "0,\"[1, 2]\",,x\n");
  EXPECT_EQ(CsvLine(std::vector<std::string>{}), "\n");
}

TEST(CsvTest, SplitUndoesLine) {
  const std::vector<std::string> fields = {"cell", "a,b", "say \"hi\"", "", "3.5"};
  std::string line = CsvLine(fields);
  line.pop_back();  // the '\n'
  EXPECT_EQ(SplitCsvLine(line), fields);
}

TEST(CsvTest, SplitKeepsEmptyFields) {
  EXPECT_EQ(SplitCsvLine(""), std::vector<std::string>{""});
  EXPECT_EQ(SplitCsvLine("a,,c,"), (std::vector<std::string>{"a", "", "c", ""}));
}

TEST(CsvTest, AQuoteLeftOpenRunsToTheEnd) {
  // A line cut short by a kill inside a quoted field: one field fewer than a whole line.
  EXPECT_EQ(SplitCsvLine("1,\"a,b"), (std::vector<std::string>{"1", "a,b"}));
}

TEST(CsvTest, ReadFileSplitsHeaderAndNonEmptyRows) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "clustersim_csv_test.csv").string();
  std::ofstream(path) << "cell,name,value\n0,\"x,y\",1\n\n1,z\n";
  const CsvFile file = ReadCsvFile(path);
  EXPECT_EQ(file.header, (std::vector<std::string>{"cell", "name", "value"}));
  ASSERT_EQ(file.rows.size(), 2u);
  EXPECT_EQ(file.rows[0], (std::vector<std::string>{"0", "x,y", "1"}));
  EXPECT_EQ(file.rows[1], (std::vector<std::string>{"1", "z"}));  // short rows are kept
  std::filesystem::remove(path);
}

TEST(CsvTest, MissingFileIsEmpty) {
  const CsvFile file = ReadCsvFile("/nonexistent/clustersim/none.csv");
  EXPECT_TRUE(file.header.empty());
  EXPECT_TRUE(file.rows.empty());
}

}  // namespace
}  // namespace clustersim::results
