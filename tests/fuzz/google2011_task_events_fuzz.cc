// The row parser of Google 2011's task_events table: whatever a line holds, the row or a message,
// never a crash or undefined behaviour.
#include "models/workload/google2011/google2011_reader.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  clustersim::fuzz::ForEachLine(clustersim::fuzz::AsText(data, size), [](std::string_view line) {
    clustersim::models::google2011::TaskEvent row;
    (void)clustersim::models::google2011::ParseRow(line, row);
  });
  return 0;
}
