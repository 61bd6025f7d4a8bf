// results/README.md documents the columns of tasks.csv, timeseries.csv and
// framework_timeseries.csv in one table each (first cell: the column name in backticks). These
// tests parse those tables and compare them with the headers a run actually writes, so the
// documentation cannot drift from the files. A documented name holding `<...>` (such as
// `share_<role>`) is a pattern: it stands for one column per role, version, ... of the scenario.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "results/csv.h"

namespace clustersim::test {
namespace {

// The first-column names of the table under the heading "## <file>" of results/README.md.
std::vector<std::string> DocumentedColumns(const std::string& readme, const std::string& file) {
  std::istringstream in(readme);
  std::string line;
  bool in_section = false;
  std::vector<std::string> names;
  const std::regex row(R"(^\| `([^`]+)` \|)");
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      in_section = line == "## " + file;
      continue;
    }
    std::smatch m;
    if (in_section && std::regex_search(line, m, row)) names.push_back(m[1]);
  }
  return names;
}

// `share_<role>` -> ^share_[^,]+$
std::regex PatternOf(const std::string& name) {
  static const std::regex placeholder("<[^>]+>");
  return std::regex("^" + std::regex_replace(name, placeholder, "[^,]+") + "$");
}

bool IsPattern(const std::string& name) { return name.find('<') != std::string::npos; }

// What differs between the documented rows and a written header: a column matching no row or
// several, a row matching no column, the plain (non-pattern) names in another order. Empty when
// they agree.
std::vector<std::string> Drift(const std::vector<std::string>& documented,
                               const std::vector<std::string>& header) {
  std::vector<std::string> problems;
  if (documented.empty()) return {"no table documents this file"};
  std::vector<size_t> matches(documented.size(), 0);
  std::vector<std::string> plain_written;
  for (const std::string& column : header) {
    int rows = 0;
    for (size_t d = 0; d < documented.size(); ++d) {
      const bool hit = IsPattern(documented[d]) ? std::regex_match(column, PatternOf(documented[d]))
                                                : column == documented[d];
      if (!hit) continue;
      ++rows;
      ++matches[d];
      if (!IsPattern(documented[d])) plain_written.push_back(column);
    }
    if (rows != 1) {
      problems.push_back("column '" + column + "' is documented " + std::to_string(rows) +
                         " times");
    }
  }
  std::vector<std::string> plain_documented;
  for (size_t d = 0; d < documented.size(); ++d) {
    if (matches[d] == 0) problems.push_back("documented '" + documented[d] + "' is not written");
    if (!IsPattern(documented[d])) plain_documented.push_back(documented[d]);
  }
  if (problems.empty() && plain_written != plain_documented) {
    problems.push_back("the columns are written in another order than documented");
  }
  return problems;
}

// policy-study has Windows hosts of two versions, two roles and two frameworks: every pattern
// row has columns to match.
TEST(OutputColumnsTest, ReadmeTablesListTheWrittenColumns) {
  const std::string out = TempDir("columns");
  const CliResult r = RunCli({"run", SourcePath("scenarios/policy-study.yaml"), "--out", out,
                              "--quiet", "--set", "duration=10m"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string readme = ReadFile(SourcePath("results/README.md"));
  for (const char* file : {"tasks.csv", "timeseries.csv", "framework_timeseries.csv"}) {
    const results::CsvFile csv = results::ReadCsvFile(out + "/" + file);
    ASSERT_FALSE(csv.rows.empty()) << file;
    const std::vector<std::string> documented = DocumentedColumns(readme, file);
    EXPECT_GT(documented.size(), 5u) << file;
    for (const std::string& problem : Drift(documented, csv.header)) {
      ADD_FAILURE() << file << ": " << problem;
    }
  }
}

// The check itself fails on drift: an undocumented column, a column documented twice, a
// documented column not written, and two plain columns swapped.
TEST(OutputColumnsTest, TheCheckSeesDrift) {
  const std::vector<std::string> doc = {"time_s", "share_<role>", "pending_tasks"};
  for (const std::vector<std::string>& header :
       std::vector<std::vector<std::string>>{{"time_s", "share_a", "pending_tasks", "extra"},
                                             {"time_s", "pending_tasks"},
                                             {"pending_tasks", "share_a", "time_s"}}) {
    EXPECT_FALSE(Drift(doc, header).empty()) << header.size();
  }
  EXPECT_TRUE(Drift(doc, {"time_s", "share_a", "share_b", "pending_tasks"}).empty());
  // A column two rows describe.
  EXPECT_FALSE(Drift({"time_s", "share_<role>", "share_a"}, {"time_s", "share_a"}).empty());
}

// A role named with a comma and a quote: every output's header is one field per column, as its
// rows are (RFC 4180 quoting). Found by a review: timeseries.csv wrote `share_x,"y"` unquoted.
TEST(OutputColumnsTest, ARoleNameWithACommaAndAQuoteKeepsTheHeadersWhole) {
  const std::string dir = TempDir("columns-quoted-role");
  const std::string scenario = dir + "/roles.yaml";
  WriteFile(scenario, R"(name: roles
duration: 1m
cluster:
  groups:
    - {name: lin, count: 2, os: linux, resources: {cpus: 8, mem: 16GiB}}
frameworks:
  - name: fw
    role: 'x,"y"'
    workload: {arrival: poisson, rate: 1/s, duration: 10s, resources: {cpus: 1, mem: 1GiB}}
)");
  const CliResult r = RunCli({"run", scenario, "--out", dir + "/out", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* file : {"tasks.csv", "timeseries.csv", "framework_timeseries.csv"}) {
    const results::CsvFile csv = results::ReadCsvFile(dir + "/out/" + file);
    ASSERT_FALSE(csv.rows.empty()) << file;
    for (const auto& row : csv.rows) ASSERT_EQ(row.size(), csv.header.size()) << file;
  }
  const results::CsvFile ts = results::ReadCsvFile(dir + "/out/timeseries.csv");
  EXPECT_NE(std::find(ts.header.begin(), ts.header.end(), "share_x,\"y\""), ts.header.end());
}

}  // namespace
}  // namespace clustersim::test
