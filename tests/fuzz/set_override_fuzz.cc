// The `--set PATH=VALUE` grammar (apps/config/overrides.h): each input line is one assignment,
// applied in order to a small scenario with lists, nested mappings and YAML aliases. Whatever the
// assignments, each is applied or refused with a message starting "--set ", and the document stays
// loadable: its clone (which re-parses and re-applies every assignment) must succeed. A key path
// that parses prints back to a path that parses to the same steps.
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "apps/config/overrides.h"
#include "apps/config/yaml_value.h"
#include "tests/fuzz/fuzz_input.h"

namespace clustersim::apps {
namespace {

constexpr std::string_view kScenario = R"(name: fuzz
seed: 3
duration: 10m
master: {allocator: drf, allocation_interval: 1s}
cluster:
  groups:
    - &linux {name: linux, count: 4, os: linux, resources: {cpus: 8, mem: 16GiB}}
    - *linux
frameworks:
  - name: batch
    workload: {initial_jobs: 5, tasks_per_job: 2, duration: 1m, resources: {cpus: 1}}
)";

void CheckPathRoundTrip(std::string_view assignment) {
  const std::string_view path = assignment.substr(0, assignment.find('='));
  auto steps = ParseKeyPath(path);
  if (!steps.ok()) return;
  auto again = ParseKeyPath(FormatKeyPath(*steps));
  if (!again.ok() || *again != *steps) std::abort();
}

}  // namespace
}  // namespace clustersim::apps

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clustersim::apps;
  auto doc = LoadYamlString(kScenario, "fuzz.yaml");
  if (!doc.ok()) std::abort();
  int assignments = 0;
  clustersim::fuzz::ForEachLine(clustersim::fuzz::AsText(data, size), [&](std::string_view line) {
    if (++assignments > 16) return;
    CheckPathRoundTrip(line);
    const clustersim::sim::Status s = ApplyOverride(*doc, line);
    if (!s.ok() && s.message().rfind("--set ", 0) != 0) std::abort();
  });
  (void)doc->Clone();
  (void)doc->Root().Child("cluster").Child("groups").Index(1).Child("count").AsInt();
  return 0;
}
