#include "scheduler_plugins/loader.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "scheduler_plugins/api/plugin.h"

namespace clustersim::plugins {
namespace {

std::vector<std::string> Added(const std::vector<std::string>& before,
                               const std::vector<std::string>& after, const char* kind) {
  std::vector<std::string> out;
  for (const auto& name : after) {
    if (!std::binary_search(before.begin(), before.end(), name)) {
      out.push_back(fmt::format("{} {}", kind, name));
    }
  }
  return out;
}

}  // namespace

sim::Result<std::vector<std::string>> LoadPlugin(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return sim::Status::Error(fmt::format("--plugin {}: {}", path,
                                          std::filesystem::is_directory(path, ec)
                                              ? "a folder, not a shared object (.so)"
                                              : "no such file"));
  }
  // A path without a slash would make dlopen search the library path; load the file named.
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return sim::Status::Error(
        fmt::format("--plugin {}: cannot load: {}", path, why ? why : "unknown error"));
  }
  dlerror();
  void* symbol = dlsym(handle, kPluginEntryPoint);
  if (symbol == nullptr) {
    dlclose(handle);
    return sim::Status::Error(
        fmt::format("--plugin {}: not a clustersim plugin (it exports no extern \"C\" {}; see "
                    "scheduler_plugins/README.md)",
                    path, kPluginEntryPoint));
  }
  const auto allocators_before = Allocators().Names();
  const auto placements_before = Placements().Names();
  auto* entry = reinterpret_cast<RegisterPluginsFn*>(symbol);
  const int code = entry(&Allocators(), &Placements(), kPluginApiVersion);
  // Not closed even on failure: it may have registered some factories before failing.
  if (code == kPluginVersionMismatch) {
    return sim::Status::Error(fmt::format(
        "--plugin {}: built for another plugin API version (this clustersim has version {}); "
        "rebuild it against these headers",
        path, kPluginApiVersion));
  }
  if (code != kPluginOk) {
    return sim::Status::Error(
        fmt::format("--plugin {}: {} returned {} (registration failed: a duplicate policy name?)",
                    path, kPluginEntryPoint, code));
  }
  std::vector<std::string> added = Added(allocators_before, Allocators().Names(), "allocator");
  for (auto& name : Added(placements_before, Placements().Names(), "placement")) {
    added.push_back(std::move(name));
  }
  return added;
}

}  // namespace clustersim::plugins
