#include "app/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace trustsim {

Progress::Progress(std::string label, bool quiet, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      quiet_(quiet),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::update(std::int64_t done, std::int64_t total) {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  if (done <= done_) return;
  done_ = done;
  total_ = total;
  const auto now = std::chrono::steady_clock::now();
  // A log file (a batch job's) gets a line a minute, not a bar: a long shard stays readable.
  const auto every = tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(60000);
  if (now - last_ < every) return;
  last_ = now;
  draw(false);
}

void Progress::finish() {
  if (quiet_ || total_ == 0) return;
  std::lock_guard lock(mutex_);
  draw(true);
}

void Progress::draw(bool final) {
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = secs > 0 ? static_cast<double>(done_) / secs : 0;
  const double left = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
  const double frac = total_ > 0 ? static_cast<double>(done_) / static_cast<double>(total_) : 0;
  if (tty_) {
    constexpr int width = 30;
    const int filled = static_cast<int>(frac * width);
    std::fprintf(stderr, "\r%s [%.*s%*s] %3.0f%%  %.3g %s/s  %s %.0fs ", label_.c_str(), filled,
                 "##############################", width - filled, "", 100 * frac, rate, unit_.c_str(),
                 final ? "took" : "left", final ? secs : left);
    if (final) std::fputc('\n', stderr);
  } else {
    std::fprintf(stderr, "%s: %lld/%lld %s (%.0f%%), %.3g %s/s, %s %.0fs\n", label_.c_str(),
                 static_cast<long long>(done_), static_cast<long long>(total_), unit_.c_str(), 100 * frac, rate,
                 unit_.c_str(), final ? "took" : "about", final ? secs : left);
  }
  std::fflush(stderr);
}

}  // namespace trustsim
