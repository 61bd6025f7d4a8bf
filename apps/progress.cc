#include "apps/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace clustersim::apps {
namespace {

std::string Hms(double seconds) {
  const auto s = static_cast<int64_t>(seconds);
  return fmt::format("{}:{:02d}:{:02d}", s / 3600, (s / 60) % 60, s % 60);
}

}  // namespace

ProgressLine::ProgressLine(sim::Time horizon, bool enabled)
    : horizon_(horizon),
      enabled_(enabled && isatty(STDERR_FILENO) == 1),
      start_(Clock::now()),
      last_print_(start_) {}

ProgressLine::~ProgressLine() { Clear(); }

void ProgressLine::Update(sim::Time now, uint64_t events) {
  if (!enabled_) return;
  const auto t = Clock::now();
  const double elapsed = std::chrono::duration<double>(t - start_).count();
  if (elapsed < 2.0 || std::chrono::duration<double>(t - last_print_).count() < 0.25) return;
  last_print_ = t;
  const double fraction = horizon_.micros() > 0 ? now.seconds() / horizon_.seconds() : 0;
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  std::fprintf(stderr, "\r  sim %s / %s  %5.1f%%  %.2fM events/s  ETA %s   ",
               Hms(now.seconds()).c_str(), Hms(horizon_.seconds()).c_str(), 100 * fraction,
               static_cast<double>(events) / elapsed / 1e6, Hms(eta).c_str());
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::Clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r%80s\r", "");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace clustersim::apps
