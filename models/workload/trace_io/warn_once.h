#pragma once

#include <string>

namespace clustersim::models {

// Prints `line` and a newline to stderr unless this process printed the same line before. A
// sweep or compare replays one trace in many runs (on several threads): its malformed-row
// warnings, which name the file and line, would otherwise repeat once per run. Thread-safe.
// Returns whether the line was printed.
bool WarnOnce(const std::string& line);

}  // namespace clustersim::models
