// What a plugin built against the previous plugin API version (8) does inside a version-9
// clustersim: the entry point that CLUSTERSIM_PLUGIN_ENTRY_POINT generated for version 7 compares
// the host's version with its own compile-time 8 and refuses before touching the registries.
namespace clustersim::plugins {
class AllocatorRegistry;
class PlacementRegistry;
}  // namespace clustersim::plugins

extern "C" __attribute__((visibility("default"))) int clustersim_register_plugins(
    clustersim::plugins::AllocatorRegistry*, clustersim::plugins::PlacementRegistry*,
    int api_version) {
  constexpr int kBuiltForVersion = 8;
  constexpr int kPluginOk = 0, kPluginVersionMismatch = 1;
  return api_version == kBuiltForVersion ? kPluginOk : kPluginVersionMismatch;
}
