// The scenario loader's half that reads text (apps/config): YAML parsing with positions, the typed
// reads with their ranges, strict mappings, distributions. Whatever the document, each read is an
// answer or a located message, never a crash, an uncaught exception or undefined behaviour.
#include <array>
#include <cstdlib>
#include <string_view>

#include "apps/config/distribution_spec.h"
#include "apps/config/ranges.h"
#include "apps/config/yaml_value.h"
#include "tests/fuzz/fuzz_input.h"

namespace clustersim::apps {
namespace {

// Bounds the walk, so that a deep or wide document costs the target no more than the loader.
constexpr int kMaxDepth = 64;
constexpr int kMaxValues = 4096;

// Every typed read of a scalar (or of a collection, which must fail cleanly).
void ReadScalar(const YamlValue& v) {
  (void)v.AsDouble();
  (void)v.AsDouble(0, 1);
  (void)v.AsInt();
  (void)v.AsInt(0, 100);
  (void)v.AsBool();
  (void)v.AsString();
  (void)v.AsSizeMiB();
  (void)v.AsDuration();
  (void)v.AsRate();
  (void)v.AsBandwidth();
  (void)v.AsEnum({"fifo", "drf", "linux", "windows"});
  (void)ReadDurationIn(v, DurationRange{kMinInterval, true, true});
  (void)ReadResourceAmount(v, /*is_size=*/true);
  (void)ReadResourceAmount(v, /*is_size=*/false);
  (void)ReadBoundedSize(v);
  (void)ReadBandwidthIn(v);
  (void)ReadRateIn(v);
  (void)v.Error("something");
  (void)v.Found();
}

void Walk(const YamlValue& v, int depth, int& budget) {
  if (--budget < 0 || depth > kMaxDepth) return;
  ReadScalar(v);
  (void)ParseDistribution(v, static_cast<Quantity>(depth % 3));
  if (auto elements = v.Elements(); elements.ok()) {
    for (const YamlValue& e : *elements) Walk(e, depth + 1, budget);
  }
  if (auto entries = v.Entries(); entries.ok()) {
    for (const auto& entry : *entries) Walk(entry.second, depth + 1, budget);
  }
  if (auto map = v.AsMap(); map.ok()) {
    // A fixed schema read the way the scenario loader reads one: a few keys, then Finish().
    (void)map->Optional("name");
    (void)map->Required("rate");
    (void)map->Finish();
  }
  (void)v.Child("name").AsString();
  (void)v.Index(0).AsDouble();
}

}  // namespace
}  // namespace clustersim::apps

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clustersim::apps;
  auto doc = LoadYamlString(clustersim::fuzz::AsText(data, size), "fuzz.yaml");
  if (!doc.ok()) {
    // A syntax error is located: "fuzz.yaml:LINE:COL: ...".
    if (doc.status().message().rfind("fuzz.yaml", 0) != 0) std::abort();
    return 0;
  }
  int budget = kMaxValues;
  Walk(doc->Root(), 0, budget);
  // A clone re-parses the text (and checks that it loads again).
  (void)doc->Clone();
  return 0;
}
