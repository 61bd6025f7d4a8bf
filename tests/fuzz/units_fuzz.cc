// The unit parsers of apps/config/units.h (sizes, durations, bandwidths, rates, plain numbers):
// whatever the text, an answer or a message, never a crash or undefined behaviour; and what the
// formatters print parses back to the same value, as units.h promises.
#include <cstdlib>

#include "apps/config/units.h"
#include "tests/fuzz/fuzz_input.h"

namespace clustersim::apps {
namespace {

// Formatting `x` and parsing it back gives `x` again.
template <typename T, typename Parse, typename Format>
void RoundTrip(const T& x, Parse parse, Format format) {
  const auto again = parse(format(x));
  if (!again.ok() || !(*again == x)) std::abort();
}

}  // namespace
}  // namespace clustersim::apps

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clustersim::apps;
  const std::string_view text = clustersim::fuzz::AsText(data, size);
  (void)ParseNumber(text);
  if (auto size_mib = ParseSizeMiB(text); size_mib.ok()) {
    RoundTrip(
        *size_mib, [](std::string_view t) { return ParseSizeMiB(t); }, FormatSizeMiB);
  }
  (void)ParseSizeMiB(text, 4096);
  if (auto duration = ParseDuration(text); duration.ok()) {
    RoundTrip(*duration, ParseDuration, FormatDuration);
  }
  if (auto bandwidth = ParseBandwidthMiBps(text); bandwidth.ok()) {
    RoundTrip(
        *bandwidth, [](std::string_view t) { return ParseBandwidthMiBps(t); },
        FormatBandwidthMiBps);
  }
  if (auto rate = ParseRatePerSecond(text); rate.ok()) (void)FormatRatePerSecond(*rate);
  return 0;
}
