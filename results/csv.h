#pragma once

// The project's one CSV module for result tables (runs.csv, compare.csv, summary.csv, timing.csv
// and the tests that read them): RFC 4180 quoting on write, the same rules on read. One line is
// one record (fields we write never hold a newline unquoted, and readers here read line by line).
//
// Trace readers do not use it: trace rows are unquoted and split in place for speed
// (models/workload/line_reader.h, SplitFields).
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clustersim::results {

// `s` as a CSV field: quoted (with '"' doubled) if it holds a comma, a quote or a newline,
// otherwise unchanged.
std::string CsvField(std::string_view s);

// The fields as one record: each quoted as needed, joined by commas, ending in '\n'.
std::string CsvLine(std::span<const std::string> fields);

// The fields of one record (`line` without its '\n'): quotes removed, "" read as '"'. An empty
// line is one empty field. A quote left open (a line cut short) runs to the end of the line.
std::vector<std::string> SplitCsvLine(std::string_view line);

// A CSV file read whole: its first line split as the header, every further non-empty line split
// as a row. A missing or empty file gives an empty header and no rows. Rows are returned as they
// are, whatever their field count: callers decide what a short row means.
struct CsvFile {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
CsvFile ReadCsvFile(const std::string& path);

}  // namespace clustersim::results
