#pragma once

#include <optional>
#include <string_view>

namespace clustersim::plugins {

enum class Os : uint8_t { kLinux, kWindows };
// Windows Server base versions, oldest first so that "newer than" is operator>. Linux uses kNone.
enum class OsVersion : uint8_t { kNone, kLtsc2016, kLtsc2019, kLtsc2022 };
// docker on Linux; process or hyperv on Windows.
enum class Isolation : uint8_t { kDocker, kProcess, kHyperV };

inline constexpr int kOsCount = 2;

std::string_view OsName(Os os);
std::string_view OsVersionName(OsVersion v);
std::string_view IsolationName(Isolation i);
std::optional<Os> ParseOs(std::string_view s);
std::optional<OsVersion> ParseOsVersion(std::string_view s);
std::optional<Isolation> ParseIsolation(std::string_view s);

// Can a container built on (image_os, image_version) run on this host? Windows rules: the image's
// base must not be newer than the host's; process isolation needs the exact version, Hyper-V runs
// older ones (in a utility VM, paying extra start time and memory).
bool CanRun(Os host_os, OsVersion host_version, Isolation isolation, Os image_os,
            OsVersion image_version);

}  // namespace clustersim::plugins
