// What a plugin built against the previous plugin API version (9) does inside a version-10
// clustersim: the entry point that CLUSTERSIM_PLUGIN_ENTRY_POINT generated for version 9 compares
// the host's version with its own compile-time 9 and refuses before touching the registries.
namespace clustersim::plugins {
class AllocatorRegistry;
class PlacementRegistry;
}  // namespace clustersim::plugins

extern "C" __attribute__((visibility("default"))) int clustersim_register_plugins(
    clustersim::plugins::AllocatorRegistry*, clustersim::plugins::PlacementRegistry*,
    int api_version) {
  constexpr int kBuiltForVersion = 9;
  constexpr int kPluginOk = 0, kPluginVersionMismatch = 1;
  return api_version == kBuiltForVersion ? kPluginOk : kPluginVersionMismatch;
}
