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

// Events per second, short: "850", "21.3k", "1.25M".
std::string Rate(double per_s) {
  if (per_s >= 1e6) return fmt::format("{:.2f}M", per_s / 1e6);
  if (per_s >= 1e3) return fmt::format("{:.1f}k", per_s / 1e3);
  return fmt::format("{:.0f}", per_s);
}

}  // namespace

ProgressLine::ProgressLine(const ProgressOptions& options)
    : mode_(!options.enabled             ? Mode::kOff
            : isatty(STDERR_FILENO) == 1 ? Mode::kTerminal
                                         : Mode::kLog),
      interval_s_(options.interval_s),
      start_(Clock::now()) {}

ProgressLine::~ProgressLine() { Clear(); }

double ProgressLine::Elapsed() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

bool ProgressLine::Due() {
  if (mode_ == Mode::kOff) return false;
  const double elapsed = Elapsed();
  if (mode_ == Mode::kTerminal ? (elapsed < 2.0 || elapsed - last_shown_ < 0.25)
                               : elapsed - last_shown_ < interval_s_) {
    return false;
  }
  last_shown_ = elapsed;
  return true;
}

void ProgressLine::Show(std::string_view text) {
  if (mode_ == Mode::kOff) return;
  if (mode_ == Mode::kLog) {
    std::fprintf(stderr, "progress: %.*s\n", static_cast<int>(text.size()), text.data());
    std::fflush(stderr);
    return;
  }
  // Padding blanks whatever a longer previous text left on the line.
  const std::string line = fmt::format("  {}   ", text);
  const size_t width = std::max(line.size(), shown_width_);
  std::fprintf(stderr, "\r%-*s", static_cast<int>(width), line.c_str());
  std::fflush(stderr);
  shown_width_ = width;
}

void ProgressLine::Clear() {
  if (shown_width_ == 0) return;
  std::fprintf(stderr, "\r%*s\r", static_cast<int>(shown_width_), "");
  std::fflush(stderr);
  shown_width_ = 0;
}

SimProgress::SimProgress(sim::Time horizon, const ProgressOptions& options)
    : line_(options), horizon_(horizon) {}

void SimProgress::Update(sim::Time now, uint64_t events) {
  if (!line_.Due()) return;
  const double elapsed = line_.Elapsed();
  const double fraction = horizon_.micros() > 0 ? now.seconds() / horizon_.seconds() : 0;
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  line_.Show(fmt::format("sim {} / {}  {:.1f}%  {} events/s  ETA {}", Hms(now.seconds()),
                         Hms(horizon_.seconds()), 100 * fraction,
                         Rate(static_cast<double>(events) / elapsed), Hms(eta)));
}

void SimProgress::UpdateWork(sim::Time now, const sim::Simulator::Work& work) {
  if (!line_.Due()) return;
  const double percent =
      work.total > 0 ? 100.0 * static_cast<double>(work.done) / static_cast<double>(work.total) : 0;
  line_.Show(fmt::format("sim {} / {}  {} {} of {} ({:.0f}%)", Hms(now.seconds()),
                         Hms(horizon_.seconds()), work.what, work.done, work.total, percent));
}

BatchProgress::BatchProgress(size_t total, size_t already_done, const ProgressOptions& options)
    : line_(options), total_(total), already_done_(already_done), finished_(already_done) {}

void BatchProgress::RunFinished() {
  ++finished_;
  const bool last = finished_ >= total_;
  // On a terminal every run moves the bar; a log gets the interval's lines and the last.
  if (line_.mode() == ProgressLine::Mode::kOff ||
      (line_.mode() == ProgressLine::Mode::kLog && !line_.Due() && !last)) {
    return;
  }
  const size_t ran = finished_ - already_done_;
  const double eta = line_.Elapsed() / static_cast<double>(ran) *
                     static_cast<double>(total_ - std::min(total_, finished_));
  if (line_.mode() == ProgressLine::Mode::kLog) {
    line_.Show(fmt::format("{} / {} runs  ETA {}", finished_, total_, Hms(eta)));
    return;
  }
  constexpr size_t kWidth = 30;
  const size_t filled = std::min(kWidth, kWidth * finished_ / std::max<size_t>(1, total_));
  line_.Show(fmt::format("[{}{}] {} / {} runs  ETA {:.0f} s", std::string(filled, '#'),
                         std::string(kWidth - filled, '.'), finished_, total_, eta));
}

}  // namespace clustersim::apps
