// The csv format's row parser (CsvRowParser). The input's first line names the columns' roles by
// position, as a header would ("submit_time,job_id,,cpus,..."; unknown names are ignored), and
// must name submit_time, duration and cpus, as trace.columns must; each further line is a row,
// parsed with and without the header's field count. Whatever the rows, each gives the row or a
// message, never a crash or undefined behaviour.
#include <string>
#include <utility>
#include <vector>

#include "models/workload/csv/csv_reader.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clustersim::models;
  std::string_view text = clustersim::fuzz::AsText(data, size);
  const size_t eol = text.find('\n');
  if (eol == std::string_view::npos) return 0;
  // trace.columns accepts indices up to 10000 (csv_format.cc).
  std::vector<std::pair<std::string, int>> columns;
  int index = 0;
  clustersim::fuzz::ForEachLine(text.substr(0, eol), [&](std::string_view header) {
    while (index <= 10000) {
      const size_t comma = header.find(',');
      columns.emplace_back(std::string(header.substr(0, comma)), index++);
      if (comma == std::string_view::npos) break;
      header.remove_prefix(comma + 1);
    }
  });
  CsvRowParser any_count(columns, {1, 1024, 1024});
  const CsvRowParser::Columns& c = any_count.columns();
  if (c.submit_time < 0 || c.duration < 0 || c.cpus < 0) return 0;
  CsvRowParser header_count(columns);
  header_count.set_header_fields(columns.size());
  clustersim::fuzz::ForEachLine(text.substr(eol + 1), [&](std::string_view line) {
    CsvRow row;
    (void)any_count.Parse(line, row);
    (void)header_count.Parse(line, row);
  });
  return 0;
}
