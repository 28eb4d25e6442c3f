// detect-custom-labels: a progress bar on stderr (only when it is a terminal).
#ifndef DETECT_CUSTOM_LABELS_PROGRESS_HPP
#define DETECT_CUSTOM_LABELS_PROGRESS_HPP

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace dcl {

/// Draws "[=====>    ] 45/200  12.3 img/s  ETA 13s" on one stderr line,
/// redrawn at most ten times a second. Silent unless enabled. Thread-safe.
class ProgressBar {
 public:
  ProgressBar(std::size_t total, bool enabled)
      : total_(total), enabled_(enabled), started_(std::chrono::steady_clock::now()) {}

  /// True when stderr is a terminal and there is more than one image.
  static bool ShouldShow(std::size_t total) { return total > 1 && isatty(STDERR_FILENO) == 1; }

  /// Counts one finished image and redraws if due.
  void Advance() {
    if (!enabled_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    ++done_;
    const auto now = std::chrono::steady_clock::now();
    if (done_ != total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    Draw(now);
  }

  /// Erases the bar (before other output goes to the same terminal).
  void Clear() {
    if (!enabled_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }

  /// Draws the bar again after Clear().
  void Redraw() {
    if (!enabled_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_) return;
    Draw(std::chrono::steady_clock::now());
  }

  /// Erases the bar for good so the terminal is left clean.
  void Finish() {
    if (!enabled_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }

 private:
  void Draw(std::chrono::steady_clock::time_point now) {
    const double seconds = std::chrono::duration<double>(now - started_).count();
    const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
    constexpr int kWidth = 30;
    const int filled = total_ ? static_cast<int>(kWidth * done_ / total_) : kWidth;
    std::string bar(static_cast<std::size_t>(filled), '=');
    if (filled < kWidth) bar += '>';
    bar.resize(kWidth, ' ');
    std::fprintf(stderr, "\r[%s] %zu/%zu  %.1f img/s  ETA %.0fs\033[K", bar.c_str(), done_, total_,
                 rate, eta);
    std::fflush(stderr);
  }

  std::size_t total_;
  bool enabled_;
  std::size_t done_ = 0;
  bool finished_ = false;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_{};
  std::mutex mutex_;
};

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_PROGRESS_HPP
