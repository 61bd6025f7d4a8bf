#pragma once

#include <string>
#include <vector>

#include "sim/status.h"

namespace clustersim::plugins {

// Loads an out-of-tree plugin (a shared object exporting clustersim_register_plugins, see
// api/plugin.h) into Allocators() and Placements(). Returns the names it registered, as
// "allocator NAME" / "placement NAME". Errors, each naming the path: the file cannot be opened
// (dlerror's reason), it has no entry point, it was built for another plugin API version, or its
// registration failed (a duplicate name, say). The object stays loaded for the process's lifetime.
sim::Result<std::vector<std::string>> LoadPlugin(const std::string& path);

}  // namespace clustersim::plugins
