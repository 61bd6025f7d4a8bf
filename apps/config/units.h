#pragma once

// Parsing and formatting of the unit-bearing values that scenario files and --set flags use:
// sizes, durations, bandwidths and rates. Each parser takes the whole text (surrounding blanks
// and blanks between number and unit are allowed), rejects negatives, NaN, infinities (also
// those that appear only once the unit is applied, like 1e308PiB) and unknown units, and on
// failure returns a message of the form
//   expected a size like 512MiB or 2GiB, got 'lots' (unknown unit 'lots'; ...)
// which YamlValue prefixes with file:line:col and the key path. Units are case-sensitive
// (MB is megabytes, Mb is not accepted), and a near miss such as 'mib' names the intended unit.

#include <limits>
#include <string>
#include <string_view>

#include "sim/status.h"
#include "sim/time.h"

namespace clustersim::apps {

// The "expected ..." phrases used in error messages, shared so every message says the same.
inline constexpr std::string_view kNumberForm = "a number";
inline constexpr std::string_view kSizeForm = "a size like 512MiB or 2GiB";
inline constexpr std::string_view kDurationForm = "a duration like 250ms, 5s or 2h";
inline constexpr std::string_view kBandwidthForm = "a bandwidth like 100MB/s or 1Gbit/s";
inline constexpr std::string_view kRateForm = "a rate like 2/s or 10/min";

// A plain finite decimal number ("3", "-2.5", "1e6"), nothing else; no units.
sim::Result<double> ParseNumber(std::string_view text);

// Size in MiB. Binary units B, KiB, MiB, GiB, TiB, PiB (also Ki, Mi, Gi, Ti, Pi); decimal units
// KB (or kB), MB, GB, TB, PB, converted exactly (1GB = 10^9 bytes = 953.67431640625 MiB).
// A plain number is MiB. Examples: "512MiB", "2GiB" (= 2048), "1.5TiB", "100MB", "64KiB".
// Values above `max` (after the unit is applied) are rejected, naming `max`: "(at most 4PiB)".
sim::Result<double> ParseSizeMiB(std::string_view text,
                                 double max = std::numeric_limits<double>::infinity());

// Duration, rounded to the nearest microsecond. Units us (or µs), ms, s (or sec), m or min, h,
// d; a plain number is seconds. "inf" and "forever" give sim::Time::Max(). Finite values above
// sim::Time::MaxInput() (2^61 µs, about 73,000 years) are rejected. Examples: "250ms" (= 250000
// µs), "5s", "1.5s", "2h", "1d".
sim::Result<sim::Time> ParseDuration(std::string_view text);

// Bandwidth in MiB per second. Bytes: B/s, KB/s, KiB/s, MB/s, MiB/s, GB/s, GiB/s, TB/s, TiB/s.
// Bits (lower-case b, as in networking): bit/s, Kbit/s, Mbit/s, Gbit/s, Tbit/s, also written
// b/s, Mb/s, Gb/s... or bps, Mbps, Gbps...; decimal multiples, so 1Gbit/s = 1.25e8 bytes/s.
// A plain number is MiB/s.
sim::Result<double> ParseBandwidthMiBps(std::string_view text,
                                        double max = std::numeric_limits<double>::infinity());

// Events per second: NUMBER/UNIT with any duration unit above ("2/s", "10/min", "100/h",
// "5/d"); a plain number is per second.
sim::Result<double> ParseRatePerSecond(std::string_view text);

// Formatting for messages, summaries and round trips. Each picks the largest unit that keeps the
// number >= 1 and prints the shortest decimal that parses back to the same double, so
// ParseSizeMiB(FormatSizeMiB(x)) == x. FormatDuration is exact: it picks the largest unit in
// which the value has at most three decimals ("1.5s", "250ms", "90s", "1.5h", "inf").
std::string FormatSizeMiB(double mib);               // 2048 -> "2GiB", 0.5 -> "512KiB"
std::string FormatDuration(sim::Time duration);      // 250ms -> "250ms"
std::string FormatBandwidthMiBps(double mib_per_s);  // 1024 -> "1GiB/s"
std::string FormatRatePerSecond(double per_second);  // 2 -> "2/s", 0.5 -> "30/min"

}  // namespace clustersim::apps
