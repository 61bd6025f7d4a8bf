#include "apps/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace clustersim::apps {
namespace {

std::string Hms(double seconds) {
  const auto s = static_cast<int64_t>(seconds);
  return fmt::format("{}:{:02d}:{:02d}", s / 3600, (s / 60) % 60, s % 60);
}

}  // namespace

ProgressLine::ProgressLine(bool enabled)
    : enabled_(enabled && isatty(STDERR_FILENO) == 1), start_(Clock::now()) {}

ProgressLine::~ProgressLine() { Clear(); }

double ProgressLine::Elapsed() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

void ProgressLine::Show(std::string_view text) {
  if (!enabled_) return;
  // Padding blanks whatever a longer previous text left on the line.
  const size_t width = std::max(text.size(), shown_width_);
  std::fprintf(stderr, "\r%-*.*s", static_cast<int>(width), static_cast<int>(text.size()),
               text.data());
  std::fflush(stderr);
  shown_width_ = width;
}

void ProgressLine::Clear() {
  if (shown_width_ == 0) return;
  std::fprintf(stderr, "\r%*s\r", static_cast<int>(shown_width_), "");
  std::fflush(stderr);
  shown_width_ = 0;
}

SimProgress::SimProgress(sim::Time horizon, bool enabled) : line_(enabled), horizon_(horizon) {}

void SimProgress::Update(sim::Time now, uint64_t events) {
  if (!line_.enabled()) return;
  const double elapsed = line_.Elapsed();
  if (elapsed < 2.0 || elapsed - last_shown_ < 0.25) return;
  last_shown_ = elapsed;
  const double fraction = horizon_.micros() > 0 ? now.seconds() / horizon_.seconds() : 0;
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  line_.Show(fmt::format("  sim {} / {}  {:5.1f}%  {:.2f}M events/s  ETA {}   ", Hms(now.seconds()),
                         Hms(horizon_.seconds()), 100 * fraction,
                         static_cast<double>(events) / elapsed / 1e6, Hms(eta)));
}

BatchProgress::BatchProgress(size_t total, size_t already_done)
    : line_(true), total_(total), already_done_(already_done), finished_(already_done) {}

void BatchProgress::RunFinished() {
  ++finished_;
  if (!line_.enabled()) return;
  const size_t ran = finished_ - already_done_;
  const double eta = line_.Elapsed() / static_cast<double>(ran) *
                     static_cast<double>(total_ - std::min(total_, finished_));
  constexpr size_t kWidth = 30;
  const size_t filled = std::min(kWidth, kWidth * finished_ / std::max<size_t>(1, total_));
  line_.Show(fmt::format("  [{}{}] {} / {} runs  ETA {:.0f} s   ", std::string(filled, '#'),
                         std::string(kWidth - filled, '.'), finished_, total_, eta));
}

}  // namespace clustersim::apps
