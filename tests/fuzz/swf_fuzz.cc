// The SWF row parser (ParseSwfRow) and the replay's reading of a job (width, estimate, skip):
// whatever a line holds, the job or a message, never a crash or undefined behaviour.
#include "models/workload/swf/swf_reader.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clustersim::models;
  clustersim::fuzz::ForEachLine(clustersim::fuzz::AsText(data, size), [](std::string_view line) {
    if (line.empty() || line.front() == ';') return;  // comments are the reader's, not rows
    SwfJob job;
    if (ParseSwfRow(line, job)) return;
    (void)SwfWidth(job);
    (void)SwfEstimate(job);
    (void)SwfSkipped(job, 128);
  });
  return 0;
}
