#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/status.h"

namespace clustersim::apps {

// Splits a command line into words as a POSIX shell would, without running one: words end at
// unquoted blanks; single quotes keep everything literally; double quotes keep everything but let
// a backslash escape ", \, $ and `; an unquoted backslash escapes the next character. No
// expansion of any kind ($VAR, globs, ~). Fails on an unterminated quote or a trailing
// backslash, and on an empty command.
sim::Result<std::vector<std::string>> SplitCommandLine(std::string_view line);

}  // namespace clustersim::apps
