#include "scheduler_plugins/api/os.h"

namespace clustersim::plugins {

std::string_view OsName(Os os) { return os == Os::kLinux ? "linux" : "windows"; }

std::string_view OsVersionName(OsVersion v) {
  switch (v) {
    case OsVersion::kNone:
      return "none";
    case OsVersion::kLtsc2016:
      return "ltsc2016";
    case OsVersion::kLtsc2019:
      return "ltsc2019";
    case OsVersion::kLtsc2022:
      return "ltsc2022";
  }
  return "?";
}

std::string_view IsolationName(Isolation i) {
  switch (i) {
    case Isolation::kDocker:
      return "docker";
    case Isolation::kProcess:
      return "process";
    case Isolation::kHyperV:
      return "hyperv";
  }
  return "?";
}

std::optional<Os> ParseOs(std::string_view s) {
  if (s == "linux") return Os::kLinux;
  if (s == "windows") return Os::kWindows;
  return std::nullopt;
}

std::optional<OsVersion> ParseOsVersion(std::string_view s) {
  if (s == "ltsc2016") return OsVersion::kLtsc2016;
  if (s == "ltsc2019") return OsVersion::kLtsc2019;
  if (s == "ltsc2022") return OsVersion::kLtsc2022;
  return std::nullopt;
}

std::optional<Isolation> ParseIsolation(std::string_view s) {
  if (s == "docker") return Isolation::kDocker;
  if (s == "process") return Isolation::kProcess;
  if (s == "hyperv") return Isolation::kHyperV;
  return std::nullopt;
}

bool CanRun(Os host_os, OsVersion host_version, Isolation isolation, Os image_os,
            OsVersion image_version) {
  if (host_os != image_os) return false;
  // kNone: the task names no image, so no base version to match.
  if (host_os == Os::kLinux || image_version == OsVersion::kNone) return true;
  if (image_version > host_version) return false;
  return isolation == Isolation::kHyperV || image_version == host_version;
}

}  // namespace clustersim::plugins
