#pragma once

// What the libFuzzer targets of tests/fuzz share: the input as text, and its lines (a row parser
// gets one line without its terminator, as LineReader hands it over).
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace clustersim::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Calls `row(line)` for each '\n'-separated line of `text`, a trailing '\r' removed.
template <typename F>
void ForEachLine(std::string_view text, F&& row) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    row(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

}  // namespace clustersim::fuzz
