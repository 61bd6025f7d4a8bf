// The row parser of Alibaba 2017's server_event table: whatever a line holds, the row or a
// message, never a crash or undefined behaviour.
#include "models/workload/alibaba/alibaba_reader.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clustersim::models;
  clustersim::fuzz::ForEachLine(clustersim::fuzz::AsText(data, size), [](std::string_view line) {
    AlibabaMachineRow row;
    (void)ParseAlibabaMachineRow(AlibabaMachineTable::kServerEvent2017, line, row);
  });
  return 0;
}
